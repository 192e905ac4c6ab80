"""Responsibility letters (目标责任书) and the annual assessment (年度考核).

A `Scheme` per organisation and year holds the indicators (each computed from the ledger or scored
by hand), the grade thresholds, an optional cap on the share of 优秀, the appeal window and the
letters' preamble. Each department has one `DepartmentAssessment` per scheme: its self-assessment
statements and files, the UFD's scores (`Score`, every change kept in `ScoreChange`), bonus and
deduction lines (`Adjustment`), and at most one `Appeal`.

Total = Σ points / max points × weight (weights normally add up to 100) + bonuses − deductions."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel, OrgScopedQuerySet

TWO = Decimal("0.01")


class Metric(models.TextChoices):
    MANUAL = "manual", _("人工评分")
    ITEMS_ON_TIME = "items_on_time", _("牵头任务按时办结率")
    TARGETS_ACHIEVED = "targets_achieved", _("量化目标完成率")
    REPORTS_SUBMITTED = "reports_submitted", _("进展报送率")
    PROPOSALS_ON_TIME = "proposals_on_time", _("建言按时答复率")
    EVENTS_HELD = "events_held", _("举办活动场次")
    PARTICIPATION = "participation", _("统战对象参与率")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Scheme(OrgScopedModel):
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    letter_preamble = models.TextField(_("责任书前言"), blank=True)
    excellent_min = models.DecimalField(_("优秀分数线"), max_digits=6, decimal_places=2, default=Decimal("90"))
    good_min = models.DecimalField(_("良好分数线"), max_digits=6, decimal_places=2, default=Decimal("80"))
    pass_min = models.DecimalField(_("合格分数线"), max_digits=6, decimal_places=2, default=Decimal("60"))
    excellent_cap = models.PositiveSmallIntegerField(
        _("优秀比例上限（%）"), null=True, blank=True, help_text=_("留空表示不限")
    )
    appeal_days = models.PositiveSmallIntegerField(_("申诉期限（天）"), default=7)
    max_adjustment = models.DecimalField(_("单项加扣分上限"), max_digits=6, decimal_places=2, default=Decimal("5"))
    published_at = models.DateTimeField(_("结果发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("考核方案")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="scheme_unique_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def appeal_deadline(self):
        """The last day a department may appeal (the publishing day counts as day 0)."""
        if self.published_at is None:
            return None
        from django.utils import timezone

        return timezone.localtime(self.published_at).date() + timedelta(days=self.appeal_days)

    def grade_for(self, total: Decimal) -> str:
        if total >= self.excellent_min:
            return Grade.EXCELLENT
        if total >= self.good_min:
            return Grade.GOOD
        if total >= self.pass_min:
            return Grade.PASS
        return Grade.FAIL


class Indicator(models.Model):
    scheme = models.ForeignKey(Scheme, related_name="indicators", on_delete=models.CASCADE)
    name = models.CharField(_("指标"), max_length=100)
    description = models.CharField(_("考核内容"), max_length=300, blank=True)
    metric = models.CharField(_("计分方式"), max_length=24, choices=Metric.choices, default=Metric.MANUAL)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2)
    max_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=Decimal("100"))
    target_count = models.PositiveSmallIntegerField(
        _("目标数"), default=1, help_text=_("“举办活动场次”：达到此场次得满分")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("考核指标")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation(self):
        return self.scheme.organisation

    @property
    def is_computed(self) -> bool:
        return self.metric != Metric.MANUAL


class DepartmentAssessmentQuerySet(OrgScopedQuerySet):
    org_lookup = "scheme__organisation"


class DepartmentAssessment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("自评中")
        SUBMITTED = "submitted", _("已提交自评")
        SCORED = "scored", _("已评分")

    scheme = models.ForeignKey(Scheme, related_name="assessments", on_delete=models.CASCADE)
    department = models.ForeignKey("orgs.Department", related_name="+", on_delete=models.CASCADE)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField(_("自评总结"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("评语"), blank=True)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = DepartmentAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["department__sort_order", "department__name"]
        verbose_name = _("部门考核")
        constraints = [models.UniqueConstraint(fields=["scheme", "department"], name="assessment_unique_department")]

    def __str__(self) -> str:
        return f"{self.scheme.year} · {self.department}"

    @property
    def audit_organisation(self):
        return self.scheme.organisation


class Statement(models.Model):
    """The department's self-assessment of one indicator."""

    assessment = models.ForeignKey(DepartmentAssessment, related_name="statements", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, related_name="+", on_delete=models.CASCADE)
    text = models.TextField(_("自评说明"), blank=True)
    self_points = models.DecimalField(_("自评得分"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="statement_unique")]

    def __str__(self) -> str:
        return self.text[:30]


def file_path(instance, filename):
    return f"assessment/{instance.assessment.scheme_id}/{instance.assessment_id}/{filename}"


class SelfFile(models.Model):
    """An extra evidence file a department adds to its self-assessment (checked by content)."""

    assessment = models.ForeignKey(DepartmentAssessment, related_name="files", on_delete=models.CASCADE)
    file = models.FileField(upload_to=file_path, max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class Score(models.Model):
    assessment = models.ForeignKey(DepartmentAssessment, related_name="scores", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, related_name="+", on_delete=models.CASCADE)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    computed = models.BooleanField(default=False)
    explanation = models.JSONField(default=dict, blank=True)
    comment = models.CharField(_("评分说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.points}"


class ScoreChange(models.Model):
    """Every change of a score, kept: who, when, before, after, why."""

    score = models.ForeignKey(Score, related_name="history", on_delete=models.CASCADE)
    before = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    after = models.DecimalField(max_digits=6, decimal_places=2)
    comment = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"


class Adjustment(models.Model):
    class Kind(models.TextChoices):
        BONUS = "bonus", _("加分")
        DEDUCTION = "deduction", _("扣分")

    assessment = models.ForeignKey(DepartmentAssessment, related_name="adjustments", on_delete=models.CASCADE)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("理由"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"

    @property
    def audit_organisation(self):
        return self.assessment.scheme.organisation

    @property
    def signed_points(self) -> Decimal:
        return self.points if self.kind == self.Kind.BONUS else -self.points


class Appeal(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("维持原结果")
        REVISED = "revised", _("调整结果")

    assessment = models.OneToOneField(DepartmentAssessment, related_name="appeal", on_delete=models.CASCADE)
    reason = models.TextField(_("申诉理由"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("处理结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    response = models.TextField(_("答复"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.reason[:30]

    @property
    def audit_organisation(self):
        return self.assessment.scheme.organisation


class ResponsibilityLetter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已下达")
        SIGNED = "signed", _("已签订")

    plan = models.ForeignKey("plans.Plan", related_name="+", on_delete=models.CASCADE)
    department = models.ForeignKey("orgs.Department", related_name="+", on_delete=models.CASCADE)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    issued_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_file = models.FileField(upload_to="letters/", max_length=300, blank=True)
    signed_name = models.CharField(max_length=200, blank=True)
    signed_kind = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["department__sort_order", "department__name"]
        verbose_name = _("目标责任书")
        constraints = [models.UniqueConstraint(fields=["plan", "department"], name="letter_unique_department")]

    def __str__(self) -> str:
        return f"{self.plan.year}年目标责任书 · {self.department}"

    @property
    def audit_organisation(self):
        return self.plan.organisation
