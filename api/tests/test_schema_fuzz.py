"""Schema-based fuzzing (schemathesis) of every endpoint, through the WSGI app, with a token that
holds every scope and acts as a UFD staff account: no 500 and no response outside the schema."""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tests.conftest import ALL_SCOPES
from events.models import Invitation
from events.tests.factories import EventFactory
from integrations import services
from people.tests.factories import PersonFactory
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory
from proposals.models import Status
from proposals.tests.factories import make_proposal

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def _keep_connection():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction on PostgreSQL; Django's test client does the same as this for its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(org, sysadmin, ufd_staff, ufd_department, _keep_connection):
    """Rows with small ids (1…) so generated ids hit real objects too, and a token of every scope."""
    section = SectionFactory(plan=PlanFactory(organisation=org))
    item = ItemFactory(section=section, lead_department=ufd_department)
    TargetFactory(item=item)
    person = PersonFactory(organisation=org, staff_number="1", department=ufd_department)
    event = EventFactory(organisation=org, starts_at=timezone.now() + timedelta(days=5))
    Invitation.objects.create(event=event, person=person)
    make_proposal(org, person, Status.SUBMITTED)
    _token, raw = services.create_token(org, by=sysadmin, name="fuzz", scopes=ALL_SCOPES, acts_as=ufd_staff)
    return raw


# Loaded when the module is collected (the schema page reads no database). schemathesis's lazy
# `from_fixture` loader does not run under pytest 9, so each operation is a test of its own.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_endpoint_conforms_to_its_schema(case, fuzz_token, settings):
    settings.API_RATE_PER_MINUTE = 0  # the fuzzer calls far more often than the limit allows
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, checks=CHECKS)
