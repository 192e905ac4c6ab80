"""Integration accounts: tokens (create, revoke, authenticate, rate limit) and outgoing signed
webhooks (`emit` after commit, delivery with retries and backoff, the delivery log)."""

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from core import audit
from core.exceptions import NotAllowed
from integrations.models import (
    EventType,
    IntegrationToken,
    RateWindow,
    Scope,
    SentOnce,
    WebhookDelivery,
    WebhookEndpoint,
    hash_token,
)

log = logging.getLogger(__name__)

TOKEN_PREFIX = "txk_"  # noqa: S105  (a public prefix, not a secret)
SIGNATURE_HEADER = "X-Tongxin-Signature"
TIMESTAMP_HEADER = "X-Tongxin-Timestamp"


# --- Tokens -------------------------------------------------------------------------------------


@transaction.atomic
def create_token(organisation, *, by, name: str, scopes: list[str], acts_as=None, request=None):
    """A new token for an integration account. Returns (token row, the token in clear) — the clear
    token is shown once and never stored (only its SHA-256). Audits."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise NotAllowed(gettext("未知的权限范围：%(scopes)s") % {"scopes": "、".join(sorted(unknown))})
    membership = getattr(acts_as, "membership", None) if acts_as else None
    if acts_as is not None and (membership is None or membership.organisation_id != organisation.pk):
        raise NotAllowed(gettext("代表的账号必须属于本单位。"))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = IntegrationToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        scopes=[s for s in Scope.values if s in scopes],
        acts_as=acts_as,
        created_by=by,
    )
    audit.log(
        "api.token.create",
        token,
        by=by,
        request=request,
        changes={"scopes": ["", "、".join(token.scopes)], "acts_as": ["", str(acts_as or "")]},
    )
    return token, raw


@transaction.atomic
def revoke_token(token: IntegrationToken, *, by, request=None) -> IntegrationToken:
    """Revokes the token at once (every later call gets 401). Audits."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log("api.token.revoke", token, by=by, request=request)
    return token


