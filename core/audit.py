"""Audit helpers: every service that changes domain data, every login and logout,
every read of a person's record and every export writes one `AuditEvent`."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit_chain
from core.models import AuditEvent

# Human names of the actions, for the audit admin's filter and list: the one enumeration of
# action codes (`record("login", …)`). A code missing here is shown in a readable fallback form
# (`action_label`); add every new code here with its Chinese label.
ACTIONS = {
    "login": _("登录"),
    "login.failed": _("登录失败"),
    "login.locked": _("登录被锁定"),
    "logout": _("退出"),
    "create": _("新增"),
    "update": _("修改"),
    "delete": _("删除"),
    "view": _("查看"),
    "export": _("导出"),
    "import": _("导入"),
    "unlock": _("解除锁定"),
    "password.change": _("修改密码"),
    "password.reset": _("重置密码"),
    "audit.purge": _("清理审计日志"),
    "login.throttled": _("登录地址限速"),
    "account.locked": _("账号锁定"),
    "password.reset.requested": _("申请重置密码"),
    "password.reset.approved": _("批准重置密码"),
    "password.reset.rejected": _("驳回重置密码"),
    "audit.lookup.requested": _("申请查看身份"),
    "audit.lookup.approved": _("批准查看身份"),
    "audit.lookup.rejected": _("驳回查看身份"),
    "login.2fa": _("两步验证通过"),
    "login.2fa.failed": _("两步验证失败"),
    "2fa.enrol": _("启用两步验证"),
    "2fa.recovery_codes": _("生成恢复码"),
    "2fa.reset": _("重置两步验证"),
    "session.end": _("结束登录会话"),
    "login.sso": _("统一身份认证登录"),
    "login.sso.failed": _("统一身份认证登录失败"),
    "logout.sso": _("统一身份认证单点退出"),
    "login.local_refused": _("拒绝本地密码登录"),
    "account.sso_provisioned": _("统一身份认证开通账号"),
    "api.call": _("接口调用"),
    "api.token.create": _("创建接口令牌"),
    "api.token.revoke": _("吊销接口令牌"),
    "webhook.create": _("添加 Webhook 地址"),
    "webhook.delete": _("删除 Webhook 地址"),
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
    return audit_chain.append(
        AuditEvent(
            user=user,
            username=(username or (user.get_username() if user else ""))[:150],
            organisation=organisation,
            action=action[:64],
            object_type=object_type[:64],
            object_id=str(obj.pk)[:64] if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            changes=changes or {},
            ip=client_ip(request),
            result=result,
        )
    )


OWN = object()  # `log`'s default organisation: the object's own


def log(
    action: str,
    obj: models.Model | None = None,
    *,
    by=None,
    request=None,
    changes: dict | None = None,
    organisation=OWN,
    **extra,
) -> AuditEvent:
    """The one short call for an audited change: `audit.log("update", proposal, by=user, request=request,
    changes=audit.diff(before, after))`. The organisation is the object's own (`obj.organisation`, or
    `obj.audit_organisation` for a record that belongs to one through its parent) unless given
    (`organisation=None` records none). `obj` may be a model class for an event about rows of that
    kind rather than one row (an export, an unlock by name): its `object_type` is recorded, no object
    and no organisation unless given. `extra` passes `result` and `username` through to `record`."""
    if isinstance(obj, type):
        extra.setdefault("object_type", obj._meta.label_lower)
        obj = None
    if organisation is OWN:
        organisation = getattr(obj, "audit_organisation", None) or getattr(obj, "organisation", None)
    return record(action, user=by, organisation=organisation, obj=obj, request=request, changes=changes, **extra)


def changed(obj: models.Model, before: dict, fields: list[str]) -> dict:
    """{field: [before, after]} of `fields` against a `snapshot` taken before the edit."""
    return diff(before, snapshot(obj, fields))


def purge_expired(*, now=None) -> int:
    """Delete audit events older than the retention period, leaving a signed checkpoint per chain
    (`core.audit_chain.purge_before`); the purge is itself audited."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted = audit_chain.purge_before(cutoff)
    record(
        "audit.purge",
        object_type="core.auditevent",
        changes={"deleted": deleted, "before": cutoff.isoformat()},
        username="system",
    )
    return deleted


