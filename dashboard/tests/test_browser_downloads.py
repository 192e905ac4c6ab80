"""Chromium saves downloads under their Chinese names (it ignored the RFC 2047 header and saved
`download.xlsx` before)."""

import re

import pytest

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["page", "phone"])
def test_registry_downloads_keep_their_chinese_names(live_server, request, device, ufd_staff, person):
    browser_page = request.getfixturevalue(device)
    log_in(browser_page, live_server.url, "ufd")

    browser_page.goto(live_server.url + "/people/import/")
    with browser_page.expect_download() as template:
        browser_page.click("a[href$='/people/import/template/']")
    browser_page.goto(live_server.url + "/people/returned/")
    with browser_page.expect_download() as returned:
        browser_page.click("a[href$='/people/returned/export/']")

    assert template.value.suggested_filename == "统战对象导入模板.xlsx"
    assert re.fullmatch(r"留学回国人员明细清单-\d{8}-\d{4}\.xlsx", returned.value.suggested_filename)
