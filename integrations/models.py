"""Integration accounts of other systems: API tokens with scopes, outgoing webhook endpoints and
their delivery log. Low in the layers (above notifications, below people) so that plans, events
and proposals can emit webhooks downward."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField


class Scope(models.TextChoices):
    PLANS_READ = "plans:read", _("读取工作要点")
    PLANS_WRITE = "plans:write", _("报送任务进展")
    EVENTS_READ = "events:read", _("读取活动")
    EVENTS_WRITE = "events:write", _("活动报名")
    PROPOSALS_READ = "proposals:read", _("读取建言")
    PROPOSALS_WRITE = "proposals:write", _("提交建言")
    PEOPLE_READ = "people:read", _("读取统战对象（脱敏）")


class EventType(models.TextChoices):
    ITEM_STATUS = "item.status_changed", _("任务状态变化")
    EVENT_HELD = "event.held", _("活动已举办")
    PROPOSAL_ANSWERED = "proposal.answered", _("建言已答复")
    ITEM_OVERDUE = "item.overdue", _("任务逾期")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class IntegrationTokenQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class IntegrationToken(models.Model):
    """One integration account's bearer token. Only its SHA-256 is stored; the token is shown
    once when created. Writes run as `acts_as` (an account of the organisation whose role the
    services check), so an integration can never do more than that account."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("组织"), related_name="+", on_delete=models.CASCADE
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("权限范围"), default=list)
    acts_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("写入时代表的账号"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    objects = IntegrationTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]


class WebhookEndpoint(models.Model):
    """An address of another system that receives signed event notices."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("组织"), related_name="+", on_delete=models.CASCADE
    )
    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = EncryptedTextField(_("签名密钥"), max_length=100)
    event_types = models.JSONField(_("订阅事件"), default=list)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook 地址")
        verbose_name_plural = _("Webhook 地址")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [str(labels.get(e, e)) for e in self.event_types]


class WebhookDelivery(models.Model):
    """One event sent (or being retried) to one endpoint: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("失败")

    endpoint = models.ForeignKey(WebhookEndpoint, related_name="deliveries", on_delete=models.CASCADE)
    event_type = models.CharField(_("事件"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    response_code = models.PositiveSmallIntegerField(_("应答状态码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook 发送记录")
        verbose_name_plural = _("Webhook 发送记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} → {self.endpoint}"


class RateWindow(models.Model):
    """An API token's call count in one minute, when the cache is not shared between processes
    (no REDIS_URL): one conditional UPDATE per call, so every worker and node counts together."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class SentOnce(models.Model):
    """A webhook event that must go out once only (e.g. `item.overdue:<item>:<due date>`)."""

    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
