from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from core import audit
from core.concurrency import STALE_MESSAGE
from core.figures_cache import OrgPaginator
from core.http import file_download
from orgs.access import role_required
from orgs.models import Role
from people.models import Person
from proposals import exports, forms, queries, services
from proposals.models import (
    Answer,
    AnswerTemplate,
    Attachment,
    CoSigner,
    OutsideFiling,
    OutsideFilingFile,
    Proposal,
    Status,
)

STAFF, LIAISON, MEMBER, LEADER = Role.UFD_STAFF, Role.LIAISON, Role.MEMBER, Role.LEADER
PAGE_SIZE = 50


# --- Access helpers: each returns only what the user may see, else 404 ---------------------------


def _member_person(request) -> Person | None:
    return Person.objects.for_org(request.organisation).filter(user=request.user).first()


def _visible(request):
    """The suggestions the requesting user may open, by role."""
    proposals = Proposal.objects.for_org(request.organisation)
    role = request.membership.role
    if role in (STAFF, LEADER):
        # A member's draft is theirs until submitted.
        return proposals.exclude(Q(status=Status.DRAFT) & ~Q(submitted_by=request.user))
    if role == LIAISON:
        return proposals.for_departments(services.liaison_department_ids(request.user))
    if role == MEMBER:
        person = _member_person(request)
        return proposals.visible_to_member(person) if person else proposals.none()
    return proposals.none()


def _get_proposal_for_user(request, pk: int) -> Proposal:
    return get_object_or_404(_visible(request).select_related("submitter", "lead_department"), pk=pk)


def _detail_url(request, proposal: Proposal) -> str:
    role = request.membership.role
    if role == MEMBER:
        return reverse("proposals:my-detail", args=[proposal.pk])
    if role == LIAISON:
        if not _visible(request).filter(pk=proposal.pk).exists():
            return reverse("proposals:assigned")
        return reverse("proposals:handle", args=[proposal.pk])
    return reverse("proposals:detail", args=[proposal.pk])


# --- The action endpoint: every step of the workflow is one POST here ----------------------------


def _run(service, **fixed):
    return lambda proposal, data, request: service(proposal, by=request.user, request=request, **fixed, **data)


ACTIONS = {
    # action: (form class, how to call the service with the cleaned data)
    "submit": (None, _run(services.submit_proposal)),
    "delete": (None, _run(services.delete_draft)),
    "withdraw": (
        forms.NoteOnlyForm,
        lambda p, d, r: services.withdraw_proposal(p, by=r.user, reason=d["note"], request=r),
    ),
    "accept": (forms.NoteOnlyForm, _run(services.accept_proposal)),
    "decline": (forms.ReasonForm, _run(services.decline_proposal)),
    "merge": (
        forms.MergeForm,
        lambda p, d, r: services.merge_proposal(p, by=r.user, into=d["case_number"], note=d["note"], request=r),
    ),
    "assign": (forms.AssignForm, _run(services.assign_proposal)),
    "object": (forms.ReasonForm, _run(services.object_to_assignment)),
    "answer": (forms.AnswerForm, _run(services.answer_proposal)),
    "release": (forms.NoteOnlyForm, _run(services.release_answer)),
    "return_answer": (forms.ReasonForm, _run(services.return_answer)),
    "rate": (forms.RateForm, _run(services.rate_proposal)),
    "close": (forms.NoteOnlyForm, _run(services.close_proposal)),
    "cosign": (forms.CosignForm, _run(services.confirm_cosign)),
    "note": (forms.NoteForm, _run(services.add_note)),
    "flags": (forms.FlagsForm, _run(services.set_flags)),
    "urge": (forms.NoteOnlyForm, _run(services.urge_proposal)),
    "link": (forms.TargetLinkForm, _run(services.link_target)),
    "unlink": (forms.UnlinkForm, lambda p, d, r: services.unlink_target(d["link"], by=r.user, request=r)),
}
DONE = {
    "submit": _("已提交。"),
    "delete": _("草稿已删除。"),
    "withdraw": _("已撤回。"),
    "accept": _("已立案。"),
    "decline": _("已不予立案，并告知提出人。"),
    "merge": _("已并案。"),
    "assign": _("已交办。"),
    "object": _("已提出异议，统战部将重新交办。"),
    "answer": _("答复已提交。"),
    "release": _("答复已发布。"),
    "return_answer": _("答复已退回承办部门。"),
    "rate": _("感谢您的评价。"),
    "close": _("已办结。"),
    "cosign": _("已答复联名邀请。"),
    "note": _("备注已添加。"),
    "flags": _("已保存。"),
    "urge": _("已催办。"),
    "link": _("已关联目标。"),
    "unlink": _("已取消关联。"),
}


