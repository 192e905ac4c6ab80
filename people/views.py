from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.concurrency import STALE_MESSAGE
from core.exports import write_xlsx
from core.figures_cache import OrgPaginator
from core.http import file_download
from core.models import BackgroundJob
from orgs.access import role_required
from orgs.models import Role
from people import exports, imports, queries, services
from people.forms import (
    RECORD_FORMS,
    AddToGroupForm,
    ContactForm,
    ContactOutcomeForm,
    ExportForm,
    GroupForm,
    ImportUploadForm,
    PersonFilterForm,
    PersonForm,
    ProfileChangeForm,
    RejectForm,
    RevealForm,
)
from people.models import (
    Category,
    ContactRecord,
    Group,
    Party,
    PartyMembership,
    Person,
    PersonCategory,
    PersonChange,
    ProfileChangeRequest,
)
from people.panels import panels_for

STAFF = Role.UFD_STAFF
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
IMPORT_TOKENS = "people_import_tokens"


def _get_person_for_user(request, pk: int) -> Person:
    queryset = Person.objects.for_org(request.organisation).select_related("department")
    person = get_object_or_404(queryset.prefetch_related("category_links", "assigned_cadres"), pk=pk)
    person.organisation = request.organisation  # the same row (for_org): the audit write does not fetch it again
    return person


def _listed(queryset):
    """What a list row or an export line shows, in a fixed number of queries."""
    return queryset.select_related("department").prefetch_related(
        "category_links", "party_memberships", "public_posts", "study_records"
    )


def _xlsx(content: bytes, filename: str):
    return file_download(content, filename, XLSX)


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


# --- The registry -----------------------------------------------------------------------------


@never_cache
@role_required(STAFF)
def person_list(request):
    form = PersonFilterForm(request.GET or None, organisation=request.organisation)
    people = form.filter(Person.objects.for_org(request.organisation)).select_related("department")
    # Not the e-mail address, which the list does not show (decrypted on load: 50 a page).
    paginator = OrgPaginator(people.defer("email"), PAGE_SIZE, organisation=request.organisation)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _with_labels(list(page.object_list))
    context = {
        "form": form,
        "page": page,
        "filtered": bool(form.querydict()),
        "static_groups": list(Group.objects.for_org(request.organisation).filter(kind=Group.Kind.STATIC)),
    }
    return render(request, "people/person_list.html", context)


def _with_labels(people: list[Person]) -> list[Person]:
    """Each row's category and party labels (`category_list`, `party_list`) in two flat queries:
    a prefetch would build a queryset per person and relation."""
    ids = [person.pk for person in people]
    categories, parties = defaultdict(list), defaultdict(list)
    category_labels, party_labels = dict(Category.choices), dict(Party.choices)
    for person_id, category in PersonCategory.objects.filter(person_id__in=ids).values_list("person_id", "category"):
        if category in category_labels:  # as Person.category_labels
            categories[person_id].append(category_labels[category])
    for person_id, party in PartyMembership.objects.filter(person_id__in=ids).values_list("person_id", "party"):
        parties[person_id].append(party_labels.get(party, party))  # as get_party_display()
    for person in people:
        person.category_list = categories[person.pk]
        person.party_list = parties[person.pk]
    return people


@never_cache
@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def person_export(request):
    """GET: the filtered registry with contact data masked. POST with a purpose: unmasked."""
    form = PersonFilterForm(request.GET or None, organisation=request.organisation)
    export_form = ExportForm(request.POST or None)
    unmasked = request.method == "POST" and export_form.is_valid() and export_form.cleaned_data["unmasked"]
    if request.method == "POST" and not export_form.is_valid():
        messages.error(request, "；".join(e for errors in export_form.errors.values() for e in errors))
        return redirect(f"{reverse('people:list')}?{request.GET.urlencode()}")
    people = form.filter(Person.objects.for_org(request.organisation))
    purpose = export_form.cleaned_data["purpose"] if unmasked else ""
    rows = people.count()
    if rows > exports.BACKGROUND_ROWS:
        # A large selection is written in the background; its page links to `export_download`.
        job = exports.start_registry_export(
            request.organisation,
            by=request.user,
            criteria=form.querydict(),
            unmasked=unmasked,
            purpose=purpose,
            rows=rows,
        )
        return redirect("core:job-status", pk=job.pk)
    content = write_xlsx(
        exports.registry_rows(people, unmasked=unmasked),
        title=exports.REGISTER_TITLE,
        watermark=services.watermark(request.user),
    )
    services.record_export(
        request.organisation,
        by=request.user,
        what=exports.REGISTER_TITLE,
        filter=form.describe(),
        rows=rows,
        purpose=purpose,
        request=request,
    )
    return _xlsx(content, f"统战对象名册-{_stamp()}.xlsx")


