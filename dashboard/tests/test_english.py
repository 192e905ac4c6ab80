"""Issue 10, defect 10: every role's home page, its navigation and the member's tab bar in English."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.tests.english import chinese_outside
from core.tests.english_data import stored_texts
from dashboard.tests.test_home_pages import (
    build_leader_world,
    build_liaison_world,
    build_member_world,
    build_staff_world,
)
from orgs.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    """A request in English leaves English active in this thread; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The staff, liaison, member and leader home pages also show what other apps render (plan and
# proposal status labels, event types, registry categories, the year's charts, open follow-ups);
# those strings are translated in the catalogues of people, plans, proposals, events and reports,
# which other branches add. Until all of them are there, these four tests are expected to fail.
OTHER_CATALOGUES = ["people", "plans", "proposals", "events", "reports"]
needs_other_catalogues = pytest.mark.xfail(
    not all((settings.BASE_DIR / app / "locale/en/LC_MESSAGES/django.mo").exists() for app in OTHER_CATALOGUES),
    reason="needs the English catalogues of " + ", ".join(OTHER_CATALOGUES),
    strict=True,
)


def english_home(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response


@needs_other_catalogues
def test_staff_home_in_english(client, org, ufd_staff, ufd_department):
    build_staff_world(org, ufd_staff, ufd_department)
    response = english_home(client, ufd_staff)
    html = response.content.decode()
    assert chinese_outside(response, user_data=stored_texts()) == []
    assert "Needs my action" in html and "Closing reports awaiting acceptance" in html
    for label in ("Home", "Work plans", "Supervision", "People", "Events", "Suggestions"):
        assert f">{label}</a>" in html
    assert "UFD staff" in html  # the role beside the user's name
    assert '<html lang="en">' in html


@needs_other_catalogues
def test_liaison_home_in_english(client, org, liaison, student_department):
    build_liaison_world(org, student_department, DepartmentFactory(organisation=org, name="组织部"))
    response = english_home(client, liaison)
    html = response.content.decode()
    assert chinese_outside(response, user_data=stored_texts()) == []
    assert "My department's work" in html and ">My department</a>" in html and "Department liaison" in html


@needs_other_catalogues
def test_member_home_in_english(client, org, member):
    build_member_world(org, member.person)
    response = english_home(client, member)
    html = response.content.decode()
    assert chinese_outside(response, user_data=stored_texts()) == []
    assert "Invitations awaiting your reply" in html and ">Register</button>" in html
    # The tab bar at the bottom of the member's phone pages.
    tabbar = html[html.index('class="tabbar"') :]
    for label in ("Home", "Events", "Suggestions", "Study", "Me"):
        assert f">{label}" in tabbar
    # The member's way back to Chinese: the switch below the page, in its own language.
    assert 'action="/i18n/setlang/"' in html and 'value="zh-hans"' in html


def test_language_switch_sets_the_cookie_and_the_next_page_follows(client, member):
    client.force_login(member)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("dashboard:home")).content.decode()
    assert '<html lang="en">' in html and ">English<" not in html and ">简体中文<" in html


@needs_other_catalogues
def test_leader_home_in_english(client, org, leader, ufd_department):
    build_leader_world(org, ufd_department)
    response = english_home(client, leader)
    html = response.content.decode()
    assert chinese_outside(response, user_data=stored_texts()) == []
    assert "United front work at a glance" in html and "Registry composition" in html


@pytest.mark.parametrize(
    "role_fixture, menu",
    [
        ("sysadmin", ["Accounts", "Departments", "Integrations"]),
        ("secadmin", ["Roles", "Security policy"]),
        ("auditor", ["Audit log"]),
    ],
)
def test_admin_homes_in_english(client, request, role_fixture, menu):
    response = english_home(client, request.getfixturevalue(role_fixture))
    html = response.content.decode()
    assert chinese_outside(response, user_data=stored_texts()) == []
    for label in menu:
        assert f">{label}</a>" in html
    assert "separation of the three administrator roles" in html


def test_home_without_a_role_in_english(client, org, user_factory):
    from orgs.tests.factories import MembershipFactory

    user = MembershipFactory(organisation=org, role="").user
    response = english_home(client, user)
    assert chinese_outside(response, user_data=stored_texts()) == []
    assert "No role assigned yet" in response.content.decode()


def test_home_is_still_chinese_by_default(client, org, ufd_staff, ufd_department):
    build_staff_world(org, ufd_staff, ufd_department)
    client.force_login(ufd_staff)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "需要我处理" in html and ">督办</a>" in html and "统战部工作人员" in html
    assert "Needs my action" not in html
