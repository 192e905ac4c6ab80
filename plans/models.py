"""Plan (工作要点) → Section (部分) → Item (要点/任务), with counted targets, achievements,
progress reports (进展) with evidence, milestones and the item's timeline."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel, OrgScopedQuerySet

DUE_SOON_DAYS = 7
MILESTONE_SOON_DAYS = 3
QUIET_DAYS = 30


def source_text(label) -> str:
    """The Chinese source text of a (lazy) label, whatever the page's language: what imports match
    and what exports, history and audit records keep."""
    with translation.override(None):
        return str(label)


class Plan(OrgScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    preamble = models.TextField(_("指导思想"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("工作要点")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def label(self) -> str:
        """Year and title (and 草稿 for a draft): tells items of several plans apart in lists
        and pickers."""
        text = (
            self.title
            if str(self.year) in self.title
            else _("%(year)s年 %(title)s") % {"year": self.year, "title": self.title}
        )
        return text if self.is_published else _("%(text)s（草稿）") % {"text": text}


class Section(models.Model):
    plan = models.ForeignKey(Plan, related_name="sections", on_delete=models.CASCADE)
    marker = models.CharField(_("编号"), max_length=20, blank=True)
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=500)
    text = models.TextField(_("内容"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("部分")

    def __str__(self) -> str:
        return f"{self.marker}{self.title}"


class ItemQuerySet(OrgScopedQuerySet):
    org_lookup = "plan__organisation"

    # Each rule once, as a condition (`Item.objects.filter(ItemQuerySet.overdue_q(today))`, or a
    # `Count(..., filter=...)` that sizes several boards in one query) and as a method.
    @staticmethod
    def not_done_q() -> models.Q:
        """Neither accepted (销号) nor with all counted targets met: only these can be overdue."""
        return models.Q(accepted_at__isnull=True, targets_met=False)

    @classmethod
    def overdue_q(cls, today: date | None = None) -> models.Q:
        return cls.not_done_q() & models.Q(due_date__lt=today or timezone.localdate())

    @classmethod
    def due_soon_q(cls, today: date | None = None) -> models.Q:
        today = today or timezone.localdate()
        return cls.not_done_q() & models.Q(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))

    @classmethod
    def quiet_q(cls, now=None) -> models.Q:
        """Items not done with no progress report in the last 30 days."""
        cutoff = (now or timezone.now()) - timedelta(days=QUIET_DAYS)
        return cls.not_done_q() & (models.Q(last_report_at__isnull=True) | models.Q(last_report_at__lt=cutoff))

    def open(self):
        return self.filter(accepted_at__isnull=True)

    def not_done(self):
        return self.filter(self.not_done_q())

    def overdue(self, today: date | None = None):
        return self.filter(self.overdue_q(today))

    def due_soon(self, today: date | None = None):
        return self.filter(self.due_soon_q(today))

    def quiet(self, now=None):
        return self.filter(self.quiet_q(now))

    def for_department_ids(self, ids):
        """Items a department leads or supports (as a subquery, so it composes with prefetches)."""
        supported = Item.support_departments.through.objects.filter(department_id__in=ids).values("item_id")
        return self.filter(models.Q(lead_department_id__in=ids) | models.Q(pk__in=supported))

    def with_lists(self):
        from orgs.models import Department

        supports = Department.objects.order_by("itemsupport__order", "itemsupport__id")
        return self.select_related("section", "lead_department", "owner", "plan").prefetch_related(
            models.Prefetch("support_departments", queryset=supports), "targets", "milestones"
        )


class Item(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        OVERDUE = "overdue", _("逾期")

    class Light(models.TextChoices):
        GREEN = "green", _("正常")
        YELLOW = "yellow", _("临近期限")
        RED = "red", _("已逾期")

    plan = models.ForeignKey(Plan, related_name="items", on_delete=models.CASCADE)
    section = models.ForeignKey(Section, related_name="items", on_delete=models.CASCADE)
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.CASCADE)
    marker = models.CharField(_("编号"), max_length=20, blank=True)
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("任务"), max_length=500)
    text = models.TextField(_("具体内容"), blank=True)
    lead_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        related_name="led_items",
        on_delete=models.SET_NULL,
    )
    support_departments = models.ManyToManyField(
        "orgs.Department", verbose_name=_("配合部门"), blank=True, related_name="supported_items", through="ItemSupport"
    )
    # The responsible person: an account of the lead department's staff (linked to it).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        related_name="owned_items",
        on_delete=models.SET_NULL,
    )
    due_date = models.DateField(_("完成时限"))
    order = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    # Every counted target reached (kept by services.refresh_progress); such an item is done.
    targets_met = models.BooleanField(_("目标全部完成"), default=False)
    started = models.BooleanField(default=False)
    last_report_at = models.DateTimeField(null=True, blank=True)
    closing_requested_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("任务")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def audit_organisation(self):
        return self.plan.organisation

    # Status and traffic light are derived from what was recorded and today's date. The rule:
    # an item is done when its closing report is accepted (销号) or all its counted targets are
    # met; a done item is never overdue and never red.
    @property
    def is_done(self) -> bool:
        return bool(self.accepted_at or self.targets_met)

    def status_on(self, today: date) -> str:
        return item_status(
            today, self.accepted_at, self.targets_met, self.due_date, self.started, self.closing_requested_at
        )

    def light_on(self, today: date, milestones=None) -> str:
        """`milestones`: (due_date, done_at) pairs when the caller fetched them in bulk."""
        if self.is_done:
            return self.Light.GREEN
        if self.due_date < today:
            return self.Light.RED
        if milestones is None:
            milestones = [(m.due_date, m.done_at) for m in self.milestones.all()]
        open_milestones = [due for due, done in milestones if not done]
        if any(due < today for due in open_milestones):
            return self.Light.RED
        if (self.due_date - today).days <= DUE_SOON_DAYS:
            return self.Light.YELLOW
        if any((due - today).days <= MILESTONE_SOON_DAYS for due in open_milestones):
            return self.Light.YELLOW
        return self.Light.GREEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def light(self) -> str:
        return self.light_on(timezone.localdate())

    @property
    def light_label(self) -> str:
        return self.Light(self.light).label

    @cached_property
    def progress_text(self) -> str:
        """With counted targets: achieved / target and the percentage ("1/2（50%）"); else the
        percentage. List pages set it from targets fetched in bulk."""
        targets = list(self.targets.all())
        return progress_text(self.progress, [(t.achieved, t.count) for t in targets])

    @property
    def is_closing_pending(self) -> bool:
        return bool(self.closing_requested_at and not self.accepted_at)

    def departments(self):
        return [d for d in [self.lead_department, *self.support_departments.all()] if d]


# The item fields its status is derived from, in the order `item_status` takes them.
STATUS_INPUTS = ("accepted_at", "targets_met", "due_date", "started", "closing_requested_at")


def item_status(today: date, accepted_at, targets_met, due_date: date, started, closing_requested_at) -> str:
    """`Item.status_on` over an item's field values (`values_list(*STATUS_INPUTS)`), so a page
    that counts a thousand items by status needs no model instances."""
    if accepted_at or targets_met:
        return Item.Status.DONE
    if due_date < today:
        return Item.Status.OVERDUE
    if started or closing_requested_at:
        return Item.Status.IN_PROGRESS
    return Item.Status.NOT_STARTED


def progress_text(progress: int, targets: list[tuple[int, int]]) -> str:
    """`targets`: (achieved, count) pairs."""
    wanted = sum(count for _achieved, count in targets)
    if not wanted:
        return f"{progress}%"
    done = sum(min(achieved, count) for achieved, count in targets)
    return _("%(done)s/%(wanted)s（%(progress)s%%）") % {"done": done, "wanted": wanted, "progress": progress}


class ItemSupport(models.Model):
    """A support (配合) department of an item, in the order the plan lists them."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE)
    department = models.ForeignKey("orgs.Department", on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "department"], name="item_support_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.department_id}"