def action_form(action: str, proposal: Proposal, data=None, initial=None, files=None):
    form_class = ACTIONS[action][0]
    if form_class is None:
        return None
    kwargs = {"prefix": action, "initial": dict(initial or {}), "files": files}
    if form_class in (forms.MergeForm, forms.UnlinkForm):
        kwargs["proposal"] = proposal
    if form_class in (forms.AssignForm, forms.TargetLinkForm):
        kwargs["organisation"] = proposal.organisation
    return form_class(data, **kwargs)


@role_required(STAFF, LIAISON, MEMBER)
@require_POST
def act(request, pk: int, action: str):
    """One step on a suggestion; the services decide whether this user may take it now."""
    if action not in ACTIONS:
        raise Http404
    proposal = _get_proposal_for_user(request, pk)
    form = action_form(action, proposal, request.POST, files=request.FILES)
    if form is not None and not form.is_valid():
        messages.error(request, gettext("请检查填写的内容。"))
        return _render_detail(request, proposal, bound={action: form}, status=400)
    try:
        ACTIONS[action][1](proposal, form.cleaned_data if form else {}, request)
    except services.NotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect(_detail_url(request, proposal))
    messages.success(request, DONE[action])
    if action == "delete":
        return redirect("proposals:mine")
    return redirect(_detail_url(request, proposal))


def _render_detail(request, proposal: Proposal, *, bound=None, status=200):
    role = request.membership.role
    if role == MEMBER:
        return _member_detail(request, proposal, bound=bound, status=status)
    if role == LIAISON:
        return _liaison_detail(request, proposal, bound=bound, status=status)
    return _staff_detail(request, proposal, bound=bound, status=status)


def _forms_for(proposal, actions, bound, initial=None):
    initial = initial or {}
    return {a: (bound or {}).get(a) or action_form(a, proposal, initial=initial.get(a)) for a in actions}


def _with_related(proposal: Proposal):
    return (
        Proposal.objects.filter(pk=proposal.pk)
        .select_related("submitter__department", "lead_department", "merged_into", "submitted_by")
        .prefetch_related(
            "support_departments",
            "attachments",
            Prefetch("cosigners", queryset=CoSigner.objects.select_related("person__user")),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("department", "answered_by").prefetch_related("attachments"),
            ),
        )
        .get()
    )


# --- Member pages (phone) ---------------------------------------------------------------------------


@role_required(MEMBER)
def mine(request):
    person = _member_person(request)
    proposals = Proposal.objects.none()
    if person is not None:
        proposals = (
            Proposal.objects.for_org(request.organisation)
            .of_member(person)
            .select_related("submitter")
            .order_by("-created_at", "-id")
        )
    page = Paginator(proposals, 30).get_page(request.GET.get("page"))
    pending = []
    if person is not None:
        pending = list(
            CoSigner.objects.filter(
                person=person,
                confirmed_at__isnull=True,
                declined_at__isnull=True,
                proposal__organisation=request.organisation,
            )
            .exclude(proposal__status__in=[Status.DRAFT, Status.WITHDRAWN, Status.DECLINED, Status.CLOSED])
            .select_related("proposal__submitter")
        )
    return render(request, "proposals/mine.html", {"person": person, "page": page, "pending": pending})


@role_required(MEMBER)
def published(request):
    proposals = (
        Proposal.objects.for_org(request.organisation)
        .published()
        .select_related("submitter")
        .order_by("-is_excellent", "-answered_at", "-id")
    )
    page = Paginator(proposals, 30).get_page(request.GET.get("page"))
    return render(request, "proposals/published.html", {"page": page})


