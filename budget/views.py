import io

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from budget import access, exports, forms, queries, services
from budget.models import BudgetLine
from core import audit
from core.concurrency import STALE_MESSAGE
from orgs.access import role_required
from orgs.models import Role

STAFF = (Role.UFD_STAFF,)
READERS = (Role.UFD_STAFF, Role.LEADER)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@role_required(*READERS)
def index(request):
    year = _year(request)
    context = {
        "year": year,
        "execution": queries.execution(request.organisation, year),
        "years": [year - 1, year, year + 1],
    }
    return render(request, "budget/index.html", context)


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def line_create(request):
    year = _year(request)
    form = forms.LineForm(request.POST or None, organisation=request.organisation, year=year)
    if request.method == "POST" and form.is_valid():
        line = services.create_line(
            request.organisation, by=request.user, year=year, data=form.cleaned_data, request=request
        )
        messages.success(request, _("预算项目已添加。"))
        return redirect("budget:line-detail", pk=line.pk)
    return render(request, "budget/line_form.html", {"form": form, "year": year}, status=400 if form.errors else 200)


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def line_edit(request, pk: int):
    line = access.get_line(request, pk)
    form = forms.LineEditForm(
        request.POST or None,
        organisation=request.organisation,
        year=line.year,
        initial=forms.LineForm.initial_for(line),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_line(
                    line, by=request.user, data=form.cleaned_data, version=form.cleaned_data["version"], request=request
                )
            except services.StaleEdit:
                form.add_error(None, STALE_MESSAGE.format(what=_("预算项目")))
                status = 409
            else:
                messages.success(request, _("预算项目已保存。"))
                return redirect("budget:line-detail", pk=line.pk)
    context = {"form": form, "year": line.year, "line": line}
    return render(request, "budget/line_form.html", context, status=status)


@role_required(*READERS)
def line_detail(request, pk: int):
    line = access.get_line(request, pk)
    expenses = list(line.expenses.select_related("event", "item", "created_by"))
    spent = sum((e.amount for e in expenses), services.ZERO)
    rate = queries.rate(spent, line.amount)
    context = {
        "line": line,
        "expenses": expenses,
        "spent": spent,
        "balance": line.amount - spent,
        "rate": rate,
        "level": queries.level(rate),
    }
    return render(request, "budget/line_detail.html", context)


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def expense_create(request, pk: int):
    line = access.get_line(request, pk)
    form = forms.ExpenseForm(request.POST or None, request.FILES or None, line=line)
    if request.method == "POST" and form.is_valid():
        services.record_expense(
            line,
            by=request.user,
            data=form.cleaned_data,
            receipt=form.cleaned_data["receipt"],
            receipt_kind=form.receipt_kind,
            request=request,
        )
        messages.success(request, _("支出已登记。"))
        return redirect("budget:line-detail", pk=line.pk)
    return render(request, "budget/expense_form.html", {"form": form, "line": line}, status=400 if form.errors else 200)


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def expense_edit(request, pk: int):
    expense = access.get_expense(request, pk)
    line = expense.line
    form = forms.ExpenseEditForm(
        request.POST or None, request.FILES or None, line=line, initial=forms.ExpenseEditForm.initial_for(expense)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_expense(
                    expense,
                    by=request.user,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                    receipt=form.cleaned_data["receipt"],
                    receipt_kind=form.receipt_kind,
                    request=request,
                )
            except services.StaleEdit:
                form.add_error(None, STALE_MESSAGE.format(what=_("支出")))
                status = 409
            else:
                messages.success(request, _("支出已保存。"))
                return redirect("budget:line-detail", pk=line.pk)
    context = {"form": form, "line": line, "expense": expense}
    return render(request, "budget/expense_form.html", context, status=status)


@role_required(*STAFF)
@require_POST
def expense_delete(request, pk: int):
    expense = access.get_expense(request, pk)
    line_pk = expense.line_id
    services.delete_expense(expense, by=request.user, request=request)
    messages.success(request, _("支出已删除。"))
    return redirect("budget:line-detail", pk=line_pk)


@role_required(*READERS)
def receipt(request, pk: int):
    expense = access.get_expense(request, pk)
    return FileResponse(expense.receipt.open("rb"), as_attachment=True, filename=expense.receipt_name)


@role_required(*READERS)
def export(request):
    from people.services import watermark

    year = _year(request)
    data = exports.execution_xlsx(
        queries.execution(request.organisation, year), year=year, watermark=watermark(request.user)
    )
    changes = {"year": year, "format": "xlsx"}
    audit.log(
        "export", BudgetLine, by=request.user, request=request, changes=changes, organisation=request.organisation
    )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{year}年统战工作经费执行情况表.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
