"""Invitations and promotions reach a real SMTP server (aiosmtpd on 127.0.0.1), through
Django's SMTP backend and the huey task (immediate in tests) after the transaction commits."""

import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from events import services
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.TONGXIN_BASE_URL = "https://tongxin.example.edu.cn"
    yield inbox
    controller.stop()


def test_invitation_and_promotion_are_mailed(smtp, org, ufd_staff, make_member):
    first = make_member("张一", email="zhang1@example.edu.cn")
    second = make_member("李二", email="li2@example.edu.cn")
    start = timezone.now() + timedelta(days=2)
    event = EventFactory(
        organisation=org, title="党外知识分子座谈会", status="draft", capacity=1, starts_at=start, ends_at=start
    )
    event.audience_people.set([first, second])

    assert services.publish_event(event, by=ufd_staff) == 2

    invitations = sorted((to, m["Subject"].strip()) for to, m in smtp.messages)
    assert invitations == [
        (["li2@example.edu.cn"], "【同心】活动邀请：党外知识分子座谈会"),
        (["zhang1@example.edu.cn"], "【同心】活动邀请：党外知识分子座谈会"),
    ]
    body = smtp.messages[0][1].get_content()
    assert f"https://tongxin.example.edu.cn/events/m/{event.pk}/" in body

    registration = services.register(event, person=first, by=first.user)
    services.register(event, person=second, by=second.user)
    services.cancel_registration(registration, by=first.user)

    to, promoted = smtp.messages[-1]
    assert to == ["li2@example.edu.cn"]
    assert promoted["Subject"].strip() == "【同心】您已由候补转为正式报名"
