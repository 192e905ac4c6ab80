"""The data of the multi-node test (`test_multinode.py`), made by `manage.py shell` in its fresh
database: one college, a UFD staff account, an account to lock, an event open to public sign-up,
an API token (for the shared rate limit).
Prints the ids the test needs as JSON."""

import json

from django.db import connection

from events.tests.factories import EventFactory
from integrations import services as integration_services
from orgs.models import Role
from orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

org = OrganisationFactory(name="多节点学院", slug="multinode")
staff = UserFactory(username="nodestaff")
MembershipFactory(user=staff, organisation=org, role=Role.UFD_STAFF)
victim = UserFactory(username="nodevictim")
MembershipFactory(user=victim, organisation=org, role=Role.UFD_STAFF)
event = EventFactory(organisation=org, title="多节点座谈会", public_signup=True, external_places=10)
sysadmin = UserFactory(username="nodesysadmin")
MembershipFactory(user=sysadmin, organisation=org, role=Role.SYSADMIN)
_token, api_token = integration_services.create_token(org, by=sysadmin, name="节点限速", scopes=["plans:read"])
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE multinode_runs (kind text, number int, node text, ran_at timestamptz)")
print(json.dumps({"event": event.pk, "token": event.public_token, "api_token": api_token}))
