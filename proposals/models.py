"""Suggestions to the college (建言献策 / 提案 / 社情民意) and their handling, and members'
filings with outside bodies (履职: 提案 / 议案 / 建议 / 社情民意信息 to 人大, 政协, party committees).

Every status change goes through `proposals.services` (the transitions table lives there).
Other modules read this app only through `proposals.queries` (the five ones) and
`services.overdue_proposals(org)`."""

import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel, OrgScopedQuerySet

DUE_SOON_DAYS = 3  # yellow from this many days before the due date
OBJECTION_DAYS = 7  # the lead department may object to an assignment within this many days


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", pgettext_lazy("proposal kind", "建言献策")
    PROPOSAL = "proposal", _("提案")
    OPINION = "opinion", _("社情民意")


class Category(models.TextChoices):
    """What a suggestion is about (the list the figures group by)."""

    DEVELOPMENT = "development", _("学校发展")
    TEACHING = "teaching", _("教育教学")
    TALENT = "talent", _("人才队伍")
    LOGISTICS = "logistics", _("后勤保障")
    SAFETY = "safety", _("校园安全")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    WITHDRAWN = "withdrawn", _("已撤回")
    ACCEPTED = "accepted", _("已立案")
    DECLINED = "declined", _("不予立案")
    MERGED = "merged", _("已并案")
    ASSIGNED = "assigned", _("办理中")
    ANSWER_REVIEW = "answer_review", _("答复待审核")
    ANSWERED = "answered", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("已办结")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    REFERENCE = "reference", _("留作参考")
    NOT_ADOPTED = "not_adopted", _("不予采纳")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


ADOPTED_OUTCOMES = (Outcome.ADOPTED, Outcome.PARTLY)
SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASIC)
HANDLING = (Status.ASSIGNED, Status.REHANDLING)  # with a department, no answer yet: can be overdue
NOT_COUNTED = (Status.DRAFT, Status.WITHDRAWN)  # never counted as "submitted"
ANSWERED_STATES = (Status.ANSWERED, Status.CLOSED)
STATUS_COLOURS = {
    Status.DRAFT: "grey",
    Status.SUBMITTED: "amber",
    Status.WITHDRAWN: "grey",
    Status.DECLINED: "grey",
    Status.MERGED: "grey",
    Status.ACCEPTED: "amber",
    Status.ASSIGNED: "amber",
    Status.ANSWER_REVIEW: "amber",
    Status.REHANDLING: "red",
    Status.ANSWERED: "green",
    Status.CLOSED: "green",
}


class ProposalQuerySet(OrgScopedQuerySet):
    def counted(self):
        """Submitted at some point and not withdrawn: what the figures count as received."""
        return self.exclude(status__in=NOT_COUNTED)

    def handling(self):
        return self.filter(status__in=HANDLING, due_date__isnull=False)

    def overdue(self, today: date | None = None):
        return self.handling().filter(due_date__lt=today or timezone.localdate())

    def due_soon(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.handling().filter(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))

    def for_departments(self, department_ids):
        """Assigned to one of the departments, as lead or support."""
        # One UNION of ids (each part by its department index), not `lead OR EXISTS(support)`,
        # which read every suggestion of the college (issue 16).
        department_ids = list(department_ids)
        lead = Proposal.objects.filter(lead_department_id__in=department_ids).order_by().values("pk")
        support = (
            Proposal.support_departments.through.objects.filter(department_id__in=department_ids)
            .order_by()
            .values("proposal_id")
        )
        return self.filter(pk__in=lead.union(support))

    @staticmethod
    def _of_member(person) -> Q:
        # The ids as one UNION subquery (own, then co-signed and submitted): each part reads its own
        # index, where `submitter OR EXISTS(co-signer)` scanned every suggestion of the college.
        own = Proposal.objects.filter(submitter=person).order_by().values("pk")
        cosigned = (
            CoSigner.objects.filter(person=person, declined_at__isnull=True)
            .exclude(proposal__status=Status.DRAFT)
            .order_by()
            .values("proposal_id")
        )
        return Q(pk__in=own.union(cosigned))

    def of_member(self, person):
        """The person's own suggestions and the submitted ones they co-sign (unless they declined)."""
        return self.filter(self._of_member(person))

    def visible_to_member(self, person):
        """`of_member` plus published answered ones. Nothing else."""
        return self.filter(self._of_member(person) | Q(is_published=True, status__in=ANSWERED_STATES))

    def published(self):
        return self.filter(is_published=True, status__in=ANSWERED_STATES)


