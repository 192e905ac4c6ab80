from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core import audit
from core.concurrency import STALE_MESSAGE
from core.http import file_download
from orgs.access import role_required
from orgs.models import Department, Role
from plans import access, exports, forms, imports, services
from plans.models import (
    STATUS_INPUTS,
    Item,
    ItemEvent,
    ItemQuerySet,
    ItemSupport,
    Milestone,
    Plan,
    PlanImport,
    ProgressReport,
    Section,
    Target,
    item_status,
    progress_text,
)

READERS = (Role.UFD_STAFF, Role.LEADER, Role.LIAISON)
STATUS_TEXT = {
    Item.Status.DONE: gettext_lazy("已完成"),
    Item.Status.OVERDUE: gettext_lazy("逾期"),
    Item.Status.IN_PROGRESS: gettext_lazy("推进中"),
    Item.Status.NOT_STARTED: gettext_lazy("未启动"),
}
LIGHT_TEXT = {
    Item.Light.GREEN: gettext_lazy("绿灯"),
    Item.Light.YELLOW: gettext_lazy("黄灯"),
    Item.Light.RED: gettext_lazy("红灯"),
}


# --- Plans and import -------------------------------------------------------------------


@role_required(*READERS)
def plan_list(request):
    plans = access.plans_for(request).select_related("created_by")
    pending = []
    if request.membership.role == Role.UFD_STAFF:
        pending = list(imports.pending_imports(request.organisation)[:50])
    return render(request, "plans/plan_list.html", {"plans": plans, "pending": pending})


@role_required(Role.UFD_STAFF)
@require_POST
def plan_import_discard(request, pk: int):
    record = access.get_import_for_user(request, pk, unsaved=True)
    imports.discard_import(record, by=request.user, request=request)
    messages.success(request, _("已放弃导入“%(name)s”。") % {"name": record.source_name or record.pk})
    return redirect("plans:list")


@role_required(Role.UFD_STAFF)
@require_http_methods(["GET", "POST"])
def plan_import(request):
    form = forms.PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = imports.start_import(
            request.organisation,
            by=request.user,
            data=form.cleaned_data["data"],
            filename=form.cleaned_data["filename"],
            year=form.cleaned_data["year"],
        )
        return redirect("core:job-status", pk=record.job_id)
    return render(request, "plans/plan_import.html", {"form": form})


def _review_forms(request, record: PlanImport):
    parsed = record.parsed
    choices = forms.department_choices(request.organisation)
    names = imports.all_department_names(parsed)
    resolved = imports.resolve_names(request.organisation, names)
    unresolved = [n for n, d in resolved.items() if d is None]
    data = request.POST if request.method == "POST" else None
    year = record.year or timezone.localdate().year
    if data is not None and data.get("head-year", "").strip().isdigit():
        year = int(data["head-year"])
    # A plan of the same year already there: the reviewer must choose (a draft first, as it can be replaced).
    same_year = list(Plan.objects.for_org(request.organisation).filter(year=year).order_by("status", "-created_at"))
    existing = same_year[0] if same_year else None
    head = forms.ReviewHeadForm(
        data,
        prefix="head",
        initial={"title": parsed.get("title") or "", "year": record.year or timezone.localdate().year},
        existing=existing,
        taken_titles=[p.title for p in same_year],
    )
    unresolved_forms = [
        forms.UnresolvedForm(data, prefix=f"u{i}", name=name, choices=choices) for i, name in enumerate(unresolved)
    ]
    rows = []
    effective: dict[str, tuple[list[str], list[str]]] = {}  # departments by row key, inherited when none
    for row in services.plan_rows(parsed):
        node = row["node"]
        lead_names, support_names = node["departments"]["lead"], node["departments"]["support"]
        parent = effective.get(row["key"].rpartition(".")[0])
        if not lead_names and not support_names and parent:
            # departments written on a section heading apply to each of its items
            lead_names, support_names = parent
        effective[row["key"]] = (lead_names, support_names)
        lead = next((resolved[n] for n in lead_names if resolved.get(n)), None)
        initial = {
            "marker": node.get("marker", ""),
            "title": node["title"],
            "text": node.get("text", ""),
            "targets": forms.targets_text(node.get("targets", [])),
            "lead": lead.pk if lead else None,
            "support": [resolved[n].pk for n in support_names if resolved.get(n)],
        }
        row["form"] = forms.ReviewRowForm(
            data, prefix=f"r{row['key']}", initial=initial, choices=choices, is_section=row["depth"] == 0
        )
        row["names"] = {"lead": lead_names, "support": support_names}
        row["warnings"] = node.get("warnings", [])
        rows.append(row)
    return head, unresolved_forms, rows, existing


