"""Fixtures of the events tests: members with registry records, a published event, a seed-like plan."""

import sqlite3
from datetime import date, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from conftest import make_user
from events import services
from events.models import Invitation
from events.tests.factories import EventFactory
from orgs.models import Role
from people.tests.factories import PersonFactory


@pytest.fixture
def make_member(org):
    """make_member("name") -> a Person with a MEMBER login (usernames mem1, mem2, ...)."""
    counter = iter(range(1, 10_000))

    def make(name=None, *, email=""):
        n = next(counter)
        user = make_user(org, Role.MEMBER, f"mem{n}")
        if email:
            user.email = email
            user.save(update_fields=["email"])
        return PersonFactory(organisation=org, user=user, name=name or f"成员{n}")

    return make


def invite(event, *people):
    """Puts people in the event's invitation snapshot (what publishing does for the audience)."""
    Invitation.objects.bulk_create([Invitation(event=event, person=p) for p in people], ignore_conflicts=True)


@pytest.fixture
def event(org, member):
    """A published event in two days, capacity 20, with the member invited."""
    event = EventFactory(organisation=org, capacity=20)
    invite(event, member.person)
    return event


@pytest.fixture
def seed_plan(org):
    """A seed-like plan: item 4 “积极组织建言献策” (召开一次统战工作座谈会) and item 13 with two targets."""
    from plans.models import Item, Plan, Section, Target

    plan = Plan.objects.create(organisation=org, year=timezone.localdate().year, title="2023年统战工作要点")
    one = Section.objects.create(plan=plan, marker="一、", number=1, title="以政治建设为统领", order=1)
    three = Section.objects.create(plan=plan, marker="三、", number=3, title="强化民族宗教工作", order=3)
    due = date(timezone.localdate().year, 12, 31)
    item4 = Item.objects.create(
        plan=plan, section=one, number=4, marker="4.", title="积极组织建言献策", due_date=due, order=5
    )
    item13 = Item.objects.create(
        plan=plan, section=three, number=13, marker="13.", title="做好少数民族学生管理工作", due_date=due, order=14
    )
    Target.objects.create(item=item4, text="召开一次统战工作座谈会", count=1)
    Target.objects.create(item=item13, text="召开1次少数民族学生座谈会", count=1, order=0)
    Target.objects.create(item=item13, text="举办1次少数民族学生活动", count=1, order=1)
    return {"plan": plan, 4: item4, 13: item13}


def past_event(org, **kwargs):
    """An event that ended an hour ago."""
    starts = timezone.now() - timedelta(hours=3)
    return EventFactory(organisation=org, starts_at=starts, ends_at=starts + timedelta(hours=2), **kwargs)


@pytest.fixture
def file_database(tmp_path):
    """Real concurrency needs a database every thread can open. PostgreSQL is one already; the
    SQLite test database is in memory, which other threads cannot share with file locking, so
    for this test the in-memory database is copied to a file (sqlite3 backup API) and every
    connection — this thread's and the workers' — uses the file, as production does."""
    connection = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "concurrency.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    old_settings = connections.settings["default"]
    new_settings = {**old_settings, "NAME": str(path)}
    connections.settings["default"] = new_settings
    file_connection = connection.__class__(new_settings, "default")
    connections["default"] = file_connection
    try:
        yield
    finally:
        file_connection.close()
        connections.settings["default"] = old_settings
        connections["default"] = connection


__all__ = ["invite", "past_event", "services"]
