"""`make run PORT=…` serves QR codes and links for that port unless TONGXIN_BASE_URL is set
(issue 10, defect 1). `make -n` prints the commands without running them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(**env_extra) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "TONGXIN_BASE_URL"} | env_extra
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def _server_lines(lines):
    return [line for line in lines if "gunicorn" in line or "run_huey" in line]


def test_make_run_sets_the_base_url_from_the_port():
    servers = _server_lines(_dry_run())
    assert len(servers) == 2
    assert all('TONGXIN_BASE_URL="http://127.0.0.1:8101"' in line for line in servers)
    assert "--bind 127.0.0.1:8101" in servers[-1]


def test_an_explicit_base_url_wins():
    servers = _server_lines(_dry_run(TONGXIN_BASE_URL="https://tongxin.example.edu.cn"))
    assert all('TONGXIN_BASE_URL="https://tongxin.example.edu.cn"' in line for line in servers)


def test_settings_read_the_base_url_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"TONGXIN_BASE_URL": "http://127.0.0.1:8101/", "DJANGO_SETTINGS_MODULE": "tongxin.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.TONGXIN_BASE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "http://127.0.0.1:8101"


def test_make_run_serves_the_demo_without_enforced_two_factors_unless_asked(monkeypatch):
    monkeypatch.delenv("TONGXIN_2FA_REQUIRED", raising=False)
    servers = _server_lines(_dry_run())
    assert len(servers) == 2
    assert all('TONGXIN_2FA_REQUIRED="0"' in line for line in servers)
    servers = _server_lines(_dry_run(TONGXIN_2FA_REQUIRED="1"))
    assert all('TONGXIN_2FA_REQUIRED="1"' in line for line in servers)
