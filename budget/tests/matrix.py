"""The budget module's rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from decimal import Decimal

from django.core.files.base import ContentFile

from orgs.models import Role

STAFF = {Role.UFD_STAFF}
READERS = {Role.UFD_STAFF, Role.LEADER}

BUDGET_MATRIX = {
    "budget:index": (READERS, "get"),
    "budget:line-create": (STAFF, "get"),
    "budget:line-detail": (READERS, "get"),
    "budget:line-edit": (STAFF, "get"),
    "budget:expense-create": (STAFF, "get"),
    "budget:expense-edit": (STAFF, "get"),
    "budget:expense-delete": (STAFF, "post"),
    "budget:receipt": (READERS, "get"),
    "budget:export": (READERS, "get"),
}

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def budget_url_kwargs(org, personas):
    from datetime import date

    from budget.models import BudgetLine, Expense

    line = BudgetLine.objects.create(
        organisation=org, year=date.today().year, category="activities", name="座谈会经费", amount=Decimal("5000.00")
    )
    expense = Expense(
        line=line,
        date=date.today(),
        amount=Decimal("120.50"),
        payee="文印店",
        description="材料印刷",
        receipt_name="票据.png",
        receipt_kind="图片",
    )
    expense.receipt.save("r.png", ContentFile(PNG), save=True)
    by_line = {"pk": line.pk}
    return {
        "budget:line-detail": by_line,
        "budget:line-edit": by_line,
        "budget:expense-create": by_line,
        "budget:expense-edit": {"pk": expense.pk},
        "budget:expense-delete": {"pk": expense.pk},
        "budget:receipt": {"pk": expense.pk},
    }
