"""Event services: every status change of an event or a registration goes through here.

Registration is serialised per event: the event row is locked (`select_for_update()` on
PostgreSQL; on SQLite every transaction starts IMMEDIATE, so writers queue) and places are
counted inside the transaction, so 50 people registering at once for 20 places leave exactly
20 registered and 30 waiting.

The reads other modules use (`attended_events`, `event_figures`, ...) are in `events.queries`."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from core import audit
from core.concurrency import StaleEdit, bump_version, update_if_unchanged  # noqa: F401  (StaleEdit: views catch services.StaleEdit)
from core.exceptions import NotAllowed
from core.figures_cache import bump
from events.models import (
    CalendarFeed,
    Event,
    EventCategory,
    EventFeedback,
    EventPhoto,
    ExternalRegistration,
    Invitation,
    Registration,
)
from events.queries import attended_events, event_figures  # noqa: F401  (moved; old callers use services.*)
from integrations import services as webhooks
from integrations.models import EventType
from notifications.services import announce, notify
from people.models import Person
from people.queries import group_members
from plans import services as plan_services

EVENT_FIELDS = [
    "title",
    "type",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "department",
    "description",
    "agenda",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "public_signup",
    "external_places",
]
REMINDER_HOURS = 25


class RegistrationRefused(NotAllowed):
    """A registration was refused: window closed, twice, not invited, full (public link)."""


def _when(value) -> str:
    local = timezone.localtime(value)
    return date_format(local, gettext("Y年n月j日 H:i"))


def _member_url(event: Event) -> str:
    return reverse("events:m-detail", args=[event.pk])


def _snapshot(event: Event) -> dict:
    values = audit.snapshot(event, EVENT_FIELDS)
    values["categories"] = "、".join(sorted(event.audience_categories))
    values["targets"] = "、".join(str(pk) for pk in sorted(event.targets.values_list("pk", flat=True)))
    return values


def _lock(event: Event) -> Event:
    """The event row, locked until the transaction ends (PostgreSQL; SQLite serialises writers)."""
    return Event.objects.select_for_update().get(pk=event.pk)


# --- Planning ---------------------------------------------------------------------------------


def _set_links(event: Event, data: dict) -> None:
    if "audience_categories" in data:
        categories = list(dict.fromkeys(data["audience_categories"]))
        event.category_links.exclude(category__in=categories).delete()
        existing = set(event.category_links.values_list("category", flat=True))
        EventCategory.objects.bulk_create(
            [EventCategory(event=event, category=c) for c in categories if c not in existing]
        )
        bump(event.organisation_id)  # bulk_create sends no signal
    if "audience_groups" in data:
        event.audience_groups.set(data["audience_groups"])
    if "audience_people" in data:
        event.audience_people.set(data["audience_people"])


@transaction.atomic
def create_event(organisation, *, by, data: dict, request=None) -> Event:
    """A draft event with its audience and plan-target links. Audits."""
    event = Event.objects.create(
        organisation=organisation, created_by=by, **{f: data[f] for f in EVENT_FIELDS if f in data}
    )
    _set_links(event, data)
    if "targets" in data:
        event.targets.set(data["targets"])
    audit.log("create", event, by=by, request=request, changes=audit.diff({}, _snapshot(event)))
    return event


@transaction.atomic
def update_event(event: Event, *, by, data: dict, version: int, request=None) -> Event:
    """Saves the edit only if nobody saved since `version` was read (else StaleEdit). A held
    event's plan counts follow its target links; a larger capacity promotes the waiting list."""
    before = _snapshot(event)
    update_if_unchanged(
        Event, event.pk, version, updated_at=timezone.now(), **{f: data[f] for f in EVENT_FIELDS if f in data}
    )
    event = _lock(event)
    _set_links(event, data)
    if "targets" in data:
        old = set(event.targets.all())
        new = set(data["targets"])
        event.targets.set(new)
        if event.is_held:
            for target in old - new:
                plan_services.withdraw_achievement(target, source=event, by=by)
            for target in new - old:
                plan_services.record_achievement(target, source=event, by=by, label=event.title)
    promoted = _promote_waiting(event) if event.status == Event.Status.PUBLISHED else []
    changes = audit.diff(before, _snapshot(event)) | ({"promoted": ["", str(len(promoted))]} if promoted else {})
    audit.log("update", event, by=by, request=request, changes=changes)
    return event


