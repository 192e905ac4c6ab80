"""Fixtures of the five ones tests: members with logins and hand-built event records."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from conftest import make_user
from events.models import Registration
from events.tests.factories import EventFactory
from orgs.models import Role
from people.tests.factories import PersonFactory

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def make_member(org):
    """make_member("name") -> a Person with a MEMBER login (usernames fo1, fo2, ...)."""
    counter = iter(range(1, 10_000))

    def make(name=None, **fields):
        n = next(counter)
        user = make_user(org, Role.MEMBER, f"fo{n}")
        return PersonFactory(organisation=org, user=user, name=name or f"成员{n}", **fields)

    return make


def at(month: int, day: int = 10, year: int = YEAR):
    return timezone.make_aware(datetime(year, month, day, 9, 0))


def event_of(org, type_: str, *, month: int = 3, year: int = YEAR, **fields):
    starts = at(month, year=year)
    return EventFactory(organisation=org, type=type_, starts_at=starts, ends_at=starts + timedelta(hours=2), **fields)


def attend(event, person, *, checked_in: bool = True, outcome: str = ""):
    """A registration; with `checked_in` the person signed in (签到) at the event."""
    return Registration.objects.create(
        event=event,
        person=person,
        status=Registration.Status.REGISTERED,
        checked_in_at=event.starts_at if checked_in else None,
        outcome=outcome,
    )
