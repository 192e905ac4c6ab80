"""Every write of the budget module. Amounts are parsed to Decimal with two places here, so a
negative, zero or non-numeric amount is refused with a Chinese message and nothing is saved.
Execution alerts: when a line's spending reaches 80 % and again 100 % of its budget, UFD staff are
notified once per threshold (the line remembers when it alerted)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import ZERO, BudgetLine, Expense
from core import audit
from core.concurrency import StaleEdit, update_if_unchanged  # noqa: F401  (StaleEdit: views catch services.StaleEdit)
from notifications.services import notify
from orgs.models import Membership, Role

MAX_AMOUNT = Decimal("9999999999.99")
THRESHOLDS = ((Decimal("0.8"), "alerted_80_at", "80%"), (Decimal("1"), "alerted_100_at", "100%"))


def parse_money(value, *, label: str = "") -> Decimal:
    """A positive amount of yuan with at most two decimals, as Decimal."""
    label = label or _("金额")
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("%(label)s“%(value)s”不是数字，请填写如 1200.50 的金额。") % {"label": label, "value": value}
        )
    if not amount.is_finite():
        raise ValidationError(
            _("%(label)s“%(value)s”不是数字，请填写如 1200.50 的金额。") % {"label": label, "value": value}
        )
    if amount <= 0:
        raise ValidationError(_("%(label)s须大于 0，不能为负数或零。") % {"label": label})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s最多保留两位小数（精确到分）。") % {"label": label})
    if amount > MAX_AMOUNT:
        raise ValidationError(_("%(label)s过大。") % {"label": label})
    return amount.quantize(Decimal("0.01"))


def spent_on(line: BudgetLine) -> Decimal:
    return line.expenses.aggregate(total=Sum("amount"))["total"] or ZERO


LINE_FIELDS = ["category", "name", "amount", "item", "note"]


@transaction.atomic
def create_line(organisation, *, by, year: int, data: dict, request=None) -> BudgetLine:
    line = BudgetLine.objects.create(organisation=organisation, year=year, **{k: data[k] for k in LINE_FIELDS})
    audit.log("create", line, by=by, request=request, changes={"amount": str(line.amount), "category": line.category})
    return line


@transaction.atomic
def update_line(line: BudgetLine, *, by, data: dict, version: int, request=None) -> BudgetLine:
    """Saves an edit only if nobody saved the line since `version` was read; else raises
    StaleEdit and writes nothing."""
    before = audit.snapshot(line, LINE_FIELDS)
    update_if_unchanged(BudgetLine, line.pk, version, **{k: data[k] for k in LINE_FIELDS})
    line = BudgetLine.objects.select_for_update().select_related("organisation").get(pk=line.pk)
    changes = audit.diff(before, audit.snapshot(line, LINE_FIELDS))
    audit.log("update", line, by=by, request=request, changes=changes)
    _check_alerts(line)
    return line


def _check_alerts(line: BudgetLine) -> list[str]:
    """Notifies UFD staff of each threshold newly reached; each threshold alerts once."""
    spent = spent_on(line)
    reached = []
    for share, field, label in THRESHOLDS:
        if getattr(line, field) is None and spent >= line.amount * share:
            setattr(line, field, timezone.now())
            line.save(update_fields=[field])
            reached.append(label)
    if reached:
        staff = [
            m.user
            for m in Membership.objects.filter(organisation=line.organisation, role=Role.UFD_STAFF).select_related(
                "user"
            )
        ]
        rate = (spent * 100 / line.amount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        title = _("经费预警：“%(name)s”已执行%(rate)s%%（%(threshold)s）") % {
            "name": line.name,
            "rate": rate,
            "threshold": reached[-1],
        }
        body = _("预算%(amount)s元，已支出%(spent)s元。") % {"amount": line.amount, "spent": spent}
        url = reverse("budget:line-detail", args=[line.pk])
        organisation = line.organisation
        transaction.on_commit(lambda: notify(staff, organisation=organisation, title=title, body=body, url=url))
    return reached


@transaction.atomic
def record_expense(line: BudgetLine, *, by, data: dict, receipt, receipt_kind, request=None) -> Expense:
    """Records an expense with its receipt (checked by content in the form); alerts at 80 % / 100 %."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    amount = parse_money(data["amount"])
    expense = Expense(
        line=line,
        date=data["date"],
        amount=amount,
        payee=data["payee"],
        description=data["description"],
        event=data.get("event"),
        item=data.get("item"),
        receipt_name=receipt.name[:200],
        receipt_kind=receipt_kind.label,
        created_by=by,
    )
    expense.receipt.save(receipt.name, receipt, save=False)
    expense.save()
    changes = {"amount": str(amount), "line": line.pk, "payee": expense.payee}
    audit.log("create", expense, by=by, request=request, changes=changes)
    _check_alerts(line)
    return expense


EXPENSE_FIELDS = ["date", "amount", "payee", "description", "event", "item"]
AUDITED_EXPENSE_FIELDS = [*EXPENSE_FIELDS, "receipt_name"]


@transaction.atomic
def update_expense(
    expense: Expense, *, by, data: dict, version: int, receipt=None, receipt_kind=None, request=None
) -> Expense:
    """Saves an edit of an expense only if nobody saved it since `version` was read; else raises
    StaleEdit and writes nothing (no field, no file). A new receipt (checked by content in the
    form) replaces the old one, whose file is removed after commit."""
    line = BudgetLine.objects.select_for_update().get(pk=expense.line_id)
    before = audit.snapshot(expense, AUDITED_EXPENSE_FIELDS)
    values = {k: data.get(k) for k in EXPENSE_FIELDS} | {"amount": parse_money(data["amount"])}
    update_if_unchanged(Expense, expense.pk, version, **values)
    expense = Expense.objects.get(pk=expense.pk)
    if receipt is not None:
        old = expense.receipt
        storage, old_name = old.storage, old.name
        expense.receipt.save(receipt.name, receipt, save=False)
        expense.receipt_name = receipt.name[:200]
        expense.receipt_kind = receipt_kind.label
        expense.save(update_fields=["receipt", "receipt_name", "receipt_kind"])
        if old_name and old_name != expense.receipt.name:
            transaction.on_commit(lambda: storage.delete(old_name))
    changes = audit.diff(before, audit.snapshot(expense, AUDITED_EXPENSE_FIELDS))
    audit.log("update", expense, by=by, request=request, changes=changes)
    _check_alerts(line)
    return expense


@transaction.atomic
def delete_expense(expense: Expense, *, by, request=None) -> None:
    changes = {"amount": str(expense.amount), "payee": expense.payee}
    audit.log("delete", expense, by=by, request=request, changes=changes)
    expense.receipt.delete(save=False)
    expense.delete()