@never_cache
@role_required(STAFF)
def export_download(request, pk):
    """The file of a finished background export, for the user who started it, in their
    organisation; every download is audited as an export."""
    job = get_object_or_404(
        BackgroundJob,
        pk=pk,
        user=request.user,
        organisation=request.organisation,
        task=exports.EXPORT_TASK,
        status=BackgroundJob.Status.DONE,
    )
    path = exports.export_path(job)
    if not path.is_file():
        raise Http404
    services.record_export(
        request.organisation,
        by=request.user,
        what=exports.REGISTER_TITLE,
        filter=job.result.get("filter", ""),
        rows=job.result.get("rows", 0),
        purpose=job.params.get("purpose", ""),
        request=request,
    )
    return file_download(path.open("rb"), f"统战对象名册-{_stamp()}.xlsx", XLSX)


def _detail_context(request, person: Person, **extra) -> dict:
    # One query for the consents the card lists and `has_publicity_consent` reads, not one each.
    prefetch_related_objects([person], "consents")
    contacts = person.contacts.select_related("recorded_by")
    return {
        "person": person,
        "parties": person.party_memberships.all(),
        "posts": person.public_posts.all(),
        "awards": person.awards.all(),
        "studies": person.study_records.all(),
        "consents": person.consents.all(),
        "contacts": contacts,
        "history": PersonChange.objects.filter(person=person).select_related("user")[:50],
        "pending_change": person.change_requests.filter(status=ProfileChangeRequest.Status.PENDING).first(),
        "record_kinds": [(kind, label) for kind, (label, _form) in RECORD_FORMS.items()],
        "labels": services.LABELS,
        "reveal_form": RevealForm(),
        "unmasked": False,
        "panels": panels_for(person, request),
        **extra,
    }


@never_cache
@role_required(STAFF)
def person_detail(request, pk: int):
    person = _get_person_for_user(request, pk)
    services.record_view(person, by=request.user, request=request)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@never_cache
@role_required(STAFF)
@require_POST
def person_reveal(request, pk: int):
    """Shows the phone and e-mail unmasked once, for a stated purpose that is audited."""
    person = _get_person_for_user(request, pk)
    form = RevealForm(request.POST)
    if form.is_valid():
        services.record_view(person, by=request.user, request=request, purpose=form.cleaned_data["purpose"])
        context = _detail_context(request, person, unmasked=True)
    else:
        services.record_view(person, by=request.user, request=request)
        context = _detail_context(request, person, reveal_form=form)
    return render(request, "people/person_detail.html", context)


@never_cache
@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(request.organisation, by=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("已添加 %(name)s。") % {"name": person.name})
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "title": _("添加统战对象")})


@never_cache
@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = _get_person_for_user(request, pk)
    form = PersonForm(request.POST or None, organisation=request.organisation, instance=person)
    context = {"form": form, "title": _("编辑 %(name)s") % {"name": person.name}, "person": person}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                person,
                by=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"] or 0,
                request=request,
            )
        except services.StaleEdit:
            messages.error(request, _(STALE_MESSAGE).format(what=_("记录")))
            services.record_view(person, by=request.user, request=request)
            return render(request, "people/person_form.html", context, status=409)
        messages.success(request, _("已保存。"))
        return redirect("people:detail", pk=person.pk)
    # The form shows the record: a read like the detail page's.
    services.record_view(person, by=request.user, request=request)
    return render(request, "people/person_form.html", context)


@role_required(STAFF)
@require_POST
def person_delete(request, pk: int):
    person = _get_person_for_user(request, pk)
    services.delete_person(person, by=request.user, request=request)
    messages.success(request, _("已删除 %(name)s。") % {"name": person.name})
    return redirect("people:list")


@never_cache
@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def record_add(request, pk: int, kind: str):
    """Adds a party membership, public post, award, study-abroad record or publicity consent."""
    person = _get_person_for_user(request, pk)
    if kind not in RECORD_FORMS:
        raise PermissionDenied
    label, form_class = RECORD_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_record(person, form=form, kind_label=str(label), by=request.user, request=request)
        messages.success(request, _("已添加%(record)s。") % {"record": label})
        return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/record_form.html",
        {"form": form, "person": person, "title": _("添加%(record)s") % {"record": label}},
    )