# --- Showing the log in words: actions, models, fields and choice values by their Chinese names ---

# Keys that services put in `changes` without being a field of the object (export sizes, purposes…).
CHANGE_KEYS = {
    "rows": _("行数"),
    "format": _("格式"),
    "filter": _("筛选条件"),
    "filters": _("筛选条件"),
    "purpose": _("用途"),
    "unmasked": _("显示完整联系方式"),
    "what": _("内容"),
    "year": _("年度"),
    "deleted": _("删除条数"),
    "before": _("截止时间"),
    "reason": _("原因"),
    "note": _("备注"),
    "held": _("举办状态"),
    "checked_in": _("签到"),
    "urged": _("催办"),
    "target": _("量化目标"),
    "members": _("成员"),
    "event": _("活动"),
    "person": _("人员"),
    "item": _("任务"),
    "items": _("任务数"),
    "sections": _("部分数"),
    "invited": _("邀请人数"),
    "file": _("文件"),
    "files": _("文件"),
    "path": _("文件"),
    "export": _("导出"),
    "cosigner": _("联名人"),
    "closing": _("办结报告"),
    "cleared": _("清除"),
    "assignment": _("交办"),
    "action": _("操作"),
    "accepted": _("销号"),
    "objection": _("异议"),
    "method": _("方式"),
    "verified": _("核实"),
    "suggestion_ref": _("关联建言"),
    "done": _("完成"),
    "role": _("角色"),
    "support": _("配合部门"),
    "version": _("版本"),
    "created_at": _("创建时间"),
    "updated_at": _("更新时间"),
    "protocol": _("认证方式"),
}


def _readable(code: str) -> str:
    return code.replace("_", " ").replace(".", " · ")


def action_label(code: str) -> str:
    """The Chinese name of an action code; an unknown code keeps a readable form (`2fa.enabled` →
    `2fa · enabled`), a known prefix its name (`login.webauthn` → `登录（webauthn）`)."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    head, _dot, rest = code.partition(".")
    if rest and head in ACTIONS:
        return f"{ACTIONS[head]}（{_readable(rest)}）"
    return _readable(code)


def model_for(object_type: str):
    """The model named by `app_label.modelname`, or None."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_label(object_type: str) -> str:
    """`proposals.outsidefiling` → the model's verbose name (履职记录)."""
    if not object_type:
        return ""
    model = model_for(object_type)
    return str(model._meta.verbose_name) if model is not None else _readable(object_type)


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    """A field's verbose name (`kind` → 类型), else a known change key's name, else the name itself."""
    field = _field(model, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    if name in CHANGE_KEYS:
        return str(CHANGE_KEYS[name])
    return _readable(name)


def value_label(model, name: str, value) -> str:
    """A recorded value as the user reads it: a choice's label (`opinion` → 社情民意信息), yes/no for
    booleans, "—" for empty."""
    if value in ("", None, [], {}):
        return "—"
    field = _field(model, name)
    choices = dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else {}
    if isinstance(value, list | tuple):
        return "、".join(value_label(model, name, v) for v in value)
    if isinstance(value, bool) or value in ("True", "False"):
        return str(_("是")) if value in (True, "True") else str(_("否"))
    if str(value) in {str(k) for k in choices}:
        return str(next(label for key, label in choices.items() if str(key) == str(value)))
    return str(value)


def change_lines(event: AuditEvent) -> list[tuple[str, str]]:
    """The event's `changes` as (label, text) lines: `[before, after]` pairs as "before → after"."""
    model = model_for(event.object_type)
    lines = []
    for key, value in (event.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            text = f"{value_label(model, key, value[0])} → {value_label(model, key, value[1])}"
        else:
            text = value_label(model, key, value)
        lines.append((field_label(model, key), text))
    return lines
