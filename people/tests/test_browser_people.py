"""Browser flows of the registry (Playwright + Chromium against the live server)."""

import io

import pytest
from openpyxl import load_workbook

from conftest import log_in, shot, submit
from people.models import Party, PartyMembership, Person
from people.tests.factories import PersonFactory
from people.tests.xlsx import workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def line(**values):
    from people.imports import HEADERS

    return [values.get(h, "") for h in HEADERS]


def test_member_edits_their_phone_on_a_phone_and_staff_approve(live_server, phone, page, member, ufd_staff):
    log_in(phone, live_server.url, "member")
    phone.click(".tabbar >> text=我的")
    phone.click("text=修改我的信息")
    assert phone.get_attribute("input[name=phone]", "type") == "tel"
    phone.fill("input[name=phone]", "13800001111")
    submit(phone, "button:has-text('提交审核')")
    assert "正在等待统战部审核" in phone.locator("#pending-change").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "people-member-change-375")
    assert Person.objects.get(user=member).phone != "13800001111"

    log_in(page, live_server.url, "ufd")
    page.click(".sidenav >> text=统战对象")
    page.click(".subnav >> text=信息变更审核")
    row = page.locator("#pending-changes tbody tr").first
    assert "张建言" in row.inner_text() and "138****1111" in row.inner_text()
    with page.expect_navigation():
        row.locator("button:has-text('通过')").click()
    assert "已通过 张建言 的修改申请" in page.locator(".messages").inner_text()
    shot(page, "people-change-approved")
    person = Person.objects.get(user=member)
    assert person.phone == "13800001111"
    assert person.history.filter(note="本人申请，审核通过").exists()

    phone.goto(f"{live_server.url}/people/me/")
    assert phone.locator("#my-phone").inner_text() == "13800001111"


def test_staff_import_with_one_bad_row_sees_the_error_and_nothing_is_saved(
    live_server, page, ufd_staff, ufd_department, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "名单.xlsx"
    path.write_bytes(
        workbook_bytes(
            [
                line(姓名="张三", 工号="T1", 所在部门="统战部"),
                line(姓名="李四", 工号="T2", 出生年月="1980-13"),
                line(姓名="王五", 工号="T3"),
            ]
        )
    )
    log_in(page, live_server.url, "ufd")
    page.click(".sidenav >> text=统战对象")
    page.click("text=批量导入")
    page.set_input_files("input[name=file]", str(path))
    submit(page, "button:has-text('上传并检查')")
    alert = page.locator("[role=alert]")
    assert "发现 1 处问题，未保存任何数据" in alert.inner_text()
    rows = page.locator("#import-problems tbody tr").all_inner_texts()
    assert len(rows) == 1
    assert "第3行" in rows[0] and "出生年月" in rows[0] and "1980-13" in rows[0]
    assert page.locator("button:has-text('确认导入')").count() == 0
    shot(page, "people-import-error")
    assert Person.objects.count() == 0


def test_staff_import_good_file_runs_the_job_with_a_progress_page(
    live_server, page, ufd_staff, ufd_department, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "名单.xlsx"
    path.write_bytes(workbook_bytes([line(姓名="张三", 工号="T1", 所在部门="统战部"), line(姓名="李四", 工号="T2")]))
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("input[name=file]", str(path))
    submit(page, "button:has-text('上传并检查')")
    assert page.locator("#new-count").inner_text() == "2"
    submit(page, "button:has-text('确认导入')")
    page.wait_for_selector("text=导入完成：新增 2 人，更新 0 人。")
    shot(page, "people-import-done")
    assert sorted(Person.objects.values_list("name", flat=True)) == ["张三", "李四"]


def test_staff_filter_by_jiusan_and_export(live_server, page, ufd_staff, org):
    jiusan = PersonFactory(organisation=org, name="九三成员", phone="13912345678")
    PartyMembership.objects.create(person=jiusan, party=Party.JIUSAN)
    PartyMembership.objects.create(person=PersonFactory(organisation=org, name="民盟成员"), party=Party.MINMENG)
    log_in(page, live_server.url, "ufd")
    page.click(".sidenav >> text=统战对象")
    page.select_option("select[name=party]", label="九三学社")
    submit(page, "button:has-text('筛选')")
    names = page.locator("table.table tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["九三成员"]
    shot(page, "people-filter-jiusan")
    with page.expect_download() as download_info:
        page.click("text=导出 Excel（联系方式脱敏）")
    data = download_info.value.path().read_bytes()
    values = [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]
    assert values[1][0].startswith("导出人：")
    assert [r[1] for r in values[3:]] == ["九三成员"]
    assert "139****5678" in values[3] and "13912345678" not in str(values)
