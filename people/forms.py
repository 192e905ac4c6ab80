import re
from datetime import date

from django import forms

from orgs.models import Department
from people.models import Category, Person

MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*月?\s*$")


class MonthField(forms.Field):
    """A year and month typed as 1980-05, 1980.05, 1980/5 or 1980年5月."""

    widget = forms.TextInput

    def to_python(self, value):
        value = (value or "").strip()[:20]
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2100:
            raise forms.ValidationError("请按“1980-05”的格式填写年月。")
        return date(int(match.group(1)), int(match.group(2)), 1)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=[("", "—"), *Person.Gender.choices], required=False)
    birth_month = MonthField(label="出生年月", required=False, help_text="如 1980-05")
    staff_number = forms.CharField(label="工号", max_length=32, required=False)
    department = forms.ModelChoiceField(label="所在部门", queryset=Department.objects.none(), required=False)
    job_title = forms.CharField(label="职务", max_length=100, required=False)
    phone = forms.RegexField(
        label="手机",
        regex=r"^[0-9+\- ]{5,20}$",
        required=False,
        max_length=20,
        error_messages={"invalid": "请填写正确的电话号码。"},
    )
    email = forms.EmailField(label="邮箱", required=False)
    categories = forms.MultipleChoiceField(
        label="统战对象类别", choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, instance: Person | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "gender": instance.gender,
                "birth_month": instance.birth_month,
                "staff_number": instance.staff_number,
                "department": instance.department_id,
                "job_title": instance.job_title,
                "phone": instance.phone,
                "email": instance.email,
                "categories": instance.categories,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance = instance
        self.fields["department"].queryset = Department.objects.for_org(organisation)

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"].strip()
        if number:
            clash = Person.objects.for_org(self.organisation).filter(staff_number=number)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError("该工号已被其他人使用。")
        return number

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="姓名/工号", required=False, max_length=50)
    category = forms.ChoiceField(label="类别", choices=[("", "全部类别"), *Category.choices], required=False)
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.none(), required=False, empty_label="全部部门"
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_org(organisation)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            from django.db.models import Q

            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(staff_number=data["q"]))
        if data["category"]:
            queryset = queryset.filter(category_links__category=data["category"])
        if data["department"]:
            queryset = queryset.filter(department=data["department"])
        return queryset
