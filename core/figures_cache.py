"""Figures computed from many rows, cached under a key that changes whenever the rows do.

`data_version(queryset)` is one indexed query: the number of rows and the latest `updated_at`
(every write sets `updated_at`: `save()`, and `core.concurrency`'s one-UPDATE writes too). Adding,
deleting or changing a row changes it, in every process at once, so the figures cached under it
(`cached(...)`) are recomputed on the next view after any write, on one node or several (locmem by
default, Redis with REDIS_URL). The timeout only bounds how long an unused entry stays."""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max

TIMEOUT = 60 * 60  # seconds an entry is kept; correctness comes from the version in the key


def data_version(queryset) -> str:
    """'<rows>:<latest updated_at>' of the queryset's rows. One query."""
    found = queryset.order_by().aggregate(rows=Count("pk"), last=Max("updated_at"))
    last = found["last"].isoformat() if found["last"] else "-"
    return f"{found['rows']}:{last}"


def cached(name: str, parts: tuple, compute):
    """The value `compute()` returns, kept under `name` and `parts` (the organisation, the version
    and every argument the value depends on)."""
    key = "figures:" + name + ":" + hashlib.sha256(repr(parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
