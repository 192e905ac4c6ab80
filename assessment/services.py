"""Every write of the assessment module: schemes, self-assessment, scoring, results, appeals and
responsibility letters. Each function runs in a transaction, audits once and notifies after commit.
Bad input raises `ValidationError` with a Chinese message and saves nothing."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    TWO,
    Adjustment,
    Appeal,
    DepartmentAssessment,
    Grade,
    Indicator,
    Metric,
    ResponsibilityLetter,
    Scheme,
    Score,
    ScoreChange,
    SelfFile,
    Statement,
)
from core import audit
from core.concurrency import bump_version, update_if_unchanged
from notifications.services import notify
from orgs.models import Department, Membership, Role

# The indicators of a new scheme when there is no scheme of last year to copy.
DEFAULT_INDICATORS = [
    ("牵头任务办结", "牵头的工作要点任务按时办结", Metric.ITEMS_ON_TIME, "30", 1),
    ("量化目标完成", "牵头任务的量化目标完成情况", Metric.TARGETS_ACHIEVED, "20", 1),
    ("进展报送", "牵头和配合任务按时报送进展", Metric.REPORTS_SUBMITTED, "10", 1),
    ("建言办理", "交办建言按时答复", Metric.PROPOSALS_ON_TIME, "10", 1),
    ("活动开展", "组织开展统战活动", Metric.EVENTS_HELD, "10", 2),
    ("工作创新与成效", "统战部根据工作实绩评定", Metric.MANUAL, "20", 1),
]


def _liaisons(department_ids):
    memberships = (
        Membership.objects.filter(role=Role.LIAISON, departments__in=list(department_ids))
        .select_related("user")
        .distinct()
    )
    return [m.user for m in memberships]


def _staff(organisation):
    return [
        m.user for m in Membership.objects.filter(organisation=organisation, role=Role.UFD_STAFF).select_related("user")
    ]


def _notify_after_commit(users, *, organisation, title, body="", url=""):
    transaction.on_commit(lambda: notify(users, organisation=organisation, title=title, body=body, url=url))


# --- Schemes ---------------------------------------------------------------------------------


@transaction.atomic
def create_scheme(organisation, *, by, year: int, copy_last_year: bool = True, request=None) -> Scheme:
    """A scheme for `year`: a copy of last year's (thresholds, cap, appeal window, preamble,
    indicators) when there is one and `copy_last_year`, else the default indicators."""
    if Scheme.objects.for_org(organisation).filter(year=year).exists():
        raise ValidationError(_("%(year)s年度的考核方案已存在。") % {"year": year})
    last = Scheme.objects.for_org(organisation).filter(year=year - 1).first() if copy_last_year else None
    scheme = Scheme(organisation=organisation, year=year, title=f"{year}年度统战工作目标责任考核方案", created_by=by)
    if last is not None:
        for name in ("letter_preamble", "excellent_min", "good_min", "pass_min", "excellent_cap", "appeal_days"):
            setattr(scheme, name, getattr(last, name))
        scheme.max_adjustment = last.max_adjustment
        scheme.letter_preamble = last.letter_preamble.replace(str(year - 1), str(year))
    else:
        scheme.letter_preamble = (
            f"为全面落实学校{year}年统战工作要点，压实各部门统战工作责任，经研究，"
            "制定本目标责任书。责任部门应按照任务分工和完成时限抓好落实，统战部按本责任书开展年度考核。"
        )
    scheme.save()
    if last is not None:
        Indicator.objects.bulk_create(
            [
                Indicator(
                    scheme=scheme,
                    name=i.name,
                    description=i.description,
                    metric=i.metric,
                    weight=i.weight,
                    max_points=i.max_points,
                    target_count=i.target_count,
                    order=i.order,
                )
                for i in last.indicators.all()
            ]
        )
    else:
        Indicator.objects.bulk_create(
            [
                Indicator(scheme=scheme, name=n, description=d, metric=m, weight=Decimal(w), target_count=t, order=k)
                for k, (n, d, m, w, t) in enumerate(DEFAULT_INDICATORS)
            ]
        )
    audit.log("create", scheme, by=by, request=request, changes={"copied_from": last.year if last else None})
    return scheme


SCHEME_FIELDS = [
    "title",
    "letter_preamble",
    "excellent_min",
    "good_min",
    "pass_min",
    "excellent_cap",
    "appeal_days",
    "max_adjustment",
]


@transaction.atomic
def update_scheme(scheme: Scheme, *, by, data: dict, request=None) -> Scheme:
    before = audit.snapshot(scheme, SCHEME_FIELDS)
    for name in SCHEME_FIELDS:
        setattr(scheme, name, data[name])
    scheme.save(update_fields=SCHEME_FIELDS)
    changes = audit.diff(before, audit.snapshot(scheme, SCHEME_FIELDS))
    audit.log("update", scheme, by=by, request=request, changes=changes)
    recompute_results(scheme)
    return scheme


@transaction.atomic
def add_indicator(scheme: Scheme, *, by, data: dict, request=None) -> Indicator:
    order = scheme.indicators.count()
    indicator = Indicator.objects.create(scheme=scheme, order=order, **data)
    audit.log("create", indicator, by=by, request=request, changes={"scheme": scheme.pk})
    return indicator


@transaction.atomic
def delete_indicator(indicator: Indicator, *, by, request=None) -> None:
    if Score.objects.filter(indicator=indicator).exists():
        raise ValidationError(_("该指标已有评分，不能删除。"))
    audit.log("delete", indicator, by=by, request=request)
    indicator.delete()


@transaction.atomic
def open_assessments(scheme: Scheme, *, by, request=None) -> int:
    """One assessment per department that leads or supports an item of the year's published plan
    (every active department if there is none); liaisons are told to self-assess. Idempotent."""
    from plans.queries import plan_departments, year_plan

    plan = year_plan(scheme.organisation, scheme.year)
    departments = Department.objects.for_org(scheme.organisation).filter(is_active=True)
    if plan is not None:
        departments = departments.filter(pk__in=plan_departments(plan))
    existing = set(scheme.assessments.values_list("department_id", flat=True))
    new = [DepartmentAssessment(scheme=scheme, department=d) for d in departments if d.pk not in existing]
    DepartmentAssessment.objects.bulk_create(new)
    audit.log("create", scheme, by=by, request=request, changes={"assessments_opened": len(new)})
    _notify_after_commit(
        _liaisons([a.department_id for a in new]),
        organisation=scheme.organisation,
        title=_("请完成%(year)s年度统战工作自评") % {"year": scheme.year},
        body=_("请在“年度考核”中逐项填写自评说明，系统已自动附上本部门的进展报告、活动和建言办理记录。"),
        url=reverse("assessment:mine"),
    )
    return len(new)


# --- Self-assessment ---------------------------------------------------------------------------


def _bump_version(assessment: DepartmentAssessment, version: int | None) -> None:
    """Optimistic concurrency (core.concurrency): refuses a stale edit, else bumps the version.
    Runs inside the caller's transaction, so a later ValidationError undoes the bump too."""
    if version is None:
        bump_version(DepartmentAssessment, assessment.pk)
    else:
        update_if_unchanged(DepartmentAssessment, assessment.pk, version)
    assessment.version = DepartmentAssessment.objects.values_list("version", flat=True).get(pk=assessment.pk)


