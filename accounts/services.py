"""Login, lockout and user services. Each writes the audit log."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import sso
from accounts.models import AuditLookup, LoginThrottle, PasswordResetRequest, User
from core import audit
from core.audit import client_ip
from orgs.models import Role

LOCKED_MESSAGE = gettext_noop("登录失败次数过多，账号已锁定%(minutes)s分钟。请稍后再试，或联系安全管理员解锁。")

LOCAL_REFUSED_MESSAGE = gettext_noop("本地密码登录仅限系统管理员、安全管理员和审计管理员，请使用统一身份认证登录。")

USER_FIELDS = ["name", "email", "staff_number", "is_active"]
DENIED, FAILURE = audit.AuditEvent.Result.DENIED, audit.AuditEvent.Result.FAILURE  # audit results


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def _sleep(seconds: float) -> None:
    """The slow-down of a throttled address (a function so tests can watch it)."""
    time.sleep(seconds)


def _counter(kind: str, key: str, user=None) -> None:
    """Makes sure the counter row exists (two requests may race to create it)."""
    if LoginThrottle.objects.filter(kind=kind, key=key).exists():
        return
    try:
        with transaction.atomic():
            LoginThrottle.objects.create(kind=kind, key=key, user=user)
    except IntegrityError:
        pass


def _expire(kind: str, key: str) -> None:
    """Failures older than the window are forgotten."""
    LoginThrottle.objects.filter(kind=kind, key=key, last_failure_at__lt=_window_start()).update(failures=0)


def _take_guess(user: User) -> bool:
    """Takes one of the account's allowed guesses in one conditional UPDATE (atomic on SQLite and
    PostgreSQL alike): N parallel wrong passwords never get more than LOCKOUT_FAILURES guesses.
    A guess that turns out right gives its count back (`_forget_account`). False: locked."""
    key = user.username.lower()
    _counter(LoginThrottle.Kind.ACCOUNT, key, user)
    _expire(LoginThrottle.Kind.ACCOUNT, key)
    taken = LoginThrottle.objects.filter(
        kind=LoginThrottle.Kind.ACCOUNT, key=key, failures__lt=settings.LOCKOUT_FAILURES
    ).update(failures=F("failures") + 1, last_failure_at=timezone.now())
    return taken == 1


def _forget_account(user: User) -> None:
    LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ACCOUNT, key=user.username.lower()).update(
        failures=0, last_failure_at=None
    )


def _account_locked(user: User) -> bool:
    return LoginThrottle.objects.filter(
        kind=LoginThrottle.Kind.ACCOUNT,
        key=user.username.lower(),
        failures__gte=settings.LOCKOUT_FAILURES,
        last_failure_at__gte=_window_start(),
    ).exists()


def _count_address_failure(ip: str) -> int:
    """One more failure from `ip`; returns the count in the window."""
    _counter(LoginThrottle.Kind.ADDRESS, ip)
    _expire(LoginThrottle.Kind.ADDRESS, ip)
    LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS, key=ip).update(
        failures=F("failures") + 1, last_failure_at=timezone.now()
    )
    return LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS, key=ip).values_list("failures", flat=True)[0]


def address_delay(ip: str | None) -> float:
    """Seconds an attempt from `ip` waits: none below LOCKOUT_IP_FAILURES failures in the window,
    then LOGIN_DELAY_SECONDS doubling with each further failure up to LOGIN_DELAY_MAX_SECONDS.
    An address is slowed, never locked: behind a shared proxy real users still get in."""
    if not ip:
        return 0.0
    row = (
        LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS, key=ip, last_failure_at__gte=_window_start())
        .values_list("failures", flat=True)
        .first()
    )
    over = (row or 0) - settings.LOCKOUT_IP_FAILURES
    if over < 0:
        return 0.0
    return float(min(settings.LOGIN_DELAY_MAX_SECONDS, settings.LOGIN_DELAY_SECONDS * 2 ** min(over, 16)))


def _organisation_of(user):
    membership = getattr(user, "membership", None) if user else None
    return membership.organisation if membership else None


def attempt_login(request, username: str, password: str) -> tuple[User | None, str]:
    """Slows a throttled address, refuses a locked account, authenticates and logs in.
    Returns (user, error). Audits success, failure, the moment an account locks or an address
    starts being slowed, and refusals while locked. Only existing accounts are ever locked:
    made-up names count against the address alone."""
    ip = client_ip(request)
    delay = address_delay(ip)
    if delay:
        _sleep(delay)
    known = User.objects.filter(username__iexact=username).select_related("membership__organisation").first()
    attempt = {"request": request, "organisation": _organisation_of(known)}  # what a refusal's audit row carries
    if not sso.local_login_allowed(known):
        # TONGXIN_LOCAL_LOGIN=admins: no password is checked (no guess, no oracle) for anyone but
        # the three admins; made-up names get the same answer and count against the address.
        audit.log("login.local_refused", username=known.username if known else username, result=DENIED, **attempt)
        if ip:
            _count_address_failure(ip)
        return None, _(LOCAL_REFUSED_MESSAGE)
    locked_message = _(LOCKED_MESSAGE) % {"minutes": settings.LOCKOUT_MINUTES}
    if known is not None and not _take_guess(known):
        audit.log("login.locked", username=known.username, result=DENIED, **attempt)
        return None, locked_message
    user = authenticate(request, username=known.username if known else username, password=password)
    if user is None:
        audit.log("login.failed", username=username, result=FAILURE, **attempt)
        if ip and _count_address_failure(ip) == settings.LOCKOUT_IP_FAILURES:
            changes = {"address": ip, "failures": settings.LOCKOUT_IP_FAILURES}
            audit.log(
                "login.throttled", LoginThrottle, request=request, changes=changes, username=username, result=DENIED
            )
        if known is not None and _account_locked(known):
            changes = {"failures": settings.LOCKOUT_FAILURES, "minutes": settings.LOCKOUT_MINUTES}
            audit.log("account.locked", User, changes=changes, username=known.username, result=DENIED, **attempt)
            return None, locked_message
        return None, _("用户名或密码不正确。")
    _forget_account(user)
    login(request, user)
    audit.log("login", by=user, request=request, organisation=_organisation_of(user))
    return user, ""


def log_out(request) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit.log("logout", by=user, request=request, organisation=_organisation_of(user))
    logout(request)


def locked_accounts(organisation) -> list[LoginThrottle]:
    """Accounts of `organisation` locked now, for the security admin."""
    return list(
        LoginThrottle.objects.filter(
            kind=LoginThrottle.Kind.ACCOUNT,
            user__membership__organisation=organisation,
            failures__gte=settings.LOCKOUT_FAILURES,
            last_failure_at__gte=_window_start(),
        )
        .select_related("user")
        .order_by("key")
    )


def throttled_addresses() -> list[LoginThrottle]:
    """Client addresses being slowed down now. An address belongs to no organisation: every
    security admin sees them (they are addresses, not personal data of a registry)."""
    return list(
        LoginThrottle.objects.filter(
            kind=LoginThrottle.Kind.ADDRESS,
            failures__gte=settings.LOCKOUT_IP_FAILURES,
            last_failure_at__gte=_window_start(),
        ).order_by("-last_failure_at")[:100]
    )


@transaction.atomic
def unlock(username: str, *, by, request=None) -> int:
    """Clears the failures of an account. Audits. Returns the failures cleared."""
    rows = LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ACCOUNT, key=username.lower())
    cleared = sum(rows.values_list("failures", flat=True))
    rows.delete()
    changes = {"username": username, "cleared": cleared}
    audit.log("unlock", User, by=by, request=request, changes=changes, organisation=by.audit_organisation)
    return cleared


@transaction.atomic
def clear_address(ip: str, *, by, request=None) -> int:
    """Ends the slow-down of a client address. Audits. Returns the failures cleared."""
    rows = LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS, key=ip)
    cleared = sum(rows.values_list("failures", flat=True))
    rows.delete()
    changes = {"address": ip, "cleared": cleared}
    audit.log("unlock", LoginThrottle, by=by, request=request, changes=changes, organisation=by.audit_organisation)
    return cleared


def purge_old_failures(*, now=None) -> int:
    """Deletes the counters whose last failure is older than the window (daily job and
    `purge_login_failures`). Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.LOCKOUT_MINUTES)
    deleted, _per_model = LoginThrottle.objects.filter(Q(last_failure_at__lt=cutoff) | Q(last_failure_at=None)).delete()
    return deleted


