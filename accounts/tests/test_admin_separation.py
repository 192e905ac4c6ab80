"""Issue 11, hole 2: one system admin could reach personal data (reset a UFD staff password,
log in as it, read phones) or switch off the audit admin. Three-admin separation now holds:
the system admin asks for a reset, a security admin approves, the one-time link goes to the
account's own e-mail; nobody deactivates the security or audit admin; every step is audited
and shown to the audit admin. Each test below is one chain a single admin might try."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import PasswordResetRequest, User
from conftest import PASSWORD, make_user
from core.models import AuditEvent
from orgs.models import Role

NEW = "Brand-New-Pass-2026"


def _link(message) -> str:
    return re.search(r"http://\S+/accounts/reset/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _can_read_person(username, password, person) -> bool:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": password})
    return client.get(reverse("people:detail", args=[person.pk])).status_code == 200


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):
    """Tests run inside a transaction that never commits: run on-commit work (the e-mails) at once,
    so 'no mail' below means none was asked for."""
    from accounts import services

    monkeypatch.setattr(services.transaction, "on_commit", lambda func, *args, **kwargs: func())


@pytest.fixture
def staff_with_mail(ufd_staff):
    ufd_staff.email = "ufd@example.edu.cn"
    ufd_staff.save()
    return ufd_staff


@pytest.mark.django_db
def test_system_admin_cannot_set_a_staff_password(client, sysadmin, staff_with_mail, person):
    client.force_login(sysadmin)
    client.post(reverse("accounts:user-password", args=[staff_with_mail.pk]), {"password": NEW})
    staff_with_mail.refresh_from_db()
    assert staff_with_mail.check_password(PASSWORD)
    assert mail.outbox == []  # nothing is sent before a security admin approves
    assert not _can_read_person("ufd", NEW, person)


@pytest.mark.django_db
def test_system_admin_cannot_redirect_the_link_to_itself(client, sysadmin, staff_with_mail, person):
    """Chain: change the staff member's e-mail to one's own, ask for a reset, approve it oneself."""
    client.force_login(sysadmin)
    client.post(
        reverse("accounts:user-edit", args=[staff_with_mail.pk]),
        {"name": "ufd", "email": "sysadmin@evil.example", "is_active": "on"},
    )
    client.post(reverse("accounts:user-password", args=[staff_with_mail.pk]))
    reset = PasswordResetRequest.objects.get()
    # The approval screen and action belong to the security admin.
    assert client.get(reverse("accounts:reset-requests")).status_code == 403
    assert client.post(reverse("accounts:reset-decide", args=[reset.pk]), {"decision": "approve"}).status_code == 403
    reset.refresh_from_db()
    assert reset.status == "pending"
    assert mail.outbox == []
    # The e-mail change and the request are in the audit admin's log.
    actions = list(AuditEvent.objects.filter(user=sysadmin).values_list("action", flat=True))
    assert "update" in actions and "password.reset.requested" in actions


@pytest.mark.django_db
def test_approved_reset_sends_a_one_time_link_to_the_own_mail(client, sysadmin, secadmin, staff_with_mail):
    client.force_login(sysadmin)
    client.post(reverse("accounts:user-password", args=[staff_with_mail.pk]))
    reset = PasswordResetRequest.objects.get()
    client.force_login(secadmin)
    page = client.get(reverse("accounts:reset-requests")).content.decode()
    assert "ufd@example.edu.cn" in page
    client.post(reverse("accounts:reset-decide", args=[reset.pk]), {"decision": "approve"})
    assert [m.to for m in mail.outbox] == [["ufd@example.edu.cn"]]
    link = _path(_link(mail.outbox[0]))

    holder = Client()
    assert holder.get(link).status_code == 200
    response = holder.post(link, {"new_password": NEW, "new_password2": NEW})
    assert response.status_code == 302
    staff_with_mail.refresh_from_db()
    assert staff_with_mail.check_password(NEW)
    # One time only.
    assert "链接无效或已过期" in holder.get(link).content.decode()
    assert AuditEvent.objects.filter(action="password.reset", username="ufd").count() == 1
    assert AuditEvent.objects.filter(action="password.reset.approved", user=secadmin).count() == 1


@pytest.mark.django_db
def test_a_changed_mail_after_the_request_stops_the_approval(client, sysadmin, secadmin, staff_with_mail):
    client.force_login(sysadmin)
    client.post(reverse("accounts:user-password", args=[staff_with_mail.pk]))
    staff_with_mail.email = "sysadmin@evil.example"
    staff_with_mail.save()
    client.force_login(secadmin)
    client.post(reverse("accounts:reset-decide", args=[PasswordResetRequest.objects.get().pk]), {"decision": "approve"})
    assert mail.outbox == []


@pytest.mark.django_db
def test_security_admin_cannot_approve_its_own_reset(client, sysadmin, secadmin):
    secadmin.email = "sec@example.edu.cn"
    secadmin.save()
    client.force_login(sysadmin)
    client.post(reverse("accounts:user-password", args=[secadmin.pk]))
    client.force_login(secadmin)
    client.post(reverse("accounts:reset-decide", args=[PasswordResetRequest.objects.get().pk]), {"decision": "approve"})
    assert PasswordResetRequest.objects.get().status == "pending"
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITADMIN, Role.SECADMIN])
def test_system_admin_cannot_deactivate_the_audit_or_security_admin(client, sysadmin, auditor, secadmin, role):
    target = auditor if role == Role.AUDITADMIN else secadmin
    client.force_login(sysadmin)
    response = client.post(reverse("accounts:user-edit", args=[target.pk]), {"name": "x", "email": ""})
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    target.refresh_from_db()
    assert target.is_active
    refused = AuditEvent.objects.get(user=sysadmin, result="denied")
    assert refused.object_id == str(target.pk)


@pytest.mark.django_db
def test_system_admin_creates_accounts_without_knowing_a_password(client, sysadmin, secadmin, org, person):
    """Chain: create an account with a known password, have it given the UFD role, log in."""
    client.force_login(sysadmin)
    client.post(reverse("accounts:user-create"), {"username": "newbie", "name": "新同事", "email": "n@example.edu.cn"})
    newbie = User.objects.get(username="newbie")
    assert not newbie.has_usable_password()
    # Only the security admin gives roles; the system admin cannot.
    assert client.get(reverse("accounts:role-edit", args=[newbie.pk])).status_code == 403
    assert [m.to for m in mail.outbox] == [["n@example.edu.cn"]]


@pytest.mark.django_db
def test_no_admin_role_reads_a_person_or_gives_itself_one(client, org, person):
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN):
        admin = make_user(org, role, f"admin-{role}")
        assert not _can_read_person(admin.username, PASSWORD, person), role
        client.force_login(admin)
        client.post(reverse("accounts:role-edit", args=[admin.pk]), {"role": Role.UFD_STAFF})
        admin.membership.refresh_from_db()
        assert admin.membership.role == role


@pytest.mark.django_db
def test_security_admin_cannot_turn_an_admin_account_into_staff(client, secadmin, sysadmin):
    client.force_login(secadmin)
    client.post(reverse("accounts:role-edit", args=[sysadmin.pk]), {"role": Role.UFD_STAFF})
    sysadmin.membership.refresh_from_db()
    assert sysadmin.membership.role == Role.SYSADMIN


@pytest.mark.django_db
def test_audit_admin_sees_every_step(client, sysadmin, secadmin, auditor, staff_with_mail):
    client.force_login(sysadmin)
    client.post(reverse("accounts:user-password", args=[staff_with_mail.pk]))
    client.force_login(secadmin)
    client.post(reverse("accounts:reset-decide", args=[PasswordResetRequest.objects.get().pk]), {"decision": "reject"})
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit-log")).content.decode()
    labels = {"password.reset.requested": "申请重置密码", "password.reset.rejected": "驳回重置密码"}
    for action, label in labels.items():
        assert action in page or label in page
