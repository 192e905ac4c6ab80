import re
import uuid
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.files import EVIDENCE, check_upload
from orgs.models import Department
from people.models import Person
from plans import services as plan_services
from proposals.models import (
    AnswerTemplate,
    Attachment,
    Category,
    FilingKind,
    FilingLevel,
    FilingStatus,
    Kind,
    Outcome,
    Proposal,
    ProposalTarget,
    Rating,
    Status,
)
from proposals.services import DUE_DAYS, MAX_ATTACHMENTS

NAME_SEPARATORS = re.compile(r"[、,，;；\s]+")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several uploads, each checked by content (image, PDF, Word, Excel; 20 MB)."""

    def __init__(self, *args, max_files: int = MAX_ATTACHMENTS, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if len(uploads) > self.max_files:
            raise ValidationError(gettext("一次最多上传 %(count)s 个文件。") % {"count": self.max_files})
        checked = []
        for upload in uploads:
            super().clean(upload, initial)
            checked.append((upload, check_upload(upload, kinds=EVIDENCE)))
        return checked


def _year_choices():
    this_year = timezone.localdate().year
    return [(y, gettext("%(year)s年") % {"year": y}) for y in range(this_year, this_year - 6, -1)]


class ProposalForm(forms.Form):
    """The member's suggestion form (new or a draft). `client_token` makes posting it twice harmless."""

    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.SUGGESTION)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("写明问题、原因和具体建议。"),
    )
    cosigner_names = forms.CharField(
        label=_("联名人"),
        required=False,
        max_length=500,
        help_text=_("填写姓名，多人用顿号分隔；提交后请他们确认联名。"),
    )
    files = FilesField(
        label=_("附件"),
        help_text=format_lazy(
            _("图片、PDF、Word 或 Excel，最多 {count} 个，每个不超过 20 MB。"), count=MAX_ATTACHMENTS
        ),
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, organisation, submitter: Person | None = None, instance: Proposal | None = None, **kwargs
    ):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": instance.kind,
                "category": instance.category,
                "title": instance.title,
                "content": instance.content,
                "cosigner_names": "、".join(c.person.name for c in instance.cosigners.select_related("person")),
                "version": instance.version,
            }
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.submitter = submitter
        self.instance = instance
        if instance is not None:
            del self.fields["client_token"]
            self.fields["remove"] = forms.ModelMultipleChoiceField(
                label=gettext("删除附件"),
                queryset=Attachment.objects.filter(proposal=instance),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_client_token(self):
        return self.cleaned_data.get("client_token") or uuid.uuid4()

    def clean_cosigner_names(self):
        names = [n for n in dict.fromkeys(NAME_SEPARATORS.split(self.cleaned_data["cosigner_names"])) if n]
        if len(names) > 20:
            raise ValidationError(gettext("联名人最多 20 位。"))
        people = []
        found = Person.objects.for_org(self.organisation).filter(name__in=names).select_related("department")
        by_name: dict[str, list[Person]] = {}
        for person in found:
            by_name.setdefault(person.name, []).append(person)
        problems = []
        for name in names:
            matches = by_name.get(name, [])
            if self.submitter is not None and name == self.submitter.name and len(matches) == 1:
                problems.append(gettext("不需要把自己列为联名人"))
            elif not matches:
                problems.append(gettext("名册中没有“%(name)s”") % {"name": name})
            elif len(matches) > 1:
                problems.append(
                    gettext("名册中有 %(count)s 位“%(name)s”，请联系统战部代为添加")
                    % {"count": len(matches), "name": name}
                )
            else:
                people.append(matches[0])
        if problems:
            raise ValidationError(gettext("；").join(problems) + gettext("。"))
        return people


class OnBehalfForm(ProposalForm):
    """UFD staff enter a member's suggestion (e.g. from a symposium's feedback); it is submitted at once."""

    submitter = forms.ModelChoiceField(label=_("提出人"), queryset=Person.objects.none())
    source = forms.CharField(label=_("来源"), max_length=100, required=False, help_text=_("如 2023年5月党外人士座谈会"))
    field_order = ["submitter", "source", "kind", "category", "title", "content", "cosigner_names", "files"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["submitter"].queryset = Person.objects.for_org(organisation).select_related("department")

    def clean(self):
        data = super().clean()
        submitter = data.get("submitter")
        if submitter is not None and any(p.pk == submitter.pk for p in data.get("cosigner_names") or []):
            self.add_error("cosigner_names", gettext("提出人不需要列为联名人。"))
        return data


class NoteOnlyForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    case_number = forms.CharField(label=_("并入案号"), max_length=20, help_text=_("如 2023-001"))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        into = (
            Proposal.objects.for_org(self.proposal.organisation_id)
            .filter(case_number=number)
            .exclude(pk=self.proposal.pk)
            .exclude(status__in=[Status.MERGED, Status.WITHDRAWN, Status.DECLINED])
            .first()
        )
        if into is None:
            raise ValidationError(gettext("没有可并入的案号“%(number)s”。") % {"number": number})
        return into


class AssignForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("主办部门"), queryset=Department.objects.none())
    support = forms.ModelMultipleChoiceField(
        label=_("协办部门"), queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=_("办理时限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    review_required = forms.BooleanField(label=_("答复须经统战部审核后发布"), required=False, initial=True)
    note = forms.CharField(
        label=_("交办意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("due_date", timezone.localdate() + timedelta(days=DUE_DAYS))
        super().__init__(*args, **kwargs)
        departments = Department.objects.for_org(organisation).filter(is_active=True)
        self.fields["lead"].queryset = departments
        self.fields["support"].queryset = departments

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise ValidationError(gettext("办理时限不能早于今天。"))
        return due


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("答复内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    files = FilesField(
        label=_("附件"),
        help_text=_("可附办理材料（图片、PDF、Word、Excel，每个不超过 20 MB）；提出人在答复发布后可见。"),
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对答复是否满意"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("rating") == Rating.UNSATISFIED and not (data.get("comment") or "").strip():
            self.add_error("comment", gettext("不满意时请写明原因，便于重新办理。"))
        return data


class CosignForm(forms.Form):
    agree = forms.TypedChoiceField(
        choices=[("1", _("确认联名")), ("0", _("谢绝"))], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("内部备注"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅统战部和承办部门可见，提出人看不到。"),
    )


class FlagsForm(forms.Form):
    excellent = forms.BooleanField(label=_("优秀建言"), required=False)
    published = forms.BooleanField(label=_("向全体成员公开"), required=False, help_text=_("只有已答复的建言可以公开。"))


class TargetLinkForm(forms.Form):
    target = forms.ModelChoiceField(label=_("工作要点目标"), queryset=None)
    basis = forms.ChoiceField(label=_("计入方式"), choices=ProposalTarget.Basis.choices)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = plan_services.targets_for_org(organisation)
        self.fields["target"].label_from_instance = lambda t: t.picker_label


class UnlinkForm(forms.Form):
    link = forms.ModelChoiceField(queryset=ProposalTarget.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = ProposalTarget.objects.filter(proposal=proposal).select_related("target")


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("标题/案号/提出人"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *Status.choices], required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部类型")), *Kind.choices], required=False)
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("全部类别")), *Category.choices], required=False)
    year = forms.TypedChoiceField(label=_("年度"), choices=[], coerce=int, required=False, empty_value=None)
    department = forms.ModelChoiceField(
        label=_("主办部门"), queryset=Department.objects.none(), required=False, empty_label=_("全部部门")
    )
    excellent = forms.BooleanField(label=_("仅优秀建言"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_org(organisation)
        self.fields["year"].choices = [("", gettext("全部年度")), *_year_choices()]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(
                Q(title__icontains=data["q"]) | Q(case_number=data["q"]) | Q(submitter__name=data["q"])
            )
        for field in ("status", "kind", "category"):
            if data[field]:
                queryset = queryset.filter(**{field: data[field]})
        if data["year"]:
            queryset = queryset.filter(submitted_at__year=data["year"])
        if data["department"]:
            queryset = queryset.filter(lead_department=data["department"])
        if data["excellent"]:
            queryset = queryset.filter(is_excellent=True)
        return queryset


class FiguresForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), choices=[], coerce=int)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部类型")), *Kind.choices], required=False)
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("全部类别")), *Category.choices], required=False)
    department = forms.ModelChoiceField(
        label=_("主办部门"), queryset=Department.objects.none(), required=False, empty_label=_("全部部门")
    )

    def __init__(self, data=None, *, organisation, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["department"].queryset = Department.objects.for_org(organisation)

    def values(self) -> dict:
        if self.is_bound and self.is_valid():
            return self.cleaned_data
        return {"year": timezone.localdate().year, "kind": "", "category": "", "department": None}


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), choices=[], coerce=int)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = _year_choices()

    @property
    def chosen_year(self) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return timezone.localdate().year


class AnswerTemplateForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    outcome = forms.ChoiceField(
        label=_("适用结果"), choices=[("", pgettext_lazy("any outcome", "不限")), *Outcome.choices], required=False
    )
    text = forms.CharField(label=_("答复内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, instance: AnswerTemplate | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"title": instance.title, "outcome": instance.outcome, "text": instance.text}
        super().__init__(*args, **kwargs)


class OutsideFilingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=FilingKind.choices)
    body = forms.CharField(label=_("报送单位"), max_length=100, help_text=_("如 市政协、民盟市委、区人大"))
    level = forms.ChoiceField(label=_("级别"), choices=FilingLevel.choices)
    date = forms.DateField(label=_("报送日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label=_("标题"), max_length=200)
    case_number = forms.CharField(label=_("编号/案号"), max_length=50, required=False)
    status = forms.ChoiceField(label=_("办理情况"), choices=FilingStatus.choices)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如 领导批示情况、采纳单位"),
    )
    files = FilesField(label=_("证明材料"), help_text=_("回执、立案通知、答复函或批示的照片或扫描件。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                f: getattr(instance, f)
                for f in ("kind", "body", "level", "date", "title", "case_number", "status", "note", "version")
            }
        super().__init__(*args, **kwargs)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError(gettext("报送日期不能晚于今天。"))
        return value


class VerifyForm(forms.Form):
    verified = forms.TypedChoiceField(
        choices=[("1", _("核实无误")), ("0", _("退回补充"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("核实结果"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500, help_text=_("退回时写明需要补充的材料。"))