def audience(event: Event) -> QuerySet:
    """The people the event's audience names: named people, whole categories and the members
    of the chosen groups (read through `people.queries.group_members`)."""
    condition = Q(pk__in=event.audience_people.values("pk"))
    categories = event.audience_categories
    if categories:
        condition |= Q(category_links__category__in=categories)
    for group in event.audience_groups.all():
        condition |= Q(pk__in=group_members(group).values("pk"))
    return Person.objects.for_org(event.organisation).filter(condition).distinct()


@transaction.atomic
def send_invitations(event: Event, *, by=None, request=None) -> int:
    """Invites everyone of the audience not invited yet: an Invitation row each (the audience
    snapshot that decides who may register) and, for those with an account, an in-app
    notification and an e-mail after commit. Returns the number newly invited."""
    if event.status != Event.Status.PUBLISHED:
        raise NotAllowed(gettext("活动发布后才能发送邀请。"))
    people = list(audience(event).exclude(event_invitations__event=event).select_related("user"))
    Invitation.objects.bulk_create([Invitation(event=event, person=p) for p in people], ignore_conflicts=True)
    bump(event.organisation_id)  # bulk_create sends no signal
    place = event.place or (gettext("线上") if event.online_link else "")
    notify(
        [p.user for p in people if p.user_id],
        organisation=event.organisation,
        title=gettext("活动邀请：%(title)s") % {"title": event.title},
        body=gettext("时间：%(when)s\n地点：%(place)s\n请在手机上报名或告知不参加。")
        % {"when": _when(event.starts_at), "place": place},
        url=_member_url(event),
        email=True,
    )
    if people:
        audit.log("update", event, by=by, request=request, changes={"invited": ["", str(len(people))]})
    return len(people)


@transaction.atomic
def publish_event(event: Event, *, by, request=None) -> int:
    """Draft → published; sends the invitations. Returns the number invited."""
    if _lock(event).status != Event.Status.DRAFT:
        raise NotAllowed(gettext("只有草稿状态的活动可以发布。"))
    bump_version(Event, event.pk, status=Event.Status.PUBLISHED)
    event.status = Event.Status.PUBLISHED
    event.version += 1
    audit.log("update", event, by=by, request=request, changes={"status": ["草稿", "已发布"]})
    context = {
        "title": event.title,
        "date": _when(event.starts_at),
        "place": event.place or gettext("线上"),
        "url": _member_url(event),
    }
    transaction.on_commit(lambda: announce(event.organisation, key="event.published", context=context))
    return send_invitations(event, by=by, request=request)


def _people_to_tell(event: Event) -> list:
    regs = event.registrations.filter(status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING])
    return [r.person.user for r in regs.select_related("person__user") if r.person.user_id]


@transaction.atomic
def cancel_event(event: Event, *, by, reason: str = "", request=None) -> Event:
    """Published/draft → cancelled. Withdraws the event from every plan target; tells the
    registered and waiting people."""
    event = _lock(event)
    if event.status == Event.Status.CANCELLED:
        raise NotAllowed(gettext("该活动已取消。"))
    before = event.get_status_display()
    if event.status == Event.Status.PUBLISHED and not event.has_ended:
        notify(
            _people_to_tell(event),
            organisation=event.organisation,
            title=gettext("活动取消：%(title)s") % {"title": event.title},
            body=gettext("原定于 %(when)s 举行的活动已取消。") % {"when": _when(event.starts_at)} + reason,
            url=_member_url(event),
            email=True,
        )
    plan_services.withdraw_all_achievements(event, by=by)
    bump_version(Event, event.pk, status=Event.Status.CANCELLED, held_at=None, cancel_reason=reason[:200])
    event.refresh_from_db()
    audit.log("update", event, by=by, request=request, changes={"status": [before, "已取消"], "reason": ["", reason]})
    return event