def _check_open(assessment: DepartmentAssessment) -> None:
    if assessment.status != DepartmentAssessment.Status.OPEN:
        raise ValidationError(_("自评已提交，不能再修改。"))


@transaction.atomic
def save_self_assessment(
    assessment: DepartmentAssessment, *, by, summary: str, statements: dict, version: int | None = None, request=None
) -> DepartmentAssessment:
    """`statements`: {indicator_id: (text, self_points or None)}. With `version` (the form's), a
    save by someone else since raises core.concurrency.StaleEdit and nothing is written."""
    _check_open(assessment)
    _bump_version(assessment, version)
    indicators = {i.pk: i for i in assessment.scheme.indicators.all()}
    for indicator_id, (text, points) in statements.items():
        indicator = indicators[indicator_id]
        if points is not None and not (0 <= points <= indicator.max_points):
            raise ValidationError(
                _("“%(name)s”的自评得分须在 0 到 %(max_points)s 之间。")
                % {"name": indicator.name, "max_points": indicator.max_points}
            )
        Statement.objects.update_or_create(
            assessment=assessment, indicator=indicator, defaults={"text": text, "self_points": points}
        )
    assessment.summary = summary
    assessment.save(update_fields=["summary"])
    audit.log("update", assessment, by=by, request=request, changes={"self_assessment": len(statements)})
    return assessment


