"""Notifications: in-app always; e-mail, WeCom and DingTalk per the user's preferences; group
announcements to the organisation's robots. Everything sent outside the app is a `Delivery` row
(the log UFD staff read), sent after commit through huey and retried with backoff.

Functions other apps call (documented, stable):
- `notify(users, *, organisation, title, body="", url="", email=False, kind="general")`: one in-app
  notice per user. When `email` is true the notice also goes out on the channels each user chose
  for `kind` (e-mail by default; WeCom/DingTalk by @mention through a robot marked for personal
  notices), deferred to the end of the user's quiet hours, and by e-mail only in the daily digest
  for users who chose it.
- `notify_departments(departments, *, organisation, title, body="", url="")`: `notify` with e-mail
  to the liaisons of the departments (plans and proposals tell the handling departments this way).
- `announce(organisation, *, key, context)`: a group announcement (`TemplateKey`: a new event, a
  study push, a deadline) to every active robot of the organisation marked for announcements.
  Call it after commit. `context` holds the template's placeholders (title, date, url…).
"""

import logging
import operator
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from notifications import messages, robots
from notifications.models import (
    PERSONAL_CHANNELS,
    Channel,
    Delivery,
    Kind,
    MessageTemplate,
    NoticeSettings,
    Notification,
    Preference,
    Robot,
    TemplateKey,
)

log = logging.getLogger(__name__)

DUE_BATCH = 200


def _absolute(url: str) -> str:
    return f"{settings.TONGXIN_BASE_URL}{url}" if url.startswith("/") else url


# --- Preferences ---------------------------------------------------------------------------


def preferences_for(user) -> dict:
    """{kind: {channel: bool}} with the defaults filled in."""
    rows = {p.kind: p for p in Preference.objects.filter(user=user)}
    table = {}
    for kind in Kind:
        row = rows.get(kind)
        table[kind] = {c: (getattr(row, c) if row else Preference.DEFAULTS[c]) for c in PERSONAL_CHANNELS}
    return table


def settings_for(user) -> NoticeSettings:
    return NoticeSettings.objects.filter(user=user).first() or NoticeSettings(user=user)


@transaction.atomic
def save_preferences(user, *, table: dict, quiet_start=None, quiet_end=None, daily_digest: bool = False) -> None:
    """Saves the kind × channel table, quiet hours and the digest choice. Audits."""
    for kind, channels in table.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={c: bool(v) for c, v in channels.items()})
    NoticeSettings.objects.update_or_create(
        user=user, defaults={"quiet_start": quiet_start, "quiet_end": quiet_end, "daily_digest": daily_digest}
    )
    membership = getattr(user, "membership", None)
    changes = {"quiet": ["", f"{quiet_start or ''}-{quiet_end or ''}"], "digest": ["", str(daily_digest)]}
    organisation = membership.organisation if membership else None
    audit.log("update", Preference, by=user, changes=changes, organisation=organisation)


def quiet_until(prefs: NoticeSettings, now: datetime) -> datetime | None:
    """The end of the user's quiet hours if `now` falls inside them, else None. A period may
    cross midnight (22:00–07:00)."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end))


# --- Templates ------------------------------------------------------------------------------


def ensure_templates(organisation) -> list[MessageTemplate]:
    """The organisation's templates, creating the missing ones from the defaults."""
    existing = {t.key for t in MessageTemplate.objects.filter(organisation=organisation)}
    MessageTemplate.objects.bulk_create(
        [
            MessageTemplate(organisation=organisation, key=k, text=messages.DEFAULTS[k])
            for k in TemplateKey
            if k not in existing
        ],
        ignore_conflicts=True,
    )
    return list(MessageTemplate.objects.filter(organisation=organisation))


def template_text(organisation, key: str) -> str:
    row = MessageTemplate.objects.filter(organisation=organisation, key=key).first()
    return row.text if row else messages.DEFAULTS[key]


