from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetLine, Category, Expense
from budget.services import parse_money
from core import files
from events import queries as event_queries


def _item_choices(organisation, year):
    from plans.models import Item

    return (
        Item.objects.for_org(organisation).filter(plan__year=year).select_related("plan").order_by("plan_id", "order")
    )


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title[:40]}"


class LineForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    name = forms.CharField(label=_("预算项目"), max_length=200)
    amount = forms.CharField(label=_("预算金额（元）"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    item = ItemChoiceField(label=_("对应工作要点任务"), queryset=None, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, organisation, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _item_choices(organisation, year)

    def clean_amount(self):
        return parse_money(self.cleaned_data["amount"], label=_("预算金额"))

    @staticmethod
    def initial_for(line: BudgetLine) -> dict:
        return {
            "category": line.category,
            "name": line.name,
            "amount": line.amount,
            "item": line.item_id,
            "note": line.note,
            "version": line.version,
        }


class LineEditForm(LineForm):
    """Editing a line: the hidden `version` is the one the edit started from (core.concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ExpenseForm(forms.Form):
    date = forms.DateField(label=_("支出日期"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=_("金额（元）"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    payee = forms.CharField(label=_("收款方"), max_length=200)
    description = forms.CharField(label=_("用途"), max_length=300)
    receipt = forms.FileField(label=_("票据"), help_text=_("发票或收据的照片、扫描件（图片或 PDF）"))
    event = forms.ModelChoiceField(label=_("对应活动"), queryset=None, required=False)
    item = ItemChoiceField(label=_("对应任务"), queryset=None, required=False)

    def __init__(self, *args, line: BudgetLine, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["event"].queryset = event_queries.events_of_year(line.organisation, line.year)
        self.fields["item"].queryset = _item_choices(line.organisation, line.year)
        if line.item_id:
            self.fields["item"].initial = line.item_id

    def clean_amount(self):
        return parse_money(self.cleaned_data["amount"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date.year != self.line.year:
            raise ValidationError(_("支出日期须在预算年度 %(year)s 年内。") % {"year": self.line.year})
        return date

    def clean_receipt(self):
        upload = self.cleaned_data["receipt"]
        self.receipt_kind = files.check_upload(upload, kinds=(files.IMAGE, files.PDF))
        return upload


class ExpenseEditForm(ExpenseForm):
    """Editing a recorded expense: the receipt may stay as it is; the hidden `version` is the one
    the edit started from (core.concurrency), so a stale edit is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.receipt_kind = None
        self.fields["receipt"].required = False
        self.fields["receipt"].help_text = _("如需更换票据，请上传新的照片或扫描件（图片或 PDF）；不上传则保留原票据。")

    def clean_receipt(self):
        if not self.cleaned_data.get("receipt"):
            return None
        return super().clean_receipt()

    @staticmethod
    def initial_for(expense: Expense) -> dict:
        return {
            "date": expense.date,
            "amount": expense.amount,
            "payee": expense.payee,
            "description": expense.description,
            "event": expense.event_id,
            "item": expense.item_id,
            "version": expense.version,
        }
