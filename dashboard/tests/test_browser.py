"""Browser tests: Playwright drives Debian's Chromium against the live server.

Screenshots land in test-artifacts/ (not committed)."""

import pytest

from conftest import log_in, shot, submit
from orgs.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


HOME_MARK = {
    Role.UFD_STAFF: (
        "工作台",
        [
            "首页",
            "工作要点",
            "督办",
            "统战对象",
            "活动",
            "建言献策",
            "五个一",
            "学习推送",
            "宣传报道",
            "消息推送",
            "年度考核",
            "统战工作经费",
            "年度工作总结",
        ],
    ),
    Role.LIAISON: ("本部门工作", ["首页", "工作要点", "本部门任务", "联系对象", "交办件", "年度考核"]),
    Role.LEADER: (
        "统战工作概览",
        [
            "首页",
            "工作要点",
            "督办",
            "统战对象统计",
            "活动",
            "建言献策",
            "五个一",
            "学习完成情况",
            "宣传报道",
            "年度考核",
            "统战工作经费",
            "年度工作总结",
        ],
    ),
    Role.SYSADMIN: ("系统管理员", ["首页", "账号管理", "部门管理", "系统对接"]),
    Role.SECADMIN: ("安全管理员", ["首页", "角色分配", "安全策略"]),
    Role.AUDITADMIN: ("审计管理员", ["首页", "审计日志", "身份查询申请"]),
}


def test_each_role_logs_in_and_sees_its_home(live_server, page, personas):
    for role, (heading, nav) in HOME_MARK.items():
        page.context.clear_cookies()
        log_in(page, live_server.url, personas[role].username)
        assert page.locator("main h1").first.inner_text() == heading
        assert page.locator(".sidenav a").all_inner_texts() == nav
        shot(page, f"home-{role.value}")


def test_member_logs_in_on_a_phone_without_horizontal_scrolling(live_server, phone, member):
    log_in(phone, live_server.url, "member")
    assert "张建言，您好" in phone.locator("main").inner_text()
    assert phone.locator(".tabbar a").all_inner_texts() == ["首页", "活动", "建言", "学习", "我的"]
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "member-home-375")
    phone.click(".tabbar >> text=我的")
    assert phone.locator(".m-card h2").first.inner_text() == "张建言"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "member-profile-375")


def test_locked_out_login_shows_its_message(live_server, page, ufd_staff):
    for _ in range(5):
        log_in(page, live_server.url, "ufd", "Wrong-password-1")
    log_in(page, live_server.url, "ufd")
    assert "账号已锁定30分钟" in page.locator("[role=alert]").inner_text()
    shot(page, "login-locked")


def test_auditor_sees_the_logins_just_made(live_server, page, ufd_staff, auditor):
    log_in(page, live_server.url, "ufd")
    submit(page, "text=退出")
    log_in(page, live_server.url, "auditor")
    page.click("text=审计日志")
    rows = page.locator("table tbody tr").all_inner_texts()
    assert any("ufd" in r and "登录" in r for r in rows)
    assert any("auditor" in r and "登录" in r for r in rows)
    shot(page, "audit-log")


def test_staff_adds_a_person_through_the_form(live_server, page, ufd_staff, ufd_department):
    log_in(page, live_server.url, "ufd")
    page.click(".sidenav >> text=统战对象")
    page.click("text=添加统战对象")
    page.fill("input[name=name]", "林晓")
    page.fill("input[name=birth_month]", "1985.07")
    page.check("input[value=returned_scholar]")
    submit(page, "button:has-text('保存')")
    assert page.locator("main h1").inner_text().splitlines() == ["林晓", "留学回国人员"]
    assert "1985年7月" in page.locator(".facts").inner_text()
    shot(page, "person-detail")