class Target(models.Model):
    """A counted target of an item ("召开1次座谈会": count 1), satisfied by achievements."""

    item = models.ForeignKey(Item, related_name="targets", on_delete=models.CASCADE)
    text = models.CharField(_("目标"), max_length=300)
    count = models.PositiveIntegerField(_("数量"), default=1)
    achieved = models.PositiveIntegerField(_("已完成"), default=0)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("量化目标")

    def __str__(self) -> str:
        return f"{self.text}（{self.achieved}/{self.count}）"

    @property
    def is_met(self) -> bool:
        return self.achieved >= self.count

    @property
    def picker_label(self) -> str:
        """The target as pickers (events, proposals) list it: plan, item, target and count.
        Select the item and its plan with it."""
        item = self.item
        return f"{item.plan.label} · {item.marker}{item.title[:40]} —— {self.text}（{self.achieved}/{self.count}）"


class Achievement(models.Model):
    """A record of any kind (an event held, a suggestion adopted...) counting towards a target."""

    target = models.ForeignKey(Target, related_name="achievements", on_delete=models.CASCADE)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    label = models.CharField(_("来源"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("目标完成记录")
        constraints = [
            models.UniqueConstraint(fields=["target", "source_type", "source_id"], name="achievement_unique_source")
        ]

    def __str__(self) -> str:
        return self.label


class Milestone(models.Model):
    item = models.ForeignKey(Item, related_name="milestones", on_delete=models.CASCADE)
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("节点时间"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("节点")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation(self):
        return self.item.plan.organisation


class ProgressReport(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("进展报告")
        CLOSING = "closing", _("办结报告")

    item = models.ForeignKey(Item, related_name="reports", on_delete=models.CASCADE)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PROGRESS)
    department = models.ForeignKey("orgs.Department", null=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("进展")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


def evidence_path(instance, filename):
    return f"evidence/{instance.report.item.plan_id}/{instance.report.item_id}/{filename}"


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, related_name="evidence", on_delete=models.CASCADE)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == "图片"


class ItemEvent(models.Model):
    """The item's timeline: reports, closing, acceptance, returns, urges, status changes, edits."""

    class Kind(models.TextChoices):
        REPORT = "report", _("报送进展")
        CLOSING = "closing", _("申请办结")
        ACCEPTED = "accepted", _("销号")
        RETURNED = "returned", _("退回")
        URGED = "urged", _("催办")
        STATUS = "status", _("状态变化")
        EDITED = "edited", _("修改")
        ACHIEVEMENT = "achievement", _("目标进展")

    item = models.ForeignKey(Item, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("任务动态")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.note[:30]}"


class PlanImport(models.Model):
    """An uploaded plan document between parse and review. The upload itself is deleted after
    parsing; the parse waits here until the reviewer confirms (which creates the Plan)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    job = models.ForeignKey("core.BackgroundJob", null=True, on_delete=models.SET_NULL, related_name="+")
    source_name = models.CharField(max_length=200, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    parsed = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入记录")

    def __str__(self) -> str:
        return self.source_name or _("导入 %(pk)s") % {"pk": self.pk}
