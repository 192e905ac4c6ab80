"""催办 several items at once from 督办, and a warning when a department has no liaison
(issue 10, "also expected" and defect 14)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from notifications.models import Notification
from orgs.tests.factories import DepartmentFactory
from plans.models import ItemEvent
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory
from plans.views import SUPERVISION_PAGE


@pytest.fixture
def overdue_items(org, student_department, ufd_department):
    """Three overdue items: two led by 学生工作处 (has the `liaison`), one by 财务处 (no liaison)
    and supported by 统战部 (no liaison either)."""
    finance = DepartmentFactory(organisation=org, name="财务处")
    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan)
    past = timezone.localdate() - timedelta(days=5)
    a = ItemFactory(plan=plan, section=section, lead_department=student_department, due_date=past, title="甲任务")
    b = ItemFactory(plan=plan, section=section, lead_department=student_department, due_date=past, title="乙任务")
    c = ItemFactory(plan=plan, section=section, lead_department=finance, due_date=past, title="丙任务")
    c.support_departments.add(ufd_department)
    return a, b, c


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_urging_several_items_at_once(client, ufd_staff, liaison, overdue_items):
    a, b, c = overdue_items
    client.force_login(ufd_staff)
    response = client.post(reverse("plans:urge-many"), {"items": [a.pk, b.pk, c.pk], "note": "请本周内报送"})
    assert response.url == reverse("plans:supervision")
    assert ItemEvent.objects.filter(kind="urged", note="请本周内报送").count() == 3
    assert AuditEvent.objects.filter(object_type="plans.item", changes__urged=["", "请本周内报送"]).count() == 3
    assert Notification.objects.filter(user=liaison, title__startswith="催办").count() == 2
    assert _messages(response) == [
        "已催办 3 项任务，通知了 2 位联络员。",
        "以下部门没有联络员，催办未能送达：财务处、党委统战部。请在部门管理中为其指定联络员，或电话催办。",
    ]


@pytest.mark.django_db
def test_the_row_button_urges_only_its_item(client, ufd_staff, liaison, overdue_items):
    a, b, _c = overdue_items
    client.force_login(ufd_staff)
    client.post(reverse("plans:urge-many"), {"items": [a.pk, b.pk], "only": b.pk})
    assert list(ItemEvent.objects.filter(kind="urged").values_list("item_id", flat=True)) == [b.pk]


@pytest.mark.django_db
def test_urging_a_department_without_liaison_warns_instead_of_notified_0(client, ufd_staff, overdue_items):
    c = overdue_items[2]
    client.force_login(ufd_staff)
    response = client.post(reverse("plans:item-urge", args=[c.pk]), {"note": ""})
    messages = _messages(response)
    assert not any("通知了 0 位" in m for m in messages)
    assert messages == [
        "以下部门没有联络员，催办未能送达：财务处、党委统战部。请在部门管理中为其指定联络员，或电话催办。"
    ]


@pytest.mark.django_db
def test_nothing_ticked_is_refused(client, ufd_staff, overdue_items):
    client.force_login(ufd_staff)
    response = client.post(reverse("plans:urge-many"), {"note": "x"})
    assert _messages(response) == ["请先勾选要催办的任务。"]
    assert not ItemEvent.objects.filter(kind="urged").exists()


@pytest.mark.django_db
def test_other_organisations_items_cannot_be_urged(client, ufd_staff, other_org):
    plan = PlanFactory(organisation=other_org)
    foreign = ItemFactory(plan=plan, section=SectionFactory(plan=plan))
    client.force_login(ufd_staff)
    client.post(reverse("plans:urge-many"), {"items": [foreign.pk]})
    assert not ItemEvent.objects.filter(kind="urged").exists()


@pytest.mark.django_db
def test_supervision_marks_departments_without_liaison_and_offers_checkboxes(client, ufd_staff, liaison, overdue_items):
    a, _b, c = overdue_items
    client.force_login(ufd_staff)
    response = client.get(reverse("plans:supervision"))
    overdue = next(b for b in response.context["boards"] if b["key"] == "overdue")
    flags = {i.title: (i.lead_without_liaison, i.support_without_liaison) for i in overdue["items"]}
    assert flags == {"甲任务": (False, ""), "乙任务": (False, ""), "丙任务": (True, "党委统战部")}
    body = response.content.decode()
    # 丙任务's lead (财务处) and support (党委统战部) are marked, on both boards it is on (overdue,
    # and no report for 30 days).
    assert body.count('<span class="badge grey no-liaison">无联络员</span>') == 4
    assert f'name="items" value="{a.pk}"' in body and f'name="items" value="{c.pk}"' in body
    assert "催办所选" in body


@pytest.mark.django_db
def test_supervision_queries_are_bounded(client, ufd_staff, org, student_department, django_assert_max_num_queries):
    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan)
    past = timezone.localdate() - timedelta(days=5)
    ItemFactory(plan=plan, section=section, lead_department=student_department, due_date=past)
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(40) as one:
        assert client.get(reverse("plans:supervision")).status_code == 200
    for _ in range(SUPERVISION_PAGE - 1):  # a full page
        ItemFactory(plan=plan, section=section, lead_department=student_department, due_date=past)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("plans:supervision"))
    assert len(next(b for b in response.context["boards"] if b["key"] == "overdue")["items"]) == SUPERVISION_PAGE


@pytest.mark.django_db
def test_urging_an_item_without_departments_says_nobody_was_told(client, ufd_staff, org):
    plan = PlanFactory(organisation=org)
    item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=None)
    client.force_login(ufd_staff)
    response = client.post(reverse("plans:urge-many"), {"items": [item.pk]})
    assert _messages(response) == ["已记录催办，但没有可通知的联络员（任务未指定牵头或配合部门）。"]
