from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import files
from fiveones.models import Slot
from fiveones.queries import year_choices
from plans.services import targets_for_org

TITLE_LABELS = {
    Slot.BOOK: _("书名"),
    Slot.REPORT: _("报告题目"),
    Slot.SITE: _("教育基地名称"),
    Slot.RESEARCH: _("调研题目"),
}
DATE_LABELS = {
    Slot.BOOK: _("读完日期"),
    Slot.REPORT: _("听报告日期"),
    Slot.SITE: _("参观日期"),
    Slot.RESEARCH: _("完成日期"),
}
REFLECTION_LABELS = {
    Slot.BOOK: _("读书心得"),
    Slot.REPORT: _("主要收获"),
    Slot.SITE: _("参观感想"),
    Slot.RESEARCH: _("调研摘要"),
}
PROOF_LABELS = {
    Slot.BOOK: _("证明材料（书的照片或读书笔记：图片或 PDF）"),
    Slot.REPORT: _("证明材料（现场照片、通知或参会证明：图片或 PDF）"),
    Slot.SITE: _("证明材料（参观照片或门票：图片或 PDF）"),
    Slot.RESEARCH: _("调研报告（PDF 或 Word）"),
}


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, _("%(year)s年") % {"year": y}) for y in year_choices()]

    @property
    def selected_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class EntryForm(forms.Form):
    """A self-reported book, talk, visit or research report with its proof."""

    title = forms.CharField(max_length=200)
    author = forms.CharField(label=_("作者"), max_length=100, required=False)
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reflection = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=2000, required=False)
    proof = forms.FileField()

    def __init__(self, *args, slot: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = Slot(slot)
        self.fields["title"].label = TITLE_LABELS[self.slot]
        self.fields["on"].label = DATE_LABELS[self.slot]
        self.fields["reflection"].label = REFLECTION_LABELS[self.slot]
        self.fields["proof"].label = PROOF_LABELS[self.slot]
        if self.slot == Slot.BOOK:
            self.fields["author"].required = True
            self.fields["reflection"].required = True
            self.fields["reflection"].help_text = _("简短写下读后感，200 字左右即可。")
        else:
            del self.fields["author"]
        self.proof_kind = ""

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("日期不能晚于今天。"))
        return on

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        kinds = (files.PDF, files.WORD) if self.slot == Slot.RESEARCH else (files.IMAGE, files.PDF)
        self.proof_kind = files.check_upload(proof, kinds=kinds).label
        return proof


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("未通过原因"), max_length=200)


class TargetLinkForm(forms.Form):
    target = forms.ModelChoiceField(label=_("工作要点目标"), queryset=None)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets_for_org(organisation).order_by("item__plan__year", "item__number")
        self.fields["target"].label_from_instance = lambda t: (
            _("%(year)s年 %(number)s %(text)s")
            % {
                "year": t.item.plan.year,
                "number": t.item.number,
                "text": t.text,
            }
        )
