"""Tables on a phone and on a desktop: the first data row is visible and no header sits over it; a
table wider than a phone scrolls inside itself, never the page; the staff menu shows every entry.

Checked in Chromium at 375 px and at 1280 px on the pages where users found rows hidden: the home
page, 留学回国人员, 督办, 本部门任务, the audit log, and the registry import's problem table."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import log_in, shot, submit
from core import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For every table with a header and a row: where the header ends, where the first row starts, and
# whether the point in the middle of the first row's first cell belongs to that row (not to the header).
TABLES = """() => [...document.querySelectorAll('table')].flatMap((table) => {
  const th = table.querySelector('thead th');
  const td = table.querySelector('tbody tr td');
  if (!th || !td) return [];
  td.scrollIntoView({block: 'center'});
  const head = th.getBoundingClientRect(), cell = td.getBoundingClientRect();
  const hit = document.elementFromPoint(cell.left + Math.min(cell.width / 2, 20), cell.top + cell.height / 2);
  return [{id: table.id, headBottom: head.bottom, rowTop: cell.top, rowWidth: cell.width,
           rowOnTop: !!hit && td.contains(hit) || hit === td}];
})"""
NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def workload(org, ufd_department, student_department, ufd_staff, liaison, auditor, person):
    """Enough to fill every table: returned scholars, a published plan with overdue and due-soon
    items led and supported by the liaison's department, audit lines."""
    from people.models import Category, PersonCategory, StudyAbroad
    from people.tests.factories import PersonFactory
    from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory

    for n, country in enumerate(["英国", "日本", "澳大利亚"]):
        scholar = PersonFactory(organisation=org, name=f"留学{n}号", department=ufd_department)
        PersonCategory.objects.create(person=scholar, category=Category.RETURNED_SCHOLAR)
        StudyAbroad.objects.create(person=scholar, country_region=country, institution="某某大学", degree="博士")
    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan, title="以政治建设为统领，加强统一战线工作")
    today = timezone.localdate()
    for n, due in enumerate([today - timedelta(days=10), today + timedelta(days=3), date(today.year, 12, 31)]):
        item = ItemFactory(
            plan=plan,
            section=section,
            title=f"持续强化政治引领，组织党外人士专题学习{n}",
            lead_department=student_department,
            due_date=due,
        )
        item.support_departments.add(ufd_department)
    audit.record("login", user=ufd_staff, organisation=org)
    return plan


@pytest.fixture
def tablet(browser):
    """A narrow desktop window (800 px): the side menu stays, wide tables must scroll inside themselves."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 800, "height": 900})
    yield context.new_page()
    context.close()


PAGES = {
    "ufd": ["/", "/people/returned/", "/plans/supervision/", "/people/"],
    "liaison": ["/plans/my-department/"],
    "auditor": ["/accounts/audit/"],
}


def _check_tables(page, where: str) -> int:
    tables = page.evaluate(TABLES)
    for table in tables:
        assert table["headBottom"] <= table["rowTop"] + 1, f"{where}: header over the first row {table}"
        assert table["rowOnTop"], f"{where}: first row covered {table}"
        assert table["rowWidth"] >= 30, f"{where}: a column squeezed to one character {table}"
    assert page.evaluate(NO_PAGE_SCROLL), f"{where}: the page scrolls sideways"
    return len(tables)


@pytest.mark.parametrize("device", ["phone", "tablet", "page"])
def test_first_rows_are_visible_and_pages_do_not_scroll_sideways(live_server, request, device, workload):
    browser_page = request.getfixturevalue(device)
    seen = 0
    for username, paths in PAGES.items():
        browser_page.context.clear_cookies()
        log_in(browser_page, live_server.url, username)
        for path in paths:
            browser_page.goto(live_server.url + path)
            seen += _check_tables(browser_page, f"{username} {path} ({device})")
            shot(browser_page, f"tables-{username}{path.replace('/', '-')}{device}")
    assert seen >= 6  # the returned list, supervision (several), the registry, my department, the audit log


def test_staff_menu_shows_every_entry_on_a_phone(live_server, phone, workload):
    log_in(phone, live_server.url, "ufd")

    width = phone.evaluate("document.documentElement.clientWidth")
    links = phone.locator(".sidenav a")
    labels = links.all_inner_texts()
    assert labels[:6] == ["首页", "工作要点", "督办", "统战对象", "活动", "建言献策"]
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"menu entry {labels[i]} cut off"
        assert box["height"] >= 32  # a finger-sized target
    brand = phone.locator(".topbar .brand").bounding_box()
    assert brand["height"] < 40  # the brand stays on one line
    assert phone.evaluate(NO_PAGE_SCROLL)


def test_import_problems_are_all_visible_on_a_desktop(live_server, page, workload, tmp_path, ufd_department):
    from people.imports import HEADERS
    from people.tests.xlsx import workbook_bytes

    def line(**values):
        return [values.get(h, "") for h in HEADERS]

    path = tmp_path / "名单.xlsx"
    path.write_bytes(
        workbook_bytes(
            [line(姓名="王五", 工号="T3", 所在部门="火星学院"), line(姓名="赵六", 工号="T4", 出生年月="1980-13")]
        )
    )
    log_in(page, live_server.url, "ufd")
    page.goto(live_server.url + "/people/import/")
    page.set_input_files("input[name=file]", str(path))
    submit(page, "text=上传并检查")

    assert "发现 2 处问题" in page.locator("main").inner_text()
    rows = page.locator("#import-problems tbody tr")
    assert rows.count() == 2
    _check_tables(page, "import problems")
    head = page.locator("#import-problems thead").bounding_box()
    for i in range(2):
        row = rows.nth(i).bounding_box()
        assert row["y"] >= head["y"] + head["height"] - 1, f"problem row {i + 1} hidden under the header"
    assert [r.split("\t")[0] for r in rows.all_inner_texts()] == ["第2行", "第3行"]
    shot(page, "tables-import-problems-desktop")
