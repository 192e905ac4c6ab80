"""Browser tests: Playwright drives Debian's Chromium against the live server.

Screenshots land in test-artifacts/ (not committed)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from conftest import PASSWORD
from orgs.models import Role

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it with apt")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


HOME_MARK = {
    Role.UFD_STAFF: ("工作台", ["首页", "统战对象"]),
    Role.LIAISON: ("本部门工作", ["首页"]),
    Role.LEADER: ("统战工作概览", ["首页"]),
    Role.SYSADMIN: ("系统管理员", ["首页", "账号管理", "部门管理"]),
    Role.SECADMIN: ("安全管理员", ["首页", "角色分配", "安全策略"]),
    Role.AUDITADMIN: ("审计管理员", ["首页", "审计日志"]),
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
    assert phone.locator(".tabbar a").all_inner_texts() == ["首页", "我的"]
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "member-home-375")
    phone.click("text=我的")
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
    page.click("text=退出")
    log_in(page, live_server.url, "auditor")
    page.click("text=审计日志")
    rows = page.locator("table tbody tr").all_inner_texts()
    assert any("ufd" in r and "login" in r for r in rows)
    assert any("auditor" in r and "login" in r for r in rows)
    shot(page, "audit-log")


def test_staff_adds_a_person_through_the_form(live_server, page, ufd_staff, ufd_department):
    log_in(page, live_server.url, "ufd")
    page.click(".sidenav >> text=统战对象")
    page.click("text=添加统战对象")
    page.fill("input[name=name]", "林晓")
    page.fill("input[name=birth_month]", "1985.07")
    page.check("input[value=returned_scholar]")
    page.click("button:has-text('保存')")
    assert page.locator("main h1").inner_text() == "林晓"
    assert "1985年7月" in page.locator(".facts").inner_text()
    shot(page, "person-detail")
