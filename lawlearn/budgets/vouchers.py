"""Vouchers (凭证) of disbursements: checked as assessment evidence is (a PDF up to 5 MB kept
as sent, or a JPEG, PNG or WebP photo re-encoded without its EXIF: a phone photo of a receipt
can carry where it was taken), stored beside the session photos under random names so
`lawlearn backup` carries them."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import BinaryIO

from lawlearn.assessment.evidence import EvidenceError, PreparedEvidence, prepare
from lawlearn.sessions import photos

PREFIX = "voucher-"

__all__ = ["EvidenceError", "path_of", "prepare_voucher", "remove_files", "store"]


def prepare_voucher(stream: BinaryIO, filename: str) -> PreparedEvidence:
    return prepare(stream, filename)


def store(prepared: PreparedEvidence) -> str:
    name = f"{PREFIX}{secrets.token_hex(16)}.{prepared.extension}"
    (photos.photo_dir() / name).write_bytes(prepared.data)
    return name


def path_of(name: str) -> Path:
    return photos.photo_dir() / Path(name).name


def remove_files(names: list[str]) -> None:
    """Delete stored files; called after the commit that removed their rows (or after a
    refused request stored one)."""
    for name in names:
        path_of(name).unlink(missing_ok=True)
