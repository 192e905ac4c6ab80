"""Login, lockout and user services. Each writes the audit log."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import LoginThrottle, User
from core import audit
from core.audit import client_ip

USER_FIELDS = ["name", "email", "is_active"]


LOCKED_MESSAGE = "登录失败次数过多，账号已锁定{minutes}分钟。请稍后再试，或联系安全管理员解锁。"


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
    organisation = _organisation_of(known)
    locked_message = LOCKED_MESSAGE.format(minutes=settings.LOCKOUT_MINUTES)
    if known is not None and not _take_guess(known):
        audit.record(
            "login.locked",
            username=known.username,
            organisation=organisation,
            request=request,
            result=audit.AuditEvent.Result.DENIED,
        )
        return None, locked_message
    user = authenticate(request, username=known.username if known else username, password=password)
    if user is None:
        audit.record(
            "login.failed",
            username=username,
            organisation=organisation,
            request=request,
            result=audit.AuditEvent.Result.FAILURE,
        )
        if ip and _count_address_failure(ip) == settings.LOCKOUT_IP_FAILURES:
            audit.record(
                "login.throttled",
                username=username,
                object_type="accounts.loginthrottle",
                changes={"address": ip, "failures": settings.LOCKOUT_IP_FAILURES},
                request=request,
                result=audit.AuditEvent.Result.DENIED,
            )
        if known is not None and _account_locked(known):
            audit.record(
                "account.locked",
                username=known.username,
                organisation=organisation,
                object_type="accounts.user",
                changes={"failures": settings.LOCKOUT_FAILURES, "minutes": settings.LOCKOUT_MINUTES},
                request=request,
                result=audit.AuditEvent.Result.DENIED,
            )
            return None, locked_message
        return None, "用户名或密码不正确。"
    _forget_account(user)
    login(request, user)
    audit.record("login", user=user, organisation=_organisation_of(user), request=request)
    return user, ""


def log_out(request) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit.record("logout", user=user, organisation=_organisation_of(user), request=request)
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
    audit.record(
        "unlock",
        user=by,
        organisation=_organisation_of(by),
        object_type="accounts.user",
        changes={"username": username, "cleared": cleared},
        request=request,
    )
    return cleared


@transaction.atomic
def clear_address(ip: str, *, by, request=None) -> int:
    """Ends the slow-down of a client address. Audits. Returns the failures cleared."""
    rows = LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS, key=ip)
    cleared = sum(rows.values_list("failures", flat=True))
    rows.delete()
    audit.record(
        "unlock",
        user=by,
        organisation=_organisation_of(by),
        object_type="accounts.loginthrottle",
        changes={"address": ip, "cleared": cleared},
        request=request,
    )
    return cleared


def purge_old_failures(*, now=None) -> int:
    """Deletes the counters whose last failure is older than the window (daily job and
    `purge_login_failures`). Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.LOCKOUT_MINUTES)
    deleted, _ = LoginThrottle.objects.filter(Q(last_failure_at__lt=cutoff) | Q(last_failure_at=None)).delete()
    return deleted


@transaction.atomic
def create_user(*, by, organisation, username: str, name: str, email: str, password: str, request=None) -> User:
    """Creates a login (no role yet: the security admin assigns it). Audits."""
    user = User(username=username, name=name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
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
    audit.record("password.reset", user=by, organisation=organisation, obj=user, request=request)


@transaction.atomic
def change_own_password(request, user: User, password: str) -> None:
    from django.contrib.auth import update_session_auth_hash

    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit.record("password.change", user=user, organisation=_organisation_of(user), obj=user, request=request)