def attachment_path(instance, filename):
    return f"proposals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class Proposal(OrgScopedModel):
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.SUGGESTION)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices, default=Category.OTHER)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    submitter = models.ForeignKey(
        "people.Person", verbose_name=_("提出人"), related_name="proposals", on_delete=models.PROTECT
    )
    # Who created it: the member, or UFD staff entering it on the member's behalf.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, related_name="+", on_delete=models.SET_NULL
    )
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("代为提交时填写，如 座谈会反馈"))
    # The form's nonce: posting the same form twice finds this row instead of making a second.
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    case_number = models.CharField(_("案号"), max_length=20, blank=True)
    decline_reason = models.TextField(_("不予立案理由"), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, related_name="merged", on_delete=models.SET_NULL
    )

    lead_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("主办部门"),
        null=True,
        blank=True,
        related_name="led_proposals",
        on_delete=models.PROTECT,
    )
    support_departments = models.ManyToManyField(
        "orgs.Department", verbose_name=_("协办部门"), blank=True, related_name="supported_proposals"
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    due_date = models.DateField(_("办理时限"), null=True, blank=True, db_index=True)
    review_required = models.BooleanField(_("答复须经统战部审核"), default=True)

    first_answered_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("按时答复"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=12, choices=Outcome.choices, blank=True)
    answered_at = models.DateTimeField(_("答复发布时间"), null=True, blank=True)
    rating = models.CharField(_("满意度"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    is_excellent = models.BooleanField(_("优秀建言"), default=False)
    is_published = models.BooleanField(_("公开"), default=False)
    targets = models.ManyToManyField(
        "plans.Target", verbose_name=_("关联目标"), through="ProposalTarget", blank=True, related_name="+"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("建言")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_number"], condition=~Q(case_number=""), name="proposal_unique_case"
            ),
            models.UniqueConstraint(
                fields=["submitter", "client_token"],
                condition=Q(client_token__isnull=False),
                name="proposal_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="proposal_org_status"),
            # The inbox (newest first, a page at a time) reads this index in order instead of sorting.
            models.Index(fields=["organisation", "-submitted_at", "-id"], name="proposal_org_submitted"),
            # The figures' cache version (core.figures_cache.data_version) reads only this index.
            models.Index(fields=["organisation", "updated_at"], name="proposal_org_updated"),
            # A person's suggestions (the person page's panel, newest first): without it the planner
            # reads every suggestion of the college by the organisation index.
            models.Index(fields=["organisation", "submitter", "-submitted_at", "-id"], name="proposal_org_submitter"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}".strip()

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")

    @property
    def submitted_files(self) -> list:
        """The submitter's attachments (not the answers' files); uses the prefetched list."""
        return [a for a in self.attachments.all() if a.answer_id is None]

    @property
    def member_status(self) -> str:
        """The status a member sees: an answer waiting for UFD review is not yet an answer, so the
        suggestion is still being handled (办理中, or 重新办理 in the second round)."""
        if self.status == Status.ANSWER_REVIEW:
            return Status.REHANDLING if self.round >= 2 else Status.ASSIGNED
        return self.status

    def get_member_status_display(self) -> str:
        return Status(self.member_status).label

    @property
    def member_status_colour(self) -> str:
        return STATUS_COLOURS.get(self.member_status, "grey")

    def light_on(self, today: date) -> str:
        """red past due, amber within 3 days of it, "" otherwise (or when not with a department)."""
        if self.status not in HANDLING or self.due_date is None:
            return ""
        if today > self.due_date:
            return "red"
        if today >= self.due_date - timedelta(days=DUE_SOON_DAYS):
            return "amber"
        return ""

    @property
    def is_handling(self) -> bool:
        return self.status in HANDLING

    @property
    def light(self) -> str:
        return self.light_on(timezone.localdate())

    @property
    def light_label(self) -> str:
        return {"red": gettext("已逾期"), "amber": gettext("即将到期")}.get(self.light, "")

    @property
    def days_left(self) -> int | None:
        return (self.due_date - timezone.localdate()).days if self.due_date else None

    @property
    def objection_deadline(self):
        return self.assigned_at + timedelta(days=OBJECTION_DAYS) if self.assigned_at else None

    @property
    def is_adopted(self) -> bool:
        return self.outcome in ADOPTED_OUTCOMES


class CaseCounter(models.Model):
    """The last case number (案号) given per organisation and year; rows are locked to allocate."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("案号计数")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.year}-{self.last:03d}"


class CoSigner(models.Model):
    """联名: a person who signs the suggestion too, once they confirm."""

    proposal = models.ForeignKey(Proposal, related_name="cosigners", on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", related_name="cosigned", on_delete=models.CASCADE)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    declined_at = models.DateTimeField(_("谢绝时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("联名人")
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="cosigner_unique")]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def state_label(self) -> str:
        if self.confirmed_at:
            return gettext("已确认")
        return gettext("已谢绝") if self.declined_at else gettext("待确认")


class Attachment(models.Model):
    """A file of the suggestion (the submitter's) or of one answer (`answer` set: the lead
    department's attachment, shown to the member only once that answer is released)."""

    proposal = models.ForeignKey(Proposal, related_name="attachments", on_delete=models.CASCADE)
    answer = models.ForeignKey(
        "Answer",
        verbose_name=_("答复"),
        null=True,
        blank=True,
        related_name="attachments",
        on_delete=models.CASCADE,
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")

    def __str__(self) -> str:
        return self.original_name


class Answer(models.Model):
    """A department's reply (答复) in one round; released to the submitter after review."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        RELEASED = "released", _("已发布")
        RETURNED = "returned", _("已退回")

    proposal = models.ForeignKey(Proposal, related_name="answers", on_delete=models.CASCADE)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    department = models.ForeignKey("orgs.Department", null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("办理结果"), max_length=12, choices=Outcome.choices)
    text = models.TextField(_("答复内容"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["answered_at", "id"]
        verbose_name = _("答复")

    def __str__(self) -> str:
        return gettext("%(outcome)s（第%(round)s次答复）") % {
            "outcome": self.get_outcome_display(),
            "round": self.round,
        }


class ProposalEvent(models.Model):
    """One step on the suggestion's timeline. Internal steps are hidden from the submitter."""

    proposal = models.ForeignKey(Proposal, related_name="events", on_delete=models.CASCADE)
    action = models.CharField(max_length=20)
    label = models.CharField(max_length=50)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey("orgs.Department", null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理记录")

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        """The label in the reader's language: labels are stored in Chinese (the source language),
        several parts joined by "；" (set_flags)."""
        return gettext("；").join(gettext(part) for part in self.label.split("；"))


class ProposalNote(models.Model):
    """A private note between UFD staff and the handling departments (never shown to members).
    A support department's note is its input (协办意见) to the lead department."""

    proposal = models.ForeignKey(Proposal, related_name="notes", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey("orgs.Department", null=True, on_delete=models.SET_NULL, related_name="+")
    is_input = models.BooleanField(_("协办意见"), default=False)
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("内部备注")

    def __str__(self) -> str:
        return self.text[:40]


class ProposalTarget(models.Model):
    """A plan target the suggestion counts towards, on receipt or on adoption."""

    class Basis(models.TextChoices):
        RECEIVED = "received", _("收到即计入")
        ADOPTED = "adopted", _("采纳后计入")

    proposal = models.ForeignKey(Proposal, related_name="target_links", on_delete=models.CASCADE)
    target = models.ForeignKey("plans.Target", related_name="proposal_links", on_delete=models.CASCADE)
    basis = models.CharField(_("计入方式"), max_length=10, choices=Basis.choices, default=Basis.RECEIVED)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("关联工作要点目标")
        constraints = [models.UniqueConstraint(fields=["proposal", "target"], name="proposal_target_unique")]

    def __str__(self) -> str:
        return f"{self.target} · {self.get_basis_display()}"


class AnswerTemplate(models.Model):
    """A common reply the departments can start from."""

    organisation = models.ForeignKey("orgs.Organisation", related_name="answer_templates", on_delete=models.CASCADE)
    title = models.CharField(_("名称"), max_length=100)
    outcome = models.CharField(_("适用结果"), max_length=12, choices=Outcome.choices, blank=True)
    text = models.TextField(_("答复内容"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("答复模板")

    def __str__(self) -> str:
        return self.title


# --- Part 2: members' filings with outside bodies (履职) ---------------------------------------


class FilingKind(models.TextChoices):
    PROPOSAL = "proposal", _("提案")
    BILL = "bill", _("议案")
    SUGGESTION = "suggestion", _("建议")
    OPINION = "opinion", _("社情民意信息")


class FilingLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    OTHER = "other", _("其他")


class FilingStatus(models.TextChoices):
    """How far the filing got; the highest step reached."""

    SUBMITTED = "submitted", pgettext_lazy("filing status", "提交")
    ACCEPTED = "accepted", pgettext_lazy("filing status", "立案")
    ANSWERED = "answered", pgettext_lazy("filing status", "答复")
    ADOPTED = "adopted", _("采纳")
    ENDORSED = "endorsed", _("获领导批示")


class OutsideFilingQuerySet(OrgScopedQuerySet):
    def verified(self):
        return self.filter(verified_at__isnull=False)


class OutsideFiling(OrgScopedModel):
    """A 提案 / 议案 / 建议 / 社情民意信息 a member filed with an outside body (市政协, 民盟市委...)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("成员"), related_name="outside_filings", on_delete=models.PROTECT
    )
    kind = models.CharField(_("类型"), max_length=12, choices=FilingKind.choices)
    body = models.CharField(_("报送单位"), max_length=100, help_text=_("如 市政协、民盟市委"))
    level = models.CharField(_("级别"), max_length=10, choices=FilingLevel.choices)
    date = models.DateField(_("报送日期"), db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    case_number = models.CharField(_("编号/案号"), max_length=50, blank=True)
    status = models.CharField(
        _("办理情况"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED
    )
    note = models.TextField(_("说明"), blank=True, help_text=_("如 领导批示情况、采纳部门"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = OutsideFilingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("履职记录")

    def __str__(self) -> str:
        return self.title

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


def filing_file_path(instance, filename):
    return f"outside/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class OutsideFilingFile(models.Model):
    """Proof (证明材料): the receipt, the case notice, the answer letter, the endorsement."""

    filing = models.ForeignKey(OutsideFiling, related_name="files", on_delete=models.CASCADE)
    file = models.FileField(upload_to=filing_file_path, max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("证明材料")

    def __str__(self) -> str:
        return self.original_name