class AdminRuleError(Exception):
    """A three-admin separation rule refused the action; `message` is Chinese, for the page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# 三员分立: the audit and security admins cannot be switched off by the system admin.
PROTECTED_ROLES = {Role.SECADMIN, Role.AUDITADMIN}


def _role_of(user) -> str:
    membership = getattr(user, "membership", None)
    return membership.role if membership else ""


def set_password_link(user: User) -> str:
    """The one-time link that lets the account's holder choose a password: it stops working once
    the password changes (or the account logs in) and after PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.TONGXIN_BASE_URL + reverse("accounts:reset-confirm", kwargs={"uidb64": uid, "token": token})


def _send_link(user: User, *, subject: str) -> None:
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    body = _(
        "{name}，您好：\n\n请在 {hours} 小时内打开下面的链接设置您在“同心”的登录密码"
        "（链接只能使用一次）：\n{link}\n\n如果不是您本人申请，请忽略本邮件并联系安全管理员。"
    ).format(name=user.name or user.username, hours=hours, link=set_password_link(user))
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def create_user(*, by, organisation, username: str, name: str, email: str, request=None) -> User:
    """Creates a login without a password the system admin could know: a one-time link goes to
    the account's own e-mail to set it. No role yet: the security admin assigns it. Audits."""
    user = User(username=username, name=name, email=email)
    user.set_unusable_password()
    user.save()
    changes = {"username": ["", username], "name": ["", name], "email": ["", email]}
    audit.log("create", user, by=by, request=request, changes=changes, organisation=organisation)
    transaction.on_commit(lambda: _send_link(user, subject=_("同心：请设置您的登录密码")))
    return user


