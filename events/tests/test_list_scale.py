"""The staff events list at scale: the same number of queries for 1 event as for 60, and the
registration counts per row are right (a subquery per row, not a join over every event)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, Registration
from people.models import Person

pytestmark = pytest.mark.django_db

URL = "/events/"


def make_events(org, n, *, people=()):
    start = timezone.now() + timedelta(days=3)
    events = Event.objects.bulk_create(
        [
            Event(
                organisation=org,
                title=f"活动{i}",
                starts_at=start + timedelta(hours=i),
                ends_at=start + timedelta(hours=i + 1),
            )
            for i in range(n)
        ]
    )
    Registration.objects.bulk_create(
        [Registration(event=e, person=p, status=Registration.Status.REGISTERED) for e in events for p in people]
    )
    return events


def test_query_count_does_not_grow_with_events(client, ufd_staff, org, django_assert_max_num_queries):
    client.force_login(ufd_staff)
    make_events(org, 1)
    client.get(URL)
    with django_assert_max_num_queries(30) as one:
        assert client.get(URL).status_code == 200
    people = Person.objects.bulk_create([Person(organisation=org, name=f"人{i}") for i in range(3)])
    make_events(org, 60, people=people)
    with django_assert_max_num_queries(len(one)):
        assert client.get(URL).status_code == 200


def test_rows_show_their_own_registration_counts(client, ufd_staff, org):
    client.force_login(ufd_staff)
    people = Person.objects.bulk_create([Person(organisation=org, name=f"人{i}") for i in range(3)])
    busy, quiet = make_events(org, 2)
    Registration.objects.bulk_create(
        [Registration(event=busy, person=p, status=Registration.Status.REGISTERED) for p in people[:2]]
        + [Registration(event=busy, person=people[2], status=Registration.Status.WAITING)]
    )
    page = client.get(URL).context["page"]
    counts = {e.pk: (e.registered, e.waiting) for e in page.object_list}
    assert counts == {busy.pk: (2, 1), quiet.pk: (0, 0)}
