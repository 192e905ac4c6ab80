"""Reads of the budget for other modules (the year-end summary, home pages, the event page),
bounded in queries. All sums are Decimal."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from budget.models import ZERO, BudgetLine, Category, Expense

CENT = Decimal("0.01")
LEVELS = ((Decimal("100"), "over-100"), (Decimal("80"), "over-80"))


def rate(spent: Decimal, budget: Decimal) -> Decimal | None:
    """Spent / budget in percent, one decimal (None when there is no budget)."""
    if not budget:
        return None
    return (spent * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def level(value: Decimal | None) -> str:
    for threshold, name in LEVELS:
        if value is not None and value >= threshold:
            return name
    return ""


def execution(organisation, year: int) -> dict:
    """Budget execution of `year`: per line, per category, overall and by month.
    {"lines": [{"line", "spent", "balance", "rate", "level"}], "by_category": [(label, budget, spent, rate)],
     "budget", "spent", "balance", "rate", "by_month": [(month, spent)]}. Two queries."""
    lines = list(
        BudgetLine.objects.for_org(organisation)
        .filter(year=year)
        .select_related("item")
        .annotate(spent=Sum("expenses__amount"))
        .order_by("category", "name")
    )
    rows, categories = [], {}
    for line in lines:
        spent = (line.spent or ZERO).quantize(CENT)
        r = rate(spent, line.amount)
        rows.append({"line": line, "spent": spent, "balance": line.amount - spent, "rate": r, "level": level(r)})
        budget_sum, spent_sum = categories.get(line.category, (ZERO, ZERO))
        categories[line.category] = (budget_sum + line.amount, spent_sum + spent)
    total_budget = sum((line.amount for line in lines), ZERO)
    total_spent = sum((row["spent"] for row in rows), ZERO)
    months = dict.fromkeys(range(1, 13), ZERO)
    for month, amount in (
        Expense.objects.filter(line__organisation=organisation, line__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    ):
        months[month] = amount.quantize(CENT)
    labels = dict(Category.choices)
    total_rate = rate(total_spent, total_budget)
    return {
        "lines": rows,
        "by_category": [
            (labels[code], b, s, rate(s, b)) for code, (b, s) in sorted(categories.items(), key=lambda kv: kv[0])
        ],
        "budget": total_budget,
        "spent": total_spent,
        "balance": total_budget - total_spent,
        "rate": total_rate,
        "level": level(total_rate),
        "by_month": list(months.items()),
    }


def event_cost(event_id: int) -> dict:
    """What was spent on an event: {"total": Decimal, "expenses": [{"date", "amount", "payee",
    "description", "line"}]}. One query."""
    expenses = list(Expense.objects.filter(event_id=event_id).select_related("line").order_by("date", "id"))
    return {
        "total": sum((e.amount for e in expenses), ZERO).quantize(CENT),
        "expenses": [
            {"date": e.date, "amount": e.amount, "payee": e.payee, "description": e.description, "line": e.line.name}
            for e in expenses
        ],
    }
