"""Issue 10, defect 10 in a browser: the language switch turns the interface into English — a UFD
staff member on a desktop, a member on a 375 px phone (switch below the page, above the tab bar),
and the login page. Screenshots: test-artifacts/english-<who>-<width>.png."""

import pytest
from django.utils import translation

from conftest import log_in, shot, submit
from dashboard.tests.test_home_pages import build_member_world, build_staff_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    yield
    translation.activate("zh-hans")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_staff_switches_to_english_on_desktop(live_server, page, org, ufd_staff, ufd_department):
    build_staff_world(org, ufd_staff, ufd_department)
    log_in(page, live_server.url, "ufd")
    assert page.locator("main h1").first.inner_text() == "工作台"
    submit(page, ".sidenav .language button[value=en]")
    assert page.locator("main h1").first.inner_text() == "Workbench"
    nav = page.locator(".sidenav").inner_text()
    for label in ("Home", "Work plans", "Supervision", "People", "Events", "Suggestions"):
        assert label in nav
    assert "Needs my action" in page.locator("main").inner_text()
    assert "UFD staff" in page.locator(".topbar").inner_text()
    shot(page, "english-ufd-1280")
    # The choice sticks (cookie): the account security page is English too; and back to Chinese.
    page.click("text=Account security")
    assert page.locator("main h1").first.inner_text() == "Account security"
    submit(page, ".sidenav .language button[value=zh-hans]")
    assert page.locator("main h1").first.inner_text() == "账号安全"


def test_member_switches_to_english_on_a_phone(live_server, phone, org, member):
    build_member_world(org, member.person)
    log_in(phone, live_server.url, "member")
    submit(phone, ".m-language button[value=en]")
    main = phone.locator("main").inner_text()
    assert "Invitations awaiting your reply" in main and "Unread notifications" in main
    tabs = phone.locator(".tabbar").inner_text()
    for label in ("Home", "Events", "Suggestions", "Study", "Me"):
        assert label in tabs
    assert no_sideways_scroll(phone)
    shot(phone, "english-member-375")
    phone.click(".m-notices")
    assert "Mark all as read" in phone.locator("main").inner_text()
    assert no_sideways_scroll(phone)
    shot(phone, "english-notifications-375")


def test_login_page_in_english(live_server, phone):
    phone.goto(f"{live_server.url}/accounts/login/")
    submit(phone, ".language button[value=en]")
    assert phone.locator(".login-box h1").inner_text().startswith("Tongxin")
    assert phone.locator("button[type=submit].primary").inner_text() == "Log in"
    shot(phone, "english-login-375")