@role_required(MEMBER)
@require_http_methods(["GET", "POST"])
def new(request):
    person = _member_person(request)
    if person is None:
        return render(request, "proposals/member_form.html", {"person": None, "title": gettext("提建言")})
    form = forms.ProposalForm(
        request.POST or None, request.FILES or None, organisation=request.organisation, submitter=person
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal, created = services.save_draft(
                request.organisation,
                by=request.user,
                submitter=person,
                data=data,
                client_token=data["client_token"],
                files=data["files"],
                cosigners=data["cosigner_names"],
                request=request,
            )
            if request.POST.get("intent") == "submit" and proposal.status == Status.DRAFT:
                proposal = services.submit_proposal(proposal, by=request.user, request=request)
                messages.success(request, gettext("已提交，统战部将尽快审核。"))
            elif not created and proposal.status != Status.DRAFT:
                messages.info(request, gettext("这份建言已经提交过了，无需重复提交。"))
            else:
                messages.success(request, gettext("草稿已保存。"))
        except services.NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("proposals:my-detail", pk=proposal.pk)
    return render(request, "proposals/member_form.html", {"person": person, "form": form, "title": gettext("提建言")})


@role_required(MEMBER)
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    person = _member_person(request)
    proposal = (
        get_object_or_404(
            Proposal.objects.for_org(request.organisation).filter(submitter=person, status=Status.DRAFT), pk=pk
        )
        if person
        else None
    )
    if proposal is None:
        raise Http404
    form = forms.ProposalForm(
        request.POST or None,
        request.FILES or None,
        organisation=request.organisation,
        submitter=person,
        instance=proposal,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.update_draft(
                proposal,
                by=request.user,
                data=data,
                version=data["version"] or 0,
                files=data["files"],
                cosigners=data["cosigner_names"],
                remove=data.get("remove") or [],
                request=request,
            )
            if request.POST.get("intent") == "submit":
                services.submit_proposal(proposal, by=request.user, request=request)
                messages.success(request, gettext("已提交，统战部将尽快审核。"))
            else:
                messages.success(request, gettext("草稿已保存。"))
        except services.StaleEdit:
            messages.error(request, STALE_MESSAGE.format(what=gettext("草稿")))
            return render(
                request,
                "proposals/member_form.html",
                {"person": person, "form": form, "proposal": proposal, "title": gettext("修改草稿")},
                status=409,
            )
        except services.NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("proposals:my-detail", pk=proposal.pk)
    return render(
        request,
        "proposals/member_form.html",
        {"person": person, "form": form, "proposal": proposal, "title": gettext("修改草稿")},
    )


@role_required(MEMBER)
def my_detail(request, pk: int):
    return _member_detail(request, _get_proposal_for_user(request, pk))


def _member_detail(request, proposal, *, bound=None, status=200):
    proposal = _with_related(proposal)
    person = _member_person(request)
    allowed = services.allowed_actions(proposal, request.user)
    own = proposal.submitter_id == person.pk
    invitation = next(
        (c for c in proposal.cosigners.all() if c.person_id == person.pk and not (c.confirmed_at or c.declined_at)),
        None,
    )
    context = {
        "proposal": proposal,
        "own": own,
        "events": proposal.events.filter(is_public=True).select_related("department"),
        "answers": [a for a in proposal.answers.all() if a.state == Answer.State.RELEASED],
        "allowed": allowed,
        "forms": _forms_for(proposal, [a for a in ("withdraw", "rate") if a in allowed], bound),
        "invitation": invitation if proposal.status not in (Status.CLOSED, Status.WITHDRAWN) else None,
    }
    return render(request, "proposals/my_detail.html", context, status=status)


# --- UFD staff (and the leader, read-only) ------------------------------------------------------------


def _inbox_queryset(request, form):
    return (
        form.filter(Proposal.objects.for_org(request.organisation).exclude(status=Status.DRAFT))
        .select_related("submitter", "lead_department")
        .order_by("-submitted_at", "-id")
    )


@role_required(STAFF, LEADER)
def inbox(request):
    form = forms.ProposalFilterForm(request.GET or None, organisation=request.organisation)
    # The rows show the submitter's name only: not their contact details, which are decrypted on load.
    proposals = _inbox_queryset(request, form).defer("submitter__phone", "submitter__email")
    page = OrgPaginator(proposals, PAGE_SIZE, organisation=request.organisation).get_page(request.GET.get("page"))
    counts = queries.inbox_status_counts(request.organisation)
    tiles = [
        (s, Status(s).label, counts.get(s, 0))
        for s in (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.ANSWER_REVIEW, Status.REHANDLING)
    ]
    return render(request, "proposals/inbox.html", {"form": form, "page": page, "tiles": tiles})


@role_required(STAFF)
def export_xlsx(request):
    form = forms.ProposalFilterForm(request.GET or None, organisation=request.organisation)
    proposals = _inbox_queryset(request, form).prefetch_related("support_departments")
    with override(settings.LANGUAGE_CODE):  # official documents stay Chinese
        data, count = exports.proposal_list_xlsx(proposals, user=request.user)
    audit.log(
        "export",
        by=request.user,
        organisation=request.organisation,
        request=request,
        changes={"rows": count, "filters": request.GET.urlencode()},
        object_type="proposals.proposal",
    )
    return file_download(data, f"建言献策清单{timezone.localdate():%Y%m%d}.xlsx", exports.XLSX)


@role_required(STAFF, LEADER)
def detail(request, pk: int):
    return _staff_detail(request, _get_proposal_for_user(request, pk))


def _staff_detail(request, proposal, *, bound=None, status=200):
    proposal = _with_related(proposal)
    staff = request.membership.role == STAFF
    allowed = services.allowed_actions(proposal, request.user)
    extra = []
    if staff:
        extra = ["note", "flags"] + (["urge"] if proposal.status in (Status.ASSIGNED, Status.REHANDLING) else [])
        if proposal.submitted_at:
            extra.append("link")
    initial = {"flags": {"excellent": proposal.is_excellent, "published": proposal.is_published}}
    if proposal.status == Status.ASSIGNED:
        initial["assign"] = {
            "lead": proposal.lead_department_id,
            "support": [d.pk for d in proposal.support_departments.all()],
            "due_date": proposal.due_date,
            "review_required": proposal.review_required,
        }
    context = {
        "proposal": proposal,
        "staff": staff,
        "events": proposal.events.select_related("user", "department"),
        "answers": proposal.answers.all(),
        "notes": proposal.notes.select_related("author", "department") if staff else [],
        "links": proposal.target_links.select_related("target__item") if staff else [],
        "merged": proposal.merged.select_related("submitter") if staff else [],
        "allowed": allowed,
        "forms": _forms_for(proposal, allowed + extra, bound, initial) if staff else {},
    }
    return render(request, "proposals/detail.html", context, status=status)


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def on_behalf(request):
    form = forms.OnBehalfForm(request.POST or None, request.FILES or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal, created = services.submit_on_behalf(
                request.organisation,
                by=request.user,
                submitter=data["submitter"],
                data=data,
                client_token=data["client_token"],
                files=data["files"],
                cosigners=data["cosigner_names"],
                request=request,
            )
        except services.NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, gettext("已代为提交。") if created else gettext("这份建言已经提交过了，无需重复提交。")
            )
            return redirect("proposals:detail", pk=proposal.pk)
    return render(request, "proposals/on_behalf.html", {"form": form})


@role_required(STAFF)
def export_docx(request, pk: int):
    proposal = _with_related(_get_proposal_for_user(request, pk))
    with override(settings.LANGUAGE_CODE):  # official documents stay Chinese
        data = exports.handling_form_docx(proposal)
    audit.log(
        "export",
        proposal,
        by=request.user,
        organisation=request.organisation,
        request=request,
        changes={"format": "docx"},
    )
    return file_download(data, f"办理单{proposal.case_number or proposal.pk}.docx", exports.DOCX)


@role_required(STAFF, LEADER)
def supervision(request):
    today = timezone.localdate()
    base = Proposal.objects.for_org(request.organisation).select_related("lead_department", "submitter")
    context = {
        "overdue": queries.overdue_proposals(request.organisation, today)[:200],
        "due_soon": base.due_soon(today).order_by("due_date", "id")[:200],
        "review": base.filter(status=Status.ANSWER_REVIEW).order_by("updated_at")[:200],
        "waiting": base.filter(status=Status.SUBMITTED).order_by("submitted_at")[:200],
        "staff": request.membership.role == STAFF,
    }
    return render(request, "proposals/supervision.html", context)


@role_required(STAFF, LEADER)
def figures(request):
    form = forms.FiguresForm(request.GET or None, organisation=request.organisation)
    values = form.values()
    numbers = queries.figures(request.organisation, **values)
    excellent = queries.excellent(request.organisation, **values)
    return render(
        request,
        "proposals/figures.html",
        {"form": form, "year": values["year"], "figures": numbers, "excellent": excellent},
    )


# --- Department liaisons ----------------------------------------------------------------------------


@role_required(LIAISON)
def assigned(request):
    proposals = _visible(request).select_related("lead_department", "submitter").order_by("status", "due_date", "-id")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/assigned.html",
        {"page": page, "department_ids": services.liaison_department_ids(request.user)},
    )


@role_required(LIAISON)
def handle(request, pk: int):
    proposal = _get_proposal_for_user(request, pk)
    if request.htmx and "template" in request.GET:
        return _liaison_detail(request, proposal, partial=True)
    return _liaison_detail(request, proposal)


def _liaison_detail(request, proposal, *, bound=None, status=200, partial=False):
    proposal = _with_related(proposal)
    allowed = services.allowed_actions(proposal, request.user)
    templates = AnswerTemplate.objects.filter(organisation=request.organisation)
    initial = {}
    chosen = (
        templates.filter(pk=request.GET.get("template")).first() if request.GET.get("template", "").isdigit() else None
    )
    if chosen is not None:
        initial["answer"] = {"text": chosen.text, "outcome": chosen.outcome or None}
    context = {
        "proposal": proposal,
        "roles": services.roles_of(proposal, request.user),
        "events": proposal.events.select_related("user", "department"),
        "answers": proposal.answers.all(),
        "notes": proposal.notes.select_related("author", "department"),
        "allowed": allowed,
        "forms": _forms_for(proposal, [*allowed, "note"], bound, initial),
        "templates": templates,
        "chosen": chosen,
    }
    template = "proposals/handle.html#answer_form" if partial else "proposals/handle.html"
    return render(request, template, context, status=status)


# --- Attachments ------------------------------------------------------------------------------------


@role_required(STAFF, LEADER, LIAISON, MEMBER)
def attachment(request, pk: int):
    items = Attachment.objects.filter(proposal__in=_visible(request))
    if request.membership.role == MEMBER:
        # An answer's file only once that answer is released (like the answer itself).
        items = items.filter(Q(answer__isnull=True) | Q(answer__state=Answer.State.RELEASED))
    item = get_object_or_404(items, pk=pk)
    return file_download(item.file.open("rb"), item.original_name)


# --- Answer templates ---------------------------------------------------------------------------------


@role_required(STAFF)
def templates(request):
    items = AnswerTemplate.objects.filter(organisation=request.organisation)
    return render(request, "proposals/templates.html", {"templates": items})


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def template_new(request):
    return _template_form(request, None)


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int):
    return _template_form(request, get_object_or_404(AnswerTemplate, organisation=request.organisation, pk=pk))


