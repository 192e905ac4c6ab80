"""Sessions (issue 11): a user sees and ends their other sessions; the security admin ends a user's
sessions; last-seen writes are throttled."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserSession
from conftest import PASSWORD
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
MINE = reverse("accounts:my-security")


def browser(username, agent):
    client = Client(HTTP_USER_AGENT=agent)
    client.post(LOGIN, {"username": username, "password": PASSWORD})
    return client


def test_a_user_sees_their_sessions_and_ends_another_one(ufd_staff):
    phone = browser("ufd", "Mozilla/5.0 (iPhone) 手机")
    desk = browser("ufd", "Mozilla/5.0 (Windows NT 10.0) 办公室")

    page = desk.get(MINE).content.decode()
    assert "手机" in page and "办公室" in page and "当前会话" in page
    other = UserSession.objects.get(user=ufd_staff, user_agent__contains="iPhone")

    response = desk.post(reverse("accounts:session-end", args=[other.pk]))

    assert response.status_code == 302
    assert phone.get(reverse("people:list")).status_code == 302  # signed out
    assert desk.get(reverse("people:list")).status_code == 200
    assert list(UserSession.objects.filter(user=ufd_staff).values_list("user_agent", flat=True)) == [
        "Mozilla/5.0 (Windows NT 10.0) 办公室"
    ]
    assert AuditEvent.objects.filter(action="session.end", user=ufd_staff).count() == 1


def test_end_all_other_sessions_keeps_this_one(ufd_staff):
    others = [browser("ufd", f"device {n}") for n in range(3)]
    desk = browser("ufd", "desk")
    desk.post(reverse("accounts:sessions-end-others"))
    assert [c.get(reverse("people:list")).status_code for c in others] == [302, 302, 302]
    assert desk.get(reverse("people:list")).status_code == 200


def test_a_user_cannot_end_someone_elses_session(ufd_staff, leader):
    browser("leader", "leader phone")
    theirs = UserSession.objects.get(user=leader)
    mine = browser("ufd", "desk")
    assert mine.post(reverse("accounts:session-end", args=[theirs.pk])).status_code == 404
    assert UserSession.objects.filter(pk=theirs.pk).exists()


def test_the_security_admin_ends_all_sessions_of_a_user(client, ufd_staff, secadmin, org):
    staff = [browser("ufd", "a"), browser("ufd", "b")]
    client.force_login(secadmin)

    response = client.post(reverse("accounts:user-sessions-end", args=[ufd_staff.pk]))

    assert response.status_code == 302
    assert [c.get(reverse("people:list")).status_code for c in staff] == [302, 302]
    event = AuditEvent.objects.get(action="session.end", user=secadmin)
    assert (event.organisation, event.object_id, event.changes) == (org, str(ufd_staff.pk), {"sessions_ended": 2})


def test_last_seen_is_written_at_most_every_five_minutes(ufd_staff, django_assert_num_queries, settings):
    desk = browser("ufd", "desk")
    row = UserSession.objects.get(user=ufd_staff)
    old = timezone.now() - timedelta(hours=1)
    UserSession.objects.filter(pk=row.pk).update(last_seen=old)

    desk.get(reverse("notifications:list"))
    assert UserSession.objects.get(pk=row.pk).last_seen == old  # within five minutes of login: no write

    session = desk.session
    session["_tx_seen_at"] = 0  # five minutes later
    session.save()
    desk.get(reverse("notifications:list"))
    assert UserSession.objects.get(pk=row.pk).last_seen > old


def test_logout_forgets_the_session(ufd_staff):
    desk = browser("ufd", "desk")
    desk.post(reverse("accounts:logout"))
    assert UserSession.objects.filter(user=ufd_staff).count() == 0


def test_a_password_change_keeps_the_session_listed(ufd_staff):
    desk = browser("ufd", "desk")
    desk.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password": "Brand-new-pass-8", "new_password2": "Brand-new-pass-8"},
    )
    desk.get(MINE)
    assert list(UserSession.objects.filter(user=ufd_staff).values_list("session_key", flat=True)) == [
        desk.session.session_key
    ]
