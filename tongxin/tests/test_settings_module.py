"""Settings are read from the environment and importing them writes nothing; manage.py prepares
`var/` and the per-checkout secret key."""

import base64
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tongxin.local_files import ensure_local_files

SETTINGS = Path(settings.BASE_DIR) / "tongxin" / "settings.py"


def _import_settings_in(tmp_path, **env):
    """Imports a copy of settings.py whose BASE_DIR is `tmp_path`."""
    package = tmp_path / "tongxin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(SETTINGS, package / "settings.py")
    return subprocess.run(
        [sys.executable, "-c", "import tongxin.settings as s; print(s.SECRET_KEY[:5])"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_importing_settings_creates_no_files(tmp_path):
    result = _import_settings_in(
        tmp_path,
        SECRET_KEY="from-the-environment-0123456789",
        TONGXIN_FIELD_KEY="dGVzdHMtb25seS1maWVsZC1rZXktMDEyMzQ1Njc4OTA=",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tongxin"]


def test_settings_without_a_secret_key_refuse_to_start_in_chinese(tmp_path):
    result = _import_settings_in(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tongxin"]


def test_settings_without_a_field_key_refuse_to_start_in_chinese(tmp_path):
    result = _import_settings_in(tmp_path, SECRET_KEY="from-the-environment-0123456789")
    assert result.returncode != 0
    assert "TONGXIN_FIELD_KEY 未设置" in result.stderr


def test_manage_py_prepares_var_and_private_keys_once(tmp_path):
    ensure_local_files(tmp_path)
    keys = {name: tmp_path / "var" / name for name in ("secret_key", "field_key")}
    values = {name: path.read_text() for name, path in keys.items()}
    assert len(values["secret_key"]) >= 50
    assert len(base64.urlsafe_b64decode(values["field_key"])) == 32  # a Fernet key
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in keys.values())
    ensure_local_files(tmp_path)
    assert {name: path.read_text() for name, path in keys.items()} == values


def test_the_suite_runs_with_its_own_settings_module():
    import os

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "tongxin.testing"
    assert settings.TESTING is True
