"""Browser flows of the issue-11 account controls: enrolling a second factor at first login, signing
in with a recovery code, seeing and ending another session; desktop and 375 px."""

import pytest

from accounts import totp
from conftest import log_in, shot, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _two_factors(settings):
    settings.TWO_FACTOR_REQUIRED = True


def enrol_and_keep_a_code(page, name):
    """On the enrolment page: read the manual key, type the current code, keep one recovery code."""
    assert page.url.endswith("/accounts/2fa/setup/")
    assert page.locator(".qr-box svg").is_visible()
    key = page.locator("#manual-key").inner_text().replace(" ", "")
    shot(page, f"security-{name}-setup")
    page.fill("input[name=code]", totp.code_at(key))
    submit(page, "button:has-text('完成设置')")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert "两步验证已启用" in page.inner_text("main")
    shot(page, f"security-{name}-codes")
    return codes[0]


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_staff_enrol_at_first_login_then_sign_in_with_a_recovery_code(live_server, request, viewport, ufd_staff):
    browser_page = request.getfixturevalue(viewport)
    log_in(browser_page, live_server.url, "ufd")
    code = enrol_and_keep_a_code(browser_page, viewport)
    submit(browser_page, "text=我已保存，继续")
    assert browser_page.url == f"{live_server.url}/"
    assert browser_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    browser_page.context.clear_cookies()
    log_in(browser_page, live_server.url, "ufd")
    assert browser_page.url.endswith("/accounts/2fa/verify/")
    shot(browser_page, f"security-{viewport}-verify")
    browser_page.fill("input[name=code]", "000000")
    submit(browser_page, "button:has-text('验证')")
    assert "验证码不正确或已使用过" in browser_page.inner_text("main")
    browser_page.fill("input[name=code]", code)
    submit(browser_page, "button:has-text('验证')")
    assert browser_page.url == f"{live_server.url}/"


def test_a_user_ends_their_session_on_another_device(live_server, page, phone, leader, settings):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(phone, live_server.url, "leader")
    log_in(page, live_server.url, "leader")
    page.click("text=账号安全")
    rows = page.locator(".session-list tbody tr")
    assert rows.count() == 2
    assert "当前会话" in page.locator(".session-list tr.current").inner_text()
    shot(page, "security-sessions")
    with page.expect_navigation():
        page.locator(".session-list tbody tr:not(.current) button:has-text('结束')").click()
    assert "已结束该会话" in page.inner_text(".messages")
    assert page.locator(".session-list tbody tr").count() == 1

    phone.goto(f"{live_server.url}/")
    assert "/accounts/login/" in phone.url


def test_the_security_admin_resets_a_second_factor(live_server, page, ufd_staff, secadmin, settings):
    from django.utils import timezone

    from accounts.models import AccountSecurity

    settings.TWO_FACTOR_REQUIRED = False
    AccountSecurity.objects.update_or_create(
        user=ufd_staff, defaults={"totp_secret": totp.new_secret(), "totp_confirmed_at": timezone.now()}
    )
    log_in(page, live_server.url, "secadmin")
    page.goto(f"{live_server.url}/accounts/security/roles/{ufd_staff.pk}/")
    page.click("text=两步验证与登录会话")
    assert "已启用" in page.inner_text("main")
    shot(page, "security-admin-user")
    submit(page, "button:has-text('重置两步验证')")
    assert "已重置" in page.inner_text(".messages")
    assert "未启用" in page.inner_text("main")
    assert AccountSecurity.objects.get(user=ufd_staff).has_totp is False
