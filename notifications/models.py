"""Notices: in-app messages, each user's channel preferences, the organisation's group robots
(WeCom, DingTalk, Feishu), editable message templates and the delivery log of everything sent
outside the app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notice is about; users choose channels per kind."""

    GENERAL = "general", _("其他通知")
    EVENT = "event", _("活动与会议")
    STUDY = "study", _("学习推送")
    PROPOSAL = "proposal", _("建言献策")
    PLAN = "plan", _("工作要点与督办")
    FIVE_ONES = "fiveones", _("五个一")
    PUBLICITY = "publicity", _("宣传报道")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    FEISHU = "feishu", _("飞书")


# Channels a user may choose for personal notices (Feishu robots cannot @mention by phone).
PERSONAL_CHANNELS = [Channel.EMAIL, Channel.WECOM, Channel.DINGTALK]


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user (an invitation, an urge, an answer...)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="notifications", on_delete=models.CASCADE)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")

    def __str__(self) -> str:
        return self.title


class NoticeSettings(models.Model):
    """A user's quiet hours and digest choice (one row per user, made on first save)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="notice_settings", on_delete=models.CASCADE)
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)
    daily_digest = models.BooleanField(_("每日摘要邮件"), default=False)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class Preference(models.Model):
    """Which outside channels a user wants for one kind of notice (in-app is always on).
    No row: e-mail on, WeCom and DingTalk off (`DEFAULTS`)."""

    DEFAULTS = {Channel.EMAIL: True, Channel.WECOM: False, Channel.DINGTALK: False}

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="notice_preferences", on_delete=models.CASCADE)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    email = models.BooleanField(_("电子邮件"), default=True)
    wecom = models.BooleanField(_("企业微信"), default=False)
    dingtalk = models.BooleanField(_("钉钉"), default=False)

    class Meta:
        verbose_name = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class Robot(models.Model):
    """A group robot (群机器人) webhook of the organisation, entered by UFD staff."""

    organisation = models.ForeignKey("orgs.Organisation", related_name="robots", on_delete=models.CASCADE)
    kind = models.CharField(
        _("平台"),
        max_length=10,
        choices=[
            (Channel.WECOM, Channel.WECOM.label),
            (Channel.DINGTALK, Channel.DINGTALK.label),
            (Channel.FEISHU, Channel.FEISHU.label),
        ],
    )
    name = models.CharField(_("名称"), max_length=100)
    url = models.CharField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    announcements = models.BooleanField(_("发送群公告"), default=True)
    personal = models.BooleanField(_("转发个人通知（@本人）"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("群机器人")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"


class TemplateKey(models.TextChoices):
    EVENT_PUBLISHED = "event.published", _("群公告：新活动")
    STUDY_PUBLISHED = "study.published", _("群公告：学习推送")
    DEADLINE = "deadline", _("群公告：截止提醒")
    PERSONAL = "personal", _("个人通知（企业微信/钉钉 @本人）")


class MessageTemplate(models.Model):
    """The text of one kind of outside message, editable by UFD staff (placeholders in braces)."""

    organisation = models.ForeignKey("orgs.Organisation", related_name="message_templates", on_delete=models.CASCADE)
    key = models.CharField(_("用途"), max_length=30, choices=TemplateKey.choices)
    text = models.TextField(_("模板内容"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("消息模板")
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="message_template_unique")]

    def __str__(self) -> str:
        return self.get_key_display()


class Delivery(models.Model):
    """One message sent (or to be sent) outside the app: an e-mail or a robot post. The log UFD
    staff read; failed posts are retried with backoff by the periodic sender."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        RETRYING = "retrying", _("等待重试")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")

    organisation = models.ForeignKey("orgs.Organisation", related_name="deliveries", on_delete=models.CASCADE)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    robot = models.ForeignKey(Robot, null=True, blank=True, related_name="deliveries", on_delete=models.SET_NULL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address = models.CharField(_("收件地址"), max_length=254, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))
    mentions = models.JSONField(default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送"), db_index=True)
    last_error = models.CharField(_("错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("发送记录")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.subject}"
