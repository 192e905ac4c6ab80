"""The tamper-evident audit chain and the database triggers that keep the log append-only.

Every `AuditEvent` belongs to one chain: `org:<organisation id>`, or `none` for lines without an
organisation (failed logins for unknown names, purges). A line's hash covers its place in the chain
(`seq`), the previous line's hash and every field, so changing, removing or inserting a line breaks
the chain at that point. Appends lock the chain's head row (`AuditChainHead`), so concurrent writers
queue for a place instead of forking the chain.

The retention purge deletes the oldest lines of each chain and leaves a signed checkpoint (HMAC of
the chain, the last deleted place and its hash with `AUDIT_CHECKPOINT_KEY`): verification starts from
the checkpoint. In the database, triggers refuse UPDATE and DELETE of audit lines; only the purge
turns them off, inside its own transaction (PostgreSQL: `SET LOCAL tongxin.audit_purge = 'on'`;
SQLite: a one-row control table that the purge sets and clears in the same transaction).
"""

import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.models import AuditChainHead, AuditCheckpoint, AuditEvent

NONE_CHAIN = "none"

# --- Triggers -------------------------------------------------------------------------------

SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS tongxin_audit_control "
    "(id INTEGER PRIMARY KEY CHECK (id = 1), purge INTEGER NOT NULL DEFAULT 0)",
    "INSERT OR IGNORE INTO tongxin_audit_control (id, purge) VALUES (1, 0)",
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: UPDATE refused'); END",
    "CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
    "WHEN COALESCE((SELECT purge FROM tongxin_audit_control WHERE id = 1), 0) = 0 "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: DELETE refused outside the retention purge'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    "DROP TABLE IF EXISTS tongxin_audit_control",
]
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('tongxin.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_auditevent is append-only: % refused outside the retention purge', TG_OP;
END;
$$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
    "CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()",
    "CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
]


def trigger_sql(vendor: str, *, drop: bool = False) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_DROP if drop else POSTGRES_CREATE
    if vendor == "sqlite":
        return SQLITE_DROP if drop else SQLITE_CREATE
    return []


def create_triggers(schema_editor) -> None:
    for statement in trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_triggers(schema_editor) -> None:
    for statement in trigger_sql(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(statement, params=None)


def purge_sql(vendor: str, *, on: bool) -> str:
    """The statement that opens (or closes) the purge path inside the current transaction."""
    statements = {
        ("postgresql", True): "SET LOCAL tongxin.audit_purge = 'on'",
        ("postgresql", False): "SET LOCAL tongxin.audit_purge = 'off'",
        ("sqlite", True): "UPDATE tongxin_audit_control SET purge = 1 WHERE id = 1",
        ("sqlite", False): "UPDATE tongxin_audit_control SET purge = 0 WHERE id = 1",
    }
    return statements.get((vendor, on), "")


def _set_purge(on: bool) -> None:
    statement = purge_sql(connection.vendor, on=on)
    if statement:
        with connection.cursor() as cursor:
            cursor.execute(statement)


# --- Hashes ---------------------------------------------------------------------------------


def chain_key(organisation_id) -> str:
    return f"org:{organisation_id}" if organisation_id else NONE_CHAIN


def _chain_filter(key: str) -> dict:
    if key == NONE_CHAIN:
        return {"organisation__isnull": True}
    return {"organisation_id": int(key.split(":", 1)[1])}


def normalise_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return ipaddress.ip_address(ip).compressed
    except ValueError:
        return None


def normalise_changes(changes) -> dict:
    """`changes` as it will read back from the database (string keys, lists, no tuples)."""
    return json.loads(json.dumps(changes or {}, ensure_ascii=False, default=str))


def _time(at) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the line's place in its chain, the previous hash and every field."""
    payload = [
        chain_key(event.organisation_id),
        event.seq,
        event.prev_hash,
        _time(event.at),
        event.user_id,
        event.username,
        event.organisation_id,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.changes,
        event.ip,
        event.result,
    ]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sign_checkpoint(chain: str, seq: int, last_hash: str) -> str:
    key = settings.AUDIT_CHECKPOINT_KEY.encode("utf-8")
    return hmac.new(key, f"{chain}|{seq}|{last_hash}".encode(), hashlib.sha256).hexdigest()


# --- Append and purge -----------------------------------------------------------------------


def _locked_head(key: str) -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(chain=key)
    return head


def append(event: AuditEvent) -> AuditEvent:
    """Saves a new line at the end of its chain. Locks the chain head until the transaction ends."""
    with transaction.atomic():
        head = _locked_head(chain_key(event.organisation_id))
        event.at = timezone.now()
        event.ip = normalise_ip(event.ip)
        event.changes = normalise_changes(event.changes)
        event.seq = head.seq + 1
        event.prev_hash = head.last_hash
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["seq", "last_hash"])
    return event


