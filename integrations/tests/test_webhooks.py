"""Signed webhooks out: delivered to a receiver on loopback after commit, signature checked with
the receiver's own HMAC, retries with backoff, the delivery log; hooked into plans, events and
proposals services."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from events import services as event_services
from events.tests.factories import EventFactory
from integrations import services
from integrations.models import EventType, WebhookDelivery
from people.tests.factories import PersonFactory
from plans import services as plan_services
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory
from proposals import services as proposal_services
from proposals.models import Outcome, Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    """An HTTP server on loopback recording each request; `answer` sets its status code."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"headers": dict(self.headers), "body": body})
            self.send_response(server.answer)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.answer = 200
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _endpoint(org, sysadmin, receiver, *event_types):
    return services.create_endpoint(
        org, by=sysadmin, name="学校OA", url=receiver.url, event_types=list(event_types or EventType.values)
    )


def _verify(secret: str, request: dict) -> bool:
    """What a receiver does (the README's example): HMAC-SHA256 of "{timestamp}.{body}"."""
    timestamp = request["headers"]["X-Tongxin-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Tongxin-Signature"], f"sha256={expected}")


def test_event_held_is_delivered_signed_after_commit(
    org, sysadmin, ufd_staff, receiver, django_capture_on_commit_callbacks
):
    _endpoint_row, secret = _endpoint(org, sysadmin, receiver, EventType.EVENT_HELD)
    now = timezone.now()
    event = EventFactory(
        organisation=org, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1), minutes="纪要"
    )
    with django_capture_on_commit_callbacks(execute=True):
        event_services.mark_held(event, by=ufd_staff)
    assert len(receiver.received) == 1
    request = receiver.received[0]
    assert _verify(secret, request)
    assert request["headers"]["X-Tongxin-Event"] == "event.held"
    body = json.loads(request["body"])
    assert (body["type"], body["data"]["event_id"]) == ("event.held", event.pk)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)