@role_required(Role.UFD_STAFF)
@require_http_methods(["GET", "POST"])
def plan_import_review(request, pk: int):
    record = access.get_import_for_user(request, pk)
    if record.plan_id:
        return redirect("plans:detail", pk=record.plan_id)
    if record.parsed is None:
        return render(request, "plans/plan_import_failed.html", {"record": record}, status=200)
    if request.method == "POST" and request.POST.get("op"):
        return _edit_import(request, record)
    head, unresolved_forms, rows, existing = _review_forms(request, record)
    if request.method == "POST":
        valid = all([head.is_valid(), *(f.is_valid() for f in unresolved_forms), *(r["form"].is_valid() for r in rows)])
        if valid:
            plan = _confirm_import(request, record, head, unresolved_forms, rows, existing)
            messages.success(request, _("已导入“%(title)s”（草稿）。核对无误后请发布。") % {"title": plan.title})
            return redirect("plans:detail", pk=plan.pk)
        messages.error(request, _("有内容需要修改，请查看标红的项目。"))
    context = {
        "record": record,
        "sections": [
            (i, f"{n.get('marker', '')}{n.get('title', '')}") for i, n in enumerate(record.parsed["sections"])
        ],
        "head": head,
        "unresolved_forms": unresolved_forms,
        "rows": rows,
        "existing": existing,
        "warnings": record.parsed.get("warnings", []),
        "item_count": sum(1 for r in rows if r["depth"]),
        "section_count": sum(1 for r in rows if not r["depth"]),
    }
    return render(request, "plans/plan_import_review.html", context)


def _edit_import(request, record: PlanImport):
    """Merge, split or move one item of the parse; the reviewer's other edits on the page are kept."""
    form = forms.ReviewEditForm(request.POST, sections=len(record.parsed["sections"]))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("plans:import-review", pk=record.pk)
    _plan_form, _forms, rows, _names = _review_forms(request, record)
    names = dict(Department.objects.for_org(request.organisation).values_list("pk", "name"))
    try:
        key = imports.edit_parse(record, rows, names, **form.cleaned_data)
    except imports.EditError as error:
        messages.error(request, _(error.message))
        return redirect("plans:import-review", pk=record.pk)
    done = dict(forms.ReviewEditForm.OPS)[form.cleaned_data["op"]]
    messages.success(request, _("已%(done)s，请继续核对。") % {"done": done})
    return redirect(reverse("plans:import-review", args=[record.pk]) + f"#row-{key}")


def _confirm_import(request, record, head, unresolved_forms, rows, existing) -> Plan:
    from django.db import transaction

    departments = {d.pk: d for d in Department.objects.for_org(request.organisation)}
    with transaction.atomic():
        choices = {
            f.name: (
                f.cleaned_data["action"],
                departments.get(f.cleaned_data.get("department")),
                f.cleaned_data.get("new_name", "").strip(),
            )
            for f in unresolved_forms
        }
        chosen = imports.apply_department_choices(request.organisation, choices, by=request.user)
        names = imports.all_department_names(record.parsed)
        department_map = imports.resolve_names(request.organisation, names) | chosen
        overrides = {}
        for row in rows:
            data = row["form"].cleaned_data
            edit = {"title": data["title"], "marker": data["marker"], "text": data["text"]}
            if row["depth"]:
                edit["lead"] = departments.get(data["lead"]) or _first(row["names"]["lead"], chosen)
                # Keep the order the plan lists them in (a select submits options in its own order).
                written = [d.pk for n in row["names"]["support"] if (d := department_map.get(n))]
                picked = sorted(data["support"], key=lambda i: written.index(i) if i in written else len(written))
                support = [departments[i] for i in picked if i in departments]
                support += [d for n in row["names"]["support"] if (d := chosen.get(n)) and d not in support]
                edit["support"] = support
                if data["due_date"]:
                    edit["due_date"] = data["due_date"]
                edit["targets"] = data["targets"]
            overrides[row["key"]] = edit
        replace = existing if head.cleaned_data.get("existing") == "replace" and not existing.is_published else None
        plan = services.save_parsed_plan(
            request.organisation,
            record.parsed,
            by=request.user,
            year=head.cleaned_data["year"],
            title=head.cleaned_data["title"],
            source_name=record.source_name,
            department_map=department_map,
            overrides=overrides,
            replace=replace,
            request=request,
        )
        record.plan = plan
        record.save(update_fields=["plan"])
    return plan


