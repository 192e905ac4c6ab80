import re
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.files import EXCEL, check_upload
from orgs.models import Department, Role
from people.models import (
    Award,
    Category,
    ContactRecord,
    Group,
    Party,
    PartyMembership,
    Person,
    PublicityConsent,
    PublicPost,
    StudyAbroad,
)

MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*月?\s*$")
PHONE = r"^[0-9+\- ]{5,20}$"


class MonthField(forms.Field):
    """A year and month typed as 1980-05, 1980.05, 1980/5 or 1980年5月."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, date):
            return value.replace(day=1)
        value = (value or "").strip()[:20]
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2100:
            raise forms.ValidationError(_("请按“1980-05”的格式填写年月。"))
        return date(int(match.group(1)), int(match.group(2)), 1)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value


def cadre_choices(organisation):
    """UFD staff and liaisons of the organisation: who may be assigned to keep in touch."""
    return (
        get_user_model()
        .objects.filter(membership__organisation=organisation, membership__role__in=[Role.UFD_STAFF, Role.LIAISON])
        .order_by("name", "username")
    )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Person.Gender.choices], required=False)
    birth_month = MonthField(label=_("出生年月"), required=False, help_text=_("如 1980-05"))
    staff_number = forms.CharField(label=_("工号"), max_length=32, required=False)
    department = forms.ModelChoiceField(label=_("所在部门"), queryset=Department.objects.none(), required=False)
    job_title = forms.CharField(label=_("职务"), max_length=100, required=False)
    professional_title = forms.CharField(label=_("职称"), max_length=100, required=False)
    education = forms.CharField(label=_("学历"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("手机"),
        regex=PHONE,
        required=False,
        max_length=20,
        error_messages={"invalid": _("请填写正确的电话号码。")},
    )
    email = forms.EmailField(label=_("邮箱"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("统战对象类别"), choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    assigned_cadres = forms.ModelMultipleChoiceField(
        label=_("联系干部"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("被指定的部门联络员可为此人记录联系情况"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, instance: Person | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            # Contact data is not shown in the form: it stays masked unless typed anew.
            kwargs["initial"] = {
                "name": instance.name,
                "gender": instance.gender,
                "birth_month": instance.birth_month,
                "staff_number": instance.staff_number,
                "department": instance.department_id,
                "job_title": instance.job_title,
                "professional_title": instance.professional_title,
                "education": instance.education,
                "categories": instance.categories,
                "assigned_cadres": [u.pk for u in instance.assigned_cadres.all()],
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance = instance
        self.fields["department"].queryset = Department.objects.for_org(organisation)
        self.fields["assigned_cadres"].queryset = cadre_choices(organisation)
        if instance is not None:
            if instance.phone:
                self.fields["phone"].help_text = _("当前：%(value)s；留空则不修改") % {"value": instance.masked_phone}
            if instance.email:
                self.fields["email"].help_text = _("当前：%(value)s；留空则不修改") % {"value": instance.masked_email}

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"].strip()
        if number:
            clash = Person.objects.for_org(self.organisation).filter(staff_number=number)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("该工号已被其他人使用。"))
        return number

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        data = super().clean()
        if self.instance is not None:
            for field in ("phone", "email"):
                if not data.get(field):
                    data[field] = getattr(self.instance, field)
        return data


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名/拼音/工号"), required=False, max_length=50)
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("全部类别")), *Category.choices], required=False)
    party = forms.ChoiceField(label=_("民主党派"), choices=[("", _("全部党派")), *Party.choices], required=False)
    department = forms.ModelChoiceField(
        label=_("部门"), queryset=Department.objects.none(), required=False, empty_label=_("全部部门")
    )
    post = forms.ChoiceField(label=_("社会职务"), choices=[("", _("不限")), *PublicPost.Kind.choices], required=False)
    returned = forms.BooleanField(label=_("有留学经历"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_org(organisation)

    def criteria(self) -> dict:
        """The cleaned filters as keyword arguments of `PersonQuerySet.matching`."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}

    def filter(self, queryset):
        return queryset.matching(**self.criteria())

    def querydict(self) -> dict:
        """The non-empty filters as {name: value} strings, as a saved group keeps them."""
        data = {}
        for name, value in self.criteria().items():
            data[name] = str(value.pk) if hasattr(value, "pk") else ("1" if value is True else str(value))
        return data

    def describe(self) -> str:
        """The filters in words, for the audit log and export titles."""
        parts = []
        for name, value in self.criteria().items():
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, value)
            parts.append(
                _("%(label)s：%(value)s") % {"label": field.label, "value": _("是") if value is True else value}
            )
        return "；".join(parts) or _("全部")