@transaction.atomic
def add_self_file(assessment: DepartmentAssessment, *, by, upload, kind, request=None) -> SelfFile:
    """`kind` comes from core.files.check_upload (the form checked the content)."""
    _check_open(assessment)
    record = SelfFile.objects.create(
        assessment=assessment,
        file=upload,
        original_name=upload.name[:200],
        kind=kind.label,
        size=upload.size,
        uploaded_by=by,
    )
    audit.log("create", record, by=by, request=request, organisation=assessment.scheme.organisation)
    return record


@transaction.atomic
def submit_self_assessment(assessment: DepartmentAssessment, *, by, request=None) -> DepartmentAssessment:
    _check_open(assessment)
    missing = assessment.scheme.indicators.exclude(pk__in=assessment.statements.exclude(text="").values("indicator_id"))
    if missing.exists():
        names = "、".join(i.name for i in missing)
        raise ValidationError(_("请先填写以下指标的自评说明：%(names)s。") % {"names": names})
    assessment.status = DepartmentAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit.log("update", assessment, by=by, request=request, changes={"status": ["open", "submitted"]})
    _notify_after_commit(
        _staff(assessment.scheme.organisation),
        organisation=assessment.scheme.organisation,
        title=_("%(department)s已提交%(year)s年度自评")
        % {"department": assessment.department, "year": assessment.scheme.year},
        url=reverse("assessment:department", args=[assessment.pk]),
    )
    return assessment


# --- Scoring ---------------------------------------------------------------------------------


def computed_values(assessment: DepartmentAssessment) -> dict:
    """{indicator_id: explanation dict} for the computed indicators, from the ledger now."""
    from assessment.metrics import compute

    return {
        i.pk: compute(i, assessment.department).as_dict(i.max_points)
        for i in assessment.scheme.indicators.all()
        if i.is_computed
    }


def parse_points(value, *, maximum: Decimal, name: str) -> Decimal:
    """A score from user input: a number with at most two decimals between 0 and `maximum`."""
    try:
        points = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        raise ValidationError(_("“%(name)s”的得分“%(value)s”不是数字。") % {"name": name, "value": value})
    if not points.is_finite():
        raise ValidationError(_("“%(name)s”的得分“%(value)s”不是数字。") % {"name": name, "value": value})
    if points < 0 or points > maximum:
        raise ValidationError(
            _("“%(name)s”的得分须在 0 到 %(maximum)s 之间，“%(value)s”超出范围。")
            % {"name": name, "maximum": maximum, "value": value}
        )
    if points != points.quantize(TWO):
        raise ValidationError(_("“%(name)s”的得分最多保留两位小数。") % {"name": name})
    return points.quantize(TWO)