def _first(names, chosen):
    return next((chosen[n] for n in names if chosen.get(n)), None)


def _rows(queryset, today, *, show_plan: bool = False) -> list[Item]:
    """Items for a list page with what a row shows attached: support department names, targets
    and milestones come in three flat queries, so 2,000 items render quickly. `show_plan`: the
    list mixes plans, so each row names its plan (year and title)."""
    items = list(
        queryset.select_related("lead_department", "plan") if show_plan else queryset.select_related("lead_department")
    )
    return _attach_row_data(items, today, show_plan=show_plan)


def _attach_row_data(items: list[Item], today, *, show_plan: bool = False) -> list[Item]:
    """What `_rows` attaches, for items already fetched (with `lead_department`, and `plan` when
    `show_plan`): three queries whatever the number of items, so a page of several lists of items
    fetches them together."""
    ids = [item.pk for item in items]
    supports, targets, milestones = defaultdict(list), defaultdict(list), defaultdict(list)
    for item_id, department_id, name in ItemSupport.objects.filter(item_id__in=ids).values_list(
        "item_id", "department_id", "department__name"
    ):
        supports[item_id].append((department_id, name))
    for row in Target.objects.filter(item_id__in=ids).values("item_id", "text", "count", "achieved"):
        targets[row["item_id"]].append(row)
    for item_id, due, done in Milestone.objects.filter(item_id__in=ids).values_list("item_id", "due_date", "done_at"):
        milestones[item_id].append((due, done))
    for item in items:
        item.current_status = item.status_on(today)
        item.current_light = item.light_on(today, milestones[item.pk])
        item.status_text = STATUS_TEXT[item.current_status]
        item.light_text = LIGHT_TEXT[item.current_light]
        item.support_pairs = supports[item.pk]
        item.support_names = "、".join(name for _pk, name in supports[item.pk])
        item.due_text = format_date(item.due_date, _("Y年n月j日"))
        item.target_list = targets[item.pk]
        item.progress_text = progress_text(item.progress, [(t["achieved"], t["count"]) for t in item.target_list])
        if show_plan:
            item.plan_label = item.plan.label
    return items


PLAN_TREE_INLINE = 200  # items; a larger plan shows its sections closed, each loaded when opened


@role_required(*READERS)
def plan_detail(request, pk: int):
    plan = access.get_plan_for_user(request, pk)
    sections = list(Section.objects.filter(plan=plan))
    today = timezone.localdate()
    # The figures over every item from plain values (a province's plan has ~1,000 items).
    figures = list(Item.objects.filter(plan=plan).values_list("section_id", "progress", *STATUS_INPUTS))
    total = len(figures)
    lazy = total > PLAN_TREE_INLINE
    # A large plan: no rows (their departments, targets and milestones) until a section is opened
    # (`plan_section`, fetched by htmx).
    rows = defaultdict(list)
    for item in [] if lazy else _rows(Item.objects.filter(plan=plan), today):
        rows[item.section_id].append(item)
    counts, progress, summary = defaultdict(int), defaultdict(int), defaultdict(int)
    for section_id, item_progress, *status_inputs in figures:
        counts[section_id] += 1
        progress[section_id] += item_progress
        summary[item_status(today, *status_inputs)] += 1
    for section in sections:
        section.tracked = rows.get(section.pk, [])
        section.tracked_count = counts[section.pk]
        section.progress = round(progress[section.pk] / counts[section.pk]) if counts[section.pk] else 0
    context = {
        "plan": plan,
        "sections": sections,
        "lazy": lazy,
        "total": total,
        "summary": [(Item.Status(s).label, s, summary.get(s, 0)) for s in Item.Status.values],
        "progress": round(sum(progress.values()) / total) if total else 0,
    }
    return render(request, "plans/plan_detail.html", context)