@transaction.atomic
def save_template(template: MessageTemplate, *, by, text: str, request=None) -> MessageTemplate:
    """Saves a checked template text. Audits."""
    messages.check(text, template.key)
    before = template.text
    template.text = text
    template.updated_by = by
    template.save(update_fields=["text", "updated_by", "updated_at"])
    audit.log("update", template, by=by, request=request, changes={"text": [before, text]})
    return template


# --- Robots ---------------------------------------------------------------------------------

ROBOT_FIELDS = ["kind", "name", "url", "announcements", "personal", "active"]


@transaction.atomic
def save_robot(organisation, *, by, data: dict, robot: Robot | None = None, request=None) -> Robot:
    """Creates or updates a robot. The secret is kept when left blank on edit. Audits (the URL
    and secret are recorded only as changed, never in clear: they are credentials)."""
    created = robot is None
    robot = robot or Robot(organisation=organisation, created_by=by)
    before = audit.snapshot(robot, ["kind", "name", "announcements", "personal", "active"]) if not created else {}
    url_changed = robot.url != data["url"]
    for name in ROBOT_FIELDS:
        setattr(robot, name, data[name])
    if data.get("secret") or data.get("clear_secret"):
        robot.secret = "" if data.get("clear_secret") else data["secret"]
    robot.save()
    changes = audit.diff(before, audit.snapshot(robot, ["kind", "name", "announcements", "personal", "active"]))
    if url_changed:
        changes["url"] = ["", "（已更改）"]
    audit.log("create" if created else "update", robot, by=by, request=request, changes=changes)
    return robot


@transaction.atomic
def delete_robot(robot: Robot, *, by, request=None) -> None:
    audit.log("delete", robot, by=by, request=request)
    robot.delete()


# --- Sending --------------------------------------------------------------------------------


def _queue(deliveries: list[Delivery]) -> list[Delivery]:
    """Saves the deliveries (bulk_create sets their keys on PostgreSQL and SQLite ≥ 3.35); those
    due now are sent after commit through huey, the others by the periodic sender."""
    Delivery.objects.bulk_create(deliveries)
    now = timezone.now()
    due = [d.pk for d in deliveries if d.next_attempt_at <= now]
    if due:
        from notifications.tasks import send_deliveries

        transaction.on_commit(lambda: send_deliveries(due))
    return deliveries


# Who a user is in the registry, for @-mentions by phone: {user id: (name, phone)}. The registry
# (people, an app above this one) registers the lookup in its AppConfig.ready().
_phone_lookups = []


def register_phone_lookup(lookup) -> None:
    """`lookup(users) -> {user id: (name, phone)}`; called once per batch of notices."""
    _phone_lookups.append(lookup)


def _phones(users) -> dict:
    found: dict = {}
    for lookup in _phone_lookups:
        found.update(lookup(users))
    return found


