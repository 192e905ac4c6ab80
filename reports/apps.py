from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "年度工作总结"
    default_auto_field = "django.db.models.BigAutoField"