@role_required(*READERS)
def plan_section(request, pk: int, section_pk: int):
    """One section's items: rows for the plan page (htmx), or a page of its own without JavaScript."""
    plan = access.get_plan_for_user(request, pk)
    section = get_object_or_404(Section, plan=plan, pk=section_pk)
    section.tracked = _rows(Item.objects.filter(plan=plan, section=section), timezone.localdate())
    if request.headers.get("HX-Request"):
        return render(request, "plans/_section_rows.html", {"section": section})
    return render(request, "plans/plan_section.html", {"plan": plan, "section": section})


@role_required(Role.UFD_STAFF)
@require_POST
def plan_publish(request, pk: int):
    plan = access.get_plan_for_user(request, pk)
    try:
        notified = services.publish_plan(plan, by=request.user, request=request)
        messages.success(request, _("已发布，已通知 %(count)s 位部门联络员。") % {"count": notified})
    except services.NotAllowed as error:
        messages.error(request, str(error))
    return redirect("plans:detail", pk=plan.pk)


@role_required(Role.UFD_STAFF)
@require_POST
def plan_delete(request, pk: int):
    plan = access.get_plan_for_user(request, pk)
    try:
        services.delete_plan(plan, by=request.user, request=request)
        messages.success(request, _("草稿已删除。"))
    except services.NotAllowed as error:
        messages.error(request, str(error))
        return redirect("plans:detail", pk=plan.pk)
    return redirect("plans:list")


@role_required(Role.UFD_STAFF, Role.LEADER)
def plan_export(request, pk: int):
    plan = access.get_plan_for_user(request, pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in exports.FORMATS:
        raise Http404
    data, content_type = exports.breakdown(plan, fmt=fmt, by=request.user)
    audit.log("export", plan, by=request.user, request=request, changes={"format": fmt, "rows": plan.items.count()})
    return file_download(data, f"{plan.year}年任务分解表.{fmt}", content_type)


# --- Items ------------------------------------------------------------------------------


@role_required(*READERS)
def item_detail(request, pk: int):
    item = access.get_item_for_user(request, pk)
    reports = (
        ProgressReport.objects.filter(item=item).select_related("author", "department").prefetch_related("evidence")
    )
    events = ItemEvent.objects.filter(item=item).select_related("user")
    user = request.user
    is_staff = request.membership.role == Role.UFD_STAFF
    can_report = item.plan.is_published and not item.accepted_at and access.can_report(item, user)
    context = {
        "item": item,
        "reports": reports,
        "events": events,
        "targets": item.targets.prefetch_related("achievements"),
        "can_report": can_report,
        "can_close": access.can_close(item, user),
        "is_staff": is_staff,
        "report_form": forms.ReportForm(can_close=access.can_close(item, user)) if can_report else None,
        "reason_form": forms.ReasonForm(),
        "accept_form": forms.AcceptForm(),
        "unmet": [t for t in item.targets.all() if not t.is_met],
        "note_form": forms.NoteForm(auto_id="urge-%s"),  # the accept form has a "note" too: ids stay unique
        "milestone_form": forms.MilestoneForm(),
    }
    return render(request, "plans/item_detail.html", context)


@role_required(Role.LIAISON)
@require_POST
def item_report(request, pk: int):
    item = access.get_item_for_user(request, pk)
    if not access.can_report(item, request.user):
        raise PermissionDenied
    form = forms.ReportForm(request.POST, request.FILES, can_close=access.can_close(item, request.user))
    if form.is_valid():
        try:
            services.post_report(
                item,
                by=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                closing=form.cleaned_data.get("closing", False),
                request=request,
            )
            messages.success(request, _("进展已报送。"))
            return redirect("plans:item-detail", pk=item.pk)
        except services.NotAllowed as error:
            form.add_error(None, str(error))
    context = {
        "item": item,
        "report_form": form,
        "can_report": True,
        "reports": item.reports.all(),
        "events": item.events.all(),
        "targets": item.targets.all(),
    }
    return render(request, "plans/item_detail.html", context, status=400)


def _staff_action(request, pk: int, action):
    item = access.get_item_for_user(request, pk)
    try:
        action(item)
    except services.NotAllowed as error:
        messages.error(request, str(error))
    return redirect("plans:item-detail", pk=item.pk)


@role_required(Role.UFD_STAFF)
@require_POST
def item_accept(request, pk: int):
    form = forms.AcceptForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}

    def accept(item):
        services.accept_closing(
            item,
            by=request.user,
            note=data.get("note", ""),
            unmet_confirmed=data.get("unmet_confirmed", False),
            unmet_reason=data.get("unmet_reason", ""),
            request=request,
        )
        messages.success(request, _("已销号。"))

    return _staff_action(request, pk, accept)


