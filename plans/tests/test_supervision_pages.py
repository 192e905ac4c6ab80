"""督办 a page of each board at a time (issue 16: a large college has hundreds of items overdue)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory
from plans.views import SUPERVISION_PAGE


def _overdue(org, department, n):
    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan)
    past = timezone.localdate() - timedelta(days=5)
    return [
        ItemFactory(plan=plan, section=section, lead_department=department, due_date=past, title=f"逾期任务{i:03d}")
        for i in range(n)
    ]


def _board(response, key):
    return next(b for b in response.context["boards"] if b["key"] == key)


@pytest.mark.django_db
def test_supervision_shows_a_page_of_each_board_and_counts_them_all(client, ufd_staff, org, student_department):
    _overdue(org, student_department, SUPERVISION_PAGE + 10)
    client.force_login(ufd_staff)
    response = client.get(reverse("plans:supervision"))
    assert response.status_code == 200
    assert len(_board(response, "overdue")["items"]) == SUPERVISION_PAGE
    body = response.content.decode()
    assert f"已逾期（{SUPERVISION_PAGE + 10}）" in body
    assert f"第 1 / 2 页，共 {SUPERVISION_PAGE + 10} 条" in body
    # The next page keeps the other boards' pages in the link.
    second = client.get(reverse("plans:supervision"), {"quiet": "2", "overdue": "2"})
    assert len(_board(second, "overdue")["items"]) == 10
    assert second.context["boards"][0]["items"][0].title == f"逾期任务{SUPERVISION_PAGE:03d}"
    assert 'href="?quiet=2&amp;overdue=1#overdue"' in second.content.decode()


@pytest.mark.django_db
def test_supervision_queries_do_not_grow_with_a_page_of_items(
    client, ufd_staff, org, student_department, django_assert_max_num_queries
):
    _overdue(org, student_department, 1)
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(40) as one:
        assert client.get(reverse("plans:supervision")).status_code == 200
    _overdue(org, student_department, 2 * SUPERVISION_PAGE)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("plans:supervision"))
    assert response.status_code == 200
    assert "逾期任务000" in response.content.decode()
    assert len(_board(response, "overdue")["items"]) == SUPERVISION_PAGE


@pytest.mark.django_db
@pytest.mark.parametrize("many", [False, True])
def test_supervision_sizes_every_board_in_one_query(
    client, ufd_staff, org, student_department, django_assert_max_num_queries, many
):
    """Each board's rule counted as before, all four sizes in one query: session, user, membership,
    the departments with a liaison, the sizes, a page of each of the four boards, support
    departments, targets, milestones and the unread notices: 13 queries with 1 or 40 rows a board."""
    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan)
    today = timezone.localdate()
    now = timezone.now()
    n = 40 if many else 1

    def make(count, **fields):
        for _ in range(count):
            ItemFactory(plan=plan, section=section, lead_department=student_department, **fields)

    make(n, due_date=today - timedelta(days=5))  # overdue, and quiet (never reported)
    make(n, due_date=today + timedelta(days=3), last_report_at=now)  # due soon only
    make(n, due_date=today + timedelta(days=60), last_report_at=now, closing_requested_at=now)  # closing only
    make(1, due_date=today - timedelta(days=5), accepted_at=now)  # accepted: on no board
    make(1, due_date=today - timedelta(days=5), targets_met=True, last_report_at=now)  # targets met: none
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("plans:supervision"))
    sizes = {board["key"]: board["page"].paginator.count for board in response.context["boards"]}
    assert sizes == {"overdue": n, "due_soon": n, "quiet": n, "closing": n}
    body = response.content.decode()
    assert f"已逾期（{n}）" in body and f"待审核办结报告（{n}）" in body
    assert len(_board(response, "overdue")["items"]) == min(n, SUPERVISION_PAGE)
