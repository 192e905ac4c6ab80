from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exports import write_xlsx
from core.http import file_download
from fiveones import access, services
from fiveones.exports import ledger_rows
from fiveones.forms import EntryForm, RejectForm, TargetLinkForm, YearForm
from fiveones.models import SELF_REPORTED, Entry, Slot, TargetLink
from fiveones.queries import completion_figures, ledgers, member_ledger
from orgs.access import role_required
from orgs.models import Role

STAFF = Role.UFD_STAFF
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Members ------------------------------------------------------------------------------------


@role_required(Role.MEMBER)
@require_GET
def card(request):
    """The member's own five ones card for a year: each slot, what fills it, what is missing."""
    form = YearForm(request.GET)
    person = access.my_person(request)
    ledger = member_ledger(person, form.selected_year) if person else None
    context = {"form": form, "person": person, "ledger": ledger, "self_reported": [s.value for s in SELF_REPORTED]}
    return render(request, "fiveones/card.html", context)


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def report(request, slot: str):
    """One tap from the card: report a book, an outside talk or visit, a research report."""
    person = access.my_person(request)
    if person is None or slot not in SELF_REPORTED:
        raise Http404
    year = timezone.localdate().year
    form = EntryForm(request.POST or None, request.FILES or None, slot=slot)
    if request.method == "POST" and form.is_valid():
        services.report_entry(
            person,
            by=request.user,
            year=form.cleaned_data["on"].year,
            slot=slot,
            data=form.cleaned_data,
            proof=form.cleaned_data["proof"],
            proof_kind=form.proof_kind,
            request=request,
        )
        messages.success(request, _("已提交，等待党委统战部核实。"))
        return redirect(reverse("fiveones:card") + f"?year={form.cleaned_data['on'].year}")
    return render(request, "fiveones/report.html", {"form": form, "slot": Slot(slot), "year": year})


@role_required(Role.MEMBER)
@require_POST
def entry_delete(request, pk: int):
    entry = access.get_own_entry(request, pk)
    try:
        services.delete_entry(entry, by=request.user, request=request)
        messages.success(request, _("已撤回。"))
    except services.NotAllowed as error:
        messages.error(request, str(error))
    return redirect(reverse("fiveones:card") + f"?year={entry.year}")


@role_required(STAFF, Role.MEMBER)
@require_GET
def proof(request, pk: int):
    """The proof of an entry: its member, or UFD staff of the organisation."""
    entry = access.get_entry_for_user(request, pk)
    return file_download(entry.proof.open("rb"), entry.proof_name)


# --- UFD staff ----------------------------------------------------------------------------------


@role_required(STAFF, Role.LEADER)
@require_GET
def overview(request):
    """Completion by slot, category, party, department and group; who has 0–2 of 5."""
    form = YearForm(request.GET)
    figures = completion_figures(request.organisation, form.selected_year)
    context = {
        "form": form,
        "year": form.selected_year,
        "figures": figures,
        "pending": Entry.objects.for_org(request.organisation).pending().count(),
        "links": TargetLink.objects.filter(organisation=request.organisation, year=form.selected_year).select_related(
            "target__item__plan"
        ),
        "link_form": TargetLinkForm(organisation=request.organisation) if request.membership.role == STAFF else None,
    }
    return render(request, "fiveones/overview.html", context)


@role_required(STAFF, Role.LEADER)
@require_GET
def ledger(request):
    """Every member's ledger for a year, one row each."""
    form = YearForm(request.GET)
    rows = ledgers(request.organisation, form.selected_year)
    return render(request, "fiveones/ledger.html", {"form": form, "year": form.selected_year, "rows": rows})


@role_required(STAFF)
@require_GET
def queue(request):
    """Self-reported entries waiting for verification, oldest first."""
    entries = (
        Entry.objects.for_org(request.organisation)
        .pending()
        .select_related("person__department")
        .order_by("created_at")
    )
    return render(request, "fiveones/queue.html", {"entries": entries[:200], "reject_form": RejectForm()})


@role_required(STAFF)
@require_POST
def verify(request, pk: int):
    entry = access.get_entry_for_staff(request, pk)
    try:
        services.verify_entry(entry, by=request.user, request=request)
        messages.success(request, _("已核实：%(person)s %(entry)s") % {"person": entry.person.name, "entry": entry})
    except services.NotAllowed as error:
        messages.error(request, str(error))
    return redirect("fiveones:queue")


@role_required(STAFF)
@require_POST
def reject(request, pk: int):
    entry = access.get_entry_for_staff(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写未通过的原因。"))
        return redirect("fiveones:queue")
    try:
        services.reject_entry(entry, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, _("已退回：%(person)s %(entry)s") % {"person": entry.person.name, "entry": entry})
    except services.NotAllowed as error:
        messages.error(request, str(error))
    return redirect("fiveones:queue")


@role_required(STAFF)
@require_GET
def export(request):
    """The year's ledger as .xlsx: one row per member, one column per slot. Audited."""
    form = YearForm(request.GET)
    rows = ledgers(request.organisation, form.selected_year)
    content = write_xlsx(
        ledger_rows(rows),
        title=f"{form.selected_year}年“五个一”活动台账",
        watermark=f"{request.user} 导出于 {timezone.localtime():%Y-%m-%d %H:%M}",
        widths=[6, 10, 16, 30, 30, 30, 30, 30, 10],
    )
    services.record_export(
        request.organisation, by=request.user, year=form.selected_year, rows=len(rows), request=request
    )
    return file_download(content, f"五个一台账-{form.selected_year}.xlsx", XLSX)


@role_required(STAFF)
@require_POST
def target_link(request):
    form_year = YearForm(request.POST)
    form = TargetLinkForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        services.link_target(
            request.organisation,
            by=request.user,
            year=form_year.selected_year,
            target=form.cleaned_data["target"],
            request=request,
        )
        messages.success(request, _("已关联：本年度每位全部完成五个一的成员计 1。"))
    else:
        messages.error(request, _("请选择工作要点目标。"))
    return redirect(reverse("fiveones:overview") + f"?year={form_year.selected_year}")


@role_required(STAFF)
@require_POST
def target_unlink(request, pk: int):
    link = access.get_target_link_for_staff(request, pk)
    year = link.year
    services.unlink_target(link, by=request.user, request=request)
    messages.success(request, _("已取消关联。"))
    return redirect(reverse("fiveones:overview") + f"?year={year}")