@transaction.atomic
def delete_event(event: Event, *, by, request=None) -> None:
    """Deletes the event, its registrations and photos; withdraws it from the plan targets;
    tells registered people if it was still to come."""
    event = _lock(event)
    if event.status == Event.Status.PUBLISHED and not event.has_started:
        notify(
            _people_to_tell(event),
            organisation=event.organisation,
            title=gettext("活动取消：%(title)s") % {"title": event.title},
            body=gettext("原定于 %(when)s 举行的活动已取消。") % {"when": _when(event.starts_at)},
            email=True,
        )
    plan_services.withdraw_all_achievements(event, by=by)
    files = [p.image for p in event.photos.all()]
    audit.log("delete", event, by=by, request=request)
    event.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


# --- Registration -----------------------------------------------------------------------------


def places_taken(event: Event) -> int:
    return event.registrations.active().count() + event.external_registrations.count()


def _has_place(event: Event) -> bool:
    return event.capacity is None or places_taken(event) < event.capacity


def _promote_waiting(event: Event) -> list[Registration]:
    """Moves the waiting list up while places are free (the event row must be locked); tells
    each promoted person. Nobody is promoted once the event has started."""
    promoted = []
    if event.has_started:
        return promoted
    while _has_place(event):
        first = event.registrations.waiting().select_related("person__user").first()
        if first is None:
            break
        first.status = Registration.Status.REGISTERED
        first.save(update_fields=["status", "updated_at"])
        promoted.append(first)
        notify(
            [first.person.user],
            organisation=event.organisation,
            title=gettext("您已由候补转为正式报名"),
            body=gettext("“%(title)s”有名额空出，您已由候补转为正式报名。时间：%(when)s。")
            % {"title": event.title, "when": _when(event.starts_at)},
            url=_member_url(event),
            email=True,
        )
    return promoted


@transaction.atomic
def register(event: Event, *, person: Person, by=None, request=None) -> Registration:
    """Registers `person` (REGISTERED while places are free, else WAITING, in arrival order).
    Refused, with the reason, for another organisation's event, outside the registration
    window, when not invited, or when already registered. Audits."""
    if person.organisation_id != event.organisation_id:
        raise RegistrationRefused(gettext("不能报名其他单位的活动。"))
    event = _lock(event)
    reason = event.registration_state()
    if reason:
        raise RegistrationRefused(reason)
    if not Invitation.objects.filter(event=event, person=person).exists():
        raise RegistrationRefused(gettext("您不在该活动的邀请范围内，如需参加请联系统战部。"))
    registration = Registration.objects.filter(event=event, person=person).first()
    if registration is not None and registration.status == Registration.Status.REGISTERED:
        raise RegistrationRefused(gettext("您已报名该活动，无需重复报名。"))
    if registration is not None and registration.status == Registration.Status.WAITING:
        raise RegistrationRefused(gettext("您已在候补名单中，有名额空出时会自动转为正式报名。"))
    status = Registration.Status.REGISTERED if _has_place(event) else Registration.Status.WAITING
    if registration is None:
        registration = Registration.objects.create(event=event, person=person, status=status)
    else:
        registration.status = status
        registration.created_at = timezone.now()
        registration.checked_in_at = None
        registration.outcome = Registration.Outcome.PENDING
        registration.reminded_at = None
        registration.save()
    changes = {"event": ["", str(event)], "status": ["", registration.get_status_display()]}
    audit.log("create", registration, by=by, request=request, changes=changes)
    return registration


