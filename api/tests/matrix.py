"""The API's and the integration page's rows of the access matrix (dashboard/tests/test_access_matrix.py).

The API ignores sessions: without a bearer token every role gets the same answer ("anyone", status)."""

from orgs.models import Role

ADMIN = {Role.SYSADMIN}

API_MATRIX = {
    "integrations:overview": (ADMIN, "get"),
    "integrations:token-create": (ADMIN, "post"),
    "integrations:token-revoke": (ADMIN, "post"),
    "integrations:endpoint-create": (ADMIN, "post"),
    "integrations:endpoint-delete": (ADMIN, "post"),
    # The schema and its docs page are public (no data in them).
    "api:openapi-json": ("anyone", 200),
    "api:openapi-view": ("anyone", 200),
    # The index (issue 17): name, version, where the schema and docs are; no data in it.
    "api:index": ("anyone", 200),
    "api:api-root": ("anyone", 200),  # django-ninja's root name; the index answers at that path
    "api:list_plans": ("anyone", 401),
    "api:list_sections": ("anyone", 401),
    "api:list_items": ("anyone", 401),
    "api:get_item": ("anyone", 401),
    "api:post_report": ("anyone", 405),
    "api:list_events": ("anyone", 401),
    "api:get_event": ("anyone", 401),
    "api:register": ("anyone", 405),
    "api:list_proposals": ("anyone", 401),
    "api:submit_proposal": ("anyone", 401),
    "api:get_proposal": ("anyone", 401),
    "api:list_people": ("anyone", 401),
    "api:get_person": ("anyone", 401),
}


def api_url_kwargs(org, personas):
    """A token and an endpoint of `org`; the API's ids need no rows (401 comes first)."""
    from integrations import services

    token, _raw = services.create_token(org, by=personas[Role.SYSADMIN], name="OA", scopes=["plans:read"])
    endpoint, _secret = services.create_endpoint(
        org, by=personas[Role.SYSADMIN], name="OA", url="http://127.0.0.1:9/hook", event_types=["event.held"]
    )
    return {
        "integrations:token-revoke": {"pk": token.pk},
        "integrations:endpoint-delete": {"pk": endpoint.pk},
        "api:list_sections": {"plan_id": 1},
        "api:list_items": {"plan_id": 1},
        "api:get_item": {"item_id": 1},
        "api:post_report": {"item_id": 1},
        "api:get_event": {"event_id": 1},
        "api:register": {"event_id": 1},
        "api:get_proposal": {"proposal_id": 1},
        "api:get_person": {"person_id": 1},
    }
