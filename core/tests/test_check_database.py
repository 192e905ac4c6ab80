"""`check_database` probes what Tongxin asks of a PostgreSQL-compatible server. On PostgreSQL (the second
pass of the suite) every required probe must pass and nothing may be left behind; on SQLite it says it
does not apply."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.management.commands import check_database

pytestmark = pytest.mark.django_db(transaction=True)


def run() -> str:
    out = io.StringIO()
    call_command("check_database", stdout=out)
    return out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="probes a PostgreSQL server")
def test_postgresql_passes_every_required_probe_and_keeps_nothing():
    output = run()

    assert "全部必需功能可用" in output
    assert "✗" not in output
    for label, _required, _statements in check_database.PROBES:
        assert label in output
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'tongxin_probe%'")
        assert cursor.fetchone()[0] == 0  # probes roll back


@pytest.mark.skipif(connection.vendor != "postgresql", reason="probes a PostgreSQL server")
def test_a_missing_required_feature_fails_the_check(monkeypatch):
    broken = [("不存在的功能", True, ["SELECT no_such_function()"])]
    monkeypatch.setattr(check_database, "PROBES", broken)

    with pytest.raises(CommandError, match="1 项必需功能不可用"):
        run()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite pass")
def test_sqlite_is_not_probed():
    assert "只针对 PostgreSQL" in run()
