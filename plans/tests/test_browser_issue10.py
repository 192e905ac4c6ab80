"""Issue 10's plan defects as a user meets them in the browser, desktop and 375 px phone."""

import datetime

import pytest

from conftest import log_in, make_user, shot, submit
from core import jobs
from orgs.models import Role
from orgs.tests.factories import DepartmentFactory
from plans import services
from plans.models import Item, ItemEvent, PlanImport
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["page", "phone"])
def screen(request):
    return request.getfixturevalue(request.param), request.param


def test_item_edit_keeps_the_due_date(live_server, screen, ufd_staff, item):
    page, kind = screen
    Item.objects.filter(pk=item.pk).update(due_date=datetime.date(item.plan.year, 6, 30))
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/plans/items/{item.pk}/edit/")
    assert page.locator("input[name=due_date]").input_value() == f"{item.plan.year}-06-30"
    page.fill("input[name=title]", "改了标题")
    shot(page, f"issue10-item-edit-{kind}")
    submit(page, "button:has-text('保存')")
    assert "任务已保存" in page.locator(".messages").inner_text()
    assert f"{item.plan.year}年6月30日" in page.locator(".facts").inner_text()
    item.refresh_from_db()
    assert (item.title, item.due_date) == ("改了标题", datetime.date(item.plan.year, 6, 30))


def test_job_page_polls_then_goes_to_the_review(live_server, page, ufd_staff, org):
    job = jobs.create_job("解析工作要点", user=ufd_staff, organisation=org, total=1)
    record = PlanImport.objects.create(organisation=org, created_by=ufd_staff, job=job, parsed=None)
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert "解析工作要点" in page.locator(".job").inner_text()
    record.parsed = {"title": "测试", "sections": [], "warnings": []}
    record.save()
    jobs.finish_job(job.pk, result={"url": f"/plans/import/{record.pk}/", "redirect": True})
    page.wait_for_url(f"**/plans/import/{record.pk}/", timeout=10_000)
    assert "核对导入结果" in page.locator("h1").inner_text()


@pytest.fixture(params=["page", "phone"])
def table_screen(request):
    return request.getfixturevalue(request.param), request.param


def test_supervision_urges_several_and_warns_about_missing_liaisons(
    live_server, table_screen, ufd_staff, org, liaison, student_department
):
    page, kind = table_screen
    finance = DepartmentFactory(organisation=org, name="财务处")
    year = datetime.date.today().year
    plans = [
        PlanFactory(organisation=org, title=f"{year}年统战工作要点"),
        PlanFactory(organisation=org, title="修订稿"),
    ]
    past = datetime.date.today() - datetime.timedelta(days=4)
    for plan, lead in zip(plans, [student_department, finance], strict=True):
        ItemFactory(plan=plan, section=SectionFactory(plan=plan), title="开展调研", lead_department=lead, due_date=past)
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/plans/supervision/")
    assert page.locator(".sidenav a.active").all_inner_texts() == ["督办"]
    overdue = page.locator("#overdue")
    assert overdue.locator("tbody tr").count() == 2
    labels = overdue.locator(".plan-label").all_inner_texts()
    assert any(t.startswith(f"{year}年统战工作要点") for t in labels)
    assert any(t.startswith(f"{year}年 修订稿") for t in labels)
    assert overdue.locator(".no-liaison").count() == 1
    shot(page, f"issue10-supervision-before-{kind}")
    for box in overdue.locator("input[name=items]").all():
        box.evaluate("e => e.scrollIntoView({block: 'center'})")  # as a user scrolls it into view
        box.check()
    shot(page, f"issue10-supervision-{kind}")
    submit(page, "#overdue button:has-text('催办所选')")
    text = page.locator(".messages").inner_text()
    assert "已催办 2 项任务，通知了 1 位联络员。" in text
    assert "以下部门没有联络员，催办未能送达：财务处" in text
    assert ItemEvent.objects.filter(kind="urged").count() == 2
    shot(page, f"issue10-urged-{kind}")