@role_required(Role.UFD_STAFF)
@require_POST
def item_return(request, pk: int):
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写退回原因。"))
        return redirect("plans:item-detail", pk=access.get_item_for_user(request, pk).pk)

    def send_back(item):
        services.return_closing(item, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, _("已退回办结报告。"))

    return _staff_action(request, pk, send_back)


@role_required(Role.UFD_STAFF)
@require_POST
def item_urge(request, pk: int):
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""

    def press(item):
        count = services.urge(item, by=request.user, note=note, request=request)
        _urge_messages(request, [(item, count, services.departments_without_liaison(item.departments()))])

    response = _staff_action(request, pk, press)
    target = request.POST.get("next", "")
    return redirect(target) if target.startswith(reverse("plans:list")) else response


def _urge_messages(request, results) -> None:
    """One success line, and a warning naming the departments no liaison could be told for."""
    notified = sum(count for _item, count, _missing in results)
    missing = list(dict.fromkeys(d.name for _item, _count, gaps in results for d in gaps))
    if notified:
        messages.success(
            request,
            _("已催办 %(items)d 项任务，通知了 %(people)d 位联络员。") % {"items": len(results), "people": notified},
        )
    if missing:
        text = _("以下部门没有联络员，催办未能送达：%(names)s。请在部门管理中为其指定联络员，或电话催办。")
        messages.warning(request, text % {"names": "、".join(missing)})
    elif not notified:
        messages.warning(request, _("已记录催办，但没有可通知的联络员（任务未指定牵头或配合部门）。"))


@role_required(Role.UFD_STAFF)
@require_POST
def urge_many(request):
    form = forms.UrgeManyForm(request.POST, organisation=request.organisation)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("所选任务不可催办。")]:
            messages.error(request, error)
        return redirect("plans:supervision")
    results = services.urge_many(
        form.cleaned_data["chosen"], by=request.user, note=form.cleaned_data["note"], request=request
    )
    _urge_messages(request, results)
    return redirect("plans:supervision")


@role_required(Role.UFD_STAFF)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    item = access.get_item_for_user(request, pk)
    form = forms.ItemEditForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(
                item, by=request.user, data=form.cleaned_data, version=form.cleaned_data["version"], request=request
            )
        except services.StaleEdit:
            messages.error(request, _(STALE_MESSAGE).format(what=_("任务")))
            return render(request, "plans/item_edit.html", {"item": item, "form": form}, status=409)
        messages.success(request, _("任务已保存。"))
        return redirect("plans:item-detail", pk=item.pk)
    return render(request, "plans/item_edit.html", {"item": item, "form": form})


@role_required(Role.UFD_STAFF)
@require_POST
def milestone_add(request, pk: int):
    item = access.get_item_for_user(request, pk)
    form = forms.MilestoneForm(request.POST)
    if form.is_valid():
        milestone = form.save(commit=False)
        milestone.item = item
        milestone.save()
        audit.log("create", milestone, by=request.user, request=request)
        messages.success(request, _("已添加节点。"))
    else:
        messages.error(request, _("节点名称和时间都要填写。"))
    return redirect("plans:item-detail", pk=item.pk)


