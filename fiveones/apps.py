from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiveOnesConfig(AppConfig):
    name = "fiveones"
    verbose_name = _("五个一")
