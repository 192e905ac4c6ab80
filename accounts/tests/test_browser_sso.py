"""Browser walks of single sign-on (issue 17): the user clicks "统一身份认证登录", signs in at the
test CAS server or OIDC provider (in-process, loopback), lands on the home page; logging out ends
the provider's session too. Desktop and 375 px."""

import pytest

from accounts import sso
from accounts.tests.sso_providers import PASSWORD, CASServer, OIDCProvider
from conftest import make_user, shot, submit
from orgs.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_discovery():
    sso._cache.clear()
    yield
    sso._cache.clear()


@pytest.fixture
def teacher(org):
    user = make_user(org, Role.UFD_STAFF, "wangls")
    user.name, user.staff_number = "王老师", "T1001"
    user.save()
    return user


def sign_in_at_provider(page, username):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "button[type=submit]")


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_sign_in_through_cas_and_out_again(live_server, request, settings, viewport, teacher):
    browser_page = request.getfixturevalue(viewport)
    with CASServer({"T1001": {"name": ["王老师"]}}) as cas:
        settings.CAS_SERVER_URL = cas.url
        browser_page.goto(f"{live_server.url}/accounts/login/")
        shot(browser_page, f"sso-cas-{viewport}-login")
        assert browser_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        submit(browser_page, "#sso-cas")
        assert browser_page.url.startswith(f"{cas.url}/login?service=")
        sign_in_at_provider(browser_page, "T1001")
        assert browser_page.url == f"{live_server.url}/"
        assert "王老师" in browser_page.inner_text(".who")
        shot(browser_page, f"sso-cas-{viewport}-home")

        with browser_page.expect_navigation(url=f"{live_server.url}/accounts/login/"):
            browser_page.click("button:has-text('退出')")
        assert cas.logged_out == [f"{live_server.url}/accounts/login/"]
        browser_page.goto(f"{live_server.url}/")
        assert browser_page.url.startswith(f"{live_server.url}/accounts/login/")


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_sign_in_through_oidc_and_out_again(live_server, request, settings, viewport, teacher):
    browser_page = request.getfixturevalue(viewport)
    users = {"T1001": {"preferred_username": "T1001", "name": "王老师"}}
    with OIDCProvider(users) as oidc:
        settings.OIDC_ISSUER = oidc.issuer
        settings.OIDC_CLIENT_ID = oidc.CLIENT_ID
        settings.OIDC_CLIENT_SECRET = oidc.CLIENT_SECRET
        browser_page.goto(f"{live_server.url}/accounts/login/")
        submit(browser_page, "#sso-oidc")
        assert browser_page.url.startswith(f"{oidc.url}/authorize?")
        sign_in_at_provider(browser_page, "T1001")
        assert browser_page.url == f"{live_server.url}/"
        assert "王老师" in browser_page.inner_text(".who")
        shot(browser_page, f"sso-oidc-{viewport}-home")

        with browser_page.expect_navigation(url=f"{live_server.url}/accounts/login/"):
            browser_page.click("button:has-text('退出')")
        assert [e["post_logout_redirect_uri"] for e in oidc.ended] == [f"{live_server.url}/accounts/login/"]


def test_local_password_refused_for_staff_when_admins_only(live_server, page, settings, teacher, sysadmin):
    settings.LOCAL_LOGIN = "admins"
    settings.CAS_SERVER_URL = "http://127.0.0.1:9"  # shown, never contacted in this test
    page.goto(f"{live_server.url}/accounts/login/")
    assert "本地密码登录仅限系统管理员、安全管理员和审计管理员" in page.inner_text("main")
    page.fill("input[name=username]", "wangls")
    page.fill("input[name=password]", "Secret-pass-123")
    submit(page, "form button[type=submit]")
    assert "请使用统一身份认证登录" in page.inner_text(".form-errors")
    page.fill("input[name=username]", "sysadmin")
    page.fill("input[name=password]", "Secret-pass-123")
    submit(page, "form button[type=submit]")
    assert page.url == f"{live_server.url}/"
