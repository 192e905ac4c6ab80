"""The system admin's integrations page: create a token (shown once, stored hashed), revoke it,
add and delete webhook endpoints; other organisations' rows are 404."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from integrations import services
from integrations.models import IntegrationToken, WebhookEndpoint, hash_token
from orgs.models import Role

pytestmark = pytest.mark.django_db


def test_admin_creates_a_token_shown_once(client, sysadmin, liaison):
    client.force_login(sysadmin)
    response = client.post(
        reverse("integrations:token-create"),
        {"name": "学校OA", "scopes": ["plans:read", "plans:write"], "acts_as": liaison.pk},
    )
    assert response.status_code == 200
    raw = response.context["new_token_value"]
    token = IntegrationToken.objects.get()
    assert (token.name, token.scopes, token.acts_as) == ("学校OA", ["plans:read", "plans:write"], liaison)
    assert token.token_hash == hash_token(raw)
    assert raw in response.content.decode()
    assert raw not in client.get(reverse("integrations:overview")).content.decode()
    assert AuditEvent.objects.filter(action="api.token.create", object_id=str(token.pk)).count() == 1


def test_write_scope_needs_an_acting_account(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(reverse("integrations:token-create"), {"name": "OA", "scopes": ["events:write"]})
    assert response.status_code == 200
    assert "acts_as" in response.context["token_form"].errors
    assert IntegrationToken.objects.count() == 0


def test_admin_revokes_a_token(client, sysadmin, org):
    token, raw = services.create_token(org, by=sysadmin, name="OA", scopes=["plans:read"])
    client.force_login(sysadmin)
    response = client.post(reverse("integrations:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.authenticate(raw) is None
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1


def test_another_organisations_admin_cannot_revoke(client, sysadmin, org, other_personas):
    token, _raw = services.create_token(org, by=sysadmin, name="OA", scopes=["plans:read"])
    client.force_login(other_personas[Role.SYSADMIN])
    assert client.post(reverse("integrations:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_adds_an_endpoint_with_a_secret_shown_once(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("integrations:endpoint-create"),
        {"name": "OA", "url": "https://oa.example.edu.cn/hook", "event_types": ["event.held", "proposal.answered"]},
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == response.context["new_endpoint_secret"]
    assert endpoint.event_types == ["event.held", "proposal.answered"]


def test_admin_deletes_an_endpoint(client, sysadmin, org):
    endpoint, _secret = services.create_endpoint(
        org, by=sysadmin, name="OA", url="https://oa.example.edu.cn/hook", event_types=["event.held"]
    )
    client.force_login(sysadmin)
    assert client.post(reverse("integrations:endpoint-delete", args=[endpoint.pk])).status_code == 302
    assert WebhookEndpoint.objects.count() == 0


def test_staff_cannot_open_the_page(client, ufd_staff):
    client.force_login(ufd_staff)
    assert client.get(reverse("integrations:overview")).status_code == 403


def test_endpoint_url_must_be_http_or_https(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("integrations:endpoint-create"),
        {"name": "OA", "url": "ftp://oa.example.edu.cn/hook", "event_types": ["event.held"]},
    )
    assert response.status_code == 200
    assert "url" in response.context["endpoint_form"].errors
    assert WebhookEndpoint.objects.count() == 0