def purge_before(cutoff) -> int:
    """Deletes, chain by chain, the oldest lines up to the first one at or after `cutoff`, and leaves
    a signed checkpoint for each chain it shortened. Returns the number of lines deleted."""
    total = 0
    with transaction.atomic():
        heads = list(AuditChainHead.objects.select_for_update().order_by("chain"))
        _set_purge(True)
        try:
            for head in heads:
                lines = AuditEvent.objects.filter(**_chain_filter(head.chain))
                first_kept = lines.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
                doomed = lines if first_kept is None else lines.filter(seq__lt=first_kept)
                last = doomed.order_by("-seq").values("seq", "hash").first()
                if last is None:
                    continue
                deleted, _ = doomed.delete()
                total += deleted
                AuditCheckpoint.objects.create(
                    chain=head.chain,
                    seq=last["seq"],
                    last_hash=last["hash"],
                    deleted=deleted,
                    signature=sign_checkpoint(head.chain, last["seq"], last["hash"]),
                )
        finally:
            _set_purge(False)
    return total


# --- Verification ---------------------------------------------------------------------------


@dataclass
class Break:
    chain: str
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.seq} 条" + (f"（ID {self.event_id}）" if self.event_id else "")
        return f"审计链 {self.chain} 在{where}断开：{self.reason}"


def _verify_chain(key: str, head: AuditChainHead | None) -> tuple[int, Break | None]:
    checkpoints = list(AuditCheckpoint.objects.filter(chain=key).order_by("seq"))
    for checkpoint in checkpoints:
        expected = sign_checkpoint(key, checkpoint.seq, checkpoint.last_hash)
        if not hmac.compare_digest(expected, checkpoint.signature):
            return 0, Break(key, checkpoint.seq, None, "清理检查点的签名不符（检查点被伪造或篡改）")
    seq, prev_hash = (checkpoints[-1].seq, checkpoints[-1].last_hash) if checkpoints else (0, "")
    checked = 0
    lines = AuditEvent.objects.filter(**_chain_filter(key)).order_by("seq")
    for event in lines.iterator(chunk_size=2000):
        if event.seq != seq + 1:
            reason = f"缺少第 {seq + 1} 条" if event.seq > seq + 1 else "序号重复或错乱"
            return checked, Break(key, seq + 1, event.pk, reason)
        if event.prev_hash != prev_hash:
            return checked, Break(key, event.seq, event.pk, "前一条哈希不符（之前的记录被删除或改动）")
        if event_hash(event) != event.hash:
            return checked, Break(key, event.seq, event.pk, "内容与哈希不符（本条被改动）")
        seq, prev_hash = event.seq, event.hash
        checked += 1
    if head is not None and (head.seq != seq or head.last_hash != prev_hash):
        return checked, Break(key, seq + 1, None, f"链头为第 {head.seq} 条，末尾记录缺失")
    return checked, None


def verify(chains: list[str] | None = None) -> tuple[int, list[Break]]:
    """Checks every chain (or the given ones). Returns (lines checked, the first break of each
    broken chain)."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    keys = set(heads)
    for organisation_id in AuditEvent.objects.values_list("organisation_id", flat=True).distinct():
        keys.add(chain_key(organisation_id))
    if chains:
        keys = {k for k in keys if k in chains}
    total, breaks = 0, []
    for key in sorted(keys):
        checked, broken = _verify_chain(key, heads.get(key))
        total += checked
        if broken:
            breaks.append(broken)
    return total, breaks
