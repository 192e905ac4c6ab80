from django import template

from events.services import attended_events

register = template.Library()


@register.simple_tag
def attended_events_for(person):
    """The events `person` attended, for the person pages: {% attended_events_for person as events %}."""
    return list(attended_events(person)[:50])
