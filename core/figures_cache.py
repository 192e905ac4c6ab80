"""Figures computed from many rows, cached under a key that changes whenever the rows do.

The key is each organisation's data version, `Organisation.data_version`: a number the organisation
row carries, so reading it costs no query (a request's `request.organisation` is loaded with the
membership by `orgs.middleware`). It goes up by one after every committed write to the
organisation's data:

- `post_save` / `post_delete` / `m2m_changed` of every model that reaches an organisation (an
  `organisation` field, or a chain of foreign keys: an item through its plan) call `bump()`;
  `connect_signals()` finds them at start-up, leaving out bookkeeping (`NOT_DATA`: audit log,
  jobs, notifications, tokens) that no figure shows;
- writes that send no signal call `bump()` themselves: `core.concurrency`'s one-UPDATE writes and
  the services' `queryset.update()` / `bulk_create` / `bulk_update`.

`bump()` runs one `UPDATE orgs_organisation SET data_version = data_version + 1` after the
transaction commits (`transaction.on_commit`), once per transaction and organisation, however many
rows it wrote: a 10,000-row import does not hold the organisation row's lock (on PostgreSQL) while it
runs, and a reader that sees the new version necessarily sees the new rows. A rolled-back
transaction bumps nothing.

`cached(name, parts, compute)` keeps `compute()` under `name` and `parts`; `org_cached(name,
organisation, parts, compute)` adds the organisation and its version. Since the version lives in the
database, every process sees a bump at once: correct with a per-process cache (locmem, the default)
and with a shared one (Redis, REDIS_URL). The timeout only bounds how long an unused entry stays.
A process also remembers the versions its own bumps wrote (`_written`, the UPDATE returns it), so an
organisation instance loaded before a write of the same process (a view that writes and then shows
figures) never reads figures cached before that write; the keys stay the same in every process, so
a shared cache is shared. An instance loaded long ago in another process (a long job) may read older
figures; load it again.

Callers put in `parts` whatever else the value depends on: today's date where "overdue" or "this
month" matters, the departments or the user a block is about, the language of translated labels."""

import hashlib
import threading
from contextlib import contextmanager
from functools import partial

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

TIMEOUT = 60 * 60  # seconds an entry is kept; correctness comes from the version in the key

ORGANISATION = "orgs.Organisation"
# Bookkeeping no figure shows, written often (every login, job step, notice, API call): no bump.
NOT_DATA = {
    "core.AuditEvent",
    "core.BackgroundJob",
    "notifications.Notification",
    "notifications.Delivery",
    "notifications.Preference",
    "integrations.IntegrationToken",
    "integrations.WebhookDelivery",
    "plans.PlanImport",
}

_written: dict[int, int] = {}  # the latest version this process's bumps wrote, per organisation id
_state = threading.local()


def version(organisation) -> int:
    """The organisation's data version as this process knows it. No query."""
    return max(organisation.data_version, _written.get(organisation.pk, 0))


