"""A large plan's tree shows every section's figures but loads a section's items when it is
opened (htmx), so the page does not render every item at once (issue 16)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from plans import views
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_inline(monkeypatch):
    monkeypatch.setattr(views, "PLAN_TREE_INLINE", 3)


def _plan(org, department, in_first, in_second):
    plan = PlanFactory(organisation=org)
    first, second = SectionFactory(plan=plan, title="队伍建设"), SectionFactory(plan=plan, title="服务大局")
    overdue = date.today() - timedelta(days=3)
    for i in range(in_first):
        ItemFactory(plan=plan, section=first, lead_department=department, title=f"甲{i:03d}", progress=40)
    for i in range(in_second):
        ItemFactory(plan=plan, section=second, lead_department=department, title=f"乙{i:03d}", due_date=overdue)
    return plan, first, second


def test_a_large_plan_shows_sections_closed_with_their_figures(
    client, ufd_staff, org, student_department, small_inline
):
    plan, first, _second = _plan(org, student_department, 3, 2)
    client.force_login(ufd_staff)
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲000" not in body and "乙000" not in body  # no rows until a section is opened
    assert f'hx-get="{reverse("plans:section", args=[plan.pk, first.pk])}"' in body
    assert "3 项 · 平均进度 40%" in body and "2 项 · 平均进度 0%" in body
    assert response.context["total"] == 5
    # 3 × 40 + 2 × 0 over 5 items = 24 %; the two of the second section are overdue.
    assert response.context["progress"] == 24
    assert dict((key, n) for _label, key, n in response.context["summary"])["overdue"] == 2


def test_opening_a_section_fetches_its_rows(client, ufd_staff, org, student_department, small_inline):
    plan, first, _second = _plan(org, student_department, 3, 2)
    client.force_login(ufd_staff)
    url = reverse("plans:section", args=[plan.pk, first.pk])
    rows = client.get(url, headers={"HX-Request": "true"})
    assert rows.status_code == 200
    body = rows.content.decode()
    assert body.count("<tr") == 3 and "甲002" in body and "乙000" not in body and "<html" not in body
    page = client.get(url)  # without JavaScript: a page of its own
    assert page.status_code == 200 and "<html" in page.content.decode() and "甲000" in page.content.decode()
    other = PlanFactory(organisation=org)
    assert client.get(reverse("plans:section", args=[other.pk, first.pk])).status_code == 404


def test_a_small_plan_still_shows_every_item(client, ufd_staff, org, student_department):
    plan, _first, _second = _plan(org, student_department, 3, 2)
    client.force_login(ufd_staff)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "甲000" in body and "乙001" in body and "hx-get" not in body


@pytest.mark.parametrize("inline", [True, False])
def test_plan_tree_and_section_queries_do_not_grow(
    client, ufd_staff, org, student_department, django_assert_max_num_queries, monkeypatch, inline
):
    monkeypatch.setattr(views, "PLAN_TREE_INLINE", 1000 if inline else 0)
    plan, first, _second = _plan(org, student_department, 1, 1)
    client.force_login(ufd_staff)
    detail, section = reverse("plans:detail", args=[plan.pk]), reverse("plans:section", args=[plan.pk, first.pk])
    with django_assert_max_num_queries(30) as one:
        assert client.get(detail).status_code == 200
    with django_assert_max_num_queries(30) as one_section:
        assert client.get(section, headers={"HX-Request": "true"}).status_code == 200
    for i in range(30):
        ItemFactory(plan=plan, section=first, lead_department=student_department, title=f"丙{i:03d}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(detail)
    assert response.status_code == 200 and response.context["total"] == 32
    assert ("丙029" in response.content.decode()) is inline
    with django_assert_max_num_queries(len(one_section.captured_queries)):
        response = client.get(section, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "丙029" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_opening_a_closed_section_in_the_browser_loads_its_items(live_server, page, ufd_staff, org, student_department):
    from conftest import log_in

    views.PLAN_TREE_INLINE, inline = 3, views.PLAN_TREE_INLINE
    try:
        plan, _first, _second = _plan(org, student_department, 3, 2)
        log_in(page, live_server.url, "ufd")
        page.goto(f"{live_server.url}{reverse('plans:detail', args=[plan.pk])}")
        section = page.locator("details.section-items").first
        assert section.locator("tbody tr").count() == 0
        section.locator("summary").click()
        # htmx fills the rows in; where its file is not installed, the link opens the section's own page.
        section.locator("a", has_text="打开本部分").click()
        page.wait_for_url(f"**{reverse('plans:section', args=[plan.pk, _first.pk])}")
        assert "甲002" in page.locator("tbody").inner_text()
    finally:
        views.PLAN_TREE_INLINE = inline
