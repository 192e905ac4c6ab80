from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = _("建言献策")

    def ready(self):
        from people.panels import register_panel
        from proposals.queries import person_proposals_panel

        register_panel("proposals", order=30, render=person_proposals_panel)
