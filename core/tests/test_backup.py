"""Backup and restore (issue 11): a backup restores into a fresh, empty instance with the same row
counts and hashes; a damaged archive and a database in use are refused."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core import audit
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    conf = connection.settings_dict
    name = f"tongxin_restore_{uuid.uuid4().hex[:8]}"
    dsn = dict(host=conf["HOST"], port=conf["PORT"] or 5432, user=conf["USER"], password=conf["PASSWORD"])
    with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{conf['USER']}:{conf['PASSWORD']}@{conf['HOST']}:{dsn['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, database_url, media_root):
    """Runs manage.py as a separate instance (its own settings, database and media directory)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TONGXIN_MEDIA_ROOT": str(media_root),
        "TONGXIN_FIELD_KEY": ",".join(settings.FIELD_KEYS),
    }
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def data(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "照片.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 5000)
    for n in range(3):
        PersonFactory(organisation=org, name=f"成员{n}")
    for n in range(5):
        audit.record("view", username="ufd", organisation=org, changes={"n": n})


def test_backup_restores_into_a_fresh_instance_with_the_same_counts_and_hashes(data, tmp_path, fresh_database):
    archive = tmp_path / "tongxin.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["tables"]["people_person"] == 3
    assert manifest["tables"]["core_auditevent"] == 5
    photo = "media/evidence/照片.jpg"
    assert photo in names
    assert manifest["files"][photo] == hashlib.sha256(b"\xff\xd8\xff" + b"x" * 5000).hexdigest()
    assert "已备份到" in out.getvalue()

    media2 = tmp_path / "media2"
    result = manage("restore", str(archive), database_url=fresh_database, media_root=media2)

    assert result.returncode == 0, result.stderr
    assert "行数与哈希均与清单一致" in result.stdout
    assert hashlib.sha256((media2 / "evidence" / "照片.jpg").read_bytes()).hexdigest() == manifest["files"][photo]
    # The restored instance holds the same people (decrypted with the same key) and an intact audit chain.
    shell = manage(
        "shell",
        "-c",
        "from people.models import Person; print(sorted(Person.objects.values_list('name', flat=True)))",
        database_url=fresh_database,
        media_root=media2,
    )
    assert shell.stdout.strip().splitlines()[-1] == "['成员0', '成员1', '成员2']", shell.stderr
    verify = manage("verify_audit", database_url=fresh_database, media_root=media2)
    assert verify.returncode == 0 and "已校验 5 条记录" in verify.stdout, verify.stderr


def test_restore_refuses_a_database_in_use(data, tmp_path):
    archive = tmp_path / "tongxin.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_refuses_a_damaged_archive(data, tmp_path, fresh_database):
    archive = tmp_path / "tongxin.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.endswith("照片.jpg"):
                content = content.replace(b"x", b"y", 1)
            target.addfile(member, io.BytesIO(content))

    result = manage("restore", str(damaged), database_url=fresh_database, media_root=tmp_path / "m3")

    assert result.returncode != 0
    assert "media/evidence/照片.jpg 的 SHA-256 与清单不符" in result.stderr