def update_user(user: User, *, by, organisation, data: dict, request=None) -> User:
    """Name, e-mail, active. Refuses to deactivate the security or audit admin (or oneself);
    the refusal is audited (outside the update's transaction, so it stays)."""
    if "is_active" in data and not data["is_active"] and user.is_active:
        if user == by:
            raise AdminRuleError(_("不能停用自己的账号。"))
        if _role_of(user) in PROTECTED_ROLES:
            changes = {"is_active": ["True", "False"], "refused": "三员分立：不能停用安全管理员或审计管理员"}
            audit.log("update", user, by=by, request=request, changes=changes, organisation=organisation, result=DENIED)
            raise AdminRuleError(_("三员分立：系统管理员不能停用安全管理员或审计管理员的账号。"))
    with transaction.atomic():
        return _update_user(user, by=by, organisation=organisation, data=data, request=request)


def _update_user(user: User, *, by, organisation, data: dict, request=None) -> User:
    before = audit.snapshot(user, USER_FIELDS)
    for field in USER_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    user.save(update_fields=USER_FIELDS)
    changes = audit.diff(before, audit.snapshot(user, USER_FIELDS))
    audit.log("update", user, by=by, request=request, changes=changes, organisation=organisation)
    return user


@transaction.atomic
def request_password_reset(user: User, *, by, organisation, request=None) -> PasswordResetRequest:
    """The system admin asks for a reset of `user`'s password. Nothing changes until a security
    admin approves; the link then goes to the account's own e-mail. Audits."""
    if not user.email:
        raise AdminRuleError(_("该账号没有登记邮箱，无法发送重置链接。请先在“编辑”中填写本人的邮箱。"))
    pending = PasswordResetRequest.objects.filter(user=user, status=PasswordResetRequest.Status.PENDING).first()
    if pending is not None:
        return pending
    reset = PasswordResetRequest.objects.create(user=user, email=user.email, requested_by=by)
    changes = {"email": user.email}
    audit.log("password.reset.requested", user, by=by, request=request, changes=changes, organisation=organisation)
    return reset


