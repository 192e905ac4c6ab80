"""Issue 10, defect 10: the login page, account security and the three administrators' screens in
English (sysadmin: users and departments; security admin: roles and policy; audit admin: audit log)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import LoginThrottle
from core import audit
from core.tests.english import chinese_outside
from core.tests.english_data import stored_texts
from orgs.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    """A request in English leaves English active in this thread; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(client, user=None):
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_english(response, *contains, status=200):
    assert response.status_code == status
    assert chinese_outside(response, user_data=stored_texts()) == []
    html = response.content.decode()
    for text in contains:
        assert text in html, text


def test_login_page_and_its_error_in_english(client, member):
    english(client)
    assert_english(client.get(reverse("accounts:login")), "Username", "Password", ">Log in</button>")
    response = client.post(reverse("accounts:login"), {"username": "member", "password": "wrong-password"})
    assert_english(response, "Incorrect username or password.", status=400)


def test_login_page_is_still_chinese_by_default(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "用户名" in html and "Username" not in html


def test_account_security_in_english(client, ufd_staff, member):
    english(client, ufd_staff)
    assert_english(client.get(reverse("accounts:my-security")), "Account security", "Two-step verification")
    assert_english(client.get(reverse("accounts:password-change")), "Current password", "Confirm new password")
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "nope", "new_password": "Abcdefg-123x", "new_password2": "Abcdefg-123y"},
    )
    assert_english(response, "The current password is not correct.")
    # The member reads the same page on the phone layout.
    english(client, member)
    assert_english(client.get(reverse("accounts:my-security")), "Account security", 'class="tabbar"')


def test_sysadmin_screens_in_english(client, org, sysadmin, member, ufd_department):
    english(client, sysadmin)
    assert_english(client.get(reverse("accounts:user-list")), "New account", "Last login", ">Active</span>")
    assert_english(client.get(reverse("accounts:user-create")), "Own e-mail", ">Save</button>")
    assert_english(client.get(reverse("accounts:user-edit", args=[member.pk])), f"Edit account {member.username}")
    response = client.post(reverse("accounts:user-create"), {"username": "member", "name": "x", "password": "short"})
    assert_english(response, "This username is already taken.")
    assert_english(client.get(reverse("accounts:department-list")), "New department", "Short name", "Aliases")
    assert_english(client.get(reverse("accounts:department-create")), "New department")
    assert_english(client.get(reverse("accounts:department-edit", args=[ufd_department.pk])), "Edit department")


def test_security_admin_screens_in_english(client, org, secadmin, liaison):
    LoginThrottle.objects.create(
        kind=LoginThrottle.Kind.ACCOUNT, key="liaison", user=liaison, failures=6, last_failure_at=timezone.now()
    )
    LoginThrottle.objects.create(
        kind=LoginThrottle.Kind.ADDRESS, key="10.0.0.1", failures=6, last_failure_at=timezone.now()
    )
    english(client, secadmin)
    assert_english(
        client.get(reverse("accounts:role-list")),
        "Locked accounts",
        ">Unlock</button>",
        "Slowed-down addresses",
        "Department liaison",
    )
    assert_english(client.get(reverse("accounts:role-edit", args=[liaison.pk])), "Assign role:", "UFD staff")
    assert_english(client.get(reverse("accounts:policy")), "Password rules", "Session timeout")
    assert_english(
        client.get(reverse("accounts:user-security", args=[liaison.pk])), "Account security:", "Login session"
    )


def test_audit_log_in_english(client, org, auditor, ufd_staff, ufd_department):
    audit.record("login", user=ufd_staff, organisation=org)
    audit.record("login.failed", username="nobody", organisation=org, result="failure")
    audit.record("create", user=auditor, organisation=org, obj=ufd_department, changes={"name": "党委统战部"})
    audit.record("export", user=ufd_staff, organisation=org, object_type="core.auditevent", changes={"rows": 3})
    audit.record(
        "update", user=auditor, organisation=org, obj=ufd_staff.membership, changes={"role": ["liaison", "ufd_staff"]}
    )
    english(client, auditor)
    response = client.get(reverse("accounts:audit-log"))
    assert_english(
        response,
        "Export to Excel",
        "Login failed",
        "Failed",
        "Liaison → UFD staff".replace("Liaison", "Department liaison"),
    )
    html = response.content.decode()
    assert ">Log in<" in html and ">Export<" in html and "Rows" in html


def test_admin_screens_are_still_chinese_by_default(client, secadmin):
    client.force_login(secadmin)
    html = client.get(reverse("accounts:policy")).content.decode()
    assert "密码规则" in html and "Password rules" not in html
    assert Role.SECADMIN.label == "安全管理员"
