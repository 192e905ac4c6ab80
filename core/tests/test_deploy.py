import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_check_deploy_is_clean_under_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TONGXIN_", "DJANGO_"))}
    env |= {
        "TONGXIN_HTTPS": "1",
        "TONGXIN_TESTING": "0",
        "SECRET_KEY": "p" * 20 + "-production-secret-key-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "tongxin.example.edu.cn",
        "DJANGO_SETTINGS_MODULE": "tongxin.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
