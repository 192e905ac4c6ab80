"""The plan flow as users click it: import the seed, confirm, publish; a liaison reports."""

import datetime

import pytest

from conftest import log_in, shot, submit
from plans.models import Item, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_import_confirm_publish_and_liaison_reports(
    live_server, page, ufd_staff, seed_departments, seed_text, hr_liaison, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    this_year = datetime.date.today().year
    log_in(page, live_server.url, "ufd")
    page.click(".sidenav >> text=工作要点")
    page.click("text=导入工作要点")
    page.fill("textarea[name=text]", seed_text)
    submit(page, "button:has-text('开始解析')")  # the job page goes on to the review by itself
    page.wait_for_url("**/plans/import/*/")
    assert "4 个部分，16 项任务" in page.locator("h1").inner_text()
    page.fill("input[name=head-year]", str(this_year))  # track it as this year's plan
    shot(page, "plan-review")
    submit(page, "button:has-text('确认导入')")
    assert page.locator(".plan-section").count() == 4
    assert page.locator(".plan-section tbody tr").count() == 16
    row10 = page.locator(".plan-section tbody tr", has_text="关心留学回国人员")
    assert "人事劳资处" in row10.inner_text()
    row13 = page.locator(".plan-section tbody tr", has_text="做好少数民族学生管理工作")
    assert "教务处、团委、各二级学院部" in row13.inner_text()
    submit(page, "button:has-text('发布并通知各部门')")
    assert "已发布" in page.locator(".messages").inner_text()
    shot(page, "plan-detail")

    page.context.clear_cookies()
    log_in(page, live_server.url, "hr-liaison")
    page.click(".sidenav >> text=本部门任务")
    page.click("text=关心留学回国人员")
    page.fill("textarea[name=text]", "已更新留学回国人员明细清单。")
    image = tmp_path / "photo.png"
    image.write_bytes(PNG)
    page.set_input_files("input[name=files]", str(image))
    submit(page, "button:has-text('报送')")
    assert "推进中" in page.locator(".facts").inner_text()
    assert "photo.png" in page.locator(".evidence").inner_text()
    shot(page, "item-reported")
    item = Item.objects.get(number=10, plan=Plan.objects.get())
    assert item.status == Item.Status.IN_PROGRESS


def test_the_traffic_light_goes_yellow_then_red(live_server, page, ufd_staff, item):
    today = datetime.date.today()
    log_in(page, live_server.url, "ufd")
    for days, light in [(30, "绿灯"), (5, "黄灯"), (-1, "红灯")]:
        Item.objects.filter(pk=item.pk).update(due_date=today + datetime.timedelta(days=days))
        page.goto(f"{live_server.url}/plans/items/{item.pk}/")
        assert page.locator(".facts .light").inner_text() == light
    shot(page, "item-red")
