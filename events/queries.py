"""Reads of the events ledger for other modules and home pages, each bounded in queries and
returning plain data."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from events.models import Event, EventType, Registration

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
    labels = dict(EventType.choices)
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
    counting cancelled events. One query."""
    counts = {m: [0, 0] for m in range(1, 13)}
    events = Event.objects.for_org(organisation).in_year(year).exclude(status=Event.Status.CANCELLED)
    for starts_at, held_at in events.values_list("starts_at", "held_at"):
        month = timezone.localtime(starts_at).month
        counts[month][0] += 1
        counts[month][1] += 1 if held_at else 0
    return [(m, c[0], c[1]) for m, c in counts.items()]


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
    return f"{row['title']}（{start.year}年{start.month}月{start.day}日）"
