from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("年度考核")
    default_auto_field = "django.db.models.BigAutoField"
