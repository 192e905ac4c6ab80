"""Events (活动与会议): symposiums, study sessions, trainings, research trips, visits.

An event is planned (draft), published (invitations go to its audience), held (minutes recorded
after the end: it then counts towards the plan targets it is linked to) or cancelled.
Every status change goes through `events.services`."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import choice_label
from orgs.models import OrgScopedModel, OrgScopedQuerySet
from people.models import Category


def new_token() -> str:
    return secrets.token_urlsafe(18)


class EventType(models.TextChoices):
    SYMPOSIUM = "symposium", _("座谈会")
    STUDY = "study", _("学习会/交流讨论会")
    THEME_EDUCATION = "theme_education", _("主题教育")
    TRAINING = "training", _("培训")
    RESEARCH = "research", _("调研")
    VISIT = "visit", _("参观")
    LECTURE = "lecture", _("报告/讲座")
    CULTURE = "culture", _("文体活动")
    OTHER = "other", _("其他")


class EventQuerySet(OrgScopedQuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def in_year(self, year: int):
        return self.filter(starts_at__year=year)

    def held(self):
        return self.filter(status=Event.Status.PUBLISHED, held_at__isnull=False)

    def invited(self, person):
        """Published events whose audience includes `person` (or that `person` registered for)."""
        return self.published().filter(Q(invitations__person=person) | Q(registrations__person=person)).distinct()


class Event(OrgScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("活动名称"), max_length=200)
    type = models.CharField(_("类型"), max_length=20, choices=EventType.choices, default=EventType.SYMPOSIUM)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online_link = models.URLField(_("线上会议链接"), blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("组织部门"),
        null=True,
        blank=True,
        related_name="events",
        on_delete=models.SET_NULL,
    )
    description = models.TextField(_("活动简介"), blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("留空表示不限"))
    registration_opens_at = models.DateTimeField(
        _("报名开始"), null=True, blank=True, help_text=_("留空：发布即可报名")
    )
    registration_closes_at = models.DateTimeField(
        _("报名截止"), null=True, blank=True, help_text=_("留空：活动开始前均可报名")
    )
    # Audience: whole categories, groups from the registry, named people. Invitations snapshot it.
    audience_groups = models.ManyToManyField("people.Group", verbose_name=_("邀请分组"), blank=True, related_name="+")
    audience_people = models.ManyToManyField("people.Person", verbose_name=_("邀请人员"), blank=True, related_name="+")
    public_signup = models.BooleanField(
        _("开放校外人员报名"), default=False, help_text=_("生成公开报名链接，只收集姓名和单位")
    )
    public_token = models.CharField(max_length=40, default=new_token, unique=True, editable=False)
    external_places = models.PositiveSmallIntegerField(
        "校外报名名额上限", default=10, help_text="公开链接最多可报名的人数（也占用总名额）"
    )
    checkin_token = models.CharField(max_length=40, default=new_token, editable=False)
    targets = models.ManyToManyField("plans.Target", verbose_name=_("计入的工作要点目标"), blank=True, related_name="+")
    # After the event.
    minutes = models.TextField(_("会议纪要"), blank=True)
    attendance_count = models.PositiveIntegerField(
        _("参加人数"), null=True, blank=True, help_text=_("留空按签到人数计；可加上未报名的来宾")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    held_at = models.DateTimeField(_("确认举办时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("活动")
        # The events list (newest first, 50 a page) reads this index in order and stops after the page.
        indexes = [
            models.Index(fields=["organisation", "-starts_at", "-id"], name="event_org_starts"),
            # The cached figures' version (core.figures_cache.data_version) reads only this index.
            models.Index(fields=["organisation", "updated_at"], name="event_org_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def status_label(self) -> str:
        if self.status == self.Status.PUBLISHED and self.held_at:
            return gettext("已举办")
        return choice_label(self, "status")

    @property
    def status_colour(self) -> str:
        if self.status == self.Status.CANCELLED:
            return "grey"
        if self.held_at:
            return "green"
        return "amber" if self.status == self.Status.DRAFT else "green"

    def registration_state(self, now=None) -> str:
        """ "" when registration is open now, else why not (in Chinese)."""
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return gettext("该活动已取消。") if self.status == self.Status.CANCELLED else gettext("该活动尚未发布。")
        if self.starts_at <= now:
            return gettext("活动已开始，报名已截止。")
        if self.registration_opens_at and now < self.registration_opens_at:
            return gettext("报名尚未开始（%(when)s 开始）。") % {
                "when": date_format(timezone.localtime(self.registration_opens_at), gettext("Y年n月j日 H:i"))
            }
        if self.registration_closes_at and now >= self.registration_closes_at:
            return gettext("报名已截止。")
        return ""

    def checkin_open(self, now=None) -> bool:
        """Check-in by QR opens two hours before the start and closes at the end of the day it ends."""
        now = now or timezone.now()
        end_of_day = timezone.localtime(self.ends_at).replace(hour=23, minute=59, second=59)
        return self.status == self.Status.PUBLISHED and self.starts_at - timedelta(hours=2) <= now <= end_of_day

    @property
    def audience_categories(self) -> list[str]:
        return [link.category for link in self.category_links.all()]

    @property
    def audience_category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [labels.get(c, c) for c in self.audience_categories]


class EventCategory(models.Model):
    """A whole category of the registry invited to an event."""

    event = models.ForeignKey(Event, related_name="category_links", on_delete=models.CASCADE)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "category"], name="event_category_unique")]

    def __str__(self) -> str:
        return self.get_category_display()


class Invitation(models.Model):
    """One person of the audience, invited (notified if they have an account) once."""

    event = models.ForeignKey(Event, related_name="invitations", on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", related_name="event_invitations", on_delete=models.CASCADE)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="invitation_unique")]

    def __str__(self) -> str:
        return f"{self.event} → {self.person}"


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Registration.Status.REGISTERED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "id")


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("已报名")
        WAITING = "waiting", _("候补")
        CANCELLED = "cancelled", _("已取消")
        DECLINED = "declined", _("不参加")

    class Outcome(models.TextChoices):
        PENDING = "", "—"
        ATTENDED = "attended", _("出席")
        NO_SHOW = "no_show", _("缺席")

    event = models.ForeignKey(Event, related_name="registrations", on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", related_name="event_registrations", on_delete=models.CASCADE)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, db_index=True)
    # Waiting-list order: the time of the latest (re-)registration.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("报名")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="registration_unique_person")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"

    @property
    def audit_organisation(self):
        return self.event.organisation

    @property
    def status_colour(self) -> str:
        return {"registered": "green", "waiting": "amber"}.get(self.status, "grey")


class ExternalRegistration(models.Model):
    """An external participant (校外人员) signed up through the public link: name and unit only."""

    event = models.ForeignKey(Event, related_name="external_registrations", on_delete=models.CASCADE)
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("单位"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    # The sign-up's client address, for the per-address rate limit only.
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("校外报名")

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


def photo_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"events/{instance.event.organisation_id}/{instance.event_id}/{secrets.token_hex(8)}.{suffix}"


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, related_name="photos", on_delete=models.CASCADE)
    image = models.FileField(upload_to=photo_path, max_length=300)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("活动照片")

    def __str__(self) -> str:
        return self.caption or gettext("照片 %(number)s") % {"number": self.pk}

    @property
    def audit_organisation(self):
        return self.event.organisation


class EventFeedback(models.Model):
    """Feedback raised at the event (意见建议). `suggestion_ref` holds the id of the suggestion a line
    became; a line with one is kept (it cannot be deleted)."""

    event = models.ForeignKey(Event, related_name="feedback", on_delete=models.CASCADE)
    text = models.TextField(_("意见建议"))
    raised_by = models.CharField(_("提出人"), max_length=100, blank=True)
    suggestion_ref = models.PositiveBigIntegerField(_("转为建言编号"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("活动意见建议")

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def audit_organisation(self):
        return self.event.organisation


class CalendarFeed(models.Model):
    """The secret address of a member's personal iCal feed; reset makes a new token."""

    person = models.OneToOneField("people.Person", related_name="calendar_feed", on_delete=models.CASCADE)
    token = models.CharField(max_length=40, default=new_token, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("个人日历订阅")

    def __str__(self) -> str:
        return gettext("%(person)s 日历") % {"person": self.person}
