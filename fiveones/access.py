"""Who may see which five-ones entry: UFD staff any entry of their organisation, a member
only their own. 404 otherwise."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from fiveones.models import Entry, TargetLink
from orgs.models import Role
from people.queries import my_person as my_person  # the views' lookup of the member's own record


def get_entry_for_staff(request, pk: int) -> Entry:
    return get_object_or_404(Entry.objects.for_org(request.organisation).select_related("person"), pk=pk)


def get_own_entry(request, pk: int) -> Entry:
    """One of the member's own entries."""
    person = my_person(request)
    if person is None:
        raise Http404
    return get_object_or_404(Entry.objects.filter(person=person), pk=pk)


def get_entry_for_user(request, pk: int) -> Entry:
    """A member's own entry, or for UFD staff any entry of the organisation."""
    entries = Entry.objects.for_org(request.organisation)
    if request.membership.role == Role.MEMBER:
        person = my_person(request)
        entries = entries.filter(person=person) if person else entries.none()
    return get_object_or_404(entries, pk=pk)


def get_target_link_for_staff(request, pk: int) -> TargetLink:
    return get_object_or_404(TargetLink.objects.filter(organisation=request.organisation), pk=pk)
