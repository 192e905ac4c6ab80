"""Channels: group robots (signed, retried with backoff, against a local receiver), message
templates, per-user preferences, quiet hours and the daily digest."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Event
from events.tests.factories import EventFactory
from notifications import messages, services
from notifications.models import Delivery, MessageTemplate, NoticeSettings, Preference, Robot


def robot(org, receiver, path, kind, secret="", **extra):
    return Robot.objects.create(
        organisation=org, kind=kind, name=f"{kind}群", url=f"{receiver.url}{path}", secret=secret, **extra
    )


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs the after-commit callbacks (huey is immediate in tests, so messages go out)."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


EVENT = {
    "title": "2024年统战工作座谈会",
    "date": "2024年5月8日 14:30",
    "place": "行政楼三楼会议室",
    "url": "/events/m/7/",
}


@pytest.mark.django_db
def test_dingtalk_robot_gets_a_signed_markdown_announcement(org, receiver, run_on_commit, settings):
    settings.TONGXIN_BASE_URL = "https://tongxin.example.edu.cn"
    receiver.secrets["/dingtalk"] = ("dingtalk", "SEC0123456789abcdef")
    robot(org, receiver, "/dingtalk?access_token=abc", "dingtalk", secret="SEC0123456789abcdef")

    run_on_commit(services.announce, org, key="event.published", context=EVENT)

    [(path, query, payload, signed)] = receiver.requests
    assert (path, query["access_token"], signed) == ("/dingtalk", "abc", True)
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "2024年统战工作座谈会"
    assert payload["markdown"]["text"] == (
        "【新活动】2024年统战工作座谈会\n\n时间：2024年5月8日 14:30\n\n地点：行政楼三楼会议室\n\n"
        "详情与报名：https://tongxin.example.edu.cn/events/m/7/"
    )
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.django_db
def test_feishu_robot_gets_a_signed_text_message(org, receiver, run_on_commit):
    receiver.secrets["/feishu"] = ("feishu", "feishu-secret")
    receiver.responses["/feishu"] = [(200, {"code": 0, "msg": "success"})]
    robot(org, receiver, "/feishu", "feishu", secret="feishu-secret")

    run_on_commit(
        services.announce, org, key="deadline", context={"title": "五个一材料", "date": "12月20日", "url": "/x/"}
    )

    [(_, _, payload, signed)] = receiver.requests
    assert signed is True
    assert payload["msg_type"] == "text"
    assert payload["content"]["text"].startswith("【截止提醒】五个一材料将于12月20日截止")
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.django_db
def test_a_wrong_signing_secret_is_refused_and_logged(org, receiver, run_on_commit):
    receiver.secrets["/dingtalk"] = ("dingtalk", "the-right-secret")
    robot(org, receiver, "/dingtalk", "dingtalk", secret="a-wrong-secret")

    run_on_commit(services.announce, org, key="event.published", context=EVENT)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.last_error == "机器人拒绝：310000 sign not match"


@pytest.mark.django_db
def test_wecom_robot_gets_markdown(org, receiver, run_on_commit):
    robot(org, receiver, "/wecom?key=k1", "wecom")
    run_on_commit(
        services.announce, org, key="study.published", context={"title": "学习条例", "date": "6月1日", "url": "/s/"}
    )
    [(_, query, payload, _)] = receiver.requests
    assert query == {"key": "k1"}
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["content"].startswith("【学习推送】学习条例\n请于6月1日前完成学习：")


@pytest.mark.django_db
def test_a_failed_delivery_is_retried_after_backoff_and_then_succeeds(org, receiver, run_on_commit, settings):
    settings.DELIVERY_RETRY_SECONDS = 60
    receiver.responses["/wecom"] = [(500, {"errmsg": "busy"})]
    robot(org, receiver, "/wecom", "wecom")
    before = timezone.now()

    run_on_commit(services.announce, org, key="event.published", context=EVENT)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.RETRYING, 1, "HTTP 500")
    wait = delivery.next_attempt_at - before
    assert timedelta(seconds=60) <= wait < timedelta(seconds=65)

    assert services.send_due(now=before + timedelta(seconds=30)) == {}  # backoff not over: nothing sent
    assert len(receiver.requests) == 1
    services.send_due(now=delivery.next_attempt_at + timedelta(seconds=1))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.SENT, 2, "")
    assert receiver.paths() == ["/wecom", "/wecom"]


@pytest.mark.django_db
def test_backoff_doubles_and_gives_up_after_the_maximum(org, receiver, run_on_commit, settings, client, ufd_staff):
    settings.DELIVERY_RETRY_SECONDS = 60
    settings.DELIVERY_MAX_ATTEMPTS = 3
    receiver.responses["/wecom"] = [(503, {})] * 3
    robot(org, receiver, "/wecom", "wecom")
    run_on_commit(services.announce, org, key="event.published", context=EVENT)
    delivery = Delivery.objects.get()
    first_retry = delivery.next_attempt_at
    services.send_due(now=first_retry)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == first_retry + timedelta(seconds=120)  # 1 min, then 2 min
    services.send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)

    # UFD staff see the failure in the delivery log and send it again.
    client.force_login(ufd_staff)
    page = client.get(reverse("notifications:deliveries")).content.decode()
    assert "有 1 条消息发送失败" in page and "HTTP 503" in page
    with_commit = client.post(reverse("notifications:delivery-retry", args=[delivery.pk]))
    assert with_commit.status_code == 302
    services.send_due()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(receiver.requests) == 4


@pytest.mark.django_db
def test_redirects_are_never_followed(org, receiver, run_on_commit):
    receiver.responses["/moved"] = [(302, "/elsewhere")]
    robot(org, receiver, "/moved", "wecom")
    run_on_commit(services.announce, org, key="event.published", context=EVENT)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert "重定向" in delivery.last_error
    assert receiver.paths() == ["/moved"]


@pytest.mark.django_db
def test_an_unreachable_robot_fails_quickly(org, run_on_commit, settings):
    settings.WEBHOOK_TIMEOUT = 1
    Robot.objects.create(organisation=org, kind="wecom", name="坏地址", url="http://127.0.0.1:9/hook")
    run_on_commit(services.announce, org, key="event.published", context=EVENT)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.last_error.startswith("无法连接")


@pytest.mark.django_db
def test_inactive_and_personal_only_robots_get_no_announcements(org, receiver, run_on_commit):
    robot(org, receiver, "/off", "wecom", active=False)
    robot(org, receiver, "/personal", "wecom", announcements=False, personal=True)
    run_on_commit(services.announce, org, key="event.published", context=EVENT)
    assert receiver.requests == []


@pytest.mark.django_db
def test_publishing_an_event_posts_to_the_group_robot(org, receiver, run_on_commit, ufd_staff):
    robot(org, receiver, "/wecom", "wecom")
    event = EventFactory(organisation=org, status=Event.Status.DRAFT, title="民主党派成员学习交流会")
    run_on_commit(event_services.publish_event, event, by=ufd_staff)
    [(_, _, payload, _)] = receiver.requests
    assert payload["markdown"]["content"].startswith("【新活动】民主党派成员学习交流会\n时间：")


# --- Templates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["{title.__class__}", "{title[0]}", "{title!r}", "{title:>10}", "{0}", "{title", "{secret}"]
)
def test_templates_allow_only_known_plain_placeholders(text):
    with pytest.raises(messages.TemplateError):
        messages.check(text, "event.published")


def test_rendering_never_reaches_into_objects():
    assert messages.render("{title.__class__}|{title}|{{x}}", {"title": "座谈会"}) == "|座谈会|{x}"


@pytest.mark.django_db
def test_staff_preview_then_save_a_template(client, ufd_staff, org):
    client.force_login(ufd_staff)
    client.get(reverse("notifications:templates"))
    template = MessageTemplate.objects.get(organisation=org, key="event.published")
    url = reverse("notifications:template-edit", args=[template.pk])

    response = client.post(url, {"text": "新活动《{title}》{date}，地点{place}", "preview": "1"})
    assert "新活动《2024年统战工作座谈会》2024年5月8日 14:30，地点行政楼三楼会议室" in response.content.decode()
    template.refresh_from_db()
    assert template.text.startswith("【新活动】")  # a preview saves nothing

    response = client.post(url, {"text": "{title.__init__}"})
    assert "占位符只能是 {名称} 形式" in response.content.decode()

    client.post(url, {"text": "新活动《{title}》"})
    template.refresh_from_db()
    assert template.text == "新活动《{title}》"


@pytest.mark.django_db
def test_robot_form_accepts_http_and_https_only_and_keeps_the_secret(client, ufd_staff, org):
    client.force_login(ufd_staff)
    data = {"kind": "dingtalk", "name": "统战成员群", "secret": "SECabc", "announcements": "on", "active": "on"}
    for bad in ["ftp://oapi.dingtalk.com/robot/send", "javascript:alert(1)", "file:///etc/passwd", "http://u:p@host/x"]:
        response = client.post(reverse("notifications:robot-create"), data | {"url": bad})
        assert response.status_code == 200
        assert "地址须以 http:// 或 https:// 开头" in response.content.decode()
    assert not Robot.objects.exists()
    client.post(
        reverse("notifications:robot-create"), data | {"url": "https://oapi.dingtalk.com/robot/send?access_token=t"}
    )
    saved = Robot.objects.get()
    client.post(
        reverse("notifications:robot-edit", args=[saved.pk]), data | {"url": saved.url, "secret": "", "name": "新名"}
    )
    saved.refresh_from_db()
    assert (saved.name, saved.secret) == ("新名", "SECabc")
    assert "SECabc" not in client.get(reverse("notifications:robot-edit", args=[saved.pk])).content.decode()


# --- Preferences, quiet hours, digest --------------------------------------------------------


@pytest.mark.django_db
def test_preferences_choose_channels_per_kind(org, member, run_on_commit, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    member.email = "m@example.edu.cn"
    member.save()
    Preference.objects.create(user=member, kind="event", email=False)

    run_on_commit(services.notify, [member], organisation=org, title="活动邀请", email=True, kind="event")
    run_on_commit(services.notify, [member], organisation=org, title="答复", email=True, kind="proposal")
    run_on_commit(services.notify, [member], organisation=org, title="站内而已", email=False, kind="proposal")

    assert [m.subject for m in mail.outbox] == ["【同心】答复"]
    assert member.notifications.count() == 3  # in-app always


@pytest.mark.django_db
def test_personal_notice_mentions_the_member_on_wecom(org, member, receiver, run_on_commit):
    from people.models import Person

    Person.objects.filter(user=member).update(name="张建言", phone="13912345678")
    robot(org, receiver, "/wecom", "wecom", announcements=False, personal=True)
    Preference.objects.create(user=member, kind="fiveones", email=False, wecom=True)

    run_on_commit(
        services.notify, [member], organisation=org, title="五个一提醒", url="/f/", email=True, kind="fiveones"
    )

    [(_, _, payload, _)] = receiver.requests
    assert payload["msgtype"] == "text"
    assert payload["text"]["mentioned_mobile_list"] == ["13912345678"]
    assert payload["text"]["content"].startswith("张建言老师，您在同心平台有一条新通知")


def test_quiet_hours_across_midnight():
    tz = timezone.get_current_timezone()
    prefs = NoticeSettings(quiet_start=time(22, 0), quiet_end=time(7, 0))
    at = lambda h, m=0, d=10: datetime(2026, 3, d, h, m, tzinfo=tz)  # noqa: E731
    assert services.quiet_until(prefs, at(23, 30)) == at(7, 0, d=11)
    assert services.quiet_until(prefs, at(6, 59)) == at(7, 0)
    assert services.quiet_until(prefs, at(7, 0)) is None
    assert services.quiet_until(prefs, at(12)) is None
    assert services.quiet_until(NoticeSettings(quiet_start=time(12), quiet_end=time(14)), at(13)) == at(14)


@pytest.mark.django_db
def test_mail_in_quiet_hours_waits_until_they_end(org, member, run_on_commit, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    member.email = "m@example.edu.cn"
    member.save()
    now = timezone.localtime()
    start = (now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    NoticeSettings.objects.create(user=member, quiet_start=start, quiet_end=end)

    run_on_commit(services.notify, [member], organisation=org, title="催办", email=True)
    assert mail.outbox == []
    delivery = Delivery.objects.get()
    services.send_due(now=delivery.next_attempt_at)
    assert [m.subject for m in mail.outbox] == ["【同心】催办"]
    assert timedelta(minutes=50) < delivery.next_attempt_at - now <= timedelta(hours=1)


@pytest.mark.django_db
def test_daily_digest_replaces_single_mails(org, member, run_on_commit, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    member.email = "m@example.edu.cn"
    member.save()
    NoticeSettings.objects.create(user=member, daily_digest=True)
    run_on_commit(services.notify, [member], organisation=org, title="活动邀请", email=True)
    run_on_commit(services.notify, [member], organisation=org, title="答复已发布", email=True)
    assert mail.outbox == []

    from django.core.management import call_command

    with pytest.MonkeyPatch.context():
        run_on_commit(call_command, "send_digest")
    [digest] = mail.outbox
    assert digest.subject == "【同心】每日通知摘要（2 条）"
    assert "· 活动邀请" in digest.body and "· 答复已发布" in digest.body
    run_on_commit(services.send_digests)
    assert len(mail.outbox) == 1  # nothing new since: no second mail


@pytest.mark.django_db
def test_preferences_page_saves_the_table(client, member, org):
    client.force_login(member)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert "member" in response.content.decode().split('<body class="', 1)[1][:10]
    client.post(
        reverse("notifications:preferences"),
        {
            "event__email": "on",
            "event__dingtalk": "on",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
    )
    assert services.preferences_for(member)["event"] == {"email": True, "wecom": False, "dingtalk": True}
    assert services.preferences_for(member)["study"] == {"email": False, "wecom": False, "dingtalk": False}
    row = NoticeSettings.objects.get(user=member)
    assert (row.quiet_start, row.quiet_end, row.daily_digest) == (time(22), time(7), False)
    response = client.post(reverse("notifications:preferences"), {"quiet_start": "22:00"})
    assert "免打扰时段需同时填写开始和结束时间" in response.content.decode()


@pytest.mark.django_db
def test_delivery_log_is_bounded_and_per_organisation(client, ufd_staff, org, other_org, django_assert_max_num_queries):
    now = timezone.now()
    Delivery.objects.create(organisation=other_org, channel="email", subject="别家", text="x", next_attempt_at=now)
    client.force_login(ufd_staff)

    def page():
        with django_assert_max_num_queries(12):
            response = client.get(reverse("notifications:deliveries"))
        assert response.status_code == 200
        return response.content.decode()

    Delivery.objects.create(
        organisation=org, channel="email", user=ufd_staff, subject="一条", text="x", next_attempt_at=now
    )
    assert "一条" in page() and "别家" not in page()
    Delivery.objects.bulk_create(
        [
            Delivery(
                organisation=org, channel="email", user=ufd_staff, subject=f"第{i}条", text="x", next_attempt_at=now
            )
            for i in range(60)
        ]
    )
    assert "第59条" in page()
