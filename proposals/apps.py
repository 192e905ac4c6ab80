from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = "建言献策"

    def ready(self):
        from people.panels import register_panel
        from proposals.queries import person_proposals_panel

        register_panel("proposals", order=30, render=person_proposals_panel)
