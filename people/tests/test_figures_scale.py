"""The registry figures page at scale: a bounded number of queries and a bounded page whatever the
number of people; the "not contacted this year" list comes a page (50) at a time."""

import pytest
from django.utils import timezone

from people.models import ContactRecord, Person

pytestmark = pytest.mark.django_db

URL = "/people/figures/"


def add_people(org, department, n, *, contacted=0):
    people = Person.objects.bulk_create(
        [Person(organisation=org, name=f"人员{i:03d}", department=department) for i in range(n)]
    )
    ContactRecord.objects.bulk_create(
        [
            ContactRecord(person=p, date=timezone.localdate(), met_by="王同心", method=ContactRecord.Method.TALK)
            for p in people[:contacted]
        ]
    )
    return people


def queries_for(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured), response


def test_query_count_does_not_grow_with_people(client, ufd_staff, org, ufd_department, django_assert_max_num_queries):
    client.force_login(ufd_staff)
    # Two people, one contacted: both lists have a row (the contacted list reads its people by id).
    add_people(org, ufd_department, 2, contacted=1)
    client.get(URL)
    one, _ = queries_for(client, django_assert_max_num_queries, 30)
    add_people(org, ufd_department, 150, contacted=20)
    many, _ = queries_for(client, django_assert_max_num_queries, one)
    assert many <= one


def test_not_contacted_is_paginated_with_the_full_count(client, ufd_staff, org, ufd_department):
    client.force_login(ufd_staff)
    add_people(org, ufd_department, 120, contacted=10)
    response = client.get(URL)
    html = response.content.decode()
    rows = html.split('id="not-contacted"')[1].split("</table>")[0]
    assert rows.count("记录联系") == 50  # one page of the 110 not contacted
    assert "（110人）" in html
    assert "第 1 / 3 页" in html
    last = client.get(URL + "?page=3").content.decode()
    assert last.split('id="not-contacted"')[1].split("</table>")[0].count("记录联系") == 10


def test_contacted_list_shows_the_50_most_contacted_and_counts_everyone(client, ufd_staff, org, ufd_department):
    client.force_login(ufd_staff)
    people = add_people(org, ufd_department, 70, contacted=60)
    ContactRecord.objects.create(
        person=people[59], date=timezone.localdate(), met_by="王同心", method=ContactRecord.Method.VISIT
    )
    html = client.get(URL).content.decode()
    rows = html.split('id="contacts-per-person"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 1 + 50  # the header row and 50 people
    assert rows.index("人员059") < rows.index("人员000")  # the one with two contacts comes first
    assert "共 60 人" in html
    assert "（10人）" in html  # not contacted
    assert ">61<" in html  # contacts this year, every one counted
