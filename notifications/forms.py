from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import messages, robots
from notifications.models import PERSONAL_CHANNELS, Kind, Robot

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PreferencesForm(forms.Form):
    """The kind × channel table (in-app is always on), quiet hours and the daily digest."""

    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False, widget=TIME)
    quiet_end = forms.TimeField(label=_("免打扰结束"), required=False, widget=TIME)
    daily_digest = forms.BooleanField(
        label=_("邮件改为每日摘要"), required=False, help_text=_("每天早上 7:30 汇总前一天的未读通知，发一封邮件")
    )

    def __init__(self, *args, table: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            for channel in PERSONAL_CHANNELS:
                self.fields[f"{kind}__{channel}"] = forms.BooleanField(
                    label=f"{kind.label} · {channel.label}", required=False, initial=table[kind][channel]
                )

    def rows(self):
        """(kind label, [bound fields per channel]) for the table."""
        return [(kind.label, [self[f"{kind}__{c}"] for c in PERSONAL_CHANNELS]) for kind in Kind]

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise forms.ValidationError(_("免打扰时段需同时填写开始和结束时间。"))
        return data

    def table(self) -> dict:
        return {kind: {c: self.cleaned_data[f"{kind}__{c}"] for c in PERSONAL_CHANNELS} for kind in Kind}


class RobotForm(forms.Form):
    kind = forms.ChoiceField(label=_("平台"), choices=Robot._meta.get_field("kind").choices)
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例如：统战成员群"))
    url = forms.CharField(
        label=_("Webhook 地址"),
        max_length=500,
        widget=forms.URLInput,
        help_text=_("机器人设置页复制的完整地址，须以 http:// 或 https:// 开头"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("钉钉、飞书的“加签”密钥（SEC 开头）；修改时留空表示不变"),
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的密钥"), required=False)
    announcements = forms.BooleanField(
        label=_("发送群公告（新活动、学习推送、截止提醒）"), required=False, initial=True
    )
    personal = forms.BooleanField(
        label=_("转发个人通知（@本人手机号）"),
        required=False,
        help_text=_("仅企业微信、钉钉；成员在通知设置中选择后，以 @手机号 提醒，正文使用“个人通知”模板"),
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if not robots.valid_webhook_url(url):
            raise forms.ValidationError(_("地址须以 http:// 或 https:// 开头，且不能包含用户名或密码。"))
        return url

    def clean(self):
        data = super().clean()
        if data.get("personal") and data.get("kind") == "feishu":
            self.add_error("personal", _("飞书机器人不能按手机号 @成员，不能转发个人通知。"))
        return data


class TemplateForm(forms.Form):
    text = forms.CharField(label=_("模板内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=2000)

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            messages.check(text, self.key)
        except messages.TemplateError as e:
            raise forms.ValidationError(str(e)) from e
        return text