@transaction.atomic
def save_scores(
    assessment: DepartmentAssessment,
    *,
    by,
    scores: dict,
    comment: str = "",
    version: int | None = None,
    request=None,
) -> DepartmentAssessment:
    """`scores`: {indicator_id: (points, note)}; every indicator must be scored. Computed
    indicators keep the explanation of their value. Each change is kept in ScoreChange and audited.
    With `version` (the form's), a save by someone else since raises StaleEdit; nothing is written."""
    _bump_version(assessment, version)
    indicators = list(assessment.scheme.indicators.all())
    explanations = computed_values(assessment)
    changes = {}
    checked = {}
    for indicator in indicators:
        if indicator.pk not in scores:
            raise ValidationError(_("请为“%(name)s”评分。") % {"name": indicator.name})
        points, note = scores[indicator.pk]
        checked[indicator.pk] = (parse_points(points, maximum=indicator.max_points, name=indicator.name), note)
    existing = {s.indicator_id: s for s in assessment.scores.all()}
    for indicator in indicators:
        points, note = checked[indicator.pk]
        score = existing.get(indicator.pk)
        before = score.points if score else None
        if score is None:
            score = Score(assessment=assessment, indicator=indicator, points=points)
        score.points = points
        score.comment = note[:300]
        score.computed = indicator.is_computed
        score.explanation = explanations.get(indicator.pk, {})
        score.save()
        if before != points:
            ScoreChange.objects.create(score=score, before=before, after=points, comment=note[:300], by=by)
            changes[indicator.name] = [str(before) if before is not None else "", str(points)]
    assessment.comment = comment
    assessment.status = DepartmentAssessment.Status.SCORED
    assessment.save(update_fields=["comment", "status"])
    audit.log("update", assessment, by=by, request=request, changes={"scores": changes})
    recompute_results(assessment.scheme)
    return assessment


def parse_adjustment(value, *, maximum: Decimal) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        raise ValidationError(_("分值“%(value)s”不是数字。") % {"value": value})
    if not points.is_finite() or points <= 0:
        raise ValidationError(_("加扣分分值须为正数。"))
    if points > maximum:
        limit = f"{maximum:f}".rstrip("0").rstrip(".") if "." in f"{maximum:f}" else f"{maximum:f}"
        raise ValidationError(_("单项加扣分不能超过 %(limit)s 分。") % {"limit": limit})
    return points.quantize(TWO, rounding=ROUND_HALF_UP)


@transaction.atomic
def add_adjustment(assessment: DepartmentAssessment, *, by, kind: str, points, reason: str, request=None) -> Adjustment:
    if not reason.strip():
        raise ValidationError(_("请填写加扣分理由。"))
    value = parse_adjustment(points, maximum=assessment.scheme.max_adjustment)
    line = Adjustment.objects.create(assessment=assessment, kind=kind, points=value, reason=reason.strip(), by=by)
    audit.log("create", line, by=by, request=request, changes={"kind": kind, "points": str(value), "reason": reason})
    recompute_results(assessment.scheme)
    return line


@transaction.atomic
def delete_adjustment(line: Adjustment, *, by, request=None) -> None:
    scheme = line.assessment.scheme
    changes = {"kind": line.kind, "points": str(line.points), "reason": line.reason}
    audit.log("delete", line, by=by, request=request, changes=changes)
    line.delete()
    recompute_results(scheme)


def total_of(indicators, scores: dict, adjustments) -> Decimal | None:
    """Σ points / max × weight + bonuses − deductions, to two places; None until all are scored."""
    total = Decimal(0)
    for indicator in indicators:
        if indicator.pk not in scores:
            return None
        total += scores[indicator.pk] / indicator.max_points * indicator.weight
    total += sum((a.signed_points for a in adjustments), Decimal(0))
    return total.quantize(TWO, rounding=ROUND_HALF_UP)


def grade_results(scheme: Scheme, totals: list[tuple[int, Decimal]]) -> dict[int, tuple[int, str]]:
    """{key: (rank, grade)} for (key, total) pairs given in ranking order (highest first). Equal
    totals share a rank. With a cap, at most ⌊n × cap %⌋ get 优秀; the rest who reached the 优秀
    line get 良好, lowest ranked first."""
    cap = len(totals) if scheme.excellent_cap is None else len(totals) * scheme.excellent_cap // 100
    result, excellent, rank, previous = {}, 0, 0, None
    for position, (key, total) in enumerate(totals, start=1):
        if total != previous:
            rank, previous = position, total
        grade = scheme.grade_for(total)
        if grade == Grade.EXCELLENT:
            if excellent < cap:
                excellent += 1
            else:
                grade = Grade.GOOD
        result[key] = (rank, grade)
    return result


