"""Each role looks at its home page on a desktop (1280 px) and on a phone (375 px), checks what it
shows and follows a link or an action from it. Screenshots: test-artifacts/home-<role>-<width>.png."""

import pytest
from django.utils import timezone

from conftest import log_in, shot, submit
from dashboard.tests.test_home_pages import (
    build_leader_world,
    build_liaison_world,
    build_member_world,
    build_staff_world,
)
from events.models import Event, Registration
from orgs.tests.factories import DepartmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def tile_number(page, tile_id: str) -> str:
    return page.locator(f"#{tile_id} strong").inner_text()


def test_ufd_staff_home(live_server, page, phone, org, ufd_staff, ufd_department):
    build_staff_world(org, ufd_staff, ufd_department)
    for viewport, width in ((page, 1280), (phone, 375)):
        log_in(viewport, live_server.url, "ufd")
        assert viewport.locator("main h1").first.inner_text() == "工作台"
        assert tile_number(viewport, "tile-closing") == "1"
        assert tile_number(viewport, "tile-submitted") == "2"
        assert tile_number(viewport, "tile-items-overdue") == "1"
        assert "本月座谈会" in viewport.locator("#month-events").inner_text()
        assert "共 4 项任务，已完成 1 项" in viewport.locator("#plan-progress").inner_text()
        shot(viewport, f"home-ufd-{width}")
    # The "waiting for 立案" tile opens the suggestions filtered to that status.
    page.click("#tile-submitted")
    page.wait_for_url("**/proposals/?status=submitted")
    assert page.locator("main h1").first.inner_text().startswith("建言献策")
    assert page.locator("select[name=status]").input_value() == "submitted"


def test_liaison_home(live_server, page, phone, org, liaison, student_department):
    build_liaison_world(org, student_department, DepartmentFactory(organisation=org, name="教务处"))
    for viewport, width in ((page, 1280), (phone, 375)):
        log_in(viewport, live_server.url, "liaison")
        assert viewport.locator("main h1").first.inner_text() == "本部门工作"
        items = viewport.locator("#department-items").inner_text()
        assert "学生党外骨干培训" in items and "民族团结进校园" in items
        assert "别的部门的任务" not in items
        assert "宿舍热水建议" in viewport.locator("#department-proposals").inner_text()
        shot(viewport, f"home-liaison-{width}")
    page.click("#department-items >> text=学生党外骨干培训")
    page.wait_for_url("**/plans/items/**")
    assert "学生党外骨干培训" in page.locator("main h1").first.inner_text()


def test_member_home_registers_for_an_invitation(live_server, page, phone, org, member):
    build_member_world(org, member.person)
    log_in(page, live_server.url, "member")
    assert "张建言，您好" in page.locator("#greeting").inner_text()
    assert "新春座谈会0" in page.locator("#invitations").inner_text()
    shot(page, "home-member-1280")

    log_in(phone, live_server.url, "member")
    tabs = [t.rstrip("0123456789") for t in phone.locator(".tabbar a").all_inner_texts()]
    assert tabs == ["首页", "活动", "建言", "学习", "我的"]  # PRODUCT.md: the member tab bar
    assert phone.locator(".m-notices .unread-count").inner_text() == "5"
    assert "新春座谈会0" in phone.locator("#invitations").inner_text()
    assert "已报名的学习会0" in phone.locator("#upcoming").inner_text()
    assert "我的建言0" in phone.locator("#suggestions").inner_text()
    assert phone.locator("#unread .notice-link").count() == 3
    assert no_sideways_scroll(phone)
    shot(phone, "home-member-375")
    submit(phone, "#invitations button:has-text('报名参加')")
    assert "报名成功" in phone.locator(".messages").inner_text()
    event = Event.objects.get(title="新春座谈会0")
    assert Registration.objects.get(event=event, person=member.person).status == Registration.Status.REGISTERED
    phone.click(".tabbar >> text=首页")
    phone.wait_for_url(f"{live_server.url}/")
    assert "新春座谈会0" not in phone.locator("#invitations").inner_text()
    assert "新春座谈会0" in phone.locator("#upcoming").inner_text()


def test_leader_home_and_read_only_events(live_server, page, phone, org, leader, ufd_department):
    build_leader_world(org, ufd_department)
    for viewport, width in ((page, 1280), (phone, 375)):
        log_in(viewport, live_server.url, "leader")
        assert viewport.locator("main h1").first.inner_text() == "统战工作概览"
        assert tile_number(viewport, "tile-progress") == "60%"
        assert tile_number(viewport, "tile-events") == "2"
        assert tile_number(viewport, "tile-proposals") == "2/3"
        assert "党委统战部" in viewport.locator("#department-progress").inner_text()
        shot(viewport, f"home-leader-{width}")
    page.click("#tile-events")
    page.wait_for_url("**/events/?status=held*")
    rows = page.locator("#event-table tbody tr")
    assert rows.count() == 2
    assert page.locator("text=新建活动").count() == 0
    rows.first.locator("a").first.click()
    page.wait_for_url("**/events/*/")
    assert page.locator(".event-actions").count() == 0
    assert page.locator("text=删除活动").count() == 0
    assert timezone.localdate().strftime("%Y") in page.locator("main h1").inner_text()
    shot(page, "leader-event-detail-1280")
