"""Browser flows of the channels: UFD staff add a signed DingTalk robot and send a test message to
a local receiver (it fails once, is retried, then arrives); a member chooses channels and quiet
hours on a phone."""

from datetime import timedelta

import pytest

from conftest import log_in, shot, submit
from notifications import services
from notifications.models import Delivery, NoticeSettings
from notifications.tests.receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_add_a_signed_robot_and_see_a_failed_test_retried(live_server, page, ufd_staff):
    base = live_server.url
    with Receiver() as receiver:
        receiver.secrets["/robot/send"] = ("dingtalk", "SECbrowser")
        receiver.responses["/robot/send"] = [(502, {})]
        log_in(page, base, "ufd")
        page.click(".sidenav >> text=消息推送")
        page.click("text=添加机器人")
        page.select_option("select[name=kind]", "dingtalk")
        page.fill("input[name=name]", "统战成员群")
        page.fill("input[name=url]", "ftp://example.org/x")
        submit(page, "button:has-text('保存')")
        assert "地址须以 http:// 或 https:// 开头" in page.locator("#robot-form").inner_text()
        page.fill("input[name=url]", f"{receiver.url}/robot/send?access_token=t1")
        page.fill("input[name=secret]", "SECbrowser")
        submit(page, "button:has-text('保存')")
        row = page.locator("#robot-table tbody tr").first
        assert "统战成员群" in row.inner_text() and "已设置" in row.inner_text()
        shot(page, "notifications-robots")

        submit(page, "button:has-text('发送测试')")
        row = page.locator("#delivery-table tbody tr").first
        assert "等待重试" in row.inner_text() and "HTTP 502" in row.inner_text()
        delivery = Delivery.objects.get()
        services.send_due(now=delivery.next_attempt_at + timedelta(seconds=1))  # the periodic sender, later
        page.reload()
        row = page.locator("#delivery-table tbody tr").first
        assert "已发送" in row.inner_text()
        shot(page, "notifications-deliveries")
        assert [(path, signed) for path, _, _, signed in receiver.requests] == [("/robot/send", True)] * 2
        assert receiver.requests[1][2]["markdown"]["text"].endswith("这是一条测试消息，收到即表示配置正确。")

        page.click("text=消息模板")
        page.click("#template-table >> text=编辑")
        page.fill("textarea[name=text]", "新活动：{title}（{date}）")
        submit(page, "button:has-text('预览')")
        assert (
            page.locator("#template-preview pre").inner_text() == "新活动：2024年统战工作座谈会（2024年5月8日 14:30）"
        )
        shot(page, "notifications-template-preview")


def test_member_chooses_channels_and_quiet_hours_on_a_phone(live_server, phone, member):
    log_in(phone, live_server.url, "member")
    phone.click(".m-notices")  # 通知 sits in the top bar; the tab bar has 学习
    phone.click("#notice-settings")
    phone.check("input[name=event__dingtalk]")
    phone.uncheck("input[name=study__email]")
    phone.fill("input[name=quiet_start]", "22:00")
    phone.fill("input[name=quiet_end]", "07:00")
    submit(phone, "button:has-text('保存设置')")
    assert "通知设置已保存" in phone.locator(".messages").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "notifications-preferences-375")
    prefs = services.preferences_for(member)
    assert prefs["event"]["dingtalk"] is True and prefs["study"]["email"] is False
    assert str(NoticeSettings.objects.get(user=member).quiet_start) == "22:00:00"
