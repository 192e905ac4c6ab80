"""Issue 11, hole 6: 20 anonymous posts to the public link took all 20 places before the invited
members. Now: at most TONGXIN_SIGNUP_PER_ADDRESS_HOUR sign-ups per address and
TONGXIN_SIGNUP_PER_EVENT_HOUR per event in an hour, a per-event cap on external places
(default 10), and UFD staff remove external sign-ups from the attendance page."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from events.models import ExternalRegistration, Registration
from events.tests.conftest import invite
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _sign_up(event, n, ip):
    return Client().post(
        reverse("events:public-signup", args=[event.public_token]),
        {"name": f"访客{n}", "unit": "某单位"},
        REMOTE_ADDR=ip,
    )


def test_twenty_posts_from_one_address_take_only_three_places(org, member):
    event = EventFactory(organisation=org, public_signup=True, capacity=20, external_places=20)
    statuses = [_sign_up(event, n, "203.0.113.5").status_code for n in range(20)]
    assert statuses == [200] * 3 + [409] * 17
    assert ExternalRegistration.objects.filter(event=event).count() == 3
    assert "同一网络地址报名次数过多" in _sign_up(event, 99, "203.0.113.5").content.decode()


def test_the_external_cap_keeps_places_for_invited_members(client, org, member):
    event = EventFactory(organisation=org, public_signup=True, capacity=20)
    assert event.external_places == 10  # the default
    invite(event, member.person)
    statuses = [_sign_up(event, n, f"198.51.100.{n}").status_code for n in range(20)]
    assert statuses == [200] * 10 + [409] * 10
    client.force_login(member)
    client.post(reverse("events:m-register", args=[event.pk]))
    assert Registration.objects.get(event=event, person=member.person).status == "registered"


def test_an_event_takes_at_most_its_hourly_sign_ups(org, settings):
    settings.PUBLIC_SIGNUP_PER_EVENT_HOUR = 5
    event = EventFactory(organisation=org, public_signup=True, capacity=50, external_places=50)
    statuses = [_sign_up(event, n, f"198.51.100.{n}").status_code for n in range(8)]
    assert statuses == [200] * 5 + [409] * 3
    assert "报名过于频繁" in _sign_up(event, 9, "198.51.100.99").content.decode()


def test_staff_remove_an_external_sign_up_and_the_waiting_list_moves_up(client, ufd_staff, org, make_member):
    event = EventFactory(organisation=org, public_signup=True, capacity=1)
    _sign_up(event, 1, "198.51.100.1")
    waiting = make_member()
    invite(event, waiting)
    Registration.objects.create(event=event, person=waiting, status=Registration.Status.WAITING)
    external = ExternalRegistration.objects.get()

    client.force_login(ufd_staff)
    page = client.get(reverse("events:attendance", args=[event.pk])).content.decode()
    assert "访客1" in page and reverse("events:external-remove", args=[event.pk, external.pk]) in page
    response = client.post(reverse("events:external-remove", args=[event.pk, external.pk]))

    assert response.status_code == 302
    assert ExternalRegistration.objects.count() == 0
    assert Registration.objects.get(person=waiting).status == "registered"
    row = AuditEvent.objects.get(action="delete", object_type="events.externalregistration")
    assert (row.user, row.organisation) == (ufd_staff, org)


def test_staff_of_another_organisation_cannot_remove(client, org, other_personas):
    from orgs.models import Role

    event = EventFactory(organisation=org, public_signup=True)
    _sign_up(event, 1, "198.51.100.1")
    external = ExternalRegistration.objects.get()
    client.force_login(other_personas[Role.UFD_STAFF])
    assert client.post(reverse("events:external-remove", args=[event.pk, external.pk])).status_code == 404
    assert ExternalRegistration.objects.count() == 1
