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
