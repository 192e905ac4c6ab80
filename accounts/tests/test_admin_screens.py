import pytest
from django.urls import reverse

from accounts.models import LoginThrottle, User
from core.models import AuditEvent
from orgs.models import Department, Role


@pytest.mark.django_db
def test_sysadmin_creates_an_account_without_a_role(client, sysadmin, org):
    client.force_login(sysadmin)
    response = client.post(
        reverse("accounts:user-create"),
        {"username": "newbie", "name": "新同事", "email": "newbie@example.edu.cn"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.name, user.membership.organisation, user.membership.role) == ("新同事", org, "")
    assert not user.has_usable_password()  # the holder sets it through the e-mailed link
    assert AuditEvent.objects.filter(action="create", object_type="accounts.user", user=sysadmin).count() == 1


@pytest.mark.django_db
def test_sysadmin_create_refuses_duplicate(client, sysadmin, member):
    client.force_login(sysadmin)
    response = client.post(reverse("accounts:user-create"), {"username": "MEMBER", "name": "x", "email": "x@e.cn"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "该用户名已存在" in body
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_sysadmin_deactivates_and_asks_for_a_password_reset(client, sysadmin, member):
    client.force_login(sysadmin)
    client.post(reverse("accounts:user-edit", args=[member.pk]), {"name": "张建言", "email": "m@example.edu.cn"})
    client.post(reverse("accounts:user-password", args=[member.pk]), {"password": "Reset-Pass-2026"})
    member.refresh_from_db()
    assert member.is_active is False
    assert not member.check_password("Reset-Pass-2026")  # a request, never a password
    assert set(AuditEvent.objects.filter(user=sysadmin).values_list("action", flat=True)) == {
        "update",
        "password.reset.requested",
    }


@pytest.mark.django_db
def test_sysadmin_cannot_deactivate_self(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(reverse("accounts:user-edit", args=[sysadmin.pk]), {"name": "x"})
    assert response.status_code == 200
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


@pytest.mark.django_db
def test_sysadmin_creates_department_with_aliases(client, sysadmin, org):
    client.force_login(sysadmin)
    response = client.post(
        reverse("accounts:department-create"),
        {
            "name": "党委宣传部",
            "short_name": "宣传部",
            "sort_order": 20,
            "aliases": "宣传部，党宣、宣传部",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    department = Department.objects.get(organisation=org, name="党委宣传部")
    assert sorted(department.alias_names) == ["党宣", "宣传部"]


@pytest.mark.django_db
def test_duplicate_department_name_is_refused(client, sysadmin, ufd_department):
    client.force_login(sysadmin)
    response = client.post(reverse("accounts:department-create"), {"name": "党委统战部", "sort_order": 1})
    assert response.status_code == 200
    assert "已有同名部门" in response.content.decode()
    assert Department.objects.filter(name="党委统战部").count() == 1


@pytest.mark.django_db
def test_department_edit_replaces_aliases(client, sysadmin, ufd_department):
    client.force_login(sysadmin)
    client.post(
        reverse("accounts:department-edit", args=[ufd_department.pk]),
        {"name": "党委统战部", "short_name": "统战部", "sort_order": 5, "aliases": "统战部", "is_active": "on"},
    )
    ufd_department.refresh_from_db()
    assert (ufd_department.sort_order, ufd_department.alias_names) == (5, ["统战部"])
    event = AuditEvent.objects.get(action="update", object_type="orgs.department")
    assert event.changes == {"sort_order": ["100", "5"], "aliases": ["", "统战部"]}


@pytest.mark.django_db
def test_secadmin_makes_a_liaison(client, secadmin, member, student_department):
    client.force_login(secadmin)
    response = client.post(
        reverse("accounts:role-edit", args=[member.pk]),
        {"role": Role.LIAISON, "departments": [student_department.pk]},
    )
    assert response.status_code == 302
    member.membership.refresh_from_db()
    assert member.membership.role == Role.LIAISON
    assert list(member.membership.departments.all()) == [student_department]
    assert list(student_department.liaisons) == [member]


@pytest.mark.django_db
def test_liaison_needs_a_department(client, secadmin, member):
    client.force_login(secadmin)
    response = client.post(reverse("accounts:role-edit", args=[member.pk]), {"role": Role.LIAISON})
    assert response.status_code == 200
    member.membership.refresh_from_db()
    assert member.membership.role == Role.MEMBER


@pytest.mark.django_db
def test_business_account_cannot_become_an_admin(client, secadmin, member):
    client.force_login(secadmin)
    response = client.post(reverse("accounts:role-edit", args=[member.pk]), {"role": Role.AUDITADMIN})
    assert "管理员角色须使用单独的账号" in response.content.decode()
    member.membership.refresh_from_db()
    assert member.membership.role == Role.MEMBER


@pytest.mark.django_db
def test_secadmin_cannot_change_own_role(client, secadmin):
    client.force_login(secadmin)
    response = client.post(reverse("accounts:role-edit", args=[secadmin.pk]), {"role": Role.AUDITADMIN})
    assert response.status_code == 200
    secadmin.membership.refresh_from_db()
    assert secadmin.membership.role == Role.SECADMIN


@pytest.mark.django_db
def test_secadmin_unlocks_a_locked_account(client, secadmin, ufd_staff):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ufd", "password": "wrong-Password-1"})
    client.force_login(secadmin)
    page = client.get(reverse("accounts:role-list")).content.decode()
    assert "已锁定的账号" in page
    response = client.post(reverse("accounts:unlock"), {"username": "ufd"})
    assert response.status_code == 302
    assert LoginThrottle.objects.filter(kind="account").count() == 0
    assert AuditEvent.objects.filter(action="unlock", user=secadmin).count() == 1


@pytest.mark.django_db
def test_auditor_sees_logins_and_filters(client, auditor, ufd_staff, org):
    from conftest import PASSWORD

    client.post("/accounts/login/", {"username": "ufd", "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "ufd", "password": "bad-Password-1"})
    client.force_login(auditor)

    page = client.get(reverse("accounts:audit-log"), {"action": "login.failed"})
    rows = list(page.context["page"])
    assert [(e.username, e.action) for e in rows] == [("ufd", "login.failed")]

    page = client.get(reverse("accounts:audit-log"), {"user": "ufd"})
    assert sorted(e.action for e in page.context["page"]) == ["login", "login.failed", "logout"]


@pytest.mark.django_db
def test_auditor_does_not_see_another_orgs_events(client, auditor, other_org):
    from core import audit

    audit.record("login", username="stranger", organisation=other_org)
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit-log"))
    assert "stranger" not in page.content.decode()


@pytest.mark.django_db
def test_audit_log_bad_dates_are_a_clear_error(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit-log"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert page.status_code == 200
    assert "起始日期不能晚于截止日期" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 120])
def test_audit_log_query_count_is_bounded(client, auditor, org, rows, django_assert_max_num_queries):
    from core import audit

    for i in range(rows):
        audit.record("login", username=f"u{i}", organisation=org)
    client.force_login(auditor)
    with django_assert_max_num_queries(10):
        client.get(reverse("accounts:audit-log"))


@pytest.mark.django_db
def test_forged_department_of_another_org_is_refused(client, secadmin, member, other_org):
    from orgs.tests.factories import DepartmentFactory

    foreign = DepartmentFactory(organisation=other_org)
    client.force_login(secadmin)
    response = client.post(
        reverse("accounts:role-edit", args=[member.pk]), {"role": Role.LIAISON, "departments": [foreign.pk]}
    )
    assert response.status_code == 200
    member.membership.refresh_from_db()
    assert (member.membership.role, list(member.membership.departments.all())) == (Role.MEMBER, [])
