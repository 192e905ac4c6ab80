"""The files a checkout needs before Django starts: `var/` (SQLite database, media, huey queue),
a per-checkout secret key and a field-encryption key. Called by `manage.py` so that importing
settings writes nothing. Production sets SECRET_KEY and TONGXIN_FIELD_KEY instead."""

import base64
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
    field_key = var / "field_key"
    if not field_key.exists():
        field_key.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(), encoding="utf-8")
        field_key.chmod(0o600)
