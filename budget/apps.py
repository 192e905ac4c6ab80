from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("统战工作经费")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The event page shows the event's cost through events' panel registry (events never imports budget).
        from events.panels import register_detail_panel

        register_detail_panel("budget/_event_cost.html")