@role_required(Role.UFD_STAFF, Role.LIAISON)
@require_POST
def milestone_done(request, pk: int, milestone_pk: int):
    item = access.get_item_for_user(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, item=item)
    if request.membership.role == Role.LIAISON and not access.can_close(item, request.user):
        raise PermissionDenied
    services.complete_milestone(milestone, by=request.user, done=not milestone.done_at, request=request)
    return redirect("plans:item-detail", pk=item.pk)


@role_required(*READERS)
def evidence_download(request, pk: int):
    evidence = access.get_evidence_for_user(request, pk)
    return file_download(evidence.file.open("rb"), evidence.original_name, inline=evidence.is_image)


# --- Liaisons and supervision -----------------------------------------------------------


@role_required(Role.LIAISON)
def my_department(request):
    departments = list(request.membership.departments.all())
    items = (
        Item.objects.filter(plan__organisation=request.organisation, plan__status=Plan.Status.PUBLISHED)
        .for_department_ids([d.pk for d in departments])
        .order_by("due_date", "order")
    )
    ids = {d.pk for d in departments}
    lead, support = [], []
    for item in _rows(items, timezone.localdate(), show_plan=True):
        (lead if item.lead_department_id in ids else support).append(item)
    due = [i for i in lead + support if i.current_light != Item.Light.GREEN and not i.accepted_at]
    return render(
        request, "plans/my_department.html", {"departments": departments, "lead": lead, "support": support, "due": due}
    )


# Rows a board shows at a time: four boards of 50 made a page of 150-200 rows (issue 16: ~50 ms
# to render at province scale); each board pages on its own.
SUPERVISION_PAGE = 20


@role_required(Role.UFD_STAFF, Role.LEADER)
def supervision(request):
    published = Item.objects.filter(plan__organisation=request.organisation, plan__status=Plan.Status.PUBLISHED)
    today = timezone.localdate()
    boards = [
        ("overdue", _("已逾期"), ItemQuerySet.overdue_q(today)),
        ("due_soon", _("7日内到期"), ItemQuerySet.due_soon_q(today)),
        ("quiet", _("30日无进展报告"), ItemQuerySet.quiet_q()),
        ("closing", _("待审核办结报告"), Q(closing_requested_at__isnull=False, accepted_at__isnull=True)),
    ]
    lists = []
    with_liaison = services.liaison_department_ids(request.organisation)
    # The four boards' sizes in one query.
    counts = published.aggregate(**{key: Count("pk", filter=condition) for key, _label, condition in boards})
    for key, label, condition in boards:
        # A page of each board at a time (a large college has hundreds overdue); the other boards'
        # pages stay in the links (`?overdue=2&quiet=3`).
        queryset = published.filter(condition).select_related("section", "lead_department", "plan")
        queryset = queryset.order_by("due_date", "order", "pk")
        paginator = Paginator(queryset, SUPERVISION_PAGE)
        paginator.count = counts[key]  # a cached_property: the paginator does not count again
        page = paginator.get_page(request.GET.get(key))
        others = request.GET.copy()
        others.pop(key, None)
        lists.append(
            {"key": key, "label": label, "items": list(page.object_list), "page": page, "others": others.urlencode()}
        )
    # The boards' support departments, targets and milestones in three queries, not three a board.
    _attach_row_data([item for board in lists for item in board["items"]], today, show_plan=True)
    never = _("从未报送")
    for item in (item for board in lists for item in board["items"]):
        item.lead_without_liaison = bool(item.lead_department_id) and item.lead_department_id not in with_liaison
        item.support_list = [(name, pk in with_liaison) for pk, name in item.support_pairs]
        item.support_without_liaison = "、".join(name for name, has in item.support_list if not has)
        # `last_report_at|date:_("Y年n月j日")|default:_("从未报送")`, once per row in Python.
        last = item.last_report_at
        item.last_report_text = format_date(timezone.localtime(last), _("Y年n月j日")) if last else never
    can_urge = request.membership.role == Role.UFD_STAFF
    return render(
        request, "plans/supervision.html", {"boards": lists, "can_urge": can_urge, "note_form": forms.NoteForm()}
    )
