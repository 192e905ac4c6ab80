from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access, exports, forms, services
from assessment.models import (
    Adjustment,
    Appeal,
    DepartmentAssessment,
    Indicator,
    Scheme,
)
from core import audit
from core.concurrency import STALE_MESSAGE, StaleEdit
from orgs.access import role_required
from orgs.models import Role
from plans.models import Plan

STAFF = (Role.UFD_STAFF,)
READERS = (Role.UFD_STAFF, Role.LEADER)


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _save_upload(request, form, save, success: str) -> None:
    """`save(upload, kind)` for a valid upload form (evidence, a signed letter's scan); the outcome,
    or what is wrong with the file, as a message."""
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return
    try:
        save(form.cleaned_data["file"], form.kind)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, _error_text(error))


def _download(data: bytes, filename: str, content_type: str):
    import io

    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=content_type)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Schemes (UFD staff; leaders read) -----------------------------------------------------------


@role_required(*READERS)
def scheme_list(request):
    schemes = Scheme.objects.for_org(request.organisation)
    plans = Plan.objects.for_org(request.organisation).filter(status=Plan.Status.PUBLISHED)
    return render(
        request,
        "assessment/scheme_list.html",
        {"schemes": schemes, "plans": plans, "form": forms.SchemeCreateForm()},
    )


