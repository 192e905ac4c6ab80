"""Two factors, the account's own security page (second factor, recovery codes, sessions) and the
security admin's per-account page (reset the second factor, end sessions). Issue 11."""

import io
import json

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import security, totp
from accounts import services as account_services
from accounts.forms import AuditFilterForm
from accounts.models import User, UserSession
from accounts.security_forms import CodeForm
from core import audit
from core.audit_chain import chain_key
from core.exports import write_xlsx
from core.models import AuditEvent
from orgs.access import role_required
from orgs.models import Role

ISSUER = "同心"


def _base_template(request) -> str:
    membership = getattr(request, "membership", None)
    return "member_base.html" if membership and membership.role == Role.MEMBER else "base.html"


def _next_page(request):
    target = request.session.pop(security.NEXT, "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    return redirect(target or "dashboard:home")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The step after the password for an account with a second factor."""
    if security.pending_step(request) != security.VERIFY:
        return redirect("dashboard:home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if security.check_second_factor(request.user, form.cleaned_data["code"], request=request):
            security.finish_step(request, security.VERIFY)
            request.session.pop(security.FAILURES, None)
            return _next_page(request)
        failures = request.session.get(security.FAILURES, 0) + 1
        request.session[security.FAILURES] = failures
        if failures >= security.MAX_FAILURES:
            account_services.log_out(request)
            messages.error(request, _("验证码错误次数过多，请重新登录。"))
            return redirect("accounts:login")
        form.add_error("code", _("验证码不正确或已使用过。"))
    status = 400 if form.errors else 200
    return render(request, "accounts/two_factor_verify.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrolment: QR code and manual key, then one code to confirm; shows the recovery codes once."""
    user = request.user
    if security.security_of(user).has_totp:
        messages.info(request, _("您已启用两步验证。"))
        return redirect("accounts:my-security")
    secret = security.enrolment_secret(user)
    form = CodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        codes = security.confirm_enrolment(user, form.cleaned_data["code"], request=request)
        if codes is not None:
            security.finish_step(request, security.ENROL)
            return _recovery_codes_page(request, codes, enrolled=True)
        form.add_error("code", _("验证码不正确，请核对手机时间后重试。"))
    uri = totp.provisioning_uri(secret, account=user.get_username(), issuer=ISSUER)
    context = {
        "form": form,
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=5, border=2, omitsize=True),
        "key_groups": totp.grouped(secret).split(),
        "required": security.requires_two_factor(user),
        "base_template": _base_template(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


def _recovery_codes_page(request, codes: list[str], *, enrolled: bool = False):
    """Shown once, in the response to the POST that made the codes; only their hashes are kept."""
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "enrolled": enrolled, "base_template": _base_template(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_security(request):
    """The account's second factor, recovery codes left, password age and signed-in sessions."""
    user = request.user
    account = security.security_of(user)
    context = {
        "account": account,
        "codes_left": user.recovery_codes.filter(used_at=None).count() if account.has_totp else 0,
        "required": security.requires_two_factor(user),
        "sessions": security.active_sessions(user),
        "current_key": request.session.session_key,
        "max_age_days": security.password_max_age_days(user),
        "base_template": _base_template(request),
    }
    return render(request, "accounts/my_security.html", context)


@login_required
@require_POST
def recovery_codes_new(request):
    if not security.security_of(request.user).has_totp:
        messages.error(request, _("请先启用两步验证。"))
        return redirect("accounts:my-security")
    return _recovery_codes_page(request, security.new_recovery_codes(request.user, request=request))


@login_required
@require_POST
def session_end(request, pk: int):
    user_session = get_object_or_404(UserSession, pk=pk, user=request.user)
    if user_session.session_key == request.session.session_key:
        messages.error(request, _("当前会话请使用“退出”。"))
    else:
        security.end_session(user_session, by=request.user, request=request)
        messages.success(request, _("已结束该会话。"))
    return redirect("accounts:my-security")


@login_required
@require_POST
def sessions_end_others(request):
    ended = security.end_sessions(request.user, by=request.user, keep=request.session.session_key, request=request)
    messages.success(request, _("已结束其他 %(n)s 个会话。") % {"n": ended})
    return redirect("accounts:my-security")


# --- Security admin ---------------------------------------------------------------------------


def _get_user_for_admin(request, pk: int) -> User:
    return get_object_or_404(User, pk=pk, membership__organisation=request.organisation)


@role_required(Role.SECADMIN)
def user_security(request, pk: int):
    target = _get_user_for_admin(request, pk)
    account = security.security_of(target)
    context = {
        "target": target,
        "account": account,
        "codes_left": target.recovery_codes.filter(used_at=None).count() if account.has_totp else 0,
        "required": security.requires_two_factor(target),
        "sessions": security.active_sessions(target),
    }
    return render(request, "accounts/user_security.html", context)


@role_required(Role.SECADMIN)
@require_POST
def two_factor_reset(request, pk: int):
    target = _get_user_for_admin(request, pk)
    if target == request.user:
        messages.error(request, _("不能重置自己的两步验证。"))
    else:
        security.reset_two_factor(target, by=request.user, request=request)
        messages.success(request, _("已重置 %(user)s 的两步验证并结束其会话；下次登录时重新设置。") % {"user": target})
    return redirect("accounts:user-security", pk=target.pk)


@role_required(Role.SECADMIN)
@require_POST
def user_sessions_end(request, pk: int):
    target = _get_user_for_admin(request, pk)
    keep = request.session.session_key if target == request.user else ""
    ended = security.end_sessions(target, by=request.user, keep=keep, request=request)
    messages.success(request, _("已结束 %(user)s 的 %(n)s 个会话。") % {"user": target, "n": ended})
    return redirect("accounts:user-security", pk=target.pk)


# --- Audit admin: the audit log as .xlsx, with the chain ---------------------------------------

EXPORT_LIMIT = 20000


@role_required(Role.AUDITADMIN)
def audit_export(request):
    """The organisation's audit lines (the log page's filters) with their chain columns, so the
    auditor can check the hashes outside the system. The export is itself audited."""
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.for_org(request.organisation)
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    events = list(events.order_by("-seq")[: EXPORT_LIMIT + 1])
    truncated = len(events) > EXPORT_LIMIT
    events = sorted(events[:EXPORT_LIMIT], key=lambda e: e.seq)
    chain = chain_key(request.organisation.pk)
    rows = [EXPORT_HEADER]
    for e in events:
        rows.append(
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.username,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                json.dumps(e.changes, ensure_ascii=False, sort_keys=True),
                e.ip or "",
                e.get_result_display(),
                chain,
                e.seq,
                e.prev_hash,
                e.hash,
            ]
        )
    now = timezone.localtime()
    watermark = _("%(user)s 导出于 %(at)s；共 %(n)s 条") % {
        "user": request.user,
        "at": now.strftime("%Y-%m-%d %H:%M"),
        "n": len(events),
    }
    if truncated:
        watermark += _("（只导出最近 %(limit)s 条，请缩小日期范围）") % {"limit": EXPORT_LIMIT}
    data = write_xlsx(rows, title=_("审计日志"), watermark=watermark, widths=EXPORT_WIDTHS)
    changes = {"rows": len(events), "filter": request.GET.urlencode()[:200]}
    audit.log(
        "export", AuditEvent, by=request.user, request=request, changes=changes, organisation=request.organisation
    )
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=f"审计日志-{now:%Y%m%d}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


EXPORT_HEADER = [
    "时间",
    "用户名",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "变更",
    "IP",
    "结果",
    "审计链",
    "链序号",
    "前一条哈希",
    "本条哈希",
]
EXPORT_WIDTHS = [20, 14, 16, 16, 10, 20, 40, 16, 8, 10, 8, 66, 66]
