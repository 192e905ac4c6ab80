"""The insert path of `generate_scale` (dashboard/scale.py): a progress bar, exact shares, and
`bulk()`, which writes model instances with multi-row `INSERT … RETURNING id` statements.

`bulk_create` spent most of the generator's time preparing each field of each row (about 1.5
million `get_db_prep_save` calls for 95,000 rows) in batches of 999 parameters on SQLite. `bulk()`
picks one converter per field once (none for integers, text and keys; the backend's format for
dates and datetimes; the field's own `get_db_prep_save` for everything else: encrypted text, JSON,
decimals, files), reads the values with one `attrgetter` per row and sends up to `BATCH` rows per
statement. Like `bulk_create` it sends no signals and skips `save()`. Unlike it, an `auto_now` /
`auto_now_add` field keeps a value that was set (generated data is dated over the year)."""

from __future__ import annotations

import sqlite3
import sys
import time
from contextlib import contextmanager
from functools import partial
from operator import attrgetter

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.base import ModelState
from django.db.models.fields import Field
from django.utils import timezone

BATCH = 2000

# Field types whose Python value is what the database takes (exact types: subclasses such as the
# encrypted text fields convert). Text is passed through `str` (choices enums, lazy strings).
PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.OneToOneField,
)
TEXT = (models.CharField, models.TextField, models.SlugField, models.EmailField, models.URLField)


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, stream=None, quiet=False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.monotonic()

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.quiet:
            return
        width = 30
        filled = int(width * done / total) if total else width
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{label:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {elapsed:6.1f}s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def shares(total: int, weights: list[float]) -> list[int]:
    """Split `total` by `weights` exactly (largest remainder)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    rest = total - sum(counts)
    for i in sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))[:rest]:
        counts[i] += 1
    return counts


def zipf_weights(n: int) -> list[float]:
    """A few large colleges, many small (Zipf, s=1); the first is at least a tenth."""
    weights = [1.0 / (rank + 1) for rank in range(n)]
    if n > 1:
        others = sum(weights[1:])
        weights[0] = max(weights[0], others / 9)  # >= 10% of the whole
    return weights


class _Maker:
    """What `new()` needs of a model, worked out once: constant defaults, callable defaults and
    the attribute behind each relation."""

    def __init__(self, model):
        self.constant, self.callables, self.relations = {}, [], {}
        self.names = {f.attname for f in model._meta.concrete_fields} | {f.name for f in model._meta.concrete_fields}
        for f in model._meta.concrete_fields:
            if f.is_relation:
                self.relations[f.name] = f.attname
            if f.has_default() and callable(f.default):
                self.callables.append((f.attname, f.default))
            else:
                self.constant[f.attname] = f.get_default()


_makers: dict = {}


def new(model, **values):
    """An unsaved instance for `bulk()`, as `model(**values)` makes it (defaults, a related object
    or its id) without `Model.__init__`'s per-field work, the generator's biggest cost after the
    inserts. No init signals (the project has no receivers)."""
    maker = _makers.get(model) or _makers.setdefault(model, _Maker(model))
    obj = model.__new__(model)
    attributes = obj.__dict__
    attributes.update(maker.constant)
    for attname, default in maker.callables:
        if attname not in values:
            attributes[attname] = default()
    relations = maker.relations
    for key, value in values.items():
        if key not in maker.names:
            raise TypeError(f"{model.__name__} has no field {key}")
        attname = relations.get(key, key)
        if attname != key:
            value = None if value is None else value.pk
        attributes[attname] = value
    obj._state = ModelState()
    return obj


def _text(value):
    return value if value is None or type(value) is str else str(value)


def _converter(field: Field, connection):
    """The function turning the attribute's value into the database's, or None when it is."""
    kind, vendor, tz = type(field), connection.vendor, connection.timezone
    if kind in PLAIN:
        return None
    if kind in TEXT:
        return _text
    if kind is models.DateTimeField and vendor == "sqlite":
        # As django.db.backends.sqlite3's adapt_datetimefield_value: naive in the connection's zone.
        return lambda v: None if v is None else str(v.astimezone(tz).replace(tzinfo=None) if v.tzinfo else v)
    if kind is models.DateField and vendor == "sqlite":
        return lambda v: None if v is None else v.isoformat()
    if kind in (models.DateTimeField, models.DateField):
        return None  # psycopg adapts date and datetime itself, as Django's PostgreSQL backend does
    return lambda v: field.get_db_prep_save(v, connection)  # the wrapper itself: the proxy costs a lookup


def _needs_pre_save(field: Field) -> bool:
    """A field whose `pre_save` computes the value (a digest, a file), other than auto_now."""
    if isinstance(field, models.DateField):  # DateTimeField too: auto_now is handled in bulk()
        return False
    return type(field).pre_save is not Field.pre_save


def _max_params(connection) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python < 3.11
            return 999
    return 65535  # PostgreSQL's wire protocol limit


def bulk(model, rows, progress: Progress, label: str) -> list:
    """Insert `rows` (unsaved instances of `model`) in batches, with progress; sets each row's
    pk and returns the list."""
    rows = rows if isinstance(rows, list) else list(rows)
    connection = connections[DEFAULT_DB_ALIAS]
    alias = connection.alias
    opts = model._meta
    fields = [f for f in opts.local_concrete_fields if f is not opts.pk]
    quote = connection.ops.quote_name
    now = timezone.now()
    auto_now = [i for i, f in enumerate(fields) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    computed = [(i, f) for i, f in enumerate(fields) if _needs_pre_save(f)]
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, connection))]
    read = attrgetter(*[f.attname for f in fields])
    width = len(fields)
    per_statement = max(1, min(BATCH, _max_params(connection) // width))
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES "  # noqa: S608 (names from the model, quoted)
    sqlite = connection.vendor == "sqlite"
    one = "(" + ", ".join(["?" if sqlite else "%s"] * width) + ")"
    tail = f" RETURNING {quote(opts.pk.column)}"
    statements = {}
    done = 0
    with connection.cursor() as cursor:
        # On SQLite the driver's own cursor, with "?" placeholders: Django's wrapper rewrites "%s"
        # with a regular expression on every call, which is slow on statements this long.
        execute = cursor.cursor.execute if not sqlite else partial(sqlite3.Cursor.execute, cursor.cursor)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = []
            for obj in chunk:
                values = list(read(obj)) if width > 1 else [read(obj)]
                for i in auto_now:
                    if values[i] is None:
                        values[i] = now
                        setattr(obj, fields[i].attname, now)
                for i, field in computed:
                    values[i] = field.pre_save(obj, True)
                for i, convert in converters:
                    values[i] = convert(values[i])
                params += values
            n = len(chunk)
            sql = statements.get(n)
            if sql is None:
                sql = statements[n] = head + ", ".join([one] * n) + tail
            with connection.wrap_database_errors:
                execute(sql, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias
            done += n
            progress(label, done, len(rows))
    if not rows:
        progress(label, 0, 0)
    return rows


@contextmanager
def fast_load():
    """Around the load's transaction on SQLite: no fsync and a bigger page cache, the previous
    settings back afterwards (a crash mid-load loses the load, which was not committed anyway).
    Inside a caller's transaction (tests) SQLite refuses the change: nothing is changed."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (synchronous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
