"""Login, lockout and user services. Each writes the audit log."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts import security
from accounts.models import LoginFailure, User
from core import audit
from core.audit import client_ip

LOCKED_MESSAGE = gettext_noop("登录失败次数过多，账号已锁定%(minutes)s分钟。请稍后再试，或联系安全管理员解锁。")

USER_FIELDS = ["name", "email", "is_active"]


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def is_locked(username: str, ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username__iexact=username).count() >= settings.LOCKOUT_FAILURES:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= settings.LOCKOUT_IP_FAILURES


def _organisation_of(user):
    membership = getattr(user, "membership", None) if user else None
    return membership.organisation if membership else None


def attempt_login(request, username: str, password: str) -> tuple[User | None, str]:
    """Checks the lockout, authenticates and logs in. Returns (user, error). Audits
    success, failure and refusals while locked."""
    ip = client_ip(request)
    known = User.objects.filter(username__iexact=username).select_related("membership__organisation").first()
    if is_locked(username, ip):
        audit.record(
            "login.locked",
            username=username,
            organisation=_organisation_of(known),
            request=request,
            result=audit.AuditEvent.Result.DENIED,
        )
        return None, gettext(LOCKED_MESSAGE) % {"minutes": settings.LOCKOUT_MINUTES}
    user = authenticate(request, username=known.username if known else username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username, ip=ip)
        audit.record(
            "login.failed",
            username=username,
            organisation=_organisation_of(known),
            request=request,
            result=audit.AuditEvent.Result.FAILURE,
        )
        if is_locked(username, ip):
            return None, (gettext(LOCKED_MESSAGE) % {"minutes": settings.LOCKOUT_MINUTES})
        return None, gettext("用户名或密码不正确。")
    login(request, user)
    LoginFailure.objects.filter(username__iexact=username).delete()
    audit.record("login", user=user, organisation=_organisation_of(user), request=request)
    return user, ""


def log_out(request) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit.record("logout", user=user, organisation=_organisation_of(user), request=request)
    logout(request)


def locked_usernames() -> list[str]:
    """Accounts locked now, for the security admin."""
    from django.db.models import Count

    rows = (
        LoginFailure.objects.filter(at__gte=_window_start())
        .values("username")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.LOCKOUT_FAILURES)
        .order_by("username")
    )
    return [row["username"] for row in rows]


@transaction.atomic
def unlock(username: str, *, by, request=None) -> int:
    """Clears the failures of an account (and of the IPs they came from). Audits."""
    failures = LoginFailure.objects.filter(username__iexact=username)
    ips = set(failures.exclude(ip=None).values_list("ip", flat=True))
    deleted, _ = LoginFailure.objects.filter(Q(username__iexact=username) | Q(ip__in=ips)).delete()
    audit.record(
        "unlock",
        user=by,
        organisation=_organisation_of(by),
        object_type="accounts.user",
        changes={"username": username, "cleared": deleted},
        request=request,
    )
    return deleted


@transaction.atomic
def create_user(*, by, organisation, username: str, name: str, email: str, password: str, request=None) -> User:
    """Creates a login (no role yet: the security admin assigns it). Audits."""
    user = User(username=username, name=name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    security.require_password_change(user)  # the owner changes it at first login (issue 11)
    audit.record(
        "create",
        user=by,
        organisation=organisation,
        obj=user,
        request=request,
        changes={"username": ["", username], "name": ["", name]},
    )
    return user


@transaction.atomic
def update_user(user: User, *, by, organisation, data: dict, request=None) -> User:
    before = audit.snapshot(user, USER_FIELDS)
    for field in USER_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    user.save(update_fields=USER_FIELDS)
    audit.record(
        "update",
        user=by,
        organisation=organisation,
        obj=user,
        changes=audit.diff(before, audit.snapshot(user, USER_FIELDS)),
        request=request,
    )
    return user


@transaction.atomic
def reset_password(user: User, *, by, organisation, password: str, request=None) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    security.require_password_change(user)  # the owner changes it at first login (issue 11)
    audit.record("password.reset", user=by, organisation=organisation, obj=user, request=request)


@transaction.atomic
def change_own_password(request, user: User, password: str) -> None:
    from django.contrib.auth import update_session_auth_hash

    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit.record("password.change", user=user, organisation=_organisation_of(user), obj=user, request=request)
