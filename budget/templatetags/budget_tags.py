from django import template

from budget.queries import event_cost as _event_cost

register = template.Library()


@register.simple_tag
def event_cost(event):
    """What was spent on `event`: {% event_cost event as cost %}."""
    return _event_cost(event.pk)