def recompute_results(scheme: Scheme) -> None:
    """Totals, ranks and grades of every assessment of the scheme (a few queries)."""
    indicators = list(scheme.indicators.all())
    assessments = list(scheme.assessments.select_related("department").prefetch_related("scores", "adjustments"))
    for a in assessments:
        a.total = total_of(indicators, {s.indicator_id: s.points for s in a.scores.all()}, a.adjustments.all())
    ranked = sorted(
        (a for a in assessments if a.total is not None),
        key=lambda a: (-a.total, a.department.sort_order, a.department.name),
    )
    graded = grade_results(scheme, [(a.pk, a.total) for a in ranked])
    for a in assessments:
        a.rank, a.grade = graded.get(a.pk, (None, ""))
    DepartmentAssessment.objects.bulk_update(assessments, ["total", "rank", "grade"])


@transaction.atomic
def publish_results(scheme: Scheme, *, by, request=None) -> Scheme:
    """Publishes the results to the departments; the appeal window starts today."""
    if scheme.is_published:
        raise ValidationError(_("考核结果已经发布。"))
    unscored = scheme.assessments.exclude(status=DepartmentAssessment.Status.SCORED)
    if not scheme.assessments.exists() or unscored.exists():
        names = "、".join(a.department.name for a in unscored.select_related("department"))
        raise ValidationError(
            _("还有部门未评分，不能发布：%(names)s。") % {"names": names} if names else _("还没有参加考核的部门。")
        )
    recompute_results(scheme)
    scheme.published_at = timezone.now()
    scheme.save(update_fields=["published_at"])
    audit.log("update", scheme, by=by, request=request, changes={"published": True})
    deadline = scheme.appeal_deadline
    _notify_after_commit(
        _liaisons(scheme.assessments.values_list("department_id", flat=True)),
        organisation=scheme.organisation,
        title=_("%(year)s年度统战工作考核结果已发布") % {"year": scheme.year},
        body=_("如有异议，可在%(year)s年%(month)s月%(day)s日前提出申诉（限一次）。")
        % {"year": deadline.year, "month": deadline.month, "day": deadline.day},
        url=reverse("assessment:mine"),
    )
    return scheme


# --- Appeals ---------------------------------------------------------------------------------


@transaction.atomic
def file_appeal(assessment: DepartmentAssessment, *, by, reason: str, today=None, request=None) -> Appeal:
    scheme = assessment.scheme
    if not scheme.is_published:
        raise ValidationError(_("考核结果尚未发布，不能申诉。"))
    today = today or timezone.localdate()
    deadline = scheme.appeal_deadline
    if today > deadline:
        raise ValidationError(
            _("申诉期已过（截至%(year)s年%(month)s月%(day)s日），不能再申诉。")
            % {"year": deadline.year, "month": deadline.month, "day": deadline.day}
        )
    if Appeal.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("每个部门只能申诉一次，本部门已经申诉过。"))
    if not reason.strip():
        raise ValidationError(_("请填写申诉理由。"))
    appeal = Appeal.objects.create(assessment=assessment, reason=reason.strip(), submitted_by=by)
    audit.log("create", appeal, by=by, request=request)
    _notify_after_commit(
        _staff(scheme.organisation),
        organisation=scheme.organisation,
        title=_("%(department)s对%(year)s年度考核结果提出申诉")
        % {"department": assessment.department, "year": scheme.year},
        body=reason[:200],
        url=reverse("assessment:department", args=[assessment.pk]),
    )
    return appeal