@role_required(STAFF)
@require_POST
def record_remove(request, pk: int, kind: str, record_pk: int):
    person = _get_person_for_user(request, pk)
    if kind not in RECORD_FORMS:
        raise PermissionDenied
    label, form_class = RECORD_FORMS[kind]
    record = get_object_or_404(form_class._meta.model, pk=record_pk, person=person)
    services.remove_record(record, kind_label=str(label), by=request.user, request=request)
    done = _("已撤回%(record)s。") if kind == "consent" else _("已删除%(record)s。")
    messages.success(request, done % {"record": label})
    return redirect("people:detail", pk=person.pk)


# --- Returned overseas scholars and figures (UFD staff and leaders; contact data masked) ------


@never_cache
@role_required(STAFF, Role.LEADER)
def returned_list(request):
    people = _listed(Person.objects.for_org(request.organisation).returned_scholars())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/returned_list.html", {"page": page, "export_form": ExportForm()})


@never_cache
@role_required(STAFF, Role.LEADER)
@require_http_methods(["GET", "POST"])
def returned_export(request):
    """留学回国人员明细清单 (.xlsx). Unmasked phones only for UFD staff with a purpose (POST)."""
    unmasked, purpose = False, ""
    if request.method == "POST":
        if request.membership.role != STAFF:
            raise PermissionDenied
        form = ExportForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("people:returned")
        unmasked, purpose = form.cleaned_data["unmasked"], form.cleaned_data["purpose"]
    people = list(_listed(Person.objects.for_org(request.organisation).returned_scholars()))
    rows = list(exports.returned_rows(people, unmasked=unmasked))
    content = write_xlsx(
        rows,
        title="留学回国人员明细清单",
        watermark=services.watermark(request.user),
        widths=[6, 10, 6, 10, 16, 16, 12, 22, 8, 18, 10, 14],
    )
    services.record_export(
        request.organisation,
        by=request.user,
        what="留学回国人员明细清单",
        filter="留学回国人员",
        rows=len(rows) - 1,
        purpose=purpose if unmasked else "",
        request=request,
    )
    return _xlsx(content, f"留学回国人员明细清单-{_stamp()}.xlsx")


@role_required(STAFF, Role.LEADER)
def figures(request):
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 1)
    context = queries.contact_figures(request.organisation, year=year)
    context["page"] = Paginator(context["not_contacted"], PAGE_SIZE).get_page(request.GET.get("page"))
    context["not_contacted"] = context["page"].object_list
    context["years"] = list(range(this_year, this_year - 5, -1))
    context["summary"] = queries.registry_composition(request.organisation)
    return render(request, "people/figures.html", context)


# --- Import -------------------------------------------------------------------------------------


@role_required(STAFF)
def import_template(request):
    return _xlsx(exports.import_template(), "统战对象导入模板.xlsx")


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload -> every row checked -> preview (nothing saved yet)."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checked = imports.check_import(request.organisation, upload, seconds=imports.PREVIEW_SECONDS)
        except (imports.ImportFileError, imports.LimitExceeded) as error:
            form.add_error("file", error.message)
            return render(request, "people/import.html", {"form": form})
        except Exception:  # not a readable workbook despite its zip signature
            form.add_error("file", _("无法读取此 Excel 文件，请另存为 .xlsx 后重试。"))
            return render(request, "people/import.html", {"form": form})
        token = ""
        if checked.ok:
            upload.seek(0)
            token = imports.keep_upload(upload)
            request.session[IMPORT_TOKENS] = [*request.session.get(IMPORT_TOKENS, [])[-4:], token]
        context = {"form": form, "checked": checked, "token": token, "source": upload.name, "rows": checked.rows[:200]}
        return render(request, "people/import_preview.html", context)
    return render(request, "people/import.html", {"form": form})


@role_required(STAFF)
@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    if token not in request.session.get(IMPORT_TOKENS, []) or imports.upload_path(token) is None:
        messages.error(request, _("上传的文件已失效，请重新上传。"))
        return redirect("people:import")
    request.session[IMPORT_TOKENS] = [t for t in request.session[IMPORT_TOKENS] if t != token]
    job = imports.start_import(
        request.organisation, by=request.user, token=token, source=request.POST.get("source", "")[:200]
    )
    return redirect("core:job-status", pk=job.pk)