def test_tampered_body_or_other_secret_fails_verification(org, sysadmin, receiver, django_capture_on_commit_callbacks):
    _endpoint_row, secret = _endpoint(org, sysadmin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        services.emit(org, EventType.EVENT_HELD, {"event_id": 1})
    request = receiver.received[0]
    assert not _verify(secret, request | {"body": request["body"].replace(b"1", b"2")})
    assert not _verify("another-secret", request)


def test_nothing_is_sent_when_the_transaction_rolls_back(org, sysadmin, receiver, django_capture_on_commit_callbacks):
    _endpoint(org, sysadmin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.emit(org, EventType.EVENT_HELD, {"event_id": 1})
            raise RuntimeError
    assert receiver.received == []
    assert WebhookDelivery.objects.count() == 0


def test_only_subscribed_endpoints_of_the_organisation_receive(
    org, other_org, sysadmin, receiver, django_capture_on_commit_callbacks
):
    _endpoint(org, sysadmin, receiver, EventType.PROPOSAL_ANSWERED)
    services.create_endpoint(other_org, by=None, name="他校", url=receiver.url, event_types=[EventType.EVENT_HELD])
    with django_capture_on_commit_callbacks(execute=True):
        services.emit(org, EventType.EVENT_HELD, {"event_id": 1})
    assert receiver.received == []


def test_failure_is_retried_with_doubling_backoff_then_marked_failed(
    org, sysadmin, receiver, settings, django_capture_on_commit_callbacks
):
    settings.DELIVERY_RETRY_SECONDS = 60
    settings.DELIVERY_MAX_ATTEMPTS = 3
    receiver.answer = 500
    _endpoint(org, sysadmin, receiver)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.emit(org, EventType.EVENT_HELD, {"event_id": 1})
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert timedelta(seconds=59) <= delivery.next_attempt_at - before <= timedelta(seconds=65)
    assert services.deliver_due(now=before + timedelta(seconds=30)) == 0  # not due yet
    assert services.deliver_due(now=before + timedelta(seconds=61)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert timedelta(seconds=119) <= delivery.next_attempt_at - before <= timedelta(seconds=130)
    services.deliver_due(now=before + timedelta(minutes=10))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert len(receiver.received) == 3


def test_a_retry_that_succeeds_is_delivered(org, sysadmin, receiver, django_capture_on_commit_callbacks):
    receiver.answer = 503
    _endpoint(org, sysadmin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        services.emit(org, EventType.EVENT_HELD, {"event_id": 1})
    receiver.answer = 204
    services.deliver_due(now=timezone.now() + timedelta(hours=1))
    assert WebhookDelivery.objects.get().status == "delivered"


def test_item_status_change_from_a_progress_report_is_emitted(
    org, sysadmin, liaison, student_department, receiver, django_capture_on_commit_callbacks
):
    secret = _endpoint(org, sysadmin, receiver, EventType.ITEM_STATUS)[1]
    item = ItemFactory(section=SectionFactory(plan=PlanFactory(organisation=org)), lead_department=student_department)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.post_report(item, by=liaison, text="已启动")
    data = json.loads(receiver.received[0]["body"])["data"]
    assert data == {"item_id": item.pk, "title": item.title, "from": "not_started", "to": "in_progress"}
    assert _verify(secret, receiver.received[0])


def test_suggestion_answered_is_emitted(
    org, sysadmin, liaison, student_department, receiver, django_capture_on_commit_callbacks
):
    _endpoint(org, sysadmin, receiver, EventType.PROPOSAL_ANSWERED)
    proposal = make_proposal(
        org, PersonFactory(organisation=org), Status.ASSIGNED, lead=student_department, review_required=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.answer_proposal(proposal, by=liaison, outcome=Outcome.ADOPTED, text="已采纳，下学期实施。")
    data = json.loads(receiver.received[0]["body"])["data"]
    assert (data["proposal_id"], data["status"], data["outcome"]) == (proposal.pk, "answered", "adopted")


def _published_item(org, due, **kwargs):
    plan = PlanFactory(organisation=org, status="published")
    return ItemFactory(section=SectionFactory(plan=plan), due_date=due, **kwargs)


def test_item_overdue_is_emitted_once_by_the_daily_check(org, sysadmin, receiver, django_capture_on_commit_callbacks):
    """逾期 is computed from the date: no service call sees it happen, the daily job does."""
    secret = _endpoint(org, sysadmin, receiver, EventType.ITEM_OVERDUE)[1]
    today = timezone.localdate()
    late = _published_item(org, today - timedelta(days=1))
    due_today = _published_item(org, today)  # not yet overdue
    _published_item(org, today - timedelta(days=3), accepted_at=timezone.now())  # 销号: never overdue
    _published_item(org, today - timedelta(days=3), targets_met=True)  # done: never overdue
    draft = ItemFactory(section=SectionFactory(plan=PlanFactory(organisation=org, status="draft")))
    draft.due_date = today - timedelta(days=2)
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_services.emit_overdue_items(today) == 1
    assert len(receiver.received) == 1
    request = receiver.received[0]
    assert request["headers"]["X-Tongxin-Event"] == "item.overdue"
    assert _verify(secret, request)
    assert json.loads(request["body"])["data"] == {
        "item_id": late.pk,
        "plan_id": late.section.plan_id,
        "title": late.title,
        "due_date": (today - timedelta(days=1)).isoformat(),
        "status": "overdue",
    }
    with django_capture_on_commit_callbacks(execute=True):  # the next day: `late` was sent already
        assert plan_services.emit_overdue_items(today + timedelta(days=1)) == 1
    assert [json.loads(r["body"])["data"]["item_id"] for r in receiver.received] == [late.pk, due_today.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_services.emit_overdue_items(today + timedelta(days=2)) == 0
    assert len(receiver.received) == 2


def test_item_overdue_again_after_a_later_deadline_passes(org, sysadmin, receiver, django_capture_on_commit_callbacks):
    _endpoint(org, sysadmin, receiver, EventType.ITEM_OVERDUE)
    today = timezone.localdate()
    item = _published_item(org, today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.emit_overdue_items(today)
    item.due_date = today + timedelta(days=5)  # extended …
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_services.emit_overdue_items(today) == 0
        assert plan_services.emit_overdue_items(today + timedelta(days=6)) == 1  # … and missed again
    assert [json.loads(r["body"])["data"]["due_date"] for r in receiver.received] == [
        (today - timedelta(days=1)).isoformat(),
        (today + timedelta(days=5)).isoformat(),
    ]


def test_item_overdue_only_for_organisations_subscribed(
    org, other_org, sysadmin, receiver, django_capture_on_commit_callbacks
):
    _endpoint(org, sysadmin, receiver, EventType.ITEM_STATUS)  # subscribed to another event only
    today = timezone.localdate()
    _published_item(org, today - timedelta(days=1))
    _published_item(other_org, today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_services.emit_overdue_items(today) == 0
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_the_daily_job_runs_the_overdue_check(org, sysadmin, receiver, django_capture_on_commit_callbacks):
    from plans.tasks import emit_overdue_items

    _endpoint(org, sysadmin, receiver, EventType.ITEM_OVERDUE)
    item = _published_item(org, timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        emit_overdue_items.call_local()
    assert [json.loads(r["body"])["data"]["item_id"] for r in receiver.received] == [item.pk]
    assert WebhookDelivery.objects.get().event_type == "item.overdue"
