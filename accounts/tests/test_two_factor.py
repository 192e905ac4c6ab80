"""Two factors (issue 11): TOTP per RFC 6238, enrolment with QR and manual key, the verification step
after the password, recovery codes (shown once, hashed at rest), enforcement by role, the security
admin's reset with audit."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import security, totp
from accounts.models import AccountSecurity, RecoveryCode, UserSession
from conftest import PASSWORD
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HOME = reverse("dashboard:home")
VERIFY = reverse("accounts:two-factor-verify")
SETUP = reverse("accounts:two-factor-setup")


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def login(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def signed_in(client, user):
    """force_login, with the session's second-factor step already passed."""
    client.force_login(user)
    session = client.session
    session[security.STEPS] = []
    session.save()


def enrol(user) -> str:
    """Enrols `user` directly; returns the secret."""
    secret = totp.new_secret()
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"totp_secret": secret, "totp_confirmed_at": timezone.now(), "totp_last_step": 0}
    )
    return secret


# --- RFC 6238 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    # RFC 6238 appendix B, SHA-1, seed "12345678901234567890", last 6 of the 8-digit values.
    [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_totp_matches_the_rfc_6238_test_vectors(when, expected):
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, when) == expected


def test_a_code_is_accepted_once_and_within_one_step_of_drift():
    secret = totp.new_secret()
    now = 1_800_000_000
    step = totp.match(secret, totp.code_at(secret, now - 30), when=now)
    assert step == now // 30 - 1
    assert totp.match(secret, totp.code_at(secret, now - 30), after_step=step, when=now) is None
    assert totp.match(secret, totp.code_at(secret, now - 90), when=now) is None
    assert totp.match(secret, "12345", when=now) is None


# --- Enforcement and enrolment ----------------------------------------------------------------


def test_staff_without_a_second_factor_must_enrol_before_anything_else(client, ufd_staff):
    assert login(client, "ufd").url == HOME
    response = client.get(reverse("people:list"))
    assert (response.status_code, response.url) == (302, SETUP)

    page = client.get(SETUP).content.decode()

    secret = AccountSecurity.objects.get(user=ufd_staff).totp_secret
    assert "<svg" in page
    assert all(f"<span>{group}</span>" in page for group in totp.grouped(secret).split())
    assert "您的角色须使用两步验证" in page


def test_enrolment_confirms_with_a_code_and_shows_ten_recovery_codes_once(client, ufd_staff):
    login(client, "ufd")
    client.get(reverse("people:list"))  # remembered as the page to return to
    client.get(SETUP)
    secret = AccountSecurity.objects.get(user=ufd_staff).totp_secret

    response = client.post(SETUP, {"code": totp.code_at(secret)})

    page = response.content.decode()
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", page)
    assert response.status_code == 200 and len(codes) == 10
    assert response["Cache-Control"] == "no-store"
    # Only hashes are stored.
    stored = set(RecoveryCode.objects.filter(user=ufd_staff).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert client.get(reverse("people:list")).status_code == 200
    assert AuditEvent.objects.filter(action="2fa.enrol", user=ufd_staff).count() == 1


def test_a_wrong_enrolment_code_enables_nothing(client, ufd_staff):
    login(client, "ufd")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert AccountSecurity.objects.get(user=ufd_staff).has_totp is False


def test_members_and_liaisons_are_not_forced(client, member, liaison):
    login(client, "member")
    assert client.get(reverse("people:me")).status_code == 200


def test_the_setting_switches_enforcement_off(client, ufd_staff, settings):
    settings.TWO_FACTOR_REQUIRED = False
    login(client, "ufd")
    assert client.get(reverse("people:list")).status_code == 200


# --- Verification after the password ----------------------------------------------------------


def test_after_the_password_an_enrolled_account_is_asked_for_the_code(client, ufd_staff):
    secret = enrol(ufd_staff)
    login(client, "ufd")

    response = client.get(reverse("people:list"))
    assert (response.status_code, response.url) == (302, VERIFY)
    assert client.get(reverse("accounts:audit-log")).url == VERIFY

    response = client.post(VERIFY, {"code": totp.code_at(secret)})

    assert (response.status_code, response.url) == (302, reverse("people:list"))
    assert client.get(reverse("people:list")).status_code == 200
    event = AuditEvent.objects.get(action="login.2fa")
    assert (event.user, event.changes["method"]) == (ufd_staff, "totp")


def test_a_used_code_cannot_be_replayed(client, ufd_staff):
    secret = enrol(ufd_staff)
    code = totp.code_at(secret)
    login(client, "ufd")
    client.post(VERIFY, {"code": code})
    client.post(reverse("accounts:logout"))
    login(client, "ufd")

    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 400
    assert client.get(reverse("people:list")).url == VERIFY
    assert AuditEvent.objects.filter(action="login.2fa.failed", user=ufd_staff).count() == 1


def test_a_recovery_code_works_once(client, ufd_staff):
    enrol(ufd_staff)
    codes = security.new_recovery_codes(ufd_staff)
    login(client, "ufd")
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert RecoveryCode.objects.filter(user=ufd_staff, used_at=None).count() == 9
    client.post(reverse("accounts:logout"))
    login(client, "ufd")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400


def test_five_wrong_codes_end_the_session(client, ufd_staff):
    enrol(ufd_staff)
    login(client, "ufd")
    for _ in range(4):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 400
    response = client.post(VERIFY, {"code": "000000"})
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


# --- Security admin ---------------------------------------------------------------------------


def test_the_security_admin_resets_a_second_factor_with_audit(client, ufd_staff, secadmin, org):
    enrol(ufd_staff)
    staff_client = type(client)()
    login(staff_client, "ufd")
    signed_in(client, secadmin)

    response = client.post(reverse("accounts:two-factor-reset", args=[ufd_staff.pk]))

    assert response.status_code == 302
    account = AccountSecurity.objects.get(user=ufd_staff)
    assert (account.has_totp, RecoveryCode.objects.filter(user=ufd_staff).count()) == (False, 0)
    assert UserSession.objects.filter(user=ufd_staff).count() == 0
    assert staff_client.get(reverse("people:list")).status_code == 302  # signed out
    event = AuditEvent.objects.get(action="2fa.reset")
    assert (event.user, event.organisation, event.object_id, event.changes) == (
        secadmin,
        org,
        str(ufd_staff.pk),
        {"sessions_ended": 1},
    )
    # At the next login the account enrols again.
    login(staff_client, "ufd")
    assert staff_client.get(reverse("people:list")).url == SETUP


def test_the_security_admin_page_shows_the_state(client, ufd_staff, secadmin):
    enrol(ufd_staff)
    security.new_recovery_codes(ufd_staff)
    signed_in(client, secadmin)
    page = client.get(reverse("accounts:user-security", args=[ufd_staff.pk])).content.decode()
    assert "已启用" in page and "剩余恢复码 10 个" in page


def test_other_admins_cannot_reset(client, ufd_staff, sysadmin):
    enrol(ufd_staff)
    signed_in(client, sysadmin)
    assert client.post(reverse("accounts:two-factor-reset", args=[ufd_staff.pk])).status_code == 403
    assert AccountSecurity.objects.get(user=ufd_staff).has_totp is True