# --- Groups -------------------------------------------------------------------------------------


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def group_list(request):
    form = GroupForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        group = services.create_group(
            request.organisation, by=request.user, name=form.cleaned_data["name"], request=request
        )
        messages.success(request, _("已建立固定名单“%(name)s”，可在名册中勾选人员加入。") % {"name": group.name})
        return redirect("people:group-detail", pk=group.pk)
    groups = Group.objects.for_org(request.organisation).select_related("created_by")
    return render(request, "people/group_list.html", {"groups": groups, "form": form})


@role_required(STAFF)
@require_POST
def group_save_filter(request):
    """Saves the registry list's current filter as a group."""
    filters = PersonFilterForm(request.POST, organisation=request.organisation)
    form = GroupForm(request.POST, organisation=request.organisation)
    if not form.is_valid() or not filters.querydict():
        messages.error(request, _("请先设置筛选条件并填写不重复的分组名称。"))
        return redirect("people:list")
    group = services.create_group(
        request.organisation,
        by=request.user,
        name=form.cleaned_data["name"],
        filter=filters.querydict(),
        request=request,
    )
    messages.success(request, _("已将筛选条件保存为分组“%(name)s”。") % {"name": group.name})
    return redirect("people:group-detail", pk=group.pk)


def _get_group_for_user(request, pk: int) -> Group:
    return get_object_or_404(Group.objects.for_org(request.organisation), pk=pk)


@never_cache
@role_required(STAFF)
def group_detail(request, pk: int):
    group = _get_group_for_user(request, pk)
    page = Paginator(_listed(queries.group_members(group)), PAGE_SIZE).get_page(request.GET.get("page"))
    describe = ""
    if group.kind == Group.Kind.SAVED:
        describe = PersonFilterForm(group.filter, organisation=request.organisation).describe()
    return render(request, "people/group_detail.html", {"group": group, "page": page, "describe": describe})


@role_required(STAFF)
@require_POST
def group_add(request):
    form = AddToGroupForm(request.POST, organisation=request.organisation)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("people:list")
    group = form.cleaned_data["group"]
    count = services.add_to_group(group, people=form.cleaned_data["people"], by=request.user, request=request)
    messages.success(request, _("已将 %(count)s 人加入“%(name)s”。") % {"count": count, "name": group.name})
    return redirect("people:group-detail", pk=group.pk)


@role_required(STAFF)
@require_POST
def group_remove(request, pk: int, person_pk: int):
    group = _get_group_for_user(request, pk)
    person = _get_person_for_user(request, person_pk)
    services.remove_from_group(group, person=person, by=request.user, request=request)
    return redirect("people:group-detail", pk=group.pk)


@role_required(STAFF)
@require_POST
def group_delete(request, pk: int):
    group = _get_group_for_user(request, pk)
    services.delete_group(group, by=request.user, request=request)
    messages.success(request, _("已删除分组“%(name)s”。") % {"name": group.name})
    return redirect("people:groups")


# --- Contact log --------------------------------------------------------------------------------


@role_required(STAFF, Role.LIAISON)
def contact_list(request):
    """UFD staff: every contact of the organisation. A liaison: the people assigned to them."""
    records = ContactRecord.objects.for_org(request.organisation).select_related("person", "recorded_by")
    open_only = request.GET.get("open") == "1"
    assigned = None
    if request.membership.role == Role.LIAISON:
        assigned = Person.objects.for_org(request.organisation).filter(assigned_cadres=request.user)
        assigned = assigned.select_related("department")
        records = records.filter(person__assigned_cadres=request.user)
    if open_only:
        records = records.open_follow_ups()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "assigned": assigned,
        "open_only": open_only,
        "follow_ups": queries.open_follow_ups(request.user),
    }
    return render(request, "people/contact_list.html", context)


def _get_person_for_contact(request, pk: int) -> Person:
    """UFD staff: anyone of the organisation (404 otherwise). A liaison: only the people
    assigned to them; any other id is 403, whoever's it is."""
    people = Person.objects.for_org(request.organisation).select_related("department")
    if request.membership.role == STAFF:
        return get_object_or_404(people, pk=pk)
    person = people.filter(pk=pk, assigned_cadres=request.user).first()
    if person is None:
        raise PermissionDenied
    return person