class PartyMembershipForm(forms.ModelForm):
    join_month = MonthField(label=_("入党派时间"), required=False, help_text=_("如 2010-06"))

    class Meta:
        model = PartyMembership
        fields = ["party", "join_month", "post"]


class PublicPostForm(forms.ModelForm):
    class Meta:
        model = PublicPost
        fields = ["kind", "level", "term", "title"]


class AwardForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["name", "year", "issuer"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not 1950 <= year <= 2100:
            raise forms.ValidationError(_("请填写四位年份。"))
        return year


class StudyAbroadForm(forms.ModelForm):
    start_month = MonthField(label=_("留学开始"), required=False, help_text=_("如 2008-09"))
    end_month = MonthField(label=_("留学结束"), required=False, help_text=_("如 2012-07"))
    return_month = MonthField(label=_("回国时间"), required=False, help_text=_("如 2012-08"))

    class Meta:
        model = StudyAbroad
        fields = ["country_region", "institution", "degree", "start_month", "end_month", "return_month"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_month"), data.get("end_month")
        if start and end and end < start:
            self.add_error("end_month", _("结束时间早于开始时间。"))
        return data


class ConsentForm(forms.ModelForm):
    given_at = forms.DateField(label=_("同意日期"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = PublicityConsent
        fields = ["given_at", "note"]


# The related records a person page can add, by the `kind` in its URL.
RECORD_FORMS = {
    "party": (_("民主党派"), PartyMembershipForm),
    "post": (_("社会职务"), PublicPostForm),
    "award": (_("荣誉奖励"), AwardForm),
    "study": (_("留学经历"), StudyAbroadForm),
    "consent": (_("宣传同意"), ConsentForm),
}


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("查看目的"), max_length=100, help_text=_("如 通知参加座谈会；将记入审计日志"), min_length=2
    )


class ExportForm(forms.Form):
    unmasked = forms.BooleanField(label=_("导出完整联系方式"), required=False)
    purpose = forms.CharField(label=_("用途"), max_length=100, required=False, help_text=_("导出完整联系方式时必填"))

    def clean(self):
        data = super().clean()
        if data.get("unmasked") and len((data.get("purpose") or "").strip()) < 2:
            self.add_error("purpose", _("导出完整联系方式须写明用途。"))
        return data


class ContactForm(forms.ModelForm):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = ContactRecord
        fields = ["date", "met_by", "method", "raised", "follow_up_needed", "follow_up"]
        widgets = {"raised": forms.Textarea(attrs={"rows": 4}), "follow_up": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        if data.get("follow_up_needed") and not (data.get("follow_up") or "").strip():
            self.add_error("follow_up", _("需要跟进时请写明跟进事项。"))
        return data


class ContactOutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label=_("已办结"), required=False, initial=True)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("分组名称"), max_length=100)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Group.objects.for_org(self.organisation).filter(name=name).exists():
            raise forms.ValidationError(_("已有同名分组。"))
        return name


class AddToGroupForm(forms.Form):
    group = forms.ModelChoiceField(label=_("加入分组"), queryset=Group.objects.none(), empty_label=_("选择固定名单"))
    people = forms.ModelMultipleChoiceField(queryset=Person.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.for_org(organisation).filter(kind=Group.Kind.STATIC)
        self.fields["people"].queryset = Person.objects.for_org(organisation)
        self.fields["people"].error_messages["required"] = _("请先勾选人员。")


# What a member may change on their own profile.
SELF_FIELDS = ["phone", "email", "job_title", "professional_title", "education"]


class ProfileChangeForm(forms.Form):
    phone = forms.RegexField(
        label=_("手机"),
        regex=PHONE,
        required=False,
        max_length=20,
        error_messages={"invalid": _("请填写正确的电话号码。")},
    )
    email = forms.EmailField(label=_("邮箱"), required=False)
    job_title = forms.CharField(label=_("职务"), max_length=100, required=False)
    professional_title = forms.CharField(label=_("职称"), max_length=100, required=False)
    education = forms.CharField(label=_("学历"), max_length=50, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        kwargs.setdefault("initial", {f: getattr(person, f) for f in SELF_FIELDS})
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def changes(self) -> dict:
        """{field: [current, proposed]} for the fields the member changed."""
        return {
            f: [getattr(self.person, f), self.cleaned_data[f].strip()]
            for f in SELF_FIELDS
            if self.cleaned_data[f].strip() != getattr(self.person, f)
        }


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=200)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, kinds=(EXCEL,), max_mb=10)
        except ValidationError as error:
            raise forms.ValidationError(error.messages)
        return upload
