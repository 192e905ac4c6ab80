"""Event exports: the sign-in sheet (签到表), the attendance list, and iCalendar (RFC 5545).

Row generators yield the header first; `core.exports` writes them to .xlsx/.docx. iCalendar is
written by hand: CRLF line ends, TEXT escaping of backslash, semicolon, comma and newlines,
lines folded at 75 octets (never inside a UTF-8 character), times in UTC with a trailing Z."""

from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration


def _unit(person) -> str:
    return person.department.name if person.department_id else ""


def signin_rows(event: Event, registrations, externals):
    """序号, 姓名, 单位/部门, 签名 (left blank for the pen): registered members, then external
    participants."""
    yield ["序号", "姓名", "单位/部门", "签名"]
    number = 0
    for registration in registrations:
        number += 1
        yield [number, registration.person.name, _unit(registration.person), ""]
    for external in externals:
        number += 1
        yield [number, external.name, external.unit, ""]


def attendance_rows(event: Event, registrations, externals):
    yield ["序号", "姓名", "单位/部门", "报名状态", "签到时间", "结果"]
    number = 0
    for registration in registrations:
        number += 1
        checked = timezone.localtime(registration.checked_in_at) if registration.checked_in_at else ""
        outcome = registration.get_outcome_display() if registration.outcome else ("已签到" if checked else "")
        yield [
            number,
            registration.person.name,
            _unit(registration.person),
            registration.get_status_display(),
            checked,
            outcome,
        ]
    for external in externals:
        number += 1
        yield [number, external.name, external.unit, "校外报名", "", ""]


# --- iCalendar ----------------------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped, newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Folds a content line into chunks of at most 75 octets, continuation lines starting with
    one space, never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines carry the leading space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def ics_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, *, status: str = "CONFIRMED", now: datetime) -> list[str]:
    host = settings.TONGXIN_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "tongxin"
    description = "\n\n".join(p for p in (event.description, event.agenda and f"议程：\n{event.agenda}") if p)
    location = event.place or event.online_link
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{ics_time(now)}",
        f"DTSTART:{ics_time(event.starts_at)}",
        f"DTEND:{ics_time(event.ends_at)}",
        f"SUMMARY:{ics_escape(event.title)}",
        f"STATUS:{'CANCELLED' if event.status == Event.Status.CANCELLED else status}",
        f"CATEGORIES:{ics_escape(event.get_type_display())}",
        f"URL:{settings.TONGXIN_BASE_URL}{reverse('events:m-detail', args=[event.pk])}",
    ]
    if location:
        lines.append(f"LOCATION:{ics_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{ics_escape(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(entries: list[tuple[Event, str]], *, name: str) -> str:
    """A VCALENDAR with one VEVENT per (event, status) pair; returns the text with CRLF ends."""
    now = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tongxin//Events//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
    ]
    for event, status in entries:
        lines.extend(_event_lines(event, status=status, now=now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def event_ics(event: Event) -> str:
    return calendar([(event, "CONFIRMED")], name=event.title)


def feed_ics(registrations, *, name: str) -> str:
    """A member's feed: registered events CONFIRMED, waiting-list places TENTATIVE."""
    entries = [
        (r.event, "CONFIRMED" if r.status == Registration.Status.REGISTERED else "TENTATIVE") for r in registrations
    ]
    return calendar(entries, name=name)
