"""Audit helpers: every service that changes domain data, every login and logout,
every read of a person's record and every export writes one `AuditEvent`."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import AuditEvent

# Human names of the actions, for the audit admin's filter and list.
ACTIONS = {
    "login": "登录",
    "login.failed": "登录失败",
    "login.locked": "登录被锁定",
    "login.throttled": "登录地址限速",
    "account.locked": "账号锁定",
    "logout": "退出",
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "view": "查看",
    "export": "导出",
    "import": "导入",
    "unlock": "解除锁定",
    "password.change": "修改密码",
    "password.reset": "重置密码",
    "password.reset.requested": "申请重置密码",
    "password.reset.approved": "批准重置密码",
    "password.reset.rejected": "驳回重置密码",
    "audit.purge": "清理审计日志",
    "audit.lookup.requested": "申请查看身份",
    "audit.lookup.approved": "批准查看身份",
    "audit.lookup.rejected": "驳回查看身份",
}


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """The values of `fields` as JSON-friendly strings, for before/after diffs."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = str(value)
        values[name] = "" if value is None else str(value)
    return values


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value changed."""
    return {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}


def record(
    action: str,
    *,
    user=None,
    organisation=None,
    obj: models.Model | None = None,
    object_type: str = "",
    changes: dict | None = None,
    request=None,
    result: str = AuditEvent.Result.SUCCESS,
    username: str = "",
) -> AuditEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        ip=client_ip(request),
        result=result,
    )


def purge_expired(*, now=None) -> int:
    """Delete audit events older than the retention period; the purge is itself audited."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    record(
        "audit.purge",
        object_type="core.auditevent",
        changes={"deleted": deleted, "before": cutoff.isoformat()},
        username="system",
    )
    return deleted
