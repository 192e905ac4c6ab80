import pytest
from django.urls import reverse

from accounts.models import LoginThrottle
from conftest import PASSWORD
from core.models import AuditEvent

LOGIN = "/accounts/login/"


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_login_success_goes_home_and_is_audited(client, ufd_staff, org):
    response = _login(client, "ufd", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard:home")
    event = AuditEvent.objects.get(action="login")
    assert (event.user, event.organisation, event.result, event.ip) == (ufd_staff, org, "success", "127.0.0.1")


@pytest.mark.django_db
def test_wrong_password_is_refused_and_audited(client, ufd_staff):
    response = _login(client, "ufd", "wrong-Password-1")
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.failed", username="ufd", result="failure").count() == 1


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_for_the_right_password(client, ufd_staff):
    for _ in range(5):
        _login(client, "ufd", "wrong-Password-1", REMOTE_ADDR="10.0.0.1")
    response = _login(client, "ufd", PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 400
    assert "账号已锁定30分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.locked").count() == 1


@pytest.mark.django_db
def test_lockout_ends_after_30_minutes(client, ufd_staff):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(5):
        _login(client, "ufd", "wrong-Password-1")
    LoginThrottle.objects.update(last_failure_at=timezone.now() - timedelta(minutes=31))
    assert _login(client, "ufd", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_success_clears_the_failures_of_the_account(client, ufd_staff):
    for _ in range(4):
        _login(client, "ufd", "wrong-Password-1")
    assert _login(client, "ufd", PASSWORD).status_code == 302
    assert LoginThrottle.objects.get(kind="account", key="ufd").failures == 0


@pytest.mark.django_db
def test_logout_is_post_only_and_audited(client, ufd_staff):
    client.force_login(ufd_staff)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="logout", user=ufd_staff).count() == 1


@pytest.mark.django_db
def test_next_parameter_cannot_send_users_to_another_host(client, ufd_staff):
    response = client.post(LOGIN + "?next=https://evil.example/", {"username": "ufd", "password": PASSWORD})
    assert response.url == reverse("dashboard:home")


@pytest.mark.django_db
def test_next_parameter_keeps_local_paths(client, ufd_staff):
    response = client.post(LOGIN + "?next=/people/", {"username": "ufd", "password": PASSWORD})
    assert response.url == "/people/"


@pytest.mark.django_db
def test_malformed_login_form_is_a_clear_error(client):
    response = client.post(LOGIN, {"username": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()


def test_passwords_are_hashed_with_argon2():
    from tongxin import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
