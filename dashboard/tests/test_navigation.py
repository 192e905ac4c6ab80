"""The staff menu highlights exactly one entry: the page's own (issue 10, defect 13)."""

import pytest
from django.urls import reverse


def _active(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"] if item["active"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url_name", "label"),
    [
        ("ufd_staff", "plans:supervision", "督办"),
        ("leader", "plans:supervision", "督办"),
        ("liaison", "plans:my-department", "本部门任务"),
        ("ufd_staff", "plans:list", "工作要点"),
        ("liaison", "plans:list", "工作要点"),
        ("ufd_staff", "dashboard:home", "首页"),
    ],
)
def test_only_the_current_entry_is_highlighted(client, request, persona, url_name, label):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert _active(response) == [label]
    assert response.content.decode().count('aria-current="page"') == 1


@pytest.mark.django_db
def test_a_plan_page_highlights_plans(client, ufd_staff, org):
    from plans.tests.factories import PlanFactory

    plan = PlanFactory(organisation=org)
    client.force_login(ufd_staff)
    assert _active(client.get(reverse("plans:detail", args=[plan.pk]))) == ["工作要点"]


@pytest.mark.django_db
def test_unread_count_is_counted_per_request(client, ufd_staff, org):
    """The menu's addresses are reversed once per process, the unread count is not cached: a new
    notice shows on the next page, and a page counts it once however often it shows it."""
    from notifications.models import Notification

    client.force_login(ufd_staff)
    assert 'class="unread-count"' not in client.get(reverse("plans:supervision")).content.decode()
    Notification.objects.create(user=ufd_staff, organisation=org, title="新任务", body="请查收")
    response = client.get(reverse("plans:supervision"))
    assert '<span class="unread-count">1</span>' in response.content.decode()
    assert [item["url"] for item in response.context["nav_items"]][:2] == [reverse("dashboard:home"), "/plans/"]


@pytest.mark.django_db
def test_notices_are_counted_only_when_shown(rf, ufd_staff, django_assert_num_queries):
    """An HTMX fragment or a JSON answer renders no page frame and so runs no count."""
    from dashboard.navigation import navigation
    from orgs.models import Membership

    request = rf.get("/plans/")
    request.user = ufd_staff
    request.membership = Membership.objects.select_related("organisation").get(user=ufd_staff)
    with django_assert_num_queries(0):
        context = navigation(request)
    assert [item["label"] for item in context["nav_items"] if item["active"]] == ["工作要点"]
    with django_assert_num_queries(1):
        assert context["unread_count"] == 0
        assert not context["unread_count"]
