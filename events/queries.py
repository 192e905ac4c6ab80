"""Reads of the events module that other modules and home pages use. Each function is bounded in
SQL queries whatever the data size, and documented; other apps call these, never events' models."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from events.models import Event, Registration

# --- For the five ones (fiveones): checked-in attendance by event type ------------------------


@dataclass(frozen=True)
class CheckedInEvent:
    """An event a person checked in to (签到): what the five ones shows and links to."""

    pk: int
    title: str
    type: str
    type_label: str
    starts_at: datetime


def checked_in_events_by_person(*, organisation, year: int, types, person_ids=None) -> dict[int, list[CheckedInEvent]]:
    """{person id: [CheckedInEvent, ...]} for the people of `organisation` who checked in to a
    published (not cancelled) event of one of `types` starting in `year`; oldest first.

    Only check-in counts (a registration with `checked_in_at`, or the outcome 出席 recorded when
    the event was held) — registering alone does not. `person_ids` narrows it to some people.
    One query."""
    labels = dict(Event._meta.get_field("type").choices)
    registrations = Registration.objects.filter(
        Q(checked_in_at__isnull=False) | Q(outcome=Registration.Outcome.ATTENDED),
        event__organisation=organisation,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__year=year,
        event__type__in=list(types),
    )
    if person_ids is not None:
        registrations = registrations.filter(person_id__in=list(person_ids))
    result: dict[int, list[CheckedInEvent]] = {}
    rows = registrations.order_by("event__starts_at", "event_id").values_list(
        "person_id", "event_id", "event__title", "event__type", "event__starts_at"
    )
    for person_id, pk, title, type_, starts_at in rows:
        result.setdefault(person_id, []).append(
            CheckedInEvent(pk=pk, title=title, type=type_, type_label=labels.get(type_, type_), starts_at=starts_at)
        )
    return result
