"""Browser flows: members on a phone (invitation → register → waiting list → promotion → QR
check-in) and staff on a desktop (create, publish, htmx check-in from the attendance list)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import log_in, shot, submit
from events import services
from events.models import Event, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open_notification(page, base, title):
    page.goto(f"{base}{reverse('notifications:list')}")
    page.locator(".notice-link", has_text=title).first.click()


def test_phone_invitation_registration_waiting_list_promotion_and_qr_check_in(
    live_server, browser, phone, org, ufd_staff, member, make_member
):
    base = live_server.url
    second = make_member("李候补")
    start = timezone.now() + timedelta(hours=1)
    event = services.create_event(
        org,
        by=ufd_staff,
        data={
            "title": "统战工作座谈会",
            "type": "symposium",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "place": "行政楼301会议室",
            "capacity": 1,
            "audience_people": [member.person, second],
        },
    )
    services.publish_event(event, by=ufd_staff)
    phone.on("dialog", lambda dialog: dialog.accept())

    # The first member finds the invitation among the notifications and registers.
    log_in(phone, base, "member")
    _open_notification(phone, base, "活动邀请：统战工作座谈会")
    assert phone.url.endswith(f"/events/m/{event.pk}/")
    _no_horizontal_scroll(phone)
    submit(phone, "button:has-text('报名参加')")
    assert "报名成功" in phone.locator(".messages").inner_text()
    shot(phone, "events-member-registered-375")

    # The second member, on another phone, gets the waiting list.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    other = context.new_page()
    log_in(other, base, second.user.username)
    _open_notification(other, base, "活动邀请：统战工作座谈会")
    submit(other, "button:has-text('报名候补')")
    assert "候补第 1 位" in other.locator("#my-status").inner_text()
    _no_horizontal_scroll(other)
    shot(other, "events-member-waiting-375")

    # The first member cancels before the event: the second is promoted and told.
    submit(phone, "button:has-text('取消报名')")
    assert "已取消报名" in phone.locator(".messages").inner_text()
    _open_notification(other, base, "您已由候补转为正式报名")
    assert "已报名" in other.locator("#my-status").inner_text()

    # At the venue the second member scans the QR code and checks in.
    other.goto(f"{base}{reverse('events:m-checkin', args=[event.pk, event.checkin_token])}")
    _no_horizontal_scroll(other)
    submit(other, "#checkin-button")
    assert "签到成功" in other.locator(".messages").inner_text()
    assert "已签到" in other.locator("#checkin-state").inner_text()
    shot(other, "events-member-checked-in-375")
    registration = Registration.objects.get(event=event, person=second)
    assert registration.status == "registered"
    assert registration.checked_in_at is not None
    assert Registration.objects.get(event=event, person=member.person).status == "cancelled"

    # A forged token shows nothing and checks nobody in.
    response = other.goto(f"{base}{reverse('events:m-checkin', args=[event.pk, 'forged-token'])}")
    assert response.status == 404
    context.close()


def test_staff_create_publish_and_check_in_from_the_list(live_server, page, org, ufd_staff, member):
    base = live_server.url
    log_in(page, base, "ufd")
    page.click(".sidenav >> text=活动")
    page.click("text=新建活动")
    day = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%d")
    page.fill("input[name=title]", "党外知识分子学习会")
    page.select_option("select[name=type]", "study")
    page.fill("input[name=starts_at]", f"{day}T14:30")
    page.fill("input[name=ends_at]", f"{day}T16:30")
    page.fill("input[name=place]", "图书馆报告厅")
    page.select_option("select[name=audience_people]", label="张建言")
    submit(page, "button:has-text('保存')")
    submit(page, "button:has-text('发布并邀请')")
    assert "已发布，已邀请 1 人" in page.locator(".messages").inner_text()
    event = Event.objects.get(title="党外知识分子学习会")
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "14:30"
    page.wait_for_function("() => { const i = document.querySelector('img.qr'); return i && i.complete; }")
    assert page.locator("img.qr").evaluate("img => img.naturalWidth > 0")
    shot(page, "events-staff-detail")

    registration = services.register(event, person=member.person, by=member)
    page.click("text=签到管理")
    row = page.locator(f"#reg-{registration.pk}")
    row.locator("button:has-text('签到')").click()
    row.locator("text=已签到").wait_for()
    registration.refresh_from_db()
    assert registration.checked_in_by == ufd_staff
    shot(page, "events-staff-attendance")