@never_cache
@role_required(STAFF, Role.LIAISON)
@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    person = _get_person_for_contact(request, pk)
    initial = {"date": timezone.localdate(), "met_by": str(request.user)}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_contact(person, by=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("已记录与 %(name)s 的联系。") % {"name": person.name})
        if request.membership.role == STAFF:
            return redirect("people:detail", pk=person.pk)
        return redirect("people:contacts")
    services.record_view(person, by=request.user, request=request)
    return render(request, "people/contact_form.html", {"form": form, "person": person})


@role_required(STAFF, Role.LIAISON)
@require_http_methods(["GET", "POST"])
def contact_outcome(request, pk: int):
    """The outcome of a follow-up: UFD staff, or the liaison who recorded it."""
    records = ContactRecord.objects.for_org(request.organisation).select_related("person")
    if request.membership.role == STAFF:
        record = get_object_or_404(records, pk=pk)
    else:
        record = records.filter(pk=pk, recorded_by=request.user).first()
        if record is None:
            raise PermissionDenied
    form = ContactOutcomeForm(request.POST or None, initial={"outcome": record.outcome, "close": True})
    if request.method == "POST" and form.is_valid():
        services.record_outcome(
            record,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            close=form.cleaned_data["close"],
            request=request,
        )
        messages.success(request, _("已保存办理结果。"))
        return redirect("people:contacts")
    return render(request, "people/contact_outcome.html", {"form": form, "record": record})


# --- Profile changes proposed by members ----------------------------------------------------------


@role_required(STAFF)
def change_list(request):
    changes = ProfileChangeRequest.objects.filter(person__organisation=request.organisation).select_related(
        "person", "requested_by", "reviewed_by"
    )
    pending = [c for c in changes if c.status == ProfileChangeRequest.Status.PENDING]
    done = [c for c in changes[:100] if c.status != ProfileChangeRequest.Status.PENDING][:30]
    context = {"pending": pending, "done": done, "labels": services.LABELS, "reject_form": RejectForm()}
    return render(request, "people/change_list.html", context)


@role_required(STAFF)
@require_POST
def change_review(request, pk: int):
    change = get_object_or_404(
        ProfileChangeRequest.objects.filter(
            person__organisation=request.organisation, status=ProfileChangeRequest.Status.PENDING
        ).select_related("person"),
        pk=pk,
    )
    if request.POST.get("decision") == "approve":
        services.approve_change(change, by=request.user, request=request)
        messages.success(request, _("已通过 %(name)s 的修改申请。") % {"name": change.person.name})
        return redirect("people:changes")
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回时请填写理由。"))
        return redirect("people:changes")
    services.reject_change(change, by=request.user, reason=form.cleaned_data["reason"], request=request)
    messages.success(request, _("已退回 %(name)s 的修改申请。") % {"name": change.person.name})
    return redirect("people:changes")


# --- The member's own profile (phone first) -----------------------------------------------------


def _my_person(request) -> Person | None:
    """The member's own record, with what the profile page shows."""
    related = Person.objects.select_related("department").prefetch_related(
        "category_links", Prefetch("study_records"), "party_memberships", "public_posts"
    )
    return queries.my_person(request, queryset=related)


@never_cache
@role_required(Role.MEMBER)
def my_profile(request):
    person = _my_person(request)
    pending = None
    if person is not None:
        services.record_view(person, by=request.user, request=request)
        pending = person.change_requests.filter(status=ProfileChangeRequest.Status.PENDING).first()
    latest = person.change_requests.exclude(status=ProfileChangeRequest.Status.PENDING).first() if person else None
    context = {"person": person, "pending": pending, "latest": latest, "labels": services.LABELS}
    return render(request, "people/my_profile.html", context)


@never_cache
@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def my_profile_edit(request):
    person = _my_person(request)
    if person is None:
        return render(request, "people/my_profile.html", {"person": None})
    pending = person.change_requests.filter(status=ProfileChangeRequest.Status.PENDING).first()
    initial = None
    if pending is not None:
        initial = {f: getattr(person, f) for f in ("phone", "email", "job_title", "professional_title", "education")}
        initial |= {f: new for f, (_old, new) in pending.changes.items()}
    form = ProfileChangeForm(request.POST or None, person=person, **({"initial": initial} if initial else {}))
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("您没有修改任何内容。"))
            return redirect("people:me")
        services.propose_change(person, by=request.user, changes=changes, request=request)
        messages.success(request, _("已提交，统战部审核通过后生效。"))
        return redirect("people:me")
    return render(request, "people/my_profile_edit.html", {"form": form, "person": person, "pending": pending})
