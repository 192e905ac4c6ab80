from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from integrations.models import EventType, Scope
from orgs.models import ADMIN_ROLES


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("对接的系统，例如：学校OA"))
    scopes = forms.MultipleChoiceField(label=_("权限范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    acts_as = forms.ModelChoiceField(
        label=_("写入时代表的账号"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("写入（报送进展、报名、提交建言）以该账号的身份和权限进行；只读令牌可不选"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acts_as"].queryset = (
            get_user_model()
            .objects.filter(membership__organisation=organisation, is_active=True)
            .exclude(membership__role__in=ADMIN_ROLES)
            .order_by("username")
        )

    def clean(self):
        data = super().clean()
        writes = {Scope.PLANS_WRITE, Scope.EVENTS_WRITE, Scope.PROPOSALS_WRITE}
        if writes & set(data.get("scopes") or []) and not data.get("acts_as"):
            self.add_error("acts_as", _("有写入权限的令牌须选择代表的账号。"))
        return data


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    url = forms.URLField(
        label=_("接收地址"), max_length=500, assume_scheme="https", help_text=_("须以 http:// 或 https:// 开头")
    )
    event_types = forms.MultipleChoiceField(
        label=_("订阅事件"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("须以 http:// 或 https:// 开头"))
        return url