@role_required(*STAFF)
@require_POST
def scheme_create(request):
    form = forms.SchemeCreateForm(request.POST)
    if form.is_valid():
        try:
            scheme = services.create_scheme(
                request.organisation,
                by=request.user,
                year=form.cleaned_data["year"],
                copy_last_year=form.cleaned_data["copy_last_year"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("assessment:scheme-list")
        messages.success(request, _("考核方案已创建。"))
        return redirect("assessment:scheme-detail", pk=scheme.pk)
    messages.error(request, _("请填写正确的年度。"))
    return redirect("assessment:scheme-list")


def _ranked(scheme):
    return list(scheme.assessments.select_related("department", "appeal").prefetch_related("scores", "adjustments"))


@role_required(*READERS)
def scheme_detail(request, pk: int):
    scheme = access.get_scheme(request, pk)
    indicators = list(scheme.indicators.all())
    assessments = sorted(_ranked(scheme), key=lambda a: (a.rank is None, a.rank or 0, a.department.sort_order))
    context = {
        "scheme": scheme,
        "indicators": indicators,
        "weight_sum": sum((i.weight for i in indicators), 0),
        "assessments": assessments,
        "indicator_form": forms.IndicatorForm(),
        "plan": Plan.objects.for_org(request.organisation)
        .filter(year=scheme.year, status=Plan.Status.PUBLISHED)
        .first(),
    }
    return render(request, "assessment/scheme_detail.html", context)


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int):
    scheme = access.get_scheme(request, pk)
    form = forms.SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        services.update_scheme(scheme, by=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("考核方案已保存。"))
        return redirect("assessment:scheme-detail", pk=scheme.pk)
    return render(request, "assessment/scheme_edit.html", {"scheme": scheme, "form": form})


@role_required(*STAFF)
@require_POST
def indicator_add(request, pk: int):
    scheme = access.get_scheme(request, pk)
    form = forms.IndicatorForm(request.POST)
    if form.is_valid():
        services.add_indicator(scheme, by=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("指标已添加。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("assessment:scheme-detail", pk=scheme.pk)


@role_required(*STAFF)
@require_POST
def indicator_delete(request, pk: int, indicator_pk: int):
    scheme = access.get_scheme(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, scheme=scheme)
    try:
        services.delete_indicator(indicator, by=request.user, request=request)
        messages.success(request, _("指标已删除。"))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("assessment:scheme-detail", pk=scheme.pk)


@role_required(*STAFF)
@require_POST
def scheme_open(request, pk: int):
    scheme = access.get_scheme(request, pk)
    count = services.open_assessments(scheme, by=request.user, request=request)
    messages.success(request, _("已通知 %(n)s 个部门开展自评。") % {"n": count})
    return redirect("assessment:scheme-detail", pk=scheme.pk)


@role_required(*STAFF)
@require_POST
def scheme_publish(request, pk: int):
    scheme = access.get_scheme(request, pk)
    try:
        services.publish_results(scheme, by=request.user, request=request)
        messages.success(request, _("考核结果已发布，各部门已收到通知。"))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("assessment:scheme-detail", pk=scheme.pk)


@role_required(*READERS)
def export_xlsx(request, pk: int):
    from people.services import watermark

    scheme = access.get_scheme(request, pk)
    assessments = sorted(_ranked(scheme), key=lambda a: (a.rank is None, a.rank or 0, a.department.sort_order))
    data = exports.scoring_xlsx(scheme, assessments, watermark=watermark(request.user))
    audit.log("export", scheme, by=request.user, request=request, changes={"format": "xlsx", "rows": len(assessments)})
    return _download(data, f"{scheme.year}年度统战工作考核评分表.xlsx", XLSX)


@role_required(*READERS)
def export_docx(request, pk: int):
    scheme = access.get_scheme(request, pk)
    assessments = sorted(_ranked(scheme), key=lambda a: (a.rank is None, a.rank or 0, a.department.sort_order))
    data = exports.results_docx(scheme, assessments)
    audit.log("export", scheme, by=request.user, request=request, changes={"format": "docx"})
    return _download(data, f"{scheme.year}年度统战工作考核结果通报.docx", DOCX)


# --- One department: evidence, scoring, appeal ---------------------------------------------------


def _evidence(assessment: DepartmentAssessment) -> dict:
    """Records of the year pulled in automatically from plans, events and proposals."""
    from events.queries import year_held_events
    from plans.queries import year_reports_of_department
    from proposals.queries import year_department_answers

    org, year, dept = assessment.scheme.organisation, assessment.scheme.year, assessment.department_id
    reports = year_reports_of_department(org, year, dept)
    return {
        "progress": [r for r in reports if r["kind"] == "progress"],
        "closing": [r for r in reports if r["kind"] == "closing"],
        "events": year_held_events(org, year, dept),
        "proposals": year_department_answers(org, year, dept),
    }


def _department_context(request, assessment):
    scheme = assessment.scheme
    indicators = list(scheme.indicators.all())
    statements = {s.indicator_id: s for s in assessment.statements.all()}
    scores = {s.indicator_id: s for s in assessment.scores.prefetch_related("history__by")}
    return {
        "assessment": assessment,
        "scheme": scheme,
        "indicators": indicators,
        "statements": statements,
        "scores": scores,
        "files": list(assessment.files.all()),
        "evidence": _evidence(assessment),
        "adjustments": list(assessment.adjustments.all()),
        "appeal": Appeal.objects.filter(assessment=assessment).first(),
    }


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def department(request, pk: int):
    assessment = access.get_assessment(request, pk)
    if request.method == "POST" and request.membership.role != Role.UFD_STAFF:
        raise PermissionDenied
    context = _department_context(request, assessment)
    computed = services.computed_values(assessment)
    scores = context["scores"]
    initial_points = {
        i.pk: scores[i.pk].points if i.pk in scores else computed.get(i.pk, {}).get("points", "")
        for i in context["indicators"]
    }
    initial_notes = {i: s.comment for i, s in scores.items()}
    form = forms.ScoreForm(
        request.POST or None,
        indicators=context["indicators"],
        initial_points=initial_points,
        initial_notes=initial_notes,
        initial={"comment": assessment.comment, "version": assessment.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_scores(
                assessment,
                by=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(request, _("评分已保存。"))
            return redirect("assessment:department", pk=assessment.pk)
        except StaleEdit:
            form.add_error(None, STALE_MESSAGE.format(what=_("部门考核")))
            status = 409
    rows = [
        {
            "indicator": i,
            "statement": context["statements"].get(i.pk),
            "score": scores.get(i.pk),
            "computed": computed.get(i.pk),
            "points": form[f"points_{i.pk}"],
            "note": form[f"note_{i.pk}"],
        }
        for i in context["indicators"]
    ]
    context.update(
        {
            "rows": rows,
            "form": form,
            "adjustment_form": forms.AdjustmentForm(maximum=assessment.scheme.max_adjustment),
            "decision_form": forms.AppealDecisionForm(),
            "read_only": request.membership.role != Role.UFD_STAFF,
        }
    )
    return render(
        request, "assessment/department.html", context, status=400 if status == 200 and form.errors else status
    )


@role_required(*STAFF)
@require_POST
def adjustment_add(request, pk: int):
    assessment = access.get_assessment(request, pk)
    form = forms.AdjustmentForm(request.POST, maximum=assessment.scheme.max_adjustment)
    if form.is_valid():
        services.add_adjustment(
            assessment,
            by=request.user,
            kind=form.cleaned_data["kind"],
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
        messages.success(request, _("加扣分已记录。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("assessment:department", pk=assessment.pk)


@role_required(*STAFF)
@require_POST
def adjustment_delete(request, pk: int, line_pk: int):
    assessment = access.get_assessment(request, pk)
    line = get_object_or_404(Adjustment, pk=line_pk, assessment=assessment)
    services.delete_adjustment(line, by=request.user, request=request)
    messages.success(request, _("加扣分已删除。"))
    return redirect("assessment:department", pk=assessment.pk)


@role_required(*STAFF)
@require_POST
def appeal_decide(request, pk: int):
    assessment = access.get_assessment(request, pk)
    appeal = get_object_or_404(Appeal, assessment=assessment)
    form = forms.AppealDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_appeal(
                appeal,
                by=request.user,
                decision=form.cleaned_data["decision"],
                response=form.cleaned_data["response"],
                request=request,
            )
            messages.success(request, _("申诉已答复。"))
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, _("请选择处理结果并填写答复意见。"))
    return redirect("assessment:department", pk=assessment.pk)


# --- Liaisons: self-assessment and appeal ----------------------------------------------------------


@role_required(Role.LIAISON)
def mine(request):
    assessments = access.assessments_for(request).order_by("-scheme__year", "department__sort_order")
    letters = services.department_letters(request.membership.departments.values_list("pk", flat=True))
    return render(request, "assessment/mine.html", {"assessments": assessments, "letters": letters})


@role_required(Role.LIAISON)
@require_http_methods(["GET", "POST"])
def self_assess(request, pk: int):
    assessment = access.get_assessment(request, pk)
    context = _department_context(request, assessment)
    form = forms.SelfAssessmentForm(
        request.POST or None,
        indicators=context["indicators"],
        statements=context["statements"],
        initial={"summary": assessment.summary, "version": assessment.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_assessment(
                assessment,
                by=request.user,
                summary=form.cleaned_data["summary"],
                statements=form.statements(),
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(request, _("自评已保存。"))
            return redirect("assessment:self", pk=assessment.pk)
        except ValidationError as error:
            form.add_error(None, error)
        except StaleEdit:
            form.add_error(None, STALE_MESSAGE.format(what=_("自评")))
            status = 409
    published = assessment.scheme.is_published
    context.update(
        {
            "form": form,
            "file_form": forms.EvidenceFileForm(),
            "appeal_form": forms.AppealForm(),
            "editable": assessment.status == DepartmentAssessment.Status.OPEN,
            "published": published,
            "can_appeal": published
            and context["appeal"] is None
            and timezone.localdate() <= assessment.scheme.appeal_deadline,
        }
    )
    return render(request, "assessment/self.html", context, status=400 if status == 200 and form.errors else status)


@role_required(Role.LIAISON)
@require_POST
def self_submit(request, pk: int):
    assessment = access.get_assessment(request, pk)
    try:
        services.submit_self_assessment(assessment, by=request.user, request=request)
        messages.success(request, _("自评已提交统战部。"))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("assessment:self", pk=assessment.pk)


@role_required(Role.LIAISON)
@require_POST
def file_add(request, pk: int):
    assessment = access.get_assessment(request, pk)
    form = forms.EvidenceFileForm(request.POST, request.FILES)
    _save_upload(
        request,
        form,
        lambda upload, kind: services.add_self_file(
            assessment, by=request.user, upload=upload, kind=kind, request=request
        ),
        _("佐证材料已上传。"),
    )
    return redirect("assessment:self", pk=assessment.pk)


@role_required(Role.UFD_STAFF, Role.LEADER, Role.LIAISON)
def file_download(request, pk: int):
    record = access.get_self_file(request, pk)
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.original_name)


@role_required(Role.LIAISON)
@require_POST
def appeal(request, pk: int):
    assessment = access.get_assessment(request, pk)
    form = forms.AppealForm(request.POST)
    if form.is_valid():
        try:
            services.file_appeal(assessment, by=request.user, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("申诉已提交，统战部将尽快答复。"))
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, _("请填写申诉理由。"))
    return redirect("assessment:self", pk=assessment.pk)


# --- Responsibility letters ------------------------------------------------------------------------


@role_required(*STAFF)
def letters(request, plan_pk: int):
    plan = access.get_plan(request, plan_pk)
    rows = list(access.letters_for(request).filter(plan=plan))
    return render(request, "assessment/letters.html", {"plan": plan, "letters": rows, "scan_form": forms.ScanForm()})


@role_required(*STAFF)
@require_POST
def letters_generate(request, plan_pk: int):
    plan = access.get_plan(request, plan_pk)
    try:
        count = services.generate_letters(plan, by=request.user, request=request)
        messages.success(request, _("已生成 %(n)s 份目标责任书草稿。") % {"n": count})
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("assessment:letters", plan_pk=plan.pk)


@role_required(*STAFF)
@require_POST
def letters_issue(request, plan_pk: int):
    plan = access.get_plan(request, plan_pk)
    count = services.issue_letters(
        list(access.letters_for(request).filter(plan=plan)), by=request.user, request=request
    )
    messages.success(request, _("已下达 %(n)s 份目标责任书。") % {"n": count})
    return redirect("assessment:letters", plan_pk=plan.pk)


@role_required(Role.UFD_STAFF, Role.LIAISON)
def letter_docx(request, pk: int):
    letter = access.get_letter(request, pk)
    data = exports.letter_document(letter)
    audit.log("export", letter, by=request.user, request=request, changes={"format": "docx"})
    return _download(data, exports.letter_filename(letter), DOCX)


@role_required(*STAFF)
@require_POST
def letter_sign(request, pk: int):
    letter = access.get_letter(request, pk)
    form = forms.ScanForm(request.POST, request.FILES)
    _save_upload(
        request,
        form,
        lambda upload, kind: services.sign_letter(letter, by=request.user, upload=upload, kind=kind, request=request),
        _("已登记签订，扫描件已保存。"),
    )
    return redirect("assessment:letters", plan_pk=letter.plan_id)


@role_required(Role.UFD_STAFF, Role.LIAISON)
def letter_scan(request, pk: int):
    letter = access.get_letter(request, pk)
    if not letter.signed_file:
        raise Http404
    return FileResponse(letter.signed_file.open("rb"), as_attachment=True, filename=letter.signed_name)
