"""Level-3 account controls (issue 11): the second factor (TOTP + recovery codes), the password
policy (expiry, no reuse of the last 5, first-login change) and tracked sessions.

After a successful password login (`user_logged_in`), `start_session` decides which steps the
session must still pass — verify the second factor, change the password, enrol a second factor —
and `accounts.middleware.SecurityStepsMiddleware` keeps the session on those pages until they are
done. Every step and every admin action is audited."""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import totp
from accounts.models import AccountSecurity, PasswordHistory, RecoveryCode, User, UserSession
from core import audit
from orgs.models import ADMIN_ROLES, Role

STEPS = "_tx_steps"  # the steps the session still has to pass, in order
LOGIN_AT = "_tx_login_at"
SEEN_AT = "_tx_seen_at"
TRACKED_KEY = "_tx_session_key"  # the key the tracked row was written for (it changes with cycle_key)
NEXT = "_tx_next"
FAILURES = "_tx_2fa_failures"
PENDING_CODES = "_tx_recovery_codes"

VERIFY, PASSWORD, ENROL = "2fa-verify", "password", "2fa-enrol"
TWO_FACTOR_ROLES = {Role.UFD_STAFF, Role.LEADER, *ADMIN_ROLES}
RECOVERY_CODES = 10
MAX_FAILURES = 5
HISTORY = 5


def _organisation_of(user):
    membership = getattr(user, "membership", None) if user else None
    return membership.organisation if membership else None


def _role_of(user) -> str:
    membership = getattr(user, "membership", None)
    return membership.role if membership else ""


def security_of(user: User) -> AccountSecurity:
    try:
        return user.security
    except AccountSecurity.DoesNotExist:
        security, _ = AccountSecurity.objects.get_or_create(user=user)
        user.security = security
        return security


# --- Login steps ------------------------------------------------------------------------------


def requires_two_factor(user: User) -> bool:
    return settings.TWO_FACTOR_REQUIRED and _role_of(user) in TWO_FACTOR_ROLES


def password_max_age_days(user: User) -> int:
    if _role_of(user) in ADMIN_ROLES:
        return settings.PASSWORD_MAX_AGE_DAYS_ADMIN
    return settings.PASSWORD_MAX_AGE_DAYS


def password_expired(user: User, *, now=None) -> bool:
    days = password_max_age_days(user)
    if not days:
        return False
    changed = security_of(user).password_changed_at or user.date_joined
    return changed < (now or timezone.now()) - timedelta(days=days)


def login_steps(user: User) -> list[str]:
    security = security_of(user)
    steps = []
    if security.has_totp:
        steps.append(VERIFY)
    if security.must_change_password or password_expired(user):
        steps.append(PASSWORD)
    if not security.has_totp and requires_two_factor(user):
        steps.append(ENROL)
    return steps


def start_session(request, user: User) -> None:
    """On every login: the steps still to pass, and a tracked session row."""
    session = request.session
    session[STEPS] = login_steps(user)
    session[LOGIN_AT] = session[SEEN_AT] = time.time()
    session.pop(FAILURES, None)
    if not session.session_key:
        session.save()
    session[TRACKED_KEY] = session.session_key
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip": audit.client_ip(request),
            "last_seen": timezone.now(),
        },
    )


def pending_step(request) -> str:
    """The first step this session still has to pass ("" when none). A forced password change
    counts as passed once the password changed after this login."""
    steps = request.session.get(STEPS) or []
    if steps and steps[0] == PASSWORD:
        changed = security_of(request.user).password_changed_at
        if changed and changed.timestamp() >= request.session.get(LOGIN_AT, 0):
            finish_step(request, PASSWORD)
            return pending_step(request)
    return steps[0] if steps else ""


def finish_step(request, step: str) -> None:
    request.session[STEPS] = [s for s in request.session.get(STEPS, []) if s != step]


def touch_session(request) -> None:
    """Writes `last_seen` at most every SESSION_SEEN_SECONDS, so page views do not write each time;
    at once when the session key changed (a password change cycles it)."""
    session = request.session
    now = timezone.now().timestamp()  # the clock the session's expiry is measured by
    key = session.session_key
    moved = key and session.get(TRACKED_KEY) not in (None, key)
    if not key or (now - session.get(SEEN_AT, 0) < settings.SESSION_SEEN_SECONDS and not moved):
        return
    session[SEEN_AT] = now
    if moved:
        UserSession.objects.filter(session_key=session[TRACKED_KEY], user=request.user).update(session_key=key)
        session[TRACKED_KEY] = key
    updated = UserSession.objects.filter(session_key=key).update(last_seen=timezone.now())
    if not updated:
        session[TRACKED_KEY] = key
        UserSession.objects.create(
            session_key=key,
            user=request.user,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            ip=audit.client_ip(request),
            last_seen=timezone.now(),
        )


def forget_session(request) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


# --- Second factor ----------------------------------------------------------------------------


def _code_hash(code: str) -> str:
    key = hashlib.sha256(b"tongxin-recovery:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, "".join(code.lower().split()).replace("-", "").encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def enrolment_secret(user: User) -> str:
    """The secret being enrolled (made once, kept until confirmed)."""
    security = security_of(user)
    if not security.totp_secret or security.totp_confirmed_at:
        if security.totp_confirmed_at:
            raise ValueError("second factor already enrolled")
        security.totp_secret = totp.new_secret()
        security.save(update_fields=["totp_secret"])
    return security.totp_secret


def _replace_codes(user: User) -> list[str]:
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_code_hash(c)) for c in codes])
    return codes


