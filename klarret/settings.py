"""Settings from the environment (prefix KLARRET_), with defaults for the embedded set-up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path(__file__).resolve().parent / "vejledning"


def _secret_key(instance: Path) -> str:
    """KLARRET_SECRET_KEY, or a random key kept in instance/ so sessions survive a restart."""
    if os.environ.get("KLARRET_SECRET_KEY"):
        return os.environ["KLARRET_SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load(instance_path: str | Path) -> dict[str, Any]:
    """The app's configuration from KLARRET_* environment variables."""
    instance = Path(instance_path)
    build_dir = Path(os.environ.get("KLARRET_BUILD_DIR", ROOT / "build"))
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "KLARRET_DATABASE_URL", f"sqlite:///{instance / 'klarret.db'}"
        ),
        "SECRET_KEY": _secret_key(instance),
        "KLARRET_BUILD_DIR": build_dir,
        "KLARRET_HTML_DIR": build_dir / "html",
        "KLARRET_INDEX_DIR": build_dir / "index",
        "KLARRET_SOURCE_DIR": SOURCE_DIR,
        "KLARRET_CONF_DIR": ROOT,
    }
