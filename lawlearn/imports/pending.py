"""Checked import files waiting for the user's "Import now".

They hold what the upload held, participants' full mobile numbers included, so they live no
longer than the decision needs: PENDING_SECONDS (an hour by default), deleted as soon as the
import is confirmed or cancelled, swept whenever a file is uploaded, when the app starts and by
`lawlearn purge`. The session cookie holds only the random token naming the file.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SUFFIXES = ("csv", "xlsx")


def folder(instance_path: str | Path) -> Path:
    return Path(instance_path) / "uploads"


def purge(instance_path: str | Path, max_age: float) -> int:
    """Delete pending files older than `max_age` seconds; how many went."""
    where = folder(instance_path)
    if not where.is_dir():
        return 0
    cutoff = time.time() - max_age
    removed = 0
    for old in where.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
            removed += 1
    return removed


def path_for(instance_path: str | Path, token: str, suffix: str) -> Path | None:
    """Where a token's file is, or None for a token or suffix that is not ours."""
    if not TOKEN_RE.match(token or "") or suffix not in SUFFIXES:
        return None
    return folder(instance_path) / f"{token}.{suffix}"


def save(instance_path: str | Path, token: str, suffix: str, data: bytes, max_age: float) -> None:
    purge(instance_path, max_age)
    path = path_for(instance_path, token, suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def load(instance_path: str | Path, token: str, suffix: str, max_age: float) -> bytes | None:
    """The file's bytes while it is fresh; an expired one is deleted and reads as None."""
    path = path_for(instance_path, token, suffix)
    if path is None or not path.is_file():
        return None
    if path.stat().st_mtime < time.time() - max_age:
        path.unlink(missing_ok=True)
        return None
    return path.read_bytes()


def discard(instance_path: str | Path, token: str, suffix: str) -> None:
    path = path_for(instance_path, token, suffix)
    if path is not None:
        path.unlink(missing_ok=True)