def notify(
    users, *, organisation, title: str, body: str = "", url: str = "", email: bool = False, kind: str = Kind.GENERAL
) -> int:
    """Creates one in-app notification per user; with `email`, fans out to each user's chosen
    channels for `kind` (see the module docstring), sent after commit. Returns the user count."""
    users = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    kind = kind if kind in Kind.values else Kind.GENERAL
    Notification.objects.bulk_create(
        [
            Notification(user=u, organisation=organisation, kind=kind, title=title[:200], body=body, url=url)
            for u in users
        ]
    )
    if not email or not users:
        return len(users)
    now = timezone.now()
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=users, kind=kind)}
    quiet = {s.user_id: s for s in NoticeSettings.objects.filter(user__in=users)}
    robots_by_kind = {}
    for robot in Robot.objects.filter(organisation=organisation, active=True, personal=True).order_by("id"):
        robots_by_kind.setdefault(robot.kind, robot)
    phones = _phones(users) if robots_by_kind else {}
    personal_text = template_text(organisation, TemplateKey.PERSONAL) if robots_by_kind else ""
    text = body + (f"\n\n{_absolute(url)}" if url else "")
    deliveries = []
    for user in users:
        pref = prefs.get(user.pk)
        chosen = {c: (getattr(pref, c) if pref else Preference.DEFAULTS[c]) for c in PERSONAL_CHANNELS}
        settings_row = quiet.get(user.pk)
        when = (quiet_until(settings_row, now) if settings_row else None) or now
        if chosen[Channel.EMAIL] and user.email and not (settings_row and settings_row.daily_digest):
            deliveries.append(
                Delivery(
                    organisation=organisation,
                    channel=Channel.EMAIL,
                    user=user,
                    address=user.email,
                    subject=title[:200],
                    text=text,
                    next_attempt_at=when,
                )
            )
        for channel in (Channel.WECOM, Channel.DINGTALK):
            robot = robots_by_kind.get(channel)
            if not chosen[channel] or robot is None or user.pk not in phones:
                continue
            name, phone = phones[user.pk]
            message = messages.render(
                personal_text, {"name": name, "title": title, "url": _absolute(url), "org": organisation.name}
            )
            deliveries.append(
                Delivery(
                    organisation=organisation,
                    channel=channel,
                    robot=robot,
                    user=user,
                    address=robot.name,
                    subject=title[:200],
                    text=message,
                    mentions=[phone],
                    next_attempt_at=when,
                )
            )
    _queue(deliveries)
    return len(users)


def notify_departments(departments, *, organisation, title: str, body: str = "", url: str = "") -> int:
    """Tells the liaisons of `departments` (`Department.liaisons`, each user once, only those of
    `organisation`) in the app and on the channels they chose, as `notify(..., email=True)`.
    Returns how many users were told. One query for the liaisons."""
    departments = [d for d in departments if d is not None]
    if not departments:
        return 0
    liaisons = reduce(operator.or_, (d.liaisons for d in departments))
    return notify(
        liaisons.filter(membership__organisation=organisation).distinct(),
        organisation=organisation,
        title=title,
        body=body,
        url=url,
        email=True,
    )


def announce(organisation, *, key: str, context: dict) -> list[Delivery]:
    """Posts the organisation's `key` template, filled from `context`, to every active robot
    marked for announcements. Returns the deliveries (sent through huey)."""
    context = {**context, "url": _absolute(str(context.get("url", "")))}
    text = messages.render(template_text(organisation, key), {"org": organisation.name, **context})
    context_title = str(context.get("title", ""))[:200]
    now = timezone.now()
    deliveries = [
        Delivery(
            organisation=organisation,
            channel=robot.kind,
            robot=robot,
            address=robot.name,
            subject=context_title or TemplateKey(key).label,
            text=text,
            next_attempt_at=now,
        )
        for robot in Robot.objects.filter(organisation=organisation, active=True, announcements=True)
    ]
    with transaction.atomic():
        _queue(deliveries)
    return deliveries


