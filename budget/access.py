"""Which budget lines and expenses a user may see: their organisation's (the views' roles
decide who may change them)."""

from django.shortcuts import get_object_or_404

from budget.models import BudgetLine, Expense


def get_line(request, pk: int) -> BudgetLine:
    return get_object_or_404(BudgetLine.objects.for_org(request.organisation).select_related("item"), pk=pk)


def get_expense(request, pk: int) -> Expense:
    return get_object_or_404(
        Expense.objects.filter(line__organisation=request.organisation).select_related("line"), pk=pk
    )
