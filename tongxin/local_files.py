"""The files a checkout needs before Django starts: `var/` (SQLite database, media, huey queue)
and a per-checkout secret key. Called by `manage.py` so that importing settings writes nothing."""

import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def ensure_local_files(base_dir: Path = BASE_DIR) -> None:
    var = base_dir / "var"
    var.mkdir(exist_ok=True)
    key_file = var / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