@transaction.atomic
def cancel_registration(registration: Registration, *, by, request=None) -> list[Registration]:
    """REGISTERED/WAITING → CANCELLED before the event starts; a freed place promotes the first
    on the waiting list (who is told). Returns the promoted registrations."""
    event = _lock(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status not in (Registration.Status.REGISTERED, Registration.Status.WAITING):
        raise NotAllowed(gettext("没有可取消的报名。"))
    if event.has_started:
        raise NotAllowed(gettext("活动已开始，不能再取消报名。"))
    before = registration.get_status_display()
    was_registered = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    promoted = _promote_waiting(event) if was_registered else []
    changes = {"status": [before, "已取消"]} | ({"promoted": ["", str(promoted[0].person)]} if promoted else {})
    audit.log("update", registration, by=by, request=request, changes=changes)
    return promoted


@transaction.atomic
def decline(event: Event, *, person: Person, by=None, request=None) -> Registration:
    """Records that an invited person will not attend (不参加). A current registration must be
    cancelled first."""
    event = _lock(event)
    if person.organisation_id != event.organisation_id or event.status != Event.Status.PUBLISHED:
        raise NotAllowed(gettext("该活动不接受回复。"))
    registration = Registration.objects.filter(event=event, person=person).first()
    if registration is not None and registration.status in (
        Registration.Status.REGISTERED,
        Registration.Status.WAITING,
    ):
        raise NotAllowed(gettext("您已报名，如不能参加请先取消报名。"))
    if registration is None:
        registration = Registration.objects.create(event=event, person=person, status=Registration.Status.DECLINED)
    else:
        registration.status = Registration.Status.DECLINED
        registration.save(update_fields=["status", "updated_at"])
    audit.log("update", registration, by=by, request=request, changes={"status": ["", "不参加"]})
    return registration


@transaction.atomic
def register_external(event: Event, *, name: str, unit: str, request=None) -> ExternalRegistration:
    """A sign-up through the public link (name and unit only). Takes a place; refused when the
    link is off, outside the window, full, or the same name and unit signed up already."""
    event = _lock(event)
    if not event.public_signup:
        raise RegistrationRefused(gettext("该活动未开放公开报名。"))
    reason = event.registration_state()
    if reason:
        raise RegistrationRefused(reason)
    if event.external_registrations.filter(name=name, unit=unit).exists():
        raise RegistrationRefused(gettext("您已报名该活动，无需重复报名。"))
    if not _has_place(event):
        raise RegistrationRefused(gettext("名额已满，报名未成功。"))
    if event.external_registrations.count() >= event.external_places:
        raise RegistrationRefused(_("校外报名名额已满，报名未成功。"))
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = ExternalRegistration.objects.filter(created_at__gte=hour_ago)
    if recent.filter(event=event).count() >= settings.PUBLIC_SIGNUP_PER_EVENT_HOUR:
        raise RegistrationRefused(_("报名过于频繁，请稍后再试。"))
    ip = audit.client_ip(request)
    if ip and recent.filter(ip=ip).count() >= settings.PUBLIC_SIGNUP_PER_ADDRESS_HOUR:
        raise RegistrationRefused(_("同一网络地址报名次数过多，请一小时后再试。"))
    external = ExternalRegistration.objects.create(event=event, name=name, unit=unit, ip=ip)
    changes = {"event": ["", str(event)]}
    audit.log(
        "create", external, request=request, changes=changes, organisation=event.organisation, username="公开报名"
    )
    return external


@transaction.atomic
def remove_external(external: ExternalRegistration, *, by, request=None) -> list[Registration]:
    """UFD staff remove a sign-up made through the public link (e.g. a prank or a flood). The
    freed place goes to the first on the waiting list. Audits; returns who was promoted."""
    event = _lock(external.event)
    external.delete()
    promoted = _promote_waiting(event) if event.status == Event.Status.PUBLISHED else []
    changes = {"event": [str(event), ""], "external": [str(external), ""], "promoted": ["", str(len(promoted))]}
    audit.log("delete", ExternalRegistration, by=by, request=request, changes=changes, organisation=event.organisation)
    return promoted


# --- Check-in ---------------------------------------------------------------------------------


def _set_checked_in(registration: Registration, *, by, at) -> None:
    registration.checked_in_at = at
    registration.checked_in_by = by if at else None
    if registration.event.is_held:
        registration.outcome = Registration.Outcome.ATTENDED if at else Registration.Outcome.NO_SHOW
    registration.save(update_fields=["checked_in_at", "checked_in_by", "outcome", "updated_at"])


@transaction.atomic
def check_in(registration: Registration, *, by, request=None) -> Registration:
    """Staff check a registered person in (from the attendance list). Idempotent. Audits."""
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if registration.status != Registration.Status.REGISTERED:
        raise NotAllowed(gettext("只有已报名的人员可以签到。"))
    if registration.event.status != Event.Status.PUBLISHED:
        raise NotAllowed(gettext("该活动不在进行中。"))
    if registration.checked_in_at is None:
        _set_checked_in(registration, by=by, at=timezone.now())
        audit.log("update", registration, by=by, request=request, changes={"checked_in": ["", "已签到"]})
    return registration


@transaction.atomic
def undo_check_in(registration: Registration, *, by, request=None) -> Registration:
    """Staff take a check-in back (a mistaken tap). Audits."""
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if registration.checked_in_at is not None:
        _set_checked_in(registration, by=by, at=None)
        audit.log("update", registration, by=by, request=request, changes={"checked_in": ["已签到", ""]})
    return registration


@transaction.atomic
def check_in_by_qr(event: Event, *, person: Person, by, request=None) -> tuple[Registration, str]:
    """A member scanned the event's QR code (the view has verified the secret token).

    Registered → checked in. Not registered (or waiting) but invited and a place is free →
    registered and checked in on the spot (现场报名). Otherwise refused. Check-in is open from two
    hours before the start to the end of the event's last day. Returns (registration, message)."""
    event = _lock(event)
    if person.organisation_id != event.organisation_id:
        raise NotAllowed(gettext("不能签到其他单位的活动。"))
    if not event.checkin_open():
        raise NotAllowed(gettext("现在不在签到时间内（活动开始前2小时起至活动当天结束）。"))
    registration = Registration.objects.filter(event=event, person=person).select_related("event").first()
    if registration is not None and registration.checked_in_at is not None:
        return registration, gettext("您已签到，无需重复签到。")
    message = gettext("签到成功。")
    if registration is None or registration.status != Registration.Status.REGISTERED:
        invited = Invitation.objects.filter(event=event, person=person).exists()
        if not invited:
            raise NotAllowed(gettext("您不在该活动的邀请范围内，请联系工作人员。"))
        if not _has_place(event):
            raise NotAllowed(gettext("您尚未获得正式名额，且名额已满，请联系现场工作人员。"))
        if registration is None:
            registration = Registration.objects.create(
                event=event, person=person, status=Registration.Status.REGISTERED
            )
        else:
            registration.status = Registration.Status.REGISTERED
            registration.save(update_fields=["status", "updated_at"])
        message = gettext("已现场报名并签到成功。")
    registration.event = event
    _set_checked_in(registration, by=by, at=timezone.now())
    audit.log("update", registration, by=by, request=request, changes={"checked_in": ["", "扫码签到"]})
    return registration, message


# --- After the event --------------------------------------------------------------------------


@transaction.atomic
def record_report(event: Event, *, by, minutes: str, attendance_count: int | None, version: int, request=None) -> Event:
    """Saves the minutes (纪要) and the attendance number (None: counted from check-ins). A held
    event keeps its minutes. Refuses a stale edit (StaleEdit). Audits."""
    if event.is_held and not minutes.strip():
        raise NotAllowed(gettext("已确认举办的活动必须保留会议纪要；如需删除，请先撤销“已举办”。"))
    before = {"minutes": f"{len(event.minutes)}字", "attendance_count": str(event.attendance_count or "")}
    update_if_unchanged(
        Event, event.pk, version, minutes=minutes, attendance_count=attendance_count, updated_at=timezone.now()
    )
    event.refresh_from_db()
    after = {"minutes": f"{len(event.minutes)}字", "attendance_count": str(event.attendance_count or "")}
    audit.log("update", event, by=by, request=request, changes=audit.diff(before, after))
    return event


@transaction.atomic
def add_photo(event: Event, *, by, upload, caption: str = "", request=None) -> EventPhoto:
    """Stores a photo (already checked as an image by the form). Audits."""
    photo = EventPhoto.objects.create(event=event, image=upload, caption=caption[:200], uploaded_by=by)
    audit.log("create", photo, by=by, request=request)
    return photo


@transaction.atomic
def delete_photo(photo: EventPhoto, *, by, request=None) -> None:
    audit.log("delete", photo, by=by, request=request)
    image = photo.image
    photo.delete()
    transaction.on_commit(lambda: image.delete(save=False))


@transaction.atomic
def add_feedback(event: Event, *, by, text: str, raised_by: str = "", request=None) -> EventFeedback:
    feedback = EventFeedback.objects.create(event=event, text=text, raised_by=raised_by, created_by=by)
    audit.log("create", feedback, by=by, request=request)
    return feedback


@transaction.atomic
def delete_feedback(feedback: EventFeedback, *, by, request=None) -> None:
    if feedback.suggestion_ref:
        raise NotAllowed(gettext("该意见已转为建言，不能删除。"))
    audit.log("delete", feedback, by=by, request=request)
    feedback.delete()


@transaction.atomic
def mark_held(event: Event, *, by, request=None) -> Event:
    """Published → held, once the end time has passed and the minutes are recorded. Each
    registration ends as attended (checked in) or no-show; every linked plan target counts the
    event (plans recomputes the item's progress and status). Audits."""
    locked = _lock(event)
    event.version, event.minutes, event.held_at = locked.version, locked.minutes, locked.held_at
    if locked.status != Event.Status.PUBLISHED:
        raise NotAllowed(gettext("只有已发布的活动可以确认举办。"))
    if event.is_held:
        raise NotAllowed(gettext("该活动已确认举办。"))
    if not event.has_ended:
        raise NotAllowed(gettext("活动结束后才能确认举办。"))
    if not event.minutes.strip():
        raise NotAllowed(gettext("请先录入会议纪要，再确认举办。"))
    now = timezone.now()
    bump_version(Event, event.pk, held_at=now)
    event.held_at = now
    event.version += 1
    active = event.registrations.active()
    active.filter(checked_in_at__isnull=False).update(outcome=Registration.Outcome.ATTENDED)
    active.filter(checked_in_at__isnull=True).update(outcome=Registration.Outcome.NO_SHOW)
    for target in event.targets.select_related("item"):
        plan_services.record_achievement(target, source=event, by=by, label=event.title)
    audit.log("update", event, by=by, request=request, changes={"held": ["", "已举办"]})
    webhooks.emit(
        event.organisation_id,
        EventType.EVENT_HELD,
        {"event_id": event.pk, "title": event.title, "held_at": now.isoformat()},
    )
    return event


@transaction.atomic
def unmark_held(event: Event, *, by, request=None) -> Event:
    """Held → not held (a mistake): the plan targets take the count back. Audits."""
    locked = _lock(event)
    if not locked.is_held:
        raise NotAllowed(gettext("该活动尚未确认举办。"))
    bump_version(Event, event.pk, held_at=None)
    event.held_at = None
    event.version = locked.version + 1
    event.registrations.update(outcome=Registration.Outcome.PENDING)
    plan_services.withdraw_all_achievements(event, by=by)
    audit.log("update", event, by=by, request=request, changes={"held": ["已举办", ""]})
    return event


# --- Reminders and calendar -------------------------------------------------------------------


def send_reminders(*, now=None) -> int:
    """Reminds registered people of published events starting within the next 25 hours (run
    hourly, so each reminder goes out about a day ahead; a missed run is caught by the next).
    Each registration is reminded once (`reminded_at`). Returns the number reminded."""
    now = now or timezone.now()
    due = (
        Registration.objects.active()
        .filter(
            reminded_at__isnull=True,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + timedelta(hours=REMINDER_HOURS),
        )
        .select_related("event__organisation", "person__user")
    )
    count = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            event = registration.event
            notify(
                [registration.person.user],
                organisation=event.organisation,
                title=gettext("活动提醒：%(title)s") % {"title": event.title},
                body=gettext("您报名的活动将于 %(when)s 开始，地点：%(place)s。")
                % {"when": _when(event.starts_at), "place": event.place or gettext("线上")},
                url=_member_url(event),
                email=True,
            )
            count += 1
    return count


def calendar_feed_for(person: Person) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(person=person)
    return feed


@transaction.atomic
def reset_calendar_feed(person: Person, *, by, request=None) -> CalendarFeed:
    """A new secret feed address; the old one stops working. Audits."""
    CalendarFeed.objects.filter(person=person).delete()
    feed = CalendarFeed.objects.create(person=person)
    audit.log("update", feed, by=by, request=request, organisation=person.organisation)
    return feed


# attended_events and event_figures moved to events.queries (re-exported above for old callers).


def counted_attendance(event: Event) -> int:
    """Members checked in (the default attendance number)."""
    return event.registrations.filter(checked_in_at__isnull=False).count()
