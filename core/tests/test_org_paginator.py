"""OrgPaginator (core.figures_cache): the total of a large college's list is counted once per data
version and query, and is right again at once after any write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.figures_cache import OrgPaginator
from people import services as people_services
from people.models import Person
from people.tests.factories import PersonFactory
from proposals import services as proposal_services
from proposals.models import Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def counts_run(paginator) -> tuple[int, int]:
    """(the paginator's count, COUNT queries run to get it)."""
    with CaptureQueriesContext(connection) as captured:
        total = paginator.count
    return total, sum("COUNT(" in q["sql"].upper() for q in captured)


def test_the_count_is_read_once_then_from_the_cache(org):
    PersonFactory.create_batch(3, organisation=org)
    people = Person.objects.for_org(org).order_by("name")
    assert counts_run(OrgPaginator(people, 2, organisation=org)) == (3, 1)
    assert counts_run(OrgPaginator(people, 2, organisation=org)) == (3, 0)


def test_a_write_counts_again(org, ufd_staff):
    PersonFactory.create_batch(2, organisation=org)
    people = Person.objects.for_org(org)
    assert OrgPaginator(people, 50, organisation=org).count == 2
    people_services.create_person(org, by=ufd_staff, data={"name": "新来的"})
    org.refresh_from_db()
    assert counts_run(OrgPaginator(people, 50, organisation=org)) == (3, 1)


def test_each_filter_and_college_has_its_own_count(org, other_org):
    PersonFactory(organisation=org, name="王一")
    PersonFactory(organisation=org, name="李二")
    PersonFactory(organisation=other_org, name="王三")
    wang = Person.objects.for_org(org).filter(name__contains="王")
    assert OrgPaginator(Person.objects.for_org(org), 50, organisation=org).count == 2
    assert OrgPaginator(wang, 50, organisation=org).count == 1
    assert OrgPaginator(Person.objects.for_org(other_org), 50, organisation=other_org).count == 1
    assert OrgPaginator(Person.objects.for_org(org).none(), 50, organisation=org).count == 0


def test_the_inbox_tiles_and_total_follow_a_status_change(client, org, ufd_staff):
    submitter = PersonFactory(organisation=org)
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(ufd_staff)
    response = client.get(reverse("proposals:inbox"))
    tiles = {status: n for status, _label, n in response.context["tiles"]}
    assert (tiles[Status.SUBMITTED], tiles[Status.ACCEPTED]) == (2, 0)
    assert response.context["page"].paginator.count == 2
    proposal_services.accept_proposal(proposal, by=ufd_staff)
    make_proposal(org, submitter, Status.SUBMITTED)
    response = client.get(reverse("proposals:inbox"))
    tiles = {status: n for status, _label, n in response.context["tiles"]}
    assert (tiles[Status.SUBMITTED], tiles[Status.ACCEPTED]) == (2, 1)
    assert response.context["page"].paginator.count == 3


def test_the_registry_list_counts_a_new_person_at_once(client, org, ufd_staff):
    PersonFactory(organisation=org)
    client.force_login(ufd_staff)
    assert client.get(reverse("people:list")).context["page"].paginator.count == 1
    people_services.create_person(org, by=ufd_staff, data={"name": "新来的"})
    assert client.get(reverse("people:list")).context["page"].paginator.count == 2