def _template_form(request, template):
    form = forms.AnswerTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        services.save_template(
            request.organisation, by=request.user, data=form.cleaned_data, template=template, request=request
        )
        messages.success(request, gettext("模板已保存。"))
        return redirect("proposals:templates")
    return render(request, "proposals/template_form.html", {"form": form, "template": template})


@role_required(STAFF)
@require_POST
def template_delete(request, pk: int):
    template = get_object_or_404(AnswerTemplate, organisation=request.organisation, pk=pk)
    services.delete_template(template, by=request.user, request=request)
    messages.success(request, gettext("模板已删除。"))
    return redirect("proposals:templates")


# --- Part 2: outside filings --------------------------------------------------------------------------


@role_required(STAFF)
def outside_list(request):
    form = forms.YearForm(request.GET or None)
    rows, total = queries.outside_statistics(request.organisation, year=form.chosen_year)
    pending = (
        OutsideFiling.objects.for_org(request.organisation)
        .filter(verified_at__isnull=True)
        .select_related("person")
        .order_by("date", "id")[:200]
    )
    return render(
        request,
        "proposals/outside_list.html",
        {"form": form, "year": form.chosen_year, "rows": rows, "total": total, "pending": pending},
    )


@role_required(STAFF)
def outside_export(request):
    form = forms.YearForm(request.GET or None)
    with override(settings.LANGUAGE_CODE):  # official documents stay Chinese
        rows, total = queries.outside_statistics(request.organisation, year=form.chosen_year)
        data = exports.outside_statistics_xlsx(rows, total, year=form.chosen_year, user=request.user)
    audit.log(
        "export",
        by=request.user,
        organisation=request.organisation,
        request=request,
        changes={"year": form.chosen_year, "rows": len(rows)},
        object_type="proposals.outsidefiling",
    )
    return file_download(data, f"{form.chosen_year}年履职统计表.xlsx", exports.XLSX)