def test_robot(robot: Robot, *, by, request=None) -> Delivery:
    """Queues a test message to one robot (from the robots page)."""
    delivery = Delivery(
        organisation=robot.organisation,
        channel=robot.kind,
        robot=robot,
        address=robot.name,
        subject=_("测试消息"),
        text=_("【同心】%(org)s：这是一条测试消息，收到即表示配置正确。") % {"org": robot.organisation.name},
        next_attempt_at=timezone.now(),
    )
    with transaction.atomic():
        _queue([delivery])
        audit.log("update", robot, by=by, request=request, changes={"test": ["", "发送测试消息"]})
    return delivery


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: 1, 2, 4, 8… minutes (base TONGXIN_DELIVERY_RETRY_SECONDS)."""
    return timedelta(seconds=settings.DELIVERY_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _send(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        send_mail(f"【同心】{delivery.subject}", delivery.text, None, [delivery.address])
        return
    robot = delivery.robot
    if robot is None or not robot.active:
        raise robots.DeliveryError("机器人已删除或停用")
    url, payload = robots.build_request(
        robot.kind,
        robot.url,
        secret=robot.secret,
        title=delivery.subject,
        text=delivery.text,
        mentions=delivery.mentions,
    )
    robots.post(url, payload, timeout=settings.WEBHOOK_TIMEOUT)


def send_delivery(pk: int, *, now=None) -> str:
    """One attempt at one delivery that is due. Claims the row first (a concurrent sender skips
    it), sends outside any transaction, then records sent / retrying (with backoff) / failed
    after `TONGXIN_DELIVERY_MAX_ATTEMPTS`. Returns the new status ('' when not claimed)."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=pk, status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING], next_attempt_at__lte=now
    ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return ""
    delivery = Delivery.objects.select_related("robot", "organisation").get(pk=pk)
    try:
        _send(delivery)
    except (robots.DeliveryError, OSError) as e:
        error = str(e)[:500] or e.__class__.__name__
        if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
            status, next_at = Delivery.Status.FAILED, delivery.next_attempt_at
            log.warning("delivery %s failed for good: %s", pk, error)
        else:
            status, next_at = Delivery.Status.RETRYING, now + backoff(delivery.attempts)
        Delivery.objects.filter(pk=pk).update(status=status, last_error=error, next_attempt_at=next_at)
        return status
    Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return Delivery.Status.SENT


def send_due(*, now=None) -> dict:
    """Sends every delivery due by `now` (first tries and retries), at most DUE_BATCH per run.
    Deliveries stuck in 'sending' for 10 minutes (a crashed worker) are tried again."""
    now = now or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, next_attempt_at__lt=now - timedelta(minutes=10)).update(
        status=Delivery.Status.RETRYING
    )
    due = list(
        Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    counts = {}
    for pk in due:
        status = send_delivery(pk, now=now)
        counts[status] = counts.get(status, 0) + 1
    return counts


@transaction.atomic
def retry_delivery(delivery: Delivery, *, by, request=None) -> Delivery:
    """A failed delivery is tried again now (from the delivery log). Audits."""
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    audit.log("update", delivery, by=by, request=request, changes={"status": ["失败", "重新发送"]})
    from notifications.tasks import send_deliveries

    transaction.on_commit(lambda: send_deliveries([delivery.pk]))
    return delivery


def send_digests(*, now=None) -> int:
    """One e-mail per user who chose the daily digest, listing their unread notices since the
    last digest (none: no mail). Returns the number of mails queued."""
    now = now or timezone.now()
    queued = 0
    for row in NoticeSettings.objects.filter(daily_digest=True, user__is_active=True).select_related(
        "user__membership__organisation"
    ):
        user = row.user
        membership = getattr(user, "membership", None)
        since = row.last_digest_at or now - timedelta(days=1)
        notes = list(Notification.objects.filter(user=user, created_at__gt=since, created_at__lte=now).unread()[:50])
        NoticeSettings.objects.filter(pk=row.pk).update(last_digest_at=now)
        if not notes or not user.email or membership is None:
            continue
        lines = [f"· {n.title}" + (f"  {_absolute(n.url)}" if n.url else "") for n in notes]
        text = (
            _("%(user)s，您有 %(count)s 条未读通知：") % {"user": user, "count": len(notes)} + "\n\n" + "\n".join(lines)
        )
        with transaction.atomic():
            _queue(
                [
                    Delivery(
                        organisation=membership.organisation,
                        channel=Channel.EMAIL,
                        user=user,
                        address=user.email,
                        subject=_("每日通知摘要（%(count)s 条）") % {"count": len(notes)},
                        text=text,
                        next_attempt_at=now,
                    )
                ]
            )
        queued += 1
    return queued


def mark_read(user, pk: int | None = None) -> int:
    notifications = Notification.objects.filter(user=user).unread()
    if pk is not None:
        notifications = notifications.filter(pk=pk)
    return notifications.update(read_at=timezone.now())
