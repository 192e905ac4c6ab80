"""Reads of events that home pages, the person page and other apps use, each in a fixed number
of queries whatever the number of events or registrations.

- `attended_events(person)`: the events a person checked in to (person page, five ones).
- `event_figures(organisation, year)`: counts by type and organising department (leader home).
- `month_events(organisation, today)`: this month's events (UFD staff home).
- `recent_held(organisation, year)`: the latest events held in a year (leader home).
- `member_invitations(person, now)`: invitations the member has not answered (member home).
- `member_upcoming(person, now)`: the member's registrations for events still to come.
- `person_events_panel(person, request)`: the person page's panel (registered in apps.py).
- `checked_in_events_by_person(organisation=, year=, types=)`: check-ins by type (the five ones).
- `EventType`: the event type codes, for modules that ask for events of a type."""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from core.figures_cache import org_cached
from events.models import Event, EventType, Registration
from people.models import Person


def attended_events(person: Person) -> QuerySet:
    """The events `person` checked in to (not cancelled), latest first."""
    return (
        Event.objects.filter(registrations__person=person, registrations__checked_in_at__isnull=False)
        .exclude(status=Event.Status.CANCELLED)
        .select_related("department")
        .order_by("-starts_at", "-id")
    )


def event_figures(organisation, year: int) -> dict:
    """Figures for the dashboard: events of `year` (not cancelled) and how many were held, by
    type and by organising department. Cached under the organisation's data version (and the
    labels' language): no query when nothing changed, two otherwise.

    {"total": n, "held": n, "by_type": [{"type", "label", "count", "held"}...] (every type),
     "by_department": [{"department", "count", "held"}...] (departments with events)}"""
    parts = (year, get_language(), timezone.get_current_timezone_name())
    return org_cached("events.figures", organisation, parts, lambda: _event_figures(organisation, year))


def _event_figures(organisation, year: int) -> dict:
    events = Event.objects.for_org(organisation).in_year(year).exclude(status=Event.Status.CANCELLED)
    held = Count("id", filter=Q(held_at__isnull=False))
    by_type = {row["type"]: row for row in events.values("type").annotate(count=Count("id"), held=held)}
    by_department = (
        events.values("department__name").annotate(count=Count("id"), held=held).order_by("-count", "department__name")
    )
    return {
        "total": sum(r["count"] for r in by_type.values()),
        "held": sum(r["held"] for r in by_type.values()),
        "by_type": [
            {
                "type": code,
                "label": str(label),  # text of the current language (in the cache key)
                "count": by_type.get(code, {}).get("count", 0),
                "held": by_type.get(code, {}).get("held", 0),
            }
            for code, label in EventType.choices
        ],
        "by_department": [
            {"department": r["department__name"] or gettext("未指定部门"), "count": r["count"], "held": r["held"]}
            for r in by_department
        ],
    }


def recent_held(organisation, year: int, *, limit: int = 5) -> list[Event]:
    """The latest `limit` events of `year` confirmed as held, latest first. Cached under the
    organisation's data version: no query when nothing changed, one otherwise."""
    parts = (year, limit, timezone.get_current_timezone_name())
    return org_cached(
        "events.recent_held",
        organisation,
        parts,
        lambda: list(Event.objects.for_org(organisation).in_year(year).held().order_by("-starts_at", "-id")[:limit]),
    )


def _month_bounds(today: date) -> tuple[datetime, datetime]:
    first = today.replace(day=1)
    after = first + timedelta(days=monthrange(today.year, today.month)[1])
    zone = timezone.get_current_timezone()
    return datetime.combine(first, time.min, zone), datetime.combine(after, time.min, zone)


def month_events(organisation, today: date, *, limit: int = 20) -> dict:
    """Events starting in `today`'s month (local time), drafts included, cancelled ones not,
    in start order with their registered count. {"events": [...at most limit], "count": n}.
    Cached under the organisation's data version and the day: no query when nothing changed, two
    otherwise."""
    parts = (today, limit, timezone.get_current_timezone_name())
    return org_cached("events.month", organisation, parts, lambda: _month_events(organisation, today, limit))


def _month_events(organisation, today: date, limit: int) -> dict:
    start, end = _month_bounds(today)
    events = (
        Event.objects.for_org(organisation)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Event.Status.CANCELLED)
    )
    listed = events.annotate(
        registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED))
    ).order_by("starts_at", "id")
    return {"events": list(listed[:limit]), "count": events.count()}


def member_invitations(person: Person, now: datetime, *, limit: int = 5) -> dict:
    """Published events `person` is invited to, not started yet, that they have not answered
    (no registration of any kind), soonest first. Each event carries `closed_reason` ("" when
    registration is open now). {"events": [...at most limit], "count": n}. Two queries."""
    answered = Registration.objects.filter(event=OuterRef("pk"), person=person)
    events = (
        Event.objects.filter(organisation_id=person.organisation_id)
        .published()
        .filter(invitations__person=person, starts_at__gt=now)
        .exclude(Exists(answered))
    )
    listed = list(events.order_by("starts_at", "id")[:limit])
    for event in listed:
        event.closed_reason = event.registration_state(now)
    return {"events": listed, "count": events.count()}


