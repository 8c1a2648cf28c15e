"""Evidence files for assessment entries (考核依据): a PDF up to MAX_PDF_BYTES, kept as sent,
or a photo checked and re-encoded without its metadata by lawlearn.sessions.photos (a phone
photo's EXIF can hold the GPS position of someone's home). Stored beside the session photos,
under random names, so `lawlearn backup` carries them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lawlearn.i18n import gettext as _
from lawlearn.sessions import photos

MAX_PDF_BYTES = 5 * 1024 * 1024
MAX_FILES = 10  # per entry
PREFIX = "evidence-"


class EvidenceError(ValueError):
    """Not an acceptable evidence file; the message says why, in the user's language."""


@dataclass(frozen=True)
class PreparedEvidence:
    data: bytes
    content_type: str
    extension: str


def prepare(stream: BinaryIO, filename: str) -> PreparedEvidence:
    head = stream.read(5)
    stream.seek(0)
    if head == b"%PDF-":
        data = stream.read(MAX_PDF_BYTES + 1)
        if len(data) > MAX_PDF_BYTES:
            raise EvidenceError(_("A PDF may be at most %(mb)d MB.", mb=MAX_PDF_BYTES >> 20))
        return PreparedEvidence(data, "application/pdf", "pdf")
    try:
        photo = photos.prepare(stream)
    except photos.PhotoError as error:
        raise EvidenceError(_("Upload a PDF, or a JPEG, PNG or WebP photo (%(why)s)",
                              why=str(error))) from None
    return PreparedEvidence(photo.data, photo.content_type, photo.extension)


def store(prepared: PreparedEvidence) -> str:
    name = f"{PREFIX}{secrets.token_hex(16)}.{prepared.extension}"
    (photos.photo_dir() / name).write_bytes(prepared.data)
    return name


def path_of(name: str) -> Path:
    return photos.photo_dir() / Path(name).name


def remove_files(names: list[str]) -> None:
    """Delete stored files; called after the commit that removed their rows."""
    for name in names:
        path_of(name).unlink(missing_ok=True)
