"""50 members press 报名 at the same moment for 20 places: real threads, real requests, each
thread with its own database connection (on SQLite a file database, see `file_database`)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from events.models import Registration
from events.tests.conftest import invite
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 50
PLACES = 20


def test_fifty_simultaneous_registrations_for_twenty_places(file_database, org, make_member):
    event = EventFactory(organisation=org, capacity=PLACES)
    people = [make_member() for _ in range(PEOPLE)]
    invite(event, *people)
    clients = []
    for person in people:
        client = Client()
        client.force_login(person.user)
        clients.append(client)
    url = reverse("events:m-register", args=[event.pk])
    start = threading.Barrier(PEOPLE)
    statuses, errors = [], []

    def press(client):
        try:
            start.wait(timeout=30)
            statuses.append(client.post(url).status_code)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [302] * PEOPLE
    counts = {s: Registration.objects.filter(event=event, status=s).count() for s in ("registered", "waiting")}
    assert counts == {"registered": PLACES, "waiting": PEOPLE - PLACES}
    assert Registration.objects.filter(event=event).count() == PEOPLE
