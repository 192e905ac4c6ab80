"""The homes' cached blocks (core.figures_cache): fresh right after a write, cheaper the second
time, bounded whatever the number of rows, and never shown to another user or college."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from events.tests.factories import EventFactory
from orgs.models import Role
from people import services as people_services
from people.models import ContactRecord
from people.tests.factories import PersonFactory
from proposals import services as proposal_services
from proposals.models import Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db

HOME = reverse("dashboard:home")


def queries_of(client) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(captured), response


def test_the_staff_home_shows_a_new_person_right_after_it_is_saved(client, org, ufd_staff):
    PersonFactory(organisation=org)
    client.force_login(ufd_staff)
    assert client.get(HOME).context["registry"]["total"] == 1
    people_services.create_person(org, by=ufd_staff, data={"name": "新来的"})
    assert client.get(HOME).context["registry"]["total"] == 2


def test_the_leader_home_shows_an_accepted_suggestion_right_after_it(client, org, leader, ufd_staff):
    submitter = PersonFactory(organisation=org)
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(leader)
    assert client.get(HOME).context["proposal_counts"]["accepted"] == 0
    proposal_services.accept_proposal(proposal, by=ufd_staff)
    assert client.get(HOME).context["proposal_counts"]["accepted"] == 1


def test_the_liaison_home_shows_a_newly_assigned_suggestion(client, org, liaison, student_department):
    submitter = PersonFactory(organisation=org)
    client.force_login(liaison)
    assert client.get(HOME).context["proposals"]["handling"] == 0
    make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    assert client.get(HOME).context["proposals"]["handling"] == 1


@pytest.mark.parametrize("role", ["ufd_staff", "leader", "liaison"])
def test_a_second_view_runs_fewer_queries(client, org, role, request, student_department):
    submitter = PersonFactory(organisation=org)
    make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    EventFactory(organisation=org)
    client.force_login(request.getfixturevalue(role))
    first, _ = queries_of(client)
    second, _ = queries_of(client)
    assert second < first


@pytest.mark.parametrize("role", ["ufd_staff", "leader", "liaison"])
def test_a_home_costs_the_same_queries_for_one_or_many_rows(
    client, org, role, request, student_department, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for _ in range(n):
            submitter = PersonFactory(organisation=org)
            make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
            EventFactory(organisation=org, starts_at=timezone.now())
            ContactRecord.objects.create(person=submitter, date=timezone.localdate(), method="talk")

    client.force_login(request.getfixturevalue(role))
    add(1)
    with django_assert_max_num_queries(60) as one:  # computed afresh: the data changed
        client.get(HOME)
    add(20)
    with django_assert_max_num_queries(len(one)):
        client.get(HOME)


def test_follow_ups_are_each_users_own(client, org, ufd_staff):
    other_staff = make_user(org, Role.UFD_STAFF, "ufd2")
    person = PersonFactory(organisation=org, name="跟进对象")
    for user, count in ((ufd_staff, 1), (other_staff, 2)):
        for _ in range(count):
            ContactRecord.objects.create(
                person=person, date=date(2026, 1, 5), method="talk", recorded_by=user, follow_up_needed=True
            )
    client.force_login(ufd_staff)
    mine = client.get(HOME).context["follow_ups"]
    client.force_login(other_staff)
    theirs = client.get(HOME).context["follow_ups"]
    assert (mine["mine_count"], theirs["mine_count"]) == (1, 2)
    assert mine["all_count"] == theirs["all_count"] == 3


def test_a_college_never_sees_another_colleges_cached_figures(client, org, other_org, ufd_staff):
    other_staff = make_user(other_org, Role.UFD_STAFF, "other-ufd")
    PersonFactory(organisation=org)
    for _ in range(3):
        PersonFactory(organisation=other_org)
    client.force_login(ufd_staff)
    assert client.get(HOME).context["registry"]["total"] == 1
    client.force_login(other_staff)
    assert client.get(HOME).context["registry"]["total"] == 3
    client.force_login(ufd_staff)
    assert client.get(HOME).context["registry"]["total"] == 1


def test_liaisons_of_different_departments_see_their_own_suggestions(
    client, org, liaison, student_department, ufd_department
):
    other_liaison = make_user(org, Role.LIAISON, "liaison2", [ufd_department])
    submitter = PersonFactory(organisation=org)
    make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    for _ in range(2):
        make_proposal(org, submitter, Status.ASSIGNED, lead=ufd_department)
    client.force_login(liaison)
    assert client.get(HOME).context["proposals"]["handling"] == 1
    client.force_login(other_liaison)
    assert client.get(HOME).context["proposals"]["handling"] == 2