def test_accepting_with_unmet_targets_asks_for_a_reason(
    live_server, screen, ufd_staff, liaison, org, student_department
):
    page, kind = screen
    plan = PlanFactory(organisation=org)
    item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=student_department)
    TargetFactory(item=item, text="召开1次座谈会", count=1)
    services.post_report(item, by=liaison, text="已办结", closing=True)
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/plans/items/{item.pk}/")
    assert "0/1（0%）" in page.locator(".facts").inner_text()
    assert "召开1次座谈会（0/1）" in page.locator("#accept-form").inner_text()
    submit(page, "#accept-form button:has-text('同意销号')")
    assert "请勾选确认并填写理由" in page.locator(".messages").inner_text()
    page.check("input[name=unmet_confirmed]")
    page.fill("textarea[name=unmet_reason]", "座谈会改为书面征求意见")
    shot(page, f"issue10-accept-unmet-{kind}")
    submit(page, "#accept-form button:has-text('同意销号')")
    assert "已销号" in page.locator(".messages").inner_text()
    assert "已完成" in page.locator(".facts").inner_text()
    assert "0/1（0%）" in page.locator(".facts").inner_text()
    assert "理由：座谈会改为书面征求意见" in page.locator(".timeline").inner_text()


def test_liaison_menu_highlights_only_my_department(live_server, phone, liaison, item):
    log_in(phone, live_server.url, "liaison")
    phone.goto(f"{live_server.url}/plans/my-department/")
    assert phone.locator(".sidenav a.active").all_inner_texts() in (["本部门任务"], [])
    assert phone.locator("a[aria-current=page]").count() == 1


def test_owner_list_offers_the_lead_departments_staff(live_server, page, ufd_staff, liaison, item, org, person):
    second = make_user(org, Role.LIAISON, "sa2", [item.lead_department])
    second.name = "周学工"
    second.save()
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/plans/items/{item.pk}/edit/")
    options = page.locator("select[name=owner] option").all_inner_texts()
    assert sorted(o for o in options if o.strip("-").strip()) == sorted([liaison.name or "liaison", "周学工"])
    page.select_option("select[name=owner]", label="周学工")
    submit(page, "button:has-text('保存')")
    assert "周学工" in page.locator(".facts").inner_text()


def test_unconfirmed_imports_can_be_resumed_or_discarded(live_server, screen, ufd_staff, org):
    page, kind = screen
    parsed = {"title": "2026年统战工作要点", "sections": [], "warnings": []}
    waiting = PlanImport.objects.create(
        organisation=org, created_by=ufd_staff, source_name="工作要点.docx", year=2026, parsed=parsed
    )
    PlanImport.objects.create(organisation=org, created_by=ufd_staff, source_name="扫描件.pdf", error="没有文字层")
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/plans/")
    assert page.title().startswith("工作要点 ·")
    box = page.locator("#pending-imports")
    assert "未确认的导入（2）" in box.locator("h2").inner_text()
    shot(page, f"issue10-pending-imports-{kind}")
    row = box.locator("tr", has_text="扫描件.pdf")
    with page.expect_navigation():
        row.locator("button:has-text('放弃')").click()
    assert "已放弃导入“扫描件.pdf”" in page.locator(".messages").inner_text()
    page.locator("#pending-imports a:has-text('继续核对')").click()
    page.wait_for_url(f"**/plans/import/{waiting.pk}/")
    assert "核对导入结果" in page.locator("h1").inner_text()


def test_a_second_plan_of_the_year_asks_first(live_server, page, ufd_staff, org, seed_departments, seed_text):
    PlanFactory(organisation=org, year=2023, title="职业技术学院2023年统战工作要点")
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/plans/import/")
    page.fill("textarea[name=text]", seed_text)
    submit(page, "button:has-text('开始解析')")
    page.wait_for_url("**/plans/import/*/")
    assert "2023 年已有已发布的工作要点" in page.locator("main").inner_text()
    submit(page, "button:has-text('确认导入')")
    assert "请确认两份都保留" in page.locator(".field .error").first.inner_text()
    page.check("input[name=head-existing][value=keep]")
    page.fill("input[name=head-title]", "职业技术学院2023年统战工作要点（修订稿）")
    shot(page, "issue10-second-plan")
    submit(page, "button:has-text('确认导入')")
    assert "已导入“职业技术学院2023年统战工作要点（修订稿）”" in page.locator(".messages").inner_text()
