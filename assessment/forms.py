from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import Adjustment, Appeal, Indicator, Scheme
from assessment.services import SCHEME_FIELDS, parse_adjustment, parse_points
from core import files


class SchemeCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    copy_last_year = forms.BooleanField(label=_("复制上一年度方案"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = SCHEME_FIELDS
        widgets = {"letter_preamble": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        data = super().clean()
        e, g, p = data.get("excellent_min"), data.get("good_min"), data.get("pass_min")
        if None not in (e, g, p) and not (e > g > p >= 0):
            raise ValidationError(_("分数线须满足：优秀 > 良好 > 合格 ≥ 0。"))
        cap = data.get("excellent_cap")
        if cap is not None and not 1 <= cap <= 100:
            self.add_error("excellent_cap", _("优秀比例上限须在 1 到 100 之间。"))
        if data.get("max_adjustment") is not None and data["max_adjustment"] < 0:
            self.add_error("max_adjustment", _("加扣分上限不能为负数。"))
        return data


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "description", "metric", "weight", "max_points", "target_count"]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight <= 0:
            raise ValidationError(_("权重须大于 0。"))
        return weight

    def clean_max_points(self):
        value = self.cleaned_data["max_points"]
        if value <= 0:
            raise ValidationError(_("满分须大于 0。"))
        return value


class SelfAssessmentForm(forms.Form):
    summary = forms.CharField(label=_("自评总结"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, indicators, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            statement = statements.get(indicator.pk)
            self.fields[f"text_{indicator.pk}"] = forms.CharField(
                label=_("自评说明"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=statement.text if statement else "",
            )
            self.fields[f"points_{indicator.pk}"] = forms.CharField(
                label=_("自评得分"),
                required=False,
                initial=statement.self_points if statement and statement.self_points is not None else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "narrow"}),
            )

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:
            raw = (data.get(f"points_{indicator.pk}") or "").strip()
            if raw:
                try:
                    data[f"points_{indicator.pk}"] = parse_points(
                        raw, maximum=indicator.max_points, name=indicator.name
                    )
                except ValidationError as error:
                    self.add_error(f"points_{indicator.pk}", error)
            else:
                data[f"points_{indicator.pk}"] = None
        return data

    def statements(self) -> dict:
        return {
            i.pk: (self.cleaned_data[f"text_{i.pk}"].strip(), self.cleaned_data[f"points_{i.pk}"])
            for i in self.indicators
        }

    def rows(self):
        for indicator in self.indicators:
            yield indicator, self[f"text_{indicator.pk}"], self[f"points_{indicator.pk}"]


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = files.check_upload(upload, kinds=files.EVIDENCE)
        return upload


class ScanForm(forms.Form):
    file = forms.FileField(label=_("签字盖章扫描件"), help_text=_("PDF 或图片"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = files.check_upload(upload, kinds=(files.PDF, files.IMAGE))
        return upload


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("评语"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, indicators, initial_points: dict, initial_notes: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"points_{indicator.pk}"] = forms.CharField(
                label=_("得分"),
                initial=initial_points.get(indicator.pk, ""),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "narrow"}),
                error_messages={"required": _("请评分。")},
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=_("评分说明"), required=False, max_length=300, initial=initial_notes.get(indicator.pk, "")
            )

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:
            raw = data.get(f"points_{indicator.pk}")
            if raw is None:
                continue
            try:
                data[f"points_{indicator.pk}"] = parse_points(raw, maximum=indicator.max_points, name=indicator.name)
            except ValidationError as error:
                self.add_error(f"points_{indicator.pk}", error)
        return data

    def scores(self) -> dict:
        return {i.pk: (self.cleaned_data[f"points_{i.pk}"], self.cleaned_data[f"note_{i.pk}"]) for i in self.indicators}


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Adjustment.Kind.choices)
    points = forms.CharField(label=_("分值"), widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "narrow"}))
    reason = forms.CharField(label=_("理由"), max_length=300)

    def __init__(self, *args, maximum: Decimal = Decimal("5"), **kwargs):
        super().__init__(*args, **kwargs)
        self.maximum = maximum

    def clean_points(self):
        return parse_adjustment(self.cleaned_data["points"], maximum=self.maximum)


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"), choices=[c for c in Appeal.Decision.choices if c[0] != Appeal.Decision.PENDING]
    )
    response = forms.CharField(label=_("答复意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
