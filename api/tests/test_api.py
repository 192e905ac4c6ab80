"""The API for other systems: token auth, scopes, organisation isolation, pagination, rate limit,
audit rows, and each write endpoint going through the apps' services."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import bearer
from core.models import AuditEvent
from events.models import Invitation, Registration
from events.tests.factories import EventFactory
from integrations import services as integration_services
from integrations.models import RateWindow, Scope
from orgs.models import Role
from people.tests.factories import PersonFactory
from plans.models import ProgressReport
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory
from proposals.models import Proposal, Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def _plan_with_items(org, n=1):
    section = SectionFactory(plan=PlanFactory(organisation=org))
    return [ItemFactory(section=section) for _ in range(n)]


# --- Authentication and scopes -----------------------------------------------------------------


def test_root_is_an_index_pointing_to_the_schema_and_docs(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "name": "同心 Tongxin API",
        "version": "1",
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
        "authentication": "Authorization: Bearer txk_…",
    }
    assert client.get(response.json()["openapi"]).status_code == 200
    assert client.get(response.json()["docs"]).status_code == 200
    assert not AuditEvent.objects.filter(action="api.call").exists()  # no token, no data


def test_missing_token_is_401(client):
    assert client.get("/api/v1/plans").status_code == 401


def test_unknown_token_is_401(client, make_token):
    make_token()
    assert client.get("/api/v1/plans", **bearer("txk_not-a-real-token")).status_code == 401


def test_revoked_token_is_401(client, make_token, sysadmin):
    token, raw = make_token()
    assert client.get("/api/v1/plans", **bearer(raw)).status_code == 200
    integration_services.revoke_token(token, by=sysadmin)
    assert client.get("/api/v1/plans", **bearer(raw)).status_code == 401


def test_wrong_scope_is_403_and_audited_as_denied(client, make_token, org):
    _token, raw = make_token(scopes=[Scope.EVENTS_READ])
    response = client.get("/api/v1/plans", **bearer(raw))
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(action="api.call", result=AuditEvent.Result.DENIED)
    assert denied.count() == 1
    assert denied.get().organisation == org


def test_only_a_hash_of_the_token_is_stored(make_token):
    token, raw = make_token()
    token.refresh_from_db()
    assert raw not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64


# --- Organisation isolation ------------------------------------------------------------------


def test_token_of_one_organisation_never_sees_another(client, make_token, org, other_org):
    mine = _plan_with_items(org)[0]
    theirs = _plan_with_items(other_org)[0]
    their_event = EventFactory(organisation=other_org)
    their_person = PersonFactory(organisation=other_org)
    _token, raw = make_token()
    plans = client.get("/api/v1/plans", **bearer(raw)).json()
    assert [p["id"] for p in plans["items"]] == [mine.plan_id]
    assert client.get(f"/api/v1/items/{theirs.pk}", **bearer(raw)).status_code == 404
    assert client.get(f"/api/v1/plans/{theirs.plan_id}/items", **bearer(raw)).status_code == 404
    assert client.get(f"/api/v1/events/{their_event.pk}", **bearer(raw)).status_code == 404
    assert client.get(f"/api/v1/people/{their_person.pk}", **bearer(raw)).status_code == 404
    assert client.get("/api/v1/events", **bearer(raw)).json()["count"] == 0


# --- Reads -----------------------------------------------------------------------------------


def test_item_shows_status_progress_and_targets(client, make_token, org):
    item = _plan_with_items(org)[0]
    TargetFactory(item=item, text="召开座谈会", count=2, achieved=1)
    _token, raw = make_token(scopes=[Scope.PLANS_READ])
    body = client.get(f"/api/v1/items/{item.pk}", **bearer(raw)).json()
    assert body["status"] == "not_started"
    assert body["targets"] == [{"id": item.targets.get().pk, "text": "召开座谈会", "count": 2, "achieved": 1}]


def test_pagination_limit_offset_and_maximum(client, make_token, org, settings):
    items = _plan_with_items(org, 5)
    _token, raw = make_token()
    url = f"/api/v1/plans/{items[0].plan_id}/items"
    first = client.get(url, {"limit": 2, "offset": 0}, **bearer(raw)).json()
    third = client.get(url, {"limit": 2, "offset": 4}, **bearer(raw)).json()
    assert first["count"] == 5
    assert [i["id"] for i in first["items"]] == [items[0].pk, items[1].pk]
    assert [i["id"] for i in third["items"]] == [items[4].pk]
    too_many = settings.NINJA_PAGINATION_MAX_LIMIT + 1
    assert client.get(url, {"limit": too_many}, **bearer(raw)).status_code == 422


def test_events_carry_registration_counts(client, make_token, org):
    event = EventFactory(organisation=org, capacity=1)
    for status in (Registration.Status.REGISTERED, Registration.Status.WAITING, Registration.Status.WAITING):
        Registration.objects.create(event=event, person=PersonFactory(organisation=org), status=status)
    _token, raw = make_token(scopes=[Scope.EVENTS_READ])
    body = client.get(f"/api/v1/events/{event.pk}", **bearer(raw)).json()
    assert (body["registered"], body["waiting"]) == (1, 2)


def test_proposals_hide_drafts_and_submitters(client, make_token, org):
    submitter = PersonFactory(organisation=org, name="王提议")
    submitted = make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, submitter, Status.DRAFT)
    _token, raw = make_token(scopes=[Scope.PROPOSALS_READ])
    response = client.get("/api/v1/proposals", **bearer(raw))
    assert [p["id"] for p in response.json()["items"]] == [submitted.pk]
    assert "王提议" not in response.content.decode()


def test_people_are_masked_and_every_read_is_audited(client, make_token, org):
    person = PersonFactory(organisation=org, name="李明", phone="13912345678", email="liming@example.edu.cn")
    _token, raw = make_token(scopes=[Scope.PEOPLE_READ])
    body = client.get(f"/api/v1/people/{person.pk}", **bearer(raw)).json()
    assert body["phone"] == "139****5678"
    assert body["email"] == "l***@example.edu.cn"
    view = AuditEvent.objects.get(action="view")
    assert (view.object_id, view.username) == (str(person.pk), "api:学校OA")


def test_every_call_writes_an_audit_row(client, make_token, org):
    _token, raw = make_token()
    client.get("/api/v1/plans", **bearer(raw))
    client.get("/api/v1/events", **bearer(raw))
    calls = AuditEvent.objects.filter(action="api.call", organisation=org).order_by("pk")
    assert [c.changes["request"] for c in calls] == ["GET /api/v1/plans", "GET /api/v1/events"]


# --- Rate limit --------------------------------------------------------------------------------


@pytest.mark.parametrize("store", ["cache", "database"])
def test_rate_limit_gives_429_with_retry_after(client, make_token, settings, store):
    settings.API_RATE_PER_MINUTE = 3
    settings.API_RATE_STORE = store
    _token, raw = make_token(name="限速测试")
    codes = [client.get("/api/v1/plans", **bearer(raw)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/plans", **bearer(raw))
    assert 1 <= int(response["Retry-After"]) <= 61


def test_rate_limit_without_redis_is_counted_in_the_database_shared_by_every_worker(client, make_token, settings):
    """No REDIS_URL: the local-memory cache is per process, so the count is a database row that
    another worker (here: an emptied cache) keeps adding to."""
    from django.core.cache import cache

    settings.API_RATE_PER_MINUTE = 3
    settings.API_RATE_STORE = "database"
    _token, raw = make_token(name="多进程")
    codes = []
    for _ in range(4):
        codes.append(client.get("/api/v1/plans", **bearer(raw)).status_code)
        cache.clear()  # as if the next call landed on another worker
    assert codes == [200, 200, 200, 429]
    assert RateWindow.objects.get().count == 4


def test_rate_limit_in_the_cache_uses_one_shared_counter(client, make_token, settings):
    from django.core.cache import cache

    settings.API_RATE_PER_MINUTE = 3
    settings.API_RATE_STORE = "cache"
    token, raw = make_token(name="缓存计数")
    client.get("/api/v1/plans", **bearer(raw))
    client.get("/api/v1/plans", **bearer(raw))
    keys = [k for k in cache._cache if "api-rate:" + token.token_hash[:24] in k]
    assert len(keys) == 1
    assert cache.get(keys[0].split(":", 2)[2]) == 2
    assert not RateWindow.objects.exists()


def test_rate_limit_window_is_a_fixed_minute(client, make_token, settings, monkeypatch):
    settings.API_RATE_PER_MINUTE = 2
    settings.API_RATE_STORE = "database"
    _token, raw = make_token(name="窗口")
    clock = [1_800_000_000.0 + 50]  # 50 s into a minute
    monkeypatch.setattr(integration_services.time, "time", lambda: clock[0])
    codes = [client.get("/api/v1/plans", **bearer(raw)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    clock[0] += 10  # the next minute: a new window
    assert client.get("/api/v1/plans", **bearer(raw)).status_code == 200


# --- Writes --------------------------------------------------------------------------------------


def test_progress_report_as_the_liaison_of_the_lead_department(client, make_token, liaison, student_department, org):
    item = _plan_with_items(org)[0]
    item.lead_department = student_department
    item.save()
    _token, raw = make_token(scopes=[Scope.PLANS_WRITE], acts_as=liaison)
    response = client.post(
        f"/api/v1/items/{item.pk}/reports", {"text": "已召开座谈会"}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 201
    report = ProgressReport.objects.get()
    assert (report.item, report.author, report.text) == (item, liaison, "已召开座谈会")


def test_progress_report_refused_by_the_service_is_409(client, make_token, liaison, org):
    item = _plan_with_items(org)[0]  # the liaison's department neither leads nor supports it
    _token, raw = make_token(scopes=[Scope.PLANS_WRITE], acts_as=liaison)
    response = client.post(
        f"/api/v1/items/{item.pk}/reports", {"text": "进展"}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 409
    assert ProgressReport.objects.count() == 0


def test_write_without_an_acting_account_is_403(client, make_token, org):
    item = _plan_with_items(org)[0]
    _token, raw = make_token(scopes=[Scope.PLANS_WRITE])
    response = client.post(
        f"/api/v1/items/{item.pk}/reports", {"text": "进展"}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 403


def test_event_registration_by_staff_number(client, make_token, ufd_staff, org):
    event = EventFactory(organisation=org)
    person = PersonFactory(organisation=org, staff_number="T2024001")
    Invitation.objects.create(event=event, person=person)
    _token, raw = make_token(scopes=[Scope.EVENTS_WRITE], acts_as=ufd_staff)
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {"staff_number": "T2024001"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    assert Registration.objects.get().person == person


def test_event_registration_of_someone_not_invited_is_409(client, make_token, ufd_staff, org):
    event = EventFactory(organisation=org, starts_at=timezone.now() + timedelta(days=3))
    PersonFactory(organisation=org, staff_number="T2024002")
    _token, raw = make_token(scopes=[Scope.EVENTS_WRITE], acts_as=ufd_staff)
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {"staff_number": "T2024002"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 409
    assert Registration.objects.count() == 0


def test_suggestion_submission_is_submitted_once_per_client_token(client, make_token, ufd_staff, org):
    submitter = PersonFactory(organisation=org, staff_number="T2024003")
    _token, raw = make_token(scopes=[Scope.PROPOSALS_WRITE], acts_as=ufd_staff)
    payload = {
        "staff_number": "T2024003",
        "category": "logistics",
        "title": "关于延长图书馆开放时间的建议",
        "content": "建议考试周延长至23点。",
        "client_token": str(uuid.uuid4()),
    }
    first = client.post("/api/v1/proposals", payload, content_type="application/json", **bearer(raw))
    again = client.post("/api/v1/proposals", payload, content_type="application/json", **bearer(raw))
    assert (first.status_code, again.status_code) == (201, 201)
    proposal = Proposal.objects.get()
    assert (proposal.submitter, proposal.status, proposal.category) == (submitter, Status.SUBMITTED, "logistics")
    assert proposal.source == "系统对接：学校OA"


def test_token_acting_as_another_organisations_account_is_refused(sysadmin, other_personas, org):
    from core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        integration_services.create_token(
            org, by=sysadmin, name="x", scopes=[Scope.PLANS_WRITE], acts_as=other_personas[Role.LIAISON]
        )


def test_write_as_an_account_that_left_the_organisation_is_403(client, make_token, liaison, other_org, org):
    item = _plan_with_items(org)[0]
    _token, raw = make_token(scopes=[Scope.PLANS_WRITE], acts_as=liaison)
    liaison.membership.organisation = other_org
    liaison.membership.save()
    response = client.post(
        f"/api/v1/items/{item.pk}/reports", {"text": "进展"}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/plans/{plan}/items", "/api/v1/events", "/api/v1/proposals"])
def test_lists_run_a_bounded_number_of_queries(client, make_token, org, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _token, raw = make_token()
    items = _plan_with_items(org, 1)
    submitter = PersonFactory(organisation=org)
    EventFactory(organisation=org)
    make_proposal(org, submitter, Status.SUBMITTED)
    url = path.format(plan=items[0].plan_id)
    client.get(url, **bearer(raw))  # the token's last use is noted once a minute: not in the count
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, **bearer(raw)).status_code == 200
    section = items[0].section
    for _ in range(15):
        TargetFactory(item=ItemFactory(section=section))
        EventFactory(organisation=org)
        make_proposal(org, submitter, Status.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, **bearer(raw)).status_code == 200
    assert len(many) == len(one)