def cached(name: str, parts: tuple, compute):
    """The value `compute()` returns, kept under `name` and `parts` (the organisation, the version
    and every argument the value depends on)."""
    key = "figures:" + name + ":" + hashlib.sha256(repr(parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def org_cached(name: str, organisation, parts: tuple, compute):
    """`cached` under the organisation and its data version, then `parts`."""
    return cached(name, (organisation.pk, version(organisation), *parts), compute)


class OrgPaginator(Paginator):
    """A Paginator whose row count is cached under the organisation's data version and the count's
    SQL and parameters: a list of a large college is not counted again on every view (the COUNT over
    tens of thousands of rows grows with the data; the page's own rows do not). Only for a queryset
    of the organisation's own data, whose every write bumps its version (not `NOT_DATA`)."""

    def __init__(self, object_list, per_page, *, organisation, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.organisation = organisation

    @property
    def count(self) -> int:
        if "count" not in self.__dict__:
            counted = partial(Paginator.count.func, self)
            try:
                sql, params = self.object_list.order_by().query.sql_with_params()
            except EmptyResultSet:  # `.none()` or an empty `__in`: counted without a query
                self.__dict__["count"] = counted()
            else:
                self.__dict__["count"] = org_cached("count", self.organisation, (sql, tuple(map(str, params))), counted)
        return self.__dict__["count"]


def forget() -> None:
    """Drops every cached figure and the versions this process wrote: after a database restore
    (versions may go back) and between tests (each test's database starts again)."""
    _written.clear()
    cache.clear()


# --- Bumping ------------------------------------------------------------------------------------


def _write_bump(organisation_id: int, using: str = "default") -> None:
    """One UPDATE, returning the new version (PostgreSQL, SQLite ≥ 3.35; else read back)."""
    model = apps.get_model(ORGANISATION)
    connection = connections[using]
    if connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)
    ):
        quote = connection.ops.quote_name
        table, column, pk = quote(model._meta.db_table), quote("data_version"), quote(model._meta.pk.column)
        # Only quoted names from the model's metadata; the id is a parameter.
        sql = f"UPDATE {table} SET {column} = {column} + 1 WHERE {pk} = %s RETURNING {column}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [organisation_id])
            row = cursor.fetchone()
    else:
        rows = model.objects.using(using).filter(pk=organisation_id)
        rows.update(data_version=F("data_version") + 1)
        row = rows.values_list("data_version").first()
    if row is not None:
        _written[organisation_id] = max(_written.get(organisation_id, 0), row[0])


def bump(organisation_id, *, using: str = "default") -> None:
    """The organisation's data changed: its version goes up by one once the transaction commits
    (at once outside a transaction), once per transaction however often this is called."""
    if organisation_id is None:
        return
    connection = transaction.get_connection(using)
    blocks = [block for block in connection.atomic_blocks if not getattr(block, "_from_testcase", False)]
    if not blocks:  # autocommit (or only a test case's transaction, which stands for it)
        _write_bump(organisation_id, using)
    elif len(blocks) < len(connection.atomic_blocks):
        _bump_in_test_case(organisation_id, connection, len(blocks), using)
    else:
        _bump_on_commit(organisation_id, connection, using)


def _bump_on_commit(organisation_id, connection, using: str) -> None:
    # Once per transaction: a bump already waiting in this transaction (and not in a savepoint
    # rolled back since: Django drops those callbacks) is enough.
    for _, waiting, _ in connection.run_on_commit:
        if getattr(waiting, "figures_organisation", None) == organisation_id:
            return
    callback = partial(_write_bump, organisation_id, using)
    callback.figures_organisation = organisation_id
    # robust: the rows are committed already; a failed bump (SQLite busy) is logged, not a 500.
    transaction.on_commit(callback, using=using, robust=True)


def _bump_in_test_case(organisation_id, connection, opened: int, using: str) -> None:
    """Inside a test case's transaction, which never commits (nor runs on-commit callbacks): the
    bump is written at once, once per savepoint of the blocks the test's code opened (rolled back
    with its savepoint), so a test sees a service's write in the figures at once. Tests with
    transaction=True take the on-commit path."""
    sids = [sid for sid in connection.savepoint_ids[-opened:] if sid]
    done = connection.__dict__.setdefault("_figures_test_bumps", set())
    if any((sid, organisation_id) in done for sid in sids):
        return
    if sids:
        done.add((sids[-1], organisation_id))
    _write_bump(organisation_id, using)


def bump_for(model, pks, *, using: str = "default") -> None:
    """Bumps the organisations of `model`'s rows `pks` (for a write that sends no signal, e.g. a
    queryset update). One query for a model without an `organisation` field of its own: call it
    before a delete."""
    path = org_path(model)
    if path is None:
        return
    lookup = "__".join(path)
    for organisation_id in set(model._base_manager.filter(pk__in=list(pks)).values_list(lookup, flat=True)):
        bump(organisation_id, using=using)


# --- Which models, and how they reach their organisation -------------------------------------------


_paths: dict = {}
MEMO_SIZE = 10_000


def _find_path(model, depth: int = 0):
    """The foreign keys from `model` to its organisation's id, e.g. ["organisation_id"] or ["item",
    "plan", "organisation_id"]; None for a model that belongs to no organisation."""
    fields = [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is not None]
    for field in fields:
        if field.related_model._meta.label == ORGANISATION and field.name == "organisation":
            return [field.attname]
    if depth >= 3:
        return None
    for field in sorted(fields, key=lambda f: f.null):  # a required link first
        if field.related_model is model or field.related_model._meta.label == ORGANISATION:
            continue
        rest = _find_path(field.related_model, depth + 1)
        if rest is not None:
            return [field.name, *rest]
    return None


def org_path(model):
    if model not in _paths:
        _paths[model] = _find_path(model)
    return _paths[model]


def _memo(connection) -> dict:
    """Organisation ids already looked up in this transaction ((model, pk) -> id): a cascade
    deleting a plan's thousands of rows asks once per parent, not once per row."""
    owner = connection.atomic_blocks[0] if connection.atomic_blocks else None
    if owner is None:
        return {}
    if getattr(connection, "_figures_memo_owner", None) is not owner or len(connection._figures_memo) > MEMO_SIZE:
        connection._figures_memo_owner, connection._figures_memo = owner, {}
    return connection._figures_memo


def organisation_id_of(instance, using: str = "default"):
    """The organisation of a row, read through cached relations when they are loaded, else with
    one query (once per parent row and transaction)."""
    path = org_path(type(instance))
    if path is None:
        return None
    if len(path) == 1:
        return getattr(instance, path[0])
    target = instance
    for depth, name in enumerate(path[:-1]):
        field = target._meta.get_field(name)
        if field.is_cached(target):
            target = getattr(target, name)
            if target is None:
                return None
            continue
        related_id = getattr(target, field.attname)
        if related_id is None:
            return None
        memo = _memo(transaction.get_connection(using))
        key = (field.related_model, related_id)
        if key not in memo:
            rest = "__".join(path[depth + 1 :])
            queryset = field.related_model._base_manager.using(using).filter(pk=related_id)
            found = queryset.values_list(rest, flat=True).first()
            if found is None:
                return None
            memo[key] = found  # a row's organisation never changes
        return memo[key]
    return getattr(target, path[-1])


@contextmanager
def writing_for(organisation_id):
    """Every write inside is the organisation's (a bulk import, a cascade): the signals bump it
    without looking each row's organisation up, and it is bumped once on the way in."""
    bump(organisation_id)
    previous = getattr(_state, "organisation_id", None)
    _state.organisation_id = organisation_id
    try:
        yield
    finally:
        _state.organisation_id = previous


def _saved_or_deleted(sender, instance, raw=False, using="default", **kwargs):
    if raw:  # loaddata
        return
    known = getattr(_state, "organisation_id", None)
    bump(known if known is not None else organisation_id_of(instance, using), using=using)


def _m2m_changed(sender, instance, action, using="default", **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, models.Model):
        known = getattr(_state, "organisation_id", None)
        bump(known if known is not None else organisation_id_of(instance, using), using=using)


def data_models() -> list:
    """The models whose writes bump their organisation's version."""
    return [
        model
        for model in apps.get_models()
        if model._meta.label not in NOT_DATA and model._meta.label != ORGANISATION and org_path(model) is not None
    ]


def connect_signals() -> None:
    """Called once from CoreConfig.ready()."""
    for model in data_models():
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"figures-save-{model._meta.label}")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"figures-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"figures-m2m-{through._meta.label}")
