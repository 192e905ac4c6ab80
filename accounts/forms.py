from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from orgs.models import ADMIN_ROLES, Department, Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), max_length=128, widget=forms.PasswordInput)


class SetPasswordForm(forms.Form):
    """The holder of a one-time link chooses the password."""

    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def reuses_old_password(self, new: str, data: dict) -> bool:
        return self.user.has_usable_password() and self.user.check_password(new)

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password2")
        if new and again and new != again:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif new and self.reuses_old_password(new, data):
            self.add_error("new_password", _("新密码不能与原密码相同。"))
        elif new:
            try:
                validate_password(new, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password", error)
        return data


class PasswordChangeForm(SetPasswordForm):
    """The signed-in user changes the password, giving the old one first."""

    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    field_order = ["old_password", "new_password", "new_password2"]

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(gettext("原密码不正确。"))
        return value

    def reuses_old_password(self, new: str, data: dict) -> bool:
        return bool(data.get("old_password")) and new == data["old_password"]


class UserCreateForm(forms.Form):
    """No password: the account's holder sets it through a one-time link sent to this e-mail."""

    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _。")},
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(
        label=_("本人邮箱"), help_text=_("设置密码的一次性链接将发送到这个邮箱，系统管理员不能设置他人的密码。")
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(gettext("该用户名已存在。"))
        return username


class UserEditForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(label=_("邮箱"), required=False)
    staff_number = forms.CharField(
        label=_("工号"), max_length=32, required=False, help_text=_("统一身份认证按工号找到这个账号。")
    )
    is_active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"].strip()
        others = User.objects.filter(staff_number=number).exclude(pk=getattr(self.target, "pk", None))
        if number and others.exists():
            raise forms.ValidationError(gettext("该工号已属于另一个账号。"))
        return number


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    departments = forms.ModelMultipleChoiceField(
        label=_("联络部门"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, by, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.for_org(organisation)
        self.by = by
        self.target = target

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.LIAISON and not data.get("departments"):
            self.add_error("departments", gettext("部门联络员须指定至少一个部门。"))
        if self.target == self.by:
            raise forms.ValidationError(gettext("不能修改自己的角色。"))
        current = self.target.membership.role
        if role and current and (role in ADMIN_ROLES) != (current in ADMIN_ROLES):
            # 三员分立: administrators use accounts of their own, never a business account.
            raise forms.ValidationError(gettext("管理员角色须使用单独的账号，不能与业务角色互换。"))
        return data


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=10000, initial=100)
    aliases = forms.CharField(
        label=_("别名"),
        required=False,
        max_length=1000,
        help_text=_("多个别名用顿号（、）或逗号分隔，如：统战部、党委统战部"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, organisation, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance = instance

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Department.objects.for_org(self.organisation).filter(name=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(gettext("已有同名部门。"))
        return name

    def clean_aliases(self):
        raw = self.cleaned_data["aliases"]
        parts = [p.strip() for p in raw.replace("，", "、").replace(",", "、").split("、")]
        return list(dict.fromkeys(p for p in parts if p))


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("用户"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("操作"), required=False)
    date_from = forms.DateField(
        label=pgettext_lazy("date range", "起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from core.audit import ACTIONS

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", gettext("全部")), *list(ACTIONS.items())]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(gettext("起始日期不能晚于截止日期。"))
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("user"):
            queryset = queryset.filter(username__icontains=data["user"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("date_from"):
            queryset = queryset.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(at__date__lte=data["date_to"])
        return queryset


class LookupRequestForm(forms.Form):
    object_type = forms.ChoiceField(label=_("对象类型"))
    object_id = forms.RegexField(label=_("编号"), regex=r"^\d{1,18}$", max_length=18)
    reason = forms.CharField(label=_("理由"), min_length=4, max_length=200)

    def __init__(self, *args, **kwargs):
        from accounts.pseudonyms import SUBJECT_TYPES

        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = list(SUBJECT_TYPES.items())
