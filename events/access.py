"""Who may see which event: UFD staff, leaders and liaisons see their organisation's events;
a member sees the published events they are invited to or registered for. 404 otherwise."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from events.models import Event
from people.models import Person
from people.queries import my_person as my_person  # the views' lookup of the member's own record


def get_event_for_user(request, pk: int) -> Event:
    return get_object_or_404(Event.objects.for_org(request.organisation).select_related("department"), pk=pk)


def get_event_for_member(request, pk: int, person: Person | None) -> Event:
    """A published event the member is invited to (or registered for); 404 otherwise."""
    if person is None:
        raise Http404
    events = Event.objects.for_org(request.organisation).invited(person).select_related("department")
    return get_object_or_404(events, pk=pk)