def _get_filing_for_staff(request, pk):
    return get_object_or_404(
        OutsideFiling.objects.for_org(request.organisation).select_related("person__department", "verified_by"), pk=pk
    )


@role_required(STAFF)
def outside_detail(request, pk: int):
    filing = _get_filing_for_staff(request, pk)
    return render(request, "proposals/outside_detail.html", {"filing": filing, "form": forms.VerifyForm()})


@role_required(STAFF)
@require_POST
def outside_verify(request, pk: int):
    filing = _get_filing_for_staff(request, pk)
    form = forms.VerifyForm(request.POST)
    if not form.is_valid():
        return render(request, "proposals/outside_detail.html", {"filing": filing, "form": form}, status=400)
    services.verify_outside_filing(
        filing, by=request.user, verified=form.cleaned_data["verified"], note=form.cleaned_data["note"], request=request
    )
    messages.success(request, gettext("已核实。") if form.cleaned_data["verified"] else gettext("已退回补充。"))
    return redirect("proposals:outside-list")


@role_required(MEMBER)
def outside_mine(request):
    person = _member_person(request)
    filings = (
        OutsideFiling.objects.for_org(request.organisation).filter(person=person).prefetch_related("files")
        if person
        else OutsideFiling.objects.none()
    )
    return render(request, "proposals/outside_mine.html", {"person": person, "filings": filings})