@transaction.atomic
def new_recovery_codes(user: User, *, request=None) -> list[str]:
    """Replaces the account's recovery codes by 10 new ones; returns them (shown once). Audits."""
    codes = _replace_codes(user)
    audit.log("2fa.recovery_codes", user, by=user, request=request)
    return codes


@transaction.atomic
def confirm_enrolment(user: User, code: str, *, request=None) -> list[str] | None:
    """Enables the second factor when `code` matches the pending secret. Returns the recovery
    codes, or None for a wrong code. Audits."""
    security = AccountSecurity.objects.select_for_update().get(pk=security_of(user).pk)
    if not security.totp_secret or security.totp_confirmed_at:
        return None
    step = totp.match(security.totp_secret, code)
    if step is None:
        return None
    security.totp_confirmed_at = timezone.now()
    security.totp_last_step = step
    security.save(update_fields=["totp_confirmed_at", "totp_last_step"])
    user.security = security
    audit.log("2fa.enrol", user, by=user, request=request)
    return _replace_codes(user)


@transaction.atomic
def check_second_factor(user: User, code: str, *, request=None) -> bool:
    """A TOTP code (each accepted once) or an unused recovery code (then spent). Audits both
    outcomes."""
    security = AccountSecurity.objects.select_for_update().get(pk=security_of(user).pk)
    ok, how = False, "totp"
    step = totp.match(security.totp_secret, code, after_step=security.totp_last_step) if security.has_totp else None
    if step is not None:
        security.totp_last_step = step
        security.save(update_fields=["totp_last_step"])
        ok = True
    else:
        spent = RecoveryCode.objects.filter(user=user, code_hash=_code_hash(code), used_at=None).update(
            used_at=timezone.now()
        )
        ok, how = bool(spent), "recovery_code"
    if ok:
        left = RecoveryCode.objects.filter(user=user, used_at=None).count()
        changes = {"method": how, "recovery_codes_left": left}
        audit.log("login.2fa", user, by=user, request=request, changes=changes)
    else:
        audit.log("login.2fa.failed", user, by=user, request=request, result=audit.AuditEvent.Result.FAILURE)
    return ok


@transaction.atomic
def reset_two_factor(target: User, *, by: User, request=None) -> None:
    """The security admin's reset: removes the second factor and recovery codes and ends the
    account's sessions; at the next login the account enrols again. Audits."""
    security = security_of(target)
    security.totp_secret, security.totp_confirmed_at, security.totp_last_step = "", None, 0
    security.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    RecoveryCode.objects.filter(user=target).delete()
    ended = _end_sessions(UserSession.objects.filter(user=target))
    changes = {"sessions_ended": ended}
    audit.log("2fa.reset", target, by=by, request=request, changes=changes, organisation=by.audit_organisation)


# --- Passwords --------------------------------------------------------------------------------


def record_password(user: User) -> None:
    """Called whenever a password is set (`PasswordHistoryValidator.password_changed`): keeps the
    hash, stamps the change, clears a pending first-login change. Keeps the last 5."""
    if user.pk is None or not user.password:
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[HISTORY:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"password_changed_at": timezone.now(), "must_change_password": False}
    )
    if hasattr(user, "_state") and "security" in user._state.fields_cache:
        del user._state.fields_cache["security"]


def require_password_change(user: User) -> None:
    """An admin set this password (new account or reset): the owner must change it at first login."""
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})


# --- Sessions ---------------------------------------------------------------------------------


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def active_sessions(user: User):
    """The account's tracked sessions that have not expired, newest activity first."""
    from django.contrib.sessions.models import Session

    alive = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    return UserSession.objects.filter(user=user).filter(Exists(alive)).order_by("-last_seen")


def _end_sessions(sessions) -> int:
    store = _store()
    ended = 0
    for key in list(sessions.values_list("session_key", flat=True)):
        store(session_key=key).delete()
        ended += 1
    sessions.delete()
    return ended


def end_tracked_sessions(sessions) -> int:
    """Ends the given tracked sessions (a UserSession queryset) in the session store; no audit —
    the caller audits (the CAS single logout)."""
    return _end_sessions(sessions)


@transaction.atomic
def end_session(user_session: UserSession, *, by: User, request=None) -> None:
    """Ends one session (the owner's other device, or any session by the security admin). Audits."""
    target = user_session.user
    _end_sessions(UserSession.objects.filter(pk=user_session.pk))
    changes = {"ip": user_session.ip or "", "device": user_session.user_agent[:80]}
    audit.log("session.end", target, by=by, request=request, changes=changes, organisation=by.audit_organisation)


@transaction.atomic
def end_sessions(target: User, *, by: User, keep: str = "", request=None) -> int:
    """Ends every session of `target` except the one with key `keep`. Audits."""
    ended = _end_sessions(UserSession.objects.filter(user=target).exclude(session_key=keep))
    changes = {"sessions_ended": ended}
    audit.log("session.end", target, by=by, request=request, changes=changes, organisation=by.audit_organisation)
    return ended
