"""The year's events by month (the home pages' and the year summary's chart) counted in the
database, by month in Beijing time, cached under the events' version (issue 16: a large college
has thousands of events a year)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from events.models import Event
from events.queries import year_events_by_month
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=BEIJING)


def test_months_in_beijing_time_held_and_cancelled(org, django_assert_num_queries):
    EventFactory(organisation=org, starts_at=at(2025, 1, 1, 0, 30))  # 16:30 UTC on 31 Dec 2024: January here
    EventFactory(organisation=org, starts_at=at(2025, 1, 31, 23, 30), held_at=at(2025, 2, 1, 1, 0))  # January, held
    EventFactory(organisation=org, starts_at=at(2025, 2, 1, 0, 10))  # February
    EventFactory(organisation=org, starts_at=at(2025, 12, 31, 23, 59), held_at=at(2026, 1, 1, 1, 0))  # December, held
    EventFactory(organisation=org, starts_at=at(2025, 3, 3, 9, 0), status=Event.Status.CANCELLED)  # not counted
    EventFactory(organisation=org, starts_at=at(2024, 12, 31, 23, 0))  # last year
    EventFactory(organisation=org, starts_at=at(2026, 1, 1, 0, 0))  # next year
    EventFactory(starts_at=at(2025, 5, 5, 9, 0))  # another college

    with django_assert_num_queries(1):  # the counts (the version comes with the organisation)
        months = year_events_by_month(org, 2025)

    expected = {m: (0, 0) for m in range(1, 13)}
    expected |= {1: (2, 1), 2: (1, 0), 12: (1, 1)}
    assert months == [(m, *expected[m]) for m in range(1, 13)]


def test_cached_until_an_event_is_written(org, django_assert_num_queries):
    first = EventFactory(organisation=org, starts_at=at(2025, 4, 10, 9, 0))
    EventFactory(organisation=org, starts_at=at(2025, 4, 20, 9, 0))
    assert year_events_by_month(org, 2025)[3] == (4, 2, 0)
    with django_assert_num_queries(0):  # the version comes with the organisation
        assert year_events_by_month(org, 2025)[3] == (4, 2, 0)

    first.held_at = at(2025, 4, 10, 11, 0)  # recorded as held: a write through save()
    first.save()
    assert year_events_by_month(org, 2025)[3] == (4, 2, 1)

    first.status = Event.Status.CANCELLED
    first.save()
    assert year_events_by_month(org, 2025)[3] == (4, 1, 0)

    EventFactory(organisation=org, starts_at=at(2025, 4, 30, 9, 0))  # a row added
    assert year_events_by_month(org, 2025)[3] == (4, 2, 0)
