"""Issue 11, hole 1: five failed logins with made-up names behind the proxy locked out everyone.

Now: the client address comes from X-Forwarded-For only through configured proxies; an address
is slowed, never locked; only existing accounts lock; the security admin sees and clears both;
old failures expire; the audit admin sees every lockout; parallel guesses are counted atomically."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import LoginThrottle
from conftest import PASSWORD
from core.models import AuditEvent
from core.proxy import client_address
from events.tests.conftest import file_database  # noqa: F401  (fixture: a database threads can share)

LOGIN = "/accounts/login/"
WRONG = "wrong-Password-1"


@pytest.fixture
def sleeps(monkeypatch):
    """The slow-down's waits, recorded instead of slept."""
    waited = []
    monkeypatch.setattr(services, "_sleep", waited.append)
    return waited


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- The client address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # never trusted by default
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (3, "1.2.3.4", "1.2.3.4"),  # fewer hops than proxies: the leftmost
    ],
)
def test_client_address_counts_trusted_proxies_from_the_right(trusted, forwarded, expected):
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta, trusted) == expected


@pytest.mark.django_db
def test_failures_behind_a_trusted_proxy_count_per_client(client, settings, sleeps, ufd_staff):
    settings.TRUSTED_PROXIES = 1
    for n in range(5):
        _login(client, f"nobody{n}", WRONG, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert set(AuditEvent.objects.filter(action="login.failed").values_list("ip", flat=True)) == {"203.0.113.7"}
    response = _login(client, "ufd", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302
    assert sleeps == []  # another client behind the same proxy is not slowed


# --- Addresses are slowed, never locked -------------------------------------------------------


@pytest.mark.django_db
def test_made_up_names_from_the_proxy_lock_nobody_out(client, sleeps, secadmin, ufd_staff):
    for n in range(5):
        _login(client, f"made-up-{n}", WRONG)
    assert LoginThrottle.objects.filter(kind="account").count() == 0  # only existing accounts lock
    response = _login(client, "secadmin", PASSWORD)
    assert response.status_code == 302
    assert sleeps == [1.0]  # slowed by the configured second, not refused


@pytest.mark.django_db
def test_the_slow_down_doubles_up_to_its_maximum(client, sleeps, settings):
    settings.LOGIN_DELAY_SECONDS, settings.LOGIN_DELAY_MAX_SECONDS = 1, 8
    for n in range(10):
        _login(client, f"x{n}", WRONG)
    # failures 0-4: no wait; then 5 -> 1 s, 6 -> 2 s, 7 -> 4 s, 8 -> 8 s, 9 -> 8 s (the cap).
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 8.0]


@pytest.mark.django_db
def test_five_failures_lock_an_existing_account_but_not_others(client, sleeps, ufd_staff, leader):
    for _ in range(5):
        _login(client, "ufd", WRONG, REMOTE_ADDR="10.1.0.1")
    assert "账号已锁定30分钟" in _login(client, "ufd", PASSWORD, REMOTE_ADDR="10.1.0.2").content.decode()
    assert _login(client, "leader", PASSWORD, REMOTE_ADDR="10.1.0.1").status_code == 302


@pytest.mark.django_db
def test_old_failures_expire(client, sleeps, ufd_staff):
    for _ in range(4):
        _login(client, "ufd", WRONG)
    LoginThrottle.objects.update(last_failure_at=timezone.now() - timedelta(minutes=31))
    for _ in range(4):  # four more: eight in all, but only four in the window
        _login(client, "ufd", WRONG)
    assert _login(client, "ufd", PASSWORD).status_code == 302
    LoginThrottle.objects.update(last_failure_at=timezone.now() - timedelta(minutes=31))
    call_command("purge_login_failures")
    assert LoginThrottle.objects.count() == 0


# --- The security admin sees and clears both kinds; the audit admin sees every one ----------


@pytest.mark.django_db
def test_security_admin_sees_and_clears_lockouts_and_slow_downs(client, sleeps, secadmin, ufd_staff):
    anonymous = Client()
    for _ in range(5):
        _login(anonymous, "ufd", WRONG, REMOTE_ADDR="198.51.100.4")
    client.force_login(secadmin)
    page = client.get(reverse("accounts:role-list")).content.decode()
    assert "已锁定的账号" in page and "ufd（连续失败 5 次" in page
    assert "被限速的地址" in page and "198.51.100.4（失败 5 次" in page

    assert client.post(reverse("accounts:unlock"), {"username": "ufd"}).status_code == 302
    assert client.post(reverse("accounts:unlock"), {"address": "198.51.100.4"}).status_code == 302
    assert LoginThrottle.objects.count() == 0
    assert _login(anonymous, "ufd", PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302
    cleared = AuditEvent.objects.filter(action="unlock", user=secadmin).order_by("id")
    assert [e.changes.get("username") or e.changes.get("address") for e in cleared] == ["ufd", "198.51.100.4"]


@pytest.mark.django_db
def test_audit_admin_sees_lockouts_slow_downs_and_unknown_names(client, sleeps, auditor, ufd_staff, other_org):
    anonymous = Client()
    for _ in range(5):
        _login(anonymous, "ufd", WRONG, REMOTE_ADDR="198.51.100.9")
    _login(anonymous, "ghost", WRONG, REMOTE_ADDR="198.51.100.9")
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit-log")).content.decode()
    assert "account.locked" in page or "账号锁定" in page
    assert "login.throttled" in page or "登录地址限速" in page
    assert "ghost" in page  # a failed login for an unknown name has no organisation
    # Another organisation's rows stay hidden.
    AuditEvent.objects.create(action="login", username="other-user", organisation=other_org)
    assert "other-user" not in client.get(reverse("accounts:audit-log")).content.decode()


# --- Counting is atomic ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_get_no_more_than_the_allowed_guesses(file_database, sleeps, ufd_staff):  # noqa: F811
    """12 threads post a wrong password at the same moment: exactly 5 are checked (login.failed);
    the others are refused as locked without their password being tried."""
    threads_count = 12
    start = threading.Barrier(threads_count)
    statuses, errors = [], []

    def guess():
        try:
            start.wait(timeout=30)
            statuses.append(_login(Client(), "ufd", WRONG).status_code)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [400] * threads_count
    assert AuditEvent.objects.filter(action="login.failed", username="ufd").count() == 5
    assert AuditEvent.objects.filter(action="login.locked", username="ufd").count() == threads_count - 5