@transaction.atomic
def decide_appeal(appeal: Appeal, *, by, decision: str, response: str, request=None) -> Appeal:
    if appeal.decision != Appeal.Decision.PENDING:
        raise ValidationError(_("该申诉已经处理。"))
    if decision not in (Appeal.Decision.UPHELD, Appeal.Decision.REVISED):
        raise ValidationError(_("请选择处理结果。"))
    if not response.strip():
        raise ValidationError(_("请填写答复意见。"))
    appeal.decision = decision
    appeal.response = response.strip()
    appeal.decided_by = by
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["decision", "response", "decided_by", "decided_at"])
    organisation = appeal.assessment.scheme.organisation
    audit.log("update", appeal, by=by, request=request, changes={"decision": decision})
    _notify_after_commit(
        _liaisons([appeal.assessment.department_id]),
        organisation=organisation,
        title=_("申诉已处理：%(get_decision_display)s") % {"get_decision_display": appeal.get_decision_display()},
        body=response[:200],
        url=reverse("assessment:self", args=[appeal.assessment_id]),
    )
    return appeal


# --- Responsibility letters --------------------------------------------------------------------


@transaction.atomic
def generate_letters(plan, *, by, request=None) -> int:
    """A draft letter for each department that leads or supports an item of `plan`. Idempotent."""
    from plans.queries import plan_departments

    if not plan.is_published:
        raise ValidationError(_("工作要点发布后才能生成目标责任书。"))
    existing = set(ResponsibilityLetter.objects.filter(plan=plan).values_list("department_id", flat=True))
    new = [ResponsibilityLetter(plan=plan, department_id=d) for d in plan_departments(plan) if d not in existing]
    ResponsibilityLetter.objects.bulk_create(new)
    audit.log("create", plan, by=by, request=request, changes={"letters": len(new)})
    return len(new)


@transaction.atomic
def issue_letters(letters, *, by, request=None) -> int:
    """Draft → issued; the departments' liaisons are told."""
    letters = [letter for letter in letters if letter.status == ResponsibilityLetter.Status.DRAFT]
    if not letters:
        return 0
    now = timezone.now()
    for letter in letters:
        letter.status = ResponsibilityLetter.Status.ISSUED
        letter.issued_at = now
    ResponsibilityLetter.objects.bulk_update(letters, ["status", "issued_at"])
    organisation = letters[0].plan.organisation
    changes = {"issued": [letter.pk for letter in letters]}
    audit.log("update", ResponsibilityLetter, by=by, request=request, changes=changes, organisation=organisation)
    _notify_after_commit(
        _liaisons([letter.department_id for letter in letters]),
        organisation=organisation,
        title=_("%(year)s年统战工作目标责任书已下达") % {"year": letters[0].plan.year},
        body=_("请下载本部门目标责任书，签字盖章后交统战部。"),
        url=reverse("assessment:mine"),
    )
    return len(letters)


@transaction.atomic
def sign_letter(letter: ResponsibilityLetter, *, by, upload, kind, request=None) -> ResponsibilityLetter:
    """Issued → signed with the scanned signed copy (checked by content in the form)."""
    if letter.status == ResponsibilityLetter.Status.DRAFT:
        raise ValidationError(_("责任书尚未下达，不能登记签订。"))
    letter.signed_file.save(upload.name, upload, save=False)
    letter.signed_name = upload.name[:200]
    letter.signed_kind = kind.label
    letter.status = ResponsibilityLetter.Status.SIGNED
    letter.signed_at = timezone.now()
    letter.save(update_fields=["signed_file", "signed_name", "signed_kind", "status", "signed_at"])
    audit.log("update", letter, by=by, request=request, changes={"status": "signed"})
    return letter


def department_letters(department_ids) -> list[ResponsibilityLetter]:
    return list(
        ResponsibilityLetter.objects.filter(department_id__in=list(department_ids))
        .exclude(status=ResponsibilityLetter.Status.DRAFT)
        .select_related("plan", "department")
        .order_by("-plan__year")
    )