@transaction.atomic
def decide_password_reset(reset: PasswordResetRequest, *, by, approve: bool, request=None) -> PasswordResetRequest:
    """A security admin approves (the one-time link is e-mailed after commit) or rejects a reset.
    Nobody decides a reset of their own account or one they asked for. Audits."""
    reset = PasswordResetRequest.objects.select_for_update().select_related("user").get(pk=reset.pk)
    if reset.status != PasswordResetRequest.Status.PENDING:
        raise AdminRuleError(_("该申请已处理。"))
    if by in (reset.user, reset.requested_by) or _role_of(by) != Role.SECADMIN:
        raise AdminRuleError(_("不能审批自己账号的、或自己提出的密码重置申请。"))
    if approve and reset.user.email != reset.email:
        raise AdminRuleError(_("申请提出后邮箱已被修改，请驳回并重新申请。"))
    reset.status = PasswordResetRequest.Status.APPROVED if approve else PasswordResetRequest.Status.REJECTED
    reset.decided_by, reset.decided_at = by, timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    action = "password.reset.approved" if approve else "password.reset.rejected"
    changes = {"email": reset.email, "requested_by": str(reset.requested_by or "")}
    audit.log(action, reset.user, by=by, request=request, changes=changes, organisation=by.audit_organisation)
    if approve:
        user = reset.user
        transaction.on_commit(lambda: _send_link(user, subject=_("同心：重置登录密码")))
    return reset


def user_from_link(uidb64: str, token: str) -> User | None:
    """The account a set-password link is for, or None when the link is wrong, used or expired."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).select_related("membership__organisation").first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def set_password_from_link(user: User, password: str, *, request=None) -> None:
    """The holder of the link sets the password (validated by the form). The link is spent.
    Audits."""
    user.set_password(password)
    user.save(update_fields=["password"])
    _forget_account(user)
    audit.log("password.reset", user, request=request, username=user.username)


@transaction.atomic
def change_own_password(request, user: User, password: str) -> None:
    from django.contrib.auth import update_session_auth_hash

    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit.log("password.change", user, by=user, request=request)


# --- Audit look-ups: the audit admin asks to see who a pseudonymous subject is ---------------------


@transaction.atomic
def request_lookup(*, by, organisation, object_type: str, object_id: str, reason: str, request=None) -> AuditLookup:
    """The audit admin asks to see the names of one subject's audit rows. Audits."""
    lookup = AuditLookup.objects.create(
        organisation=organisation, object_type=object_type, object_id=object_id, reason=reason, requested_by=by
    )
    changes = {"subject": f"{object_type} #{object_id}", "reason": reason}
    audit.log("audit.lookup.requested", lookup, by=by, request=request, changes=changes)
    return lookup


@transaction.atomic
def decide_lookup(lookup: AuditLookup, *, by, approve: bool, request=None) -> AuditLookup:
    """A security admin approves (for AUDIT_LOOKUP_HOURS) or rejects a look-up. Audits."""
    lookup = AuditLookup.objects.select_for_update().get(pk=lookup.pk)
    if lookup.status != AuditLookup.Status.PENDING:
        raise AdminRuleError(_("该申请已处理。"))
    if _role_of(by) != Role.SECADMIN or by == lookup.requested_by:
        raise AdminRuleError(_("只有安全管理员可以审批。"))
    now = timezone.now()
    lookup.status = AuditLookup.Status.APPROVED if approve else AuditLookup.Status.REJECTED
    lookup.decided_by, lookup.decided_at = by, now
    lookup.expires_at = now + timedelta(hours=settings.AUDIT_LOOKUP_HOURS) if approve else None
    lookup.save(update_fields=["status", "decided_by", "decided_at", "expires_at"])
    action = "audit.lookup.approved" if approve else "audit.lookup.rejected"
    changes = {"subject": f"{lookup.object_type} #{lookup.object_id}", "requested_by": str(lookup.requested_by)}
    audit.log(action, lookup, by=by, request=request, changes=changes)
    return lookup