@role_required(MEMBER)
@require_http_methods(["GET", "POST"])
def outside_new(request):
    person = _member_person(request)
    if person is None:
        return render(request, "proposals/outside_mine.html", {"person": None})
    form = forms.OutsideFilingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.create_outside_filing(
            request.organisation,
            by=request.user,
            person=person,
            data=form.cleaned_data,
            files=form.cleaned_data["files"],
            request=request,
        )
        messages.success(request, gettext("已登记，统战部核实后计入年度履职统计。"))
        return redirect("proposals:outside-mine")
    return render(request, "proposals/outside_form.html", {"form": form, "title": gettext("登记履职记录")})


@role_required(MEMBER)
@require_http_methods(["GET", "POST"])
def outside_edit(request, pk: int):
    person = _member_person(request)
    filing = get_object_or_404(OutsideFiling.objects.for_org(request.organisation).filter(person=person), pk=pk)
    form = forms.OutsideFilingForm(request.POST or None, request.FILES or None, instance=filing)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_outside_filing(
                filing,
                by=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"] or 0,
                files=form.cleaned_data["files"],
                request=request,
            )
        except services.StaleEdit:
            messages.error(request, STALE_MESSAGE.format(what=gettext("记录")))
            return render(
                request,
                "proposals/outside_form.html",
                {"form": form, "filing": filing, "title": gettext("修改履职记录")},
                status=409,
            )
        messages.success(request, gettext("已保存，统战部将重新核实。"))
        return redirect("proposals:outside-mine")
    return render(
        request, "proposals/outside_form.html", {"form": form, "filing": filing, "title": gettext("修改履职记录")}
    )


@role_required(STAFF, MEMBER)
def outside_file(request, pk: int):
    files = OutsideFilingFile.objects.filter(filing__organisation=request.organisation)
    if request.membership.role == MEMBER:
        files = files.filter(filing__person__user=request.user)
    item = get_object_or_404(files, pk=pk)
    return file_download(item.file.open("rb"), item.original_name)
