import pytest
from django.core import mail
from django.urls import reverse

from notifications import services
from notifications.models import Notification


@pytest.mark.django_db(transaction=True)
def test_notify_creates_in_app_messages_and_mails_after_commit(org, ufd_staff, liaison, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    liaison.email = "liaison@example.edu.cn"
    liaison.save()
    count = services.notify(
        [ufd_staff, liaison, liaison], organisation=org, title="催办", body="请尽快报送", email=True
    )
    assert count == 2
    assert Notification.objects.filter(title="催办").count() == 2
    assert [m.to for m in mail.outbox] == [["liaison@example.edu.cn"]]
    assert mail.outbox[0].subject == "【同心】催办"


@pytest.mark.django_db
def test_opening_marks_read_and_follows_the_link(client, org, member):
    note = Notification.objects.create(user=member, organisation=org, title="邀请", url="/people/me/")
    client.force_login(member)
    assert client.get(reverse("dashboard:home")).context["unread_count"] == 1
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.url == "/people/me/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.django_db
def test_outside_links_are_not_followed(client, org, member):
    note = Notification.objects.create(user=member, organisation=org, title="x", url="https://evil.example/")
    client.force_login(member)
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.url == reverse("notifications:list")


@pytest.mark.django_db
def test_a_user_cannot_open_anothers_notification(client, org, member, leader):
    note = Notification.objects.create(user=member, organisation=org, title="x")
    client.force_login(leader)
    assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
