"""Backup and restore (issue 11): one .tar.gz holding a consistent snapshot of the database, the
media files and a manifest (row counts per table, SHA-256 of every file, on PostgreSQL a hash of
every table's rows).

- SQLite: the online backup API copies the live database page by page into a snapshot file; the
  counts are taken from that snapshot.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the counts and table hashes are
  read in it and `pg_dump --snapshot` dumps exactly the same state.

`restore` refuses a database that already holds tables (a fresh instance), checks every file
against the manifest first, loads the database (SQLite backup API / `pg_restore`) and the media,
then counts again and compares with the manifest.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core import figures_cache

FORMAT = "tongxin-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {name: db.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0] for name in sorted(names)}  # noqa: S608
    finally:
        db.close()


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _pg_counts_and_hashes(cursor) -> tuple[dict[str, int], dict[str, str]]:
    counts, hashes = {}, {}
    for name in _pg_tables(cursor):
        table = _quote(name)
        # Every row as text, sorted: the same rows give the same hash whatever their physical order.
        cursor.execute(
            f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"  # noqa: S608
        )
        counts[name], hashes[name] = cursor.fetchone()
    return counts, hashes


def _pg_env_and_args() -> tuple[dict, list[str]]:
    conf = connection.settings_dict
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = conf["PASSWORD"]
    args = []
    if conf.get("HOST"):
        args += ["-h", conf["HOST"]]
    if conf.get("PORT"):
        args += ["-p", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["-U", conf["USER"]]
    return env, [*args, "-d", conf["NAME"]]


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted((path, "media/" + path.relative_to(root).as_posix()) for path in root.rglob("*") if path.is_file())


def create_backup(output: Path) -> dict:
    """Writes the backup archive to `output`; returns the manifest."""
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": vendor, "files": {}}
        if vendor == "sqlite":
            snapshot = tmp / SQLITE_FILE
            connection.ensure_connection()
            target = sqlite3.connect(snapshot)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            manifest["tables"] = _sqlite_counts(snapshot)
            manifest["database"] = SQLITE_FILE
        elif vendor == "postgresql":
            snapshot = tmp / PG_FILE
            env, args = _pg_env_and_args()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                manifest["tables"], manifest["table_hashes"] = _pg_counts_and_hashes(cursor)
                result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", "-f", str(snapshot), *args],  # noqa: S607
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
            if result.returncode:
                raise BackupError(f"pg_dump 失败：{result.stderr.strip()[:300]}")
            manifest["database"] = PG_FILE
        else:
            raise BackupError(f"不支持的数据库：{vendor}")
        manifest["files"][manifest["database"]] = _sha256(snapshot)
        media = _media_files()
        for path, name in media:
            manifest["files"][name] = _sha256(path)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(snapshot, arcname=manifest["database"])
            for path, name in media:
                archive.add(path, arcname=name)
        partial.replace(output)
        output.chmod(0o600)
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        return False
    return name in (MANIFEST, SQLITE_FILE, PG_FILE) or name.startswith("media/")


def read_backup(archive_path: Path, into: Path) -> dict:
    """Extracts the archive into `into` and checks every file against the manifest."""
    with tarfile.open(archive_path, "r:*") as archive:
        members = archive.getmembers()
        for member in members:
            if not member.isfile() or not _safe_name(member.name):
                raise BackupError(f"备份文件中有不允许的条目：{member.name}")
        archive.extractall(into, members=members, filter="data")
    manifest_path = into / MANIFEST
    if not manifest_path.exists():
        raise BackupError("备份文件中没有 manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError("不是同心的备份文件")
    for name, expected in manifest["files"].items():
        path = into / name
        if not path.exists():
            raise BackupError(f"备份文件缺少 {name}")
        if _sha256(path) != expected:
            raise BackupError(f"{name} 的 SHA-256 与清单不符：备份文件已损坏或被改动")
    return manifest


def _current_tables() -> list[str]:
    return [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]


def restore_backup(archive_path: Path, *, force: bool = False) -> dict:
    """Restores the archive into the configured database (which must be empty unless `force`) and
    MEDIA_ROOT; verifies counts (and on PostgreSQL table hashes) against the manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        manifest = read_backup(archive_path, tmp)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}")
        if _current_tables() and not force:
            raise BackupError("目标数据库不是空的：请恢复到新建的空数据库（或加 --force 覆盖）")
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir() and any(media_root.iterdir()) and not force:
            raise BackupError(f"媒体目录 {media_root} 不是空的（或加 --force 覆盖）")
        if connection.vendor == "sqlite":
            source = sqlite3.connect(tmp / SQLITE_FILE)
            connection.ensure_connection()
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            connection.close()
        else:
            env, args = _pg_env_and_args()
            command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--clean", "--if-exists"]
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [*command, *args, str(tmp / PG_FILE)], env=env, capture_output=True, text=True, check=False
            )
            if result.returncode:
                raise BackupError(f"pg_restore 失败：{result.stderr.strip()[:300]}")
        for name in manifest["files"]:
            if name.startswith("media/"):
                target = media_root / name.removeprefix("media/")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(tmp / name, target)
        verify_restored(manifest)
    figures_cache.forget()  # the restored versions may be lower than the cached ones
    return manifest


def verify_restored(manifest: dict) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            counts = {}
            for name in _current_tables():
                cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608
                counts[name] = cursor.fetchone()[0]
        hashes = None
    else:
        with connection.cursor() as cursor:
            counts, hashes = _pg_counts_and_hashes(cursor)
    if counts != manifest["tables"]:
        wrong = sorted(k for k in set(counts) | set(manifest["tables"]) if counts.get(k) != manifest["tables"].get(k))
        raise BackupError(f"恢复后的行数与清单不符：{', '.join(wrong[:10])}")
    if hashes is not None and hashes != manifest.get("table_hashes"):
        wrong = sorted(k for k in hashes if hashes[k] != manifest["table_hashes"].get(k))
        raise BackupError(f"恢复后的数据哈希与清单不符：{', '.join(wrong[:10])}")