def member_upcoming(person: Person, now: datetime, *, limit: int = 5) -> list[Registration]:
    """The person's registrations (registered or waiting) for published events not ended yet,
    soonest first, event selected. One query."""
    return list(
        Registration.objects.filter(
            person=person,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
            event__status=Event.Status.PUBLISHED,
            event__ends_at__gte=now,
        )
        .select_related("event")
        .order_by("event__starts_at", "event_id")[:limit]
    )


def person_events_panel(person: Person, request) -> dict:
    """The person page's "参加的活动" panel: the latest 20 events attended and how many in all.
    Two queries."""
    attended = attended_events(person)
    return {"template": "events/_person_panel.html", "events": list(attended[:20]), "count": attended.count()}


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
    labels = {value: str(label) for value, label in Event._meta.get_field("type").choices}
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


# --- The year's close (assessment, the year-end summary) --------------------------------------


def _attendance(event_row: dict) -> int:
    """The recorded attendance number, else the members checked in."""
    if event_row["attendance_count"] is not None:
        return event_row["attendance_count"]
    return event_row["checked_in"]


def year_held_events(organisation, year: int, department_id: int | None = None) -> list[dict]:
    """Events of `year` that were held (optionally only those the department organised), by date:
    [{"id", "title", "type_label", "starts_at", "place", "department", "attendance", "target_ids"}].
    Two queries."""
    events = Event.objects.for_org(organisation).in_year(year).held()
    if department_id is not None:
        events = events.filter(department_id=department_id)
    rows = list(
        events.annotate(checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)))
        .order_by("starts_at", "id")
        .values("id", "title", "type", "starts_at", "place", "department__name", "attendance_count", "checked_in")
    )
    targets = defaultdict(list)
    for event_id, target_id in Event.targets.through.objects.filter(event_id__in=[r["id"] for r in rows]).values_list(
        "event_id", "target_id"
    ):
        targets[event_id].append(target_id)
    labels = {value: str(label) for value, label in EventType.choices}
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "type_label": labels.get(r["type"], r["type"]),
            "starts_at": r["starts_at"],
            "place": r["place"],
            "department": r["department__name"] or "",
            "attendance": _attendance(r),
            "target_ids": targets[r["id"]],
        }
        for r in rows
    ]


def year_events_by_month(organisation, year: int) -> list[tuple[int, int, int]]:
    """(month, events planned or held that month, of them held) for months 1-12 of `year`, not
    counting cancelled events. Counted in the database by month boundaries in the current time
    zone (a year of a large college is thousands of events), cached under the organisation's data
    version (core.figures_cache): no query when nothing changed, one otherwise."""
    parts = (year, timezone.get_current_timezone_name())
    return org_cached("events.by_month", organisation, parts, lambda: _year_events_by_month(organisation, year))


def _year_events_by_month(organisation, year: int) -> list[tuple[int, int, int]]:
    starts = [timezone.make_aware(datetime(year + m // 12, m % 12 + 1, 1)) for m in range(13)]
    events = Event.objects.for_org(organisation).in_year(year).exclude(status=Event.Status.CANCELLED).order_by()
    counts = {}
    for m in range(1, 13):
        month = Q(starts_at__gte=starts[m - 1], starts_at__lt=starts[m])
        counts[f"n{m}"] = Count("id", filter=month)
        counts[f"h{m}"] = Count("id", filter=month & Q(held_at__isnull=False))
    found = events.aggregate(**counts)
    return [(m, found[f"n{m}"], found[f"h{m}"]) for m in range(1, 13)]


def year_department_participation(organisation, year: int, department_id: int) -> dict:
    """Registry people of the department and how many of them attended (checked in at) at least
    one event held in `year`: {"people": n, "attended": n, "names": [attendee names]}. Two queries."""
    from people.models import Person

    people = Person.objects.for_org(organisation).filter(department_id=department_id).count()
    names = list(
        Registration.objects.filter(
            event__organisation=organisation,
            event__starts_at__year=year,
            event__held_at__isnull=False,
            checked_in_at__isnull=False,
            person__department_id=department_id,
        )
        .values_list("person__name", flat=True)
        .distinct()
        .order_by("person__name")
    )
    return {"people": people, "attended": len(names), "names": names}


def event_label(event_id: int) -> str:
    """The title and date of an event, for links from other modules ("" if it is gone)."""
    row = Event.objects.filter(pk=event_id).values("title", "starts_at").first()
    if row is None:
        return ""
    start = row["starts_at"]
    return gettext("%(title)s（%(date)s）") % {"title": row["title"], "date": date_format(start, gettext("Y年n月j日"))}


def events_of_year(organisation, year: int) -> QuerySet:
    """The organisation's events starting in `year`, by start (a choice list, e.g. an expense's event)."""
    return Event.objects.for_org(organisation).filter(starts_at__year=year).order_by("starts_at")
