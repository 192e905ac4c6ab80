"""The registry figures' contact counts at province scale (issue 16): counted from the year's
contact records in a fixed number of queries, not by joining and sorting every person."""

from datetime import date

import pytest

from people import queries
from people.models import ContactRecord
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _contacts(person, *days):
    for day in days:
        ContactRecord.objects.create(person=person, date=day, method=ContactRecord.Method.VISIT, raised="座谈")


def test_most_contacted_first_ties_by_name_counts_over_everyone(org):
    year = 2025
    zhang = PersonFactory(organisation=org, name="张")
    li = PersonFactory(organisation=org, name="委员2")
    an = PersonFactory(organisation=org, name="委员1")
    quiet = PersonFactory(organisation=org, name="赵")
    _contacts(zhang, date(year, 1, 5), date(year, 6, 1), date(year, 12, 31))
    _contacts(li, date(year, 3, 3))
    _contacts(an, date(year, 3, 4), date(year - 1, 12, 31))  # the earlier one is another year's
    _contacts(quiet, date(year + 1, 1, 1))  # next year's only

    figures = queries.contact_figures(org, year=year)

    # 张 3; 委员1 and 委员2 once each, then by name.
    assert [(p.name, p.contacts_in_year) for p in figures["contacted"]] == [("张", 3), ("委员1", 1), ("委员2", 1)]
    assert figures["contacted_count"] == 3
    assert figures["contact_count"] == 5  # 3 + 1 + 1
    assert figures["people_count"] == 4
    assert figures["not_contacted_count"] == 1
    assert [p.name for p in figures["not_contacted"]] == ["赵"]


def test_the_same_queries_for_one_or_many_contacted(org, django_assert_max_num_queries):
    year = 2025
    _contacts(PersonFactory(organisation=org, name="甲"), date(year, 2, 1))
    with django_assert_max_num_queries(6) as one:
        figures = queries.contact_figures(org, year=year)
        [p.department for p in figures["contacted"]]
    for i in range(30):
        _contacts(PersonFactory(organisation=org, name=f"人{i:02d}"), date(year, 2, 1), date(year, 3, 1))
    with django_assert_max_num_queries(len(one)):
        figures = queries.contact_figures(org, year=year)
        [p.department for p in figures["contacted"]]
    assert len(figures["contacted"]) == 31
