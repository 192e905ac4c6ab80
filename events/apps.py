from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("活动与会议")

    def ready(self):
        from events.queries import person_events_panel
        from people.panels import register_panel

        register_panel("events", order=20, render=person_events_panel)
