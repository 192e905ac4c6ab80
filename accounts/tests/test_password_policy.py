"""Password policy (issue 11): no reuse of the last 5, expiry (90 days for admins by default),
first-login change for accounts an admin created or reset."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import security, services
from accounts.models import AccountSecurity, PasswordHistory
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CHANGE = reverse("accounts:password-change")


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def change(client, old, new):
    return client.post(CHANGE, {"old_password": old, "new_password": new, "new_password2": new})


def test_the_last_five_passwords_cannot_be_reused(ufd_staff):
    passwords = [f"Another-pass-{n}x" for n in range(6)]
    for password in passwords:
        ufd_staff.set_password(password)
        ufd_staff.save()
    # The current one and the four before it are refused; the sixth-last is allowed again.
    for password in passwords[1:]:
        with pytest.raises(ValidationError, match="最近5次"):
            validate_password(password, ufd_staff)
    validate_password(passwords[0], ufd_staff)
    assert PasswordHistory.objects.filter(user=ufd_staff).count() == 5


def test_the_change_form_refuses_the_current_password(client, ufd_staff):
    client.force_login(ufd_staff)
    response = change(client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "不能与当前密码或最近5次使用过的密码相同" in response.content.decode()


def test_an_account_an_admin_created_must_change_its_password_at_first_login(client, sysadmin, org):
    user = services.create_user(
        by=sysadmin, organisation=org, username="newbie", name="新人", email="", password="Given-by-admin-1"
    )
    assert AccountSecurity.objects.get(user=user).must_change_password is True

    login(client, "newbie", "Given-by-admin-1")
    response = client.get(reverse("notifications:list"))
    assert (response.status_code, response.url) == (302, CHANGE)

    response = change(client, "Given-by-admin-1", "My-own-secret-9")

    assert response.status_code == 302
    assert AccountSecurity.objects.get(user=user).must_change_password is False
    assert client.get(reverse("notifications:list")).status_code == 200


def test_a_password_reset_by_the_admin_must_be_changed_at_next_login(sysadmin, org, member):
    services.reset_password(member, by=sysadmin, organisation=org, password="Reset-by-admin-7")
    assert AccountSecurity.objects.get(user=member).must_change_password is True


def test_an_admin_password_expires_after_90_days(client, secadmin, settings):
    settings.TWO_FACTOR_REQUIRED = False
    AccountSecurity.objects.filter(user=secadmin).update(password_changed_at=timezone.now() - timedelta(days=91))
    login(client, "secadmin")
    response = client.get(reverse("accounts:role-list"))
    assert (response.status_code, response.url) == (302, CHANGE)


def test_an_admin_password_of_89_days_is_still_valid(client, secadmin, settings):
    settings.TWO_FACTOR_REQUIRED = False
    AccountSecurity.objects.filter(user=secadmin).update(password_changed_at=timezone.now() - timedelta(days=89))
    login(client, "secadmin")
    assert client.get(reverse("accounts:role-list")).status_code == 200


def test_business_accounts_do_not_expire_by_default_but_can(ufd_staff, settings):
    AccountSecurity.objects.filter(user=ufd_staff).update(password_changed_at=timezone.now() - timedelta(days=400))
    ufd_staff.refresh_from_db()
    assert security.password_expired(ufd_staff) is False
    settings.PASSWORD_MAX_AGE_DAYS = 180
    assert security.password_expired(ufd_staff) is True