def authenticate(raw: str) -> IntegrationToken | None:
    """The active token matching `raw`, or None. Notes the last use (at most once a minute)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        IntegrationToken.objects.select_related("organisation", "acts_as__membership")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def rate_limited(token: IntegrationToken) -> int:
    """Counts this call in the token's current minute (a fixed window); returns the seconds to wait
    when the token is over `API_RATE_PER_MINUTE`, else 0. The counter lives where every worker and
    node sees it: the cache (`cache.add` + `cache.incr`, atomic in Redis) when `API_RATE_STORE` is
    "cache" (the default with REDIS_URL), else a database row (the local-memory cache is per process)."""
    limit = settings.API_RATE_PER_MINUTE
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{token.token_hash[:24]}:{window}"
    count = _count_in_cache(key) if settings.API_RATE_STORE == "cache" else _count_in_database(key, window)
    if count > limit:
        return max(1, int((window + 1) * 60 - now) + 1)
    return 0


def _count_in_cache(key: str) -> int:
    cache.add(key, 0, timeout=90)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        return 1


def _count_in_database(key: str, window: int) -> int:
    rows = RateWindow.objects.filter(key=key)
    if not rows.update(count=F("count") + 1):
        expires = datetime.fromtimestamp((window + 2) * 60, tz=UTC)
        try:
            with transaction.atomic():
                RateWindow.objects.create(key=key, count=1, expires_at=expires)
            RateWindow.objects.filter(expires_at__lt=timezone.now()).delete()  # once per token and minute
            return 1
        except IntegrityError:  # another worker created it first
            rows.update(count=F("count") + 1)
    return rows.values_list("count", flat=True).first() or 1


# --- Webhook endpoints ----------------------------------------------------------------------


@transaction.atomic
def create_endpoint(organisation, *, by, name: str, url: str, event_types: list[str], request=None):
    """A new endpoint with a generated signing secret; returns (endpoint, secret) — the secret is
    shown once on the page (stored encrypted, needed to sign). Audits."""
    secret = secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        name=name,
        url=url,
        secret=secret,
        event_types=[e for e in EventType.values if e in event_types],
        created_by=by,
    )
    audit.log("webhook.create", endpoint, by=by, request=request, changes={"url": ["", url]})
    return endpoint, secret


@transaction.atomic
def delete_endpoint(endpoint: WebhookEndpoint, *, by, request=None) -> None:
    audit.log("webhook.delete", endpoint, by=by, request=request, changes={"url": [endpoint.url, ""]})
    endpoint.delete()


# --- Emitting and delivering ------------------------------------------------------------------


def emit(organisation, event_type: str, payload: dict) -> None:
    """Queues `event_type` with `payload` (JSON-ready) for the organisation's endpoints that
    subscribe to it — after the current transaction commits, so a rolled-back change sends
    nothing. The one call services make."""
    organisation_id = getattr(organisation, "pk", organisation)
    transaction.on_commit(lambda: queue_deliveries(organisation_id, event_type, payload))


def emit_once(organisation, event_type: str, key: str, payload: dict) -> bool:
    """`emit`, unless an event with this `key` was emitted before (recorded in the same
    transaction, so a rolled-back run may send it again). Returns whether it was emitted."""
    with transaction.atomic():
        _row, created = SentOnce.objects.get_or_create(key=f"{event_type}:{key}"[:120])
        if created:
            emit(organisation, event_type, payload)
    return created


def subscribed_organisations(event_type: str) -> set[int]:
    """Ids of the organisations with an active endpoint subscribed to `event_type` (a periodic
    check looks only at these)."""
    rows = WebhookEndpoint.objects.filter(active=True).values_list("organisation_id", "event_types")
    return {org for org, types in rows if event_type in types}


def already_sent(event_type: str, keys: list[str]) -> set[str]:
    """Of `keys`, those `emit_once` has already emitted for `event_type`."""
    prefix = f"{event_type}:"
    full = [f"{prefix}{k}"[:120] for k in keys]
    return {k.removeprefix(prefix) for k in SentOnce.objects.filter(key__in=full).values_list("key", flat=True)}


def queue_deliveries(organisation_id: int, event_type: str, payload: dict) -> list[int]:
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(organisation_id=organisation_id, active=True)
        if event_type in e.event_types
    ]
    if not endpoints:
        return []
    now = timezone.now()
    pks = [
        WebhookDelivery.objects.create(endpoint=e, event_type=event_type, payload=payload, next_attempt_at=now).pk
        for e in endpoints
    ]
    from integrations.tasks import deliver_webhooks

    deliver_webhooks(pks)
    return pks


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256 of `{timestamp}.{body}` with the endpoint's secret."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery) -> bytes:
    envelope = {
        "id": delivery.pk,
        "type": delivery.event_type,
        "created": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode("utf-8")


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, "redirect refused", headers, fp)


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _RefuseRedirects)


def _post(url: str, body: bytes, headers: dict) -> int:
    if not url.startswith(("http://", "https://")):
        raise ValueError("只允许 http 或 https 地址")
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310  (scheme checked)
    with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
        response.read(1024)
        return response.status


def deliver(pk: int) -> WebhookDelivery | None:
    """One attempt for a pending delivery: POSTs the signed body; 2xx is delivered, anything else
    is retried after DELIVERY_RETRY_SECONDS doubling per attempt, failed after
    DELIVERY_MAX_ATTEMPTS."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=pk, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = timezone.now() + timedelta(
            seconds=settings.DELIVERY_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
        )
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    timestamp = int(time.time())
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Tongxin-Webhook/1",
        "X-Tongxin-Event": delivery.event_type,
        "X-Tongxin-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, timestamp, body),
    }
    code, error = None, ""
    try:
        code = _post(delivery.endpoint.url, body, headers)
    except urllib.error.HTTPError as e:
        code, error = e.code, f"HTTP {e.code}"
    except (urllib.error.URLError, OSError, ValueError) as e:
        error = f"无法连接：{getattr(e, 'reason', e)}"
    delivery.response_code = code
    delivery.error = error[:300]
    if not error and code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        log.warning("webhook %s to %s failed: %s", delivery.pk, delivery.endpoint.url, error)
    delivery.save(update_fields=["response_code", "error", "status", "delivered_at", "next_attempt_at"])
    return delivery


def deliver_due(*, now=None) -> int:
    """Retries whose backoff has passed (the periodic task)."""
    now = now or timezone.now()
    pks = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:200]
    )
    for pk in pks:
        deliver(pk)
    return len(pks)
