"""Browser walk of 系统对接 (/integrations/) as the system admin (issue 17): create a token, see it
once, see it listed (prefix only) and working against /api/v1/; add a webhook endpoint and see its
signing secret once. Desktop and 375 px."""

import json
import urllib.request

import pytest

from conftest import log_in, shot, submit
from integrations.models import IntegrationToken, WebhookEndpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _api_get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310  (the live server)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_sysadmin_creates_a_token_and_a_webhook(live_server, request, viewport, sysadmin, ufd_staff):
    page = request.getfixturevalue(viewport)
    log_in(page, live_server.url, "sysadmin")
    page.goto(f"{live_server.url}/integrations/")
    assert page.inner_text("#token-table tbody") == "还没有接口令牌。"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # A token: a name, its scopes; shown once on the answer page.
    page.fill("#token-form input[name=name]", "学校OA")
    page.check("#token-form input[name=scopes][value='plans:read']")
    page.check("#token-form input[name=scopes][value='events:read']")
    submit(page, "#token-form button[type=submit]")
    shot(page, f"integrations-{viewport}-token-created")
    assert "令牌“学校OA”已创建" in page.inner_text("#new-token")
    value = page.inner_text("#token-value").strip()
    assert value.startswith("txk_")
    row = page.inner_text("#token-table tbody tr")
    assert "学校OA" in row
    assert "读取工作要点" in row
    assert "有效" in row
    assert value[:10] in row  # the prefix only …
    assert value not in page.inner_text("#token-table")  # … never the whole token in the list

    # The token shown works against the API; the list page never shows it again.
    assert _api_get(f"{live_server.url}/api/v1/plans", value)["count"] == 0
    page.goto(f"{live_server.url}/integrations/")
    assert page.locator("#new-token").count() == 0
    assert value not in page.content()
    assert "学校OA" in page.inner_text("#token-table tbody")
    token = IntegrationToken.objects.get()
    assert (token.name, token.scopes) == ("学校OA", ["plans:read", "events:read"])

    # A webhook endpoint: its signing secret is shown once.
    page.fill("#endpoint-form input[name=name]", "数据中心")
    page.fill("#endpoint-form input[name=url]", "https://dc.example.edu.cn/hooks/tongxin")
    page.check("#endpoint-form input[name=event_types][value='item.overdue']")
    page.check("#endpoint-form input[name=event_types][value='event.held']")
    submit(page, "#endpoint-form button[type=submit]")
    shot(page, f"integrations-{viewport}-webhook-added")
    assert "Webhook 地址“数据中心”已添加" in page.inner_text("#new-secret")
    secret = page.inner_text("#secret-value").strip()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == secret
    row = page.inner_text("#endpoint-table tbody tr")
    assert "数据中心" in row and "https://dc.example.edu.cn/hooks/tongxin" in row
    assert "任务逾期" in row and "活动已举办" in row
    page.goto(f"{live_server.url}/integrations/")
    assert secret not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
