"""Issue 11, hole 9 and the tamper-evident audit log: the database refuses UPDATE and DELETE of audit
lines except the retention purge; every line is chained to the one before; `verify_audit` finds the
first broken link; the purge leaves a signed checkpoint so the rest still verifies."""

import threading
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from core import audit, audit_chain
from core.models import AuditChainHead, AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.django_db


def as_attacker(sql: str, params=()):
    """Someone with the database owner's rights: drops the triggers, changes rows, puts the triggers
    back. (Inside the test's transaction, so the rollback restores everything.)"""
    with connection.cursor() as cursor:
        for statement in audit_chain.trigger_sql(connection.vendor, drop=True):
            cursor.execute(statement)
        cursor.execute(sql, params)
        for statement in audit_chain.trigger_sql(connection.vendor):
            cursor.execute(statement)


def verify_output() -> tuple[bool, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


# --- Hole 9: append-only in the database ------------------------------------------------------


def test_queryset_update_of_an_audit_line_is_refused_by_the_database(org):
    event = audit.record("login", username="ufd", organisation=org)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    assert AuditEvent.objects.get(pk=event.pk).action == "login"


def test_queryset_delete_of_an_audit_line_is_refused_by_the_database(org):
    event = audit.record("login", username="ufd", organisation=org)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).count() == 1


def test_raw_sql_update_and_delete_are_refused(org):
    event = audit.record("login", username="ufd", organisation=org)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET username = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    assert list(AuditEvent.objects.values_list("username", flat=True)) == ["ufd"]


def test_the_purge_path_allows_delete_but_never_update(org):
    event = audit.record("login", username="ufd", organisation=org)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(audit_chain.purge_sql(connection.vendor, on=True))
        cursor.execute("UPDATE core_auditevent SET username = 'x' WHERE id = %s", [event.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(audit_chain.purge_sql(connection.vendor, on=True))
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        cursor.execute(audit_chain.purge_sql(connection.vendor, on=False))
    assert AuditEvent.objects.count() == 0
    # Closed again at the end of the purge: the next delete is refused.
    audit.record("login", username="ufd", organisation=org)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()


def test_deleting_a_user_keeps_their_audit_lines(org, user_factory):
    user = user_factory(username="gone")
    audit.record("login", user=user, organisation=org)
    user.delete()
    assert list(AuditEvent.objects.values_list("username", flat=True)) == ["gone"]


# --- The chain ------------------------------------------------------------------------------


def test_lines_are_chained_per_organisation_and_orgless_lines_have_their_own_chain(org, other_org):
    a1 = audit.record("login", username="a", organisation=org)
    b1 = audit.record("login", username="b", organisation=other_org)
    n1 = audit.record("login.failed", username="nobody")
    a2 = audit.record("logout", username="a", organisation=org)
    assert [(e.seq, e.prev_hash) for e in (a1, a2)] == [(1, ""), (2, a1.hash)]
    assert (b1.seq, b1.prev_hash, n1.seq, n1.prev_hash) == (1, "", 1, "")
    assert len(a1.hash) == 64 and a1.hash != a2.hash
    assert AuditChainHead.objects.get(chain=f"org:{org.pk}").last_hash == a2.hash
    assert verify_output() == (True, "审计日志完整：已校验 4 条记录\n")


def test_verify_reports_a_changed_line(org):
    for n in range(4):
        audit.record("view", username="ufd", organisation=org, changes={"n": n})
    third = AuditEvent.objects.get(seq=3)
    as_attacker("UPDATE core_auditevent SET changes = %s WHERE id = %s", ['{"n": 99}', third.pk])

    ok, text = verify_output()

    assert not ok
    assert f"审计链 org:{org.pk} 在第 3 条（ID {third.pk}）断开：内容与哈希不符（本条被改动）" in text


def test_verify_reports_a_deleted_line_in_the_middle(org):
    for n in range(4):
        audit.record("view", username="ufd", organisation=org, changes={"n": n})
    second = AuditEvent.objects.get(seq=2)
    as_attacker("DELETE FROM core_auditevent WHERE id = %s", [second.pk])

    ok, text = verify_output()

    assert not ok
    assert f"在第 2 条（ID {AuditEvent.objects.get(seq=3).pk}）断开：缺少第 2 条" in text


def test_verify_reports_a_deleted_last_line(org):
    for n in range(3):
        audit.record("view", username="ufd", organisation=org, changes={"n": n})
    last = AuditEvent.objects.get(seq=3)
    as_attacker("DELETE FROM core_auditevent WHERE id = %s", [last.pk])

    ok, text = verify_output()

    assert not ok
    assert "在第 3 条断开：链头为第 3 条，末尾记录缺失" in text


def test_verify_reports_a_rewritten_chain_whose_hashes_were_recomputed_from_a_changed_line(org):
    """An attacker who changes a line and recomputes its own hash still breaks the next link."""
    for n in range(3):
        audit.record("view", username="ufd", organisation=org, changes={"n": n})
    first = AuditEvent.objects.get(seq=1)
    first.changes = {"n": 42}
    forged = audit_chain.event_hash(first)
    as_attacker("UPDATE core_auditevent SET changes = %s, hash = %s WHERE id = %s", ['{"n": 42}', forged, first.pk])

    ok, text = verify_output()

    assert not ok
    assert "在第 2 条" in text and "前一条哈希不符" in text


def test_purge_leaves_a_signed_checkpoint_and_the_rest_still_verifies(org, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    with mock.patch("core.audit_chain.timezone.now", return_value=now - timedelta(days=200)):
        for _ in range(3):
            audit.record("login", username="old", organisation=org)
    kept = audit.record("login", username="recent", organisation=org)

    deleted = audit.purge_expired(now=now)

    assert deleted == 3
    checkpoint = AuditCheckpoint.objects.get(chain=f"org:{org.pk}")
    assert (checkpoint.seq, checkpoint.deleted, checkpoint.last_hash) == (3, 3, kept.prev_hash)
    assert list(AuditEvent.objects.filter(organisation=org).values_list("seq", flat=True)) == [4]
    assert verify_output()[0] is True


def test_verify_reports_a_forged_checkpoint(org, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    with mock.patch("core.audit_chain.timezone.now", return_value=now - timedelta(days=200)):
        audit.record("login", username="old", organisation=org)
    audit.record("login", username="recent", organisation=org)
    audit.purge_expired(now=now)
    settings.AUDIT_CHECKPOINT_KEY = "a key the attacker guessed"
    AuditCheckpoint.objects.create(
        chain=f"org:{org.pk}", seq=1, last_hash="0" * 64, signature=audit_chain.sign_checkpoint("x", 1, "0" * 64)
    )
    settings.AUDIT_CHECKPOINT_KEY = "the real key"

    ok, text = verify_output()

    assert not ok
    assert "清理检查点的签名不符" in text


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain(org):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: real row locks between connections (SQLite serialises every writer)")
    start = threading.Barrier(8)
    errors = []

    def write(n):
        try:
            start.wait(timeout=30)
            for i in range(10):
                audit.record("view", username=f"w{n}", organisation=org, changes={"i": i})
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(AuditEvent.objects.filter(organisation=org).values_list("seq", flat=True)) == list(range(1, 81))
    assert verify_output() == (True, "审计日志完整：已校验 80 条记录\n")


def test_truncate_is_refused_on_postgresql(org):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has none)")
    audit.record("login", username="ufd", organisation=org)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 1
