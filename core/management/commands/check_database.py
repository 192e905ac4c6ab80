"""`manage.py check_database`: does the configured database do everything Tongxin asks of PostgreSQL?
Written for a college that wants a domestic PostgreSQL-compatible server (openGauss, KingbaseES, …):
run it against a test instance before migrating. Every probe runs in a transaction that is rolled back,
so it changes nothing. docs/domestic-databases.md explains each line."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

MIN_VERSION = 140000  # Django 5.2's PostgreSQL backend refuses older servers

# (label, required, statements); a probe passes when every statement runs.
PROBES = [
    ("JSONB 字段与包含查询（@>）", True, ["SELECT '{\"a\": [1, 2]}'::jsonb @> '{\"a\": [1]}'::jsonb"]),
    (
        "PL/pgSQL 触发器（审计日志只追加）",
        True,
        [
            "CREATE TEMP TABLE tongxin_probe (id integer PRIMARY KEY, v text)",
            "CREATE FUNCTION pg_temp.tongxin_probe_fn() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'append only'; END $$",
            "CREATE TRIGGER tongxin_probe_trg BEFORE UPDATE OR DELETE ON tongxin_probe "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.tongxin_probe_fn()",
        ],
    ),
    (
        "自定义会话参数 SET LOCAL（审计清理开关）",
        True,
        ["SET LOCAL tongxin.audit_purge = 'on'", "SELECT current_setting('tongxin.audit_purge', true)"],
    ),
    (
        "INSERT … ON CONFLICT DO NOTHING（批量导入）",
        True,
        [
            "CREATE TEMP TABLE tongxin_probe_upsert (id integer PRIMARY KEY)",
            "INSERT INTO tongxin_probe_upsert VALUES (1), (1) ON CONFLICT DO NOTHING",
        ],
    ),
    (
        "SELECT … FOR UPDATE（并发保存、签到名额）",
        True,
        [
            "CREATE TEMP TABLE tongxin_probe_lock (id integer PRIMARY KEY)",
            "INSERT INTO tongxin_probe_lock VALUES (1)",
            "SELECT id FROM tongxin_probe_lock WHERE id = 1 FOR UPDATE",
        ],
    ),
    ("窗口函数与公共表表达式（统计）", True, ["WITH t(x) AS (VALUES (1), (2)) SELECT x, row_number() OVER () FROM t"]),
    ("pg_export_snapshot()（一致性备份）", False, ["SELECT pg_export_snapshot()"]),
]


class Command(BaseCommand):
    help = "Checks that the database (PostgreSQL or a compatible domestic server) supports what Tongxin uses."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(f"当前数据库为 {connection.vendor}：本检查只针对 PostgreSQL 及其兼容数据库。")
            return
        failures = 0
        try:
            connection.ensure_connection()
        except DatabaseError as error:  # Django refuses a server that reports a version below 14
            raise CommandError(f"无法连接或版本不受支持：{error}") from error
        version = connection.pg_version
        self.report("服务器版本 ≥ 14（Django 5.2 要求）", version >= MIN_VERSION, True, f"报告版本 {version}")
        failures += version < MIN_VERSION
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            encoding = cursor.fetchone()[0]
        self.report("数据库编码 UTF8", encoding.upper() in {"UTF8", "UTF-8"}, True, encoding)
        failures += encoding.upper() not in {"UTF8", "UTF-8"}
        for label, required, statements in PROBES:
            ok, detail = self.probe(statements)
            self.report(label, ok, required, detail)
            failures += required and not ok
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
            trigram = cursor.fetchone()[0] > 0
        self.report("pg_trgm 扩展（姓名模糊搜索加速，可选）", trigram, False, "")
        if failures:
            raise CommandError(f"{failures} 项必需功能不可用：不能在此数据库上运行同心。")
        self.stdout.write(self.style.SUCCESS("全部必需功能可用。"))

    def probe(self, statements: list[str]) -> tuple[bool, str]:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
                transaction.set_rollback(True)
        except DatabaseError as error:
            return False, str(error).splitlines()[0][:120]
        return True, ""

    def report(self, label: str, ok: bool, required: bool, detail: str) -> None:
        mark = "✓" if ok else ("✗" if required else "–")
        suffix = f"（{detail}）" if detail else ""
        self.stdout.write(f"  {mark} {label}{suffix}")
