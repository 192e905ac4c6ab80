"""Issue 10, defect 10: the notification list (member's phone page and staff page), the
notification settings and the staff's messaging screens in English."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.tests.english import chinese_outside
from core.tests.english_data import stored_texts
from notifications.models import Channel, Delivery, Notification, Robot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    """A request in English leaves English active in this thread; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_english(response, *contains):
    assert response.status_code == 200
    assert chinese_outside(response, user_data=stored_texts()) == []
    html = response.content.decode()
    for text in contains:
        assert text in html, text


def test_member_notifications_and_settings_in_english(client, org, member):
    Notification.objects.create(user=member, organisation=org, title="您已报名“新春座谈会”", body="请准时参加。")
    Notification.objects.create(user=member, organisation=org, title="建言已答复", read_at=timezone.now())
    english(client, member)
    assert_english(client.get(reverse("notifications:list")), "Mark all as read", 'class="tabbar"')
    assert_english(
        client.get(reverse("notifications:preferences")),
        "Notification settings",
        "Events and meetings",
        "Quiet hours start",
        ">Save settings</button>",
    )


def test_empty_notification_list_in_english(client, ufd_staff):
    english(client, ufd_staff)
    assert_english(client.get(reverse("notifications:list")), "No notifications.")


def test_staff_messaging_screens_in_english(client, org, ufd_staff):
    robot = Robot.objects.create(
        organisation=org, kind=Channel.DINGTALK, name="统战成员群", url="https://example.com/hook"
    )
    Delivery.objects.create(
        organisation=org,
        channel=Channel.DINGTALK,
        robot=robot,
        subject="新活动",
        text="【新活动】新春座谈会",
        status=Delivery.Status.FAILED,
        attempts=3,
        next_attempt_at=timezone.now(),
        last_error="HTTP 500",
    )
    english(client, ufd_staff)
    assert_english(client.get(reverse("notifications:robots")), "Group robots", "DingTalk", "Send test")
    assert_english(client.get(reverse("notifications:robot-edit", args=[robot.pk])), "Edit group robot", "Webhook URL")
    assert_english(client.get(reverse("notifications:deliveries")), "1 message failed to send", ">Failed<", "Resend")


def test_notification_settings_are_still_chinese_by_default(client, member):
    client.force_login(member)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "免打扰与摘要" in html and "Quiet hours" not in html


def test_message_templates_in_english(client, org, ufd_staff):
    from notifications import messages
    from notifications.models import MessageTemplate, TemplateKey

    english(client, ufd_staff)
    # The message texts themselves are what goes to the Chinese groups: content, not interface.
    content = [*messages.DEFAULTS.values(), *messages.SAMPLES.values()]
    response = client.get(reverse("notifications:templates"))
    assert response.status_code == 200
    assert chinese_outside(response, user_data=[*stored_texts(), *content]) == []
    assert "Group announcement: new event" in response.content.decode()
    template = MessageTemplate.objects.get(organisation=org, key=TemplateKey.EVENT_PUBLISHED)
    response = client.get(reverse("notifications:template-edit", args=[template.pk]))
    assert response.status_code == 200
    preview = messages.render(template.text, messages.SAMPLES)
    assert chinese_outside(response, user_data=[*stored_texts(), *content, preview]) == []
    html = response.content.decode()
    assert "Available placeholders:" in html and "Event title" in html
