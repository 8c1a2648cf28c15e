"""Photo evidence: check that an upload really is a JPEG, PNG or WebP picture, re-encode it
without its metadata, make a thumbnail, keep both in <instance>/photos/.

Why re-encode: a phone photo carries EXIF, often with the GPS position of the meeting (a
villager's home) and the phone's serial number; a fresh image written from the pixels alone
carries none of that. Decoding the whole picture also proves it is a picture, and refusing
huge pixel counts stops a small file that decompresses into gigabytes.
"""

from __future__ import annotations

import io
import math
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from lawlearn.i18n import gettext as _

MAX_MB = 20                      # phones take 6–12 MB pictures; a 48-MP mode up to ~20 MB
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_PHOTOS = 6
MAX_PIXELS = 40_000_000          # a 40-megapixel phone camera; anything bigger is refused
MAX_SIDE = 2000                  # evidence needs to be legible, not print-quality (~0.5 MB)
THUMB_SIDE = 320
# Pillow's own limit warns at MAX and fails at twice that; we refuse at MAX (see _open).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

FORMATS = {  # Pillow format → (content type, file extension, save options)
    "JPEG": ("image/jpeg", "jpg", {"quality": 85, "optimize": True}),
    "PNG": ("image/png", "png", {"optimize": True}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
}


class PhotoError(ValueError):
    """Not an acceptable photo; the message says why, in the user's language."""


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int


def photo_dir() -> Path:
    folder = Path(current_app.instance_path) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read_limited(stream: BinaryIO) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoError(_("A photo may be at most %(mb)d MB.", mb=MAX_MB))
    if not data:
        raise PhotoError(_("The file is empty."))
    return data


def _open(data: bytes) -> Image.Image:
    """Open and fully decode, or raise PhotoError. Pillow only warns between MAX_PIXELS and
    twice that; the warning is turned into a refusal here so production behaves like tests."""
    not_a_photo = PhotoError(_("This file is not a JPEG, PNG or WebP photo."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS:
                    raise not_a_photo
                probe.verify()  # structure and checksums, without decoding the pixels
            image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable
            _decode_small(image)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_("This picture has too many pixels (at most 40 megapixels).")) \
            from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_a_photo from None
    return image


def _decode_small(image: Image.Image) -> None:
    """Let a JPEG decode straight at 1/2, 1/4 or 1/8 scale when that still leaves at least
    MAX_SIDE on the longest side: a 12-MP phone photo then costs a quarter of the memory and
    time, and is scaled down to MAX_SIDE anyway."""
    if image.format != "JPEG":
        return
    width, height = image.size
    ratio = MAX_SIDE / max(width, height)
    if ratio < 1:
        image.draft(image.mode, (max(1, math.ceil(width * ratio)),
                                 max(1, math.ceil(height * ratio))))


def _clean_copy(image: Image.Image, fmt: str) -> Image.Image:
    """The pixels, upright, in a brand-new image: no EXIF, no GPS, no text chunks."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha and fmt != "JPEG" else "RGB"
    upright = upright.convert(mode)
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    fresh = Image.new(mode, upright.size)
    fresh.paste(upright)
    return fresh


def _thumbnail(clean: Image.Image) -> bytes:
    small = clean
    if small.mode == "RGBA":  # JPEG has no transparency: put it on white
        backdrop = Image.new("RGB", small.size, "white")
        backdrop.paste(small, mask=small.getchannel("A"))
        small = backdrop
    small = small.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def prepare(stream: BinaryIO) -> PreparedPhoto:
    """Check and re-encode one upload; nothing is written to disk yet."""
    image = _open(_read_limited(stream))
    fmt = image.format
    content_type, extension, options = FORMATS[fmt]
    try:
        clean = _clean_copy(image, fmt)
    except (OSError, ValueError):  # modes Pillow can't convert (exotic 16-bit, CMYK PNG…)
        raise PhotoError(_("This file is not a JPEG, PNG or WebP photo.")) from None
    out = io.BytesIO()
    clean.save(out, fmt, **options)
    return PreparedPhoto(out.getvalue(), _thumbnail(clean), content_type, extension,
                         clean.width, clean.height)


def store(photo: PreparedPhoto) -> tuple[str, str]:
    """Write the photo and its thumbnail under random names; returns both file names."""
    folder = photo_dir()
    stem = secrets.token_hex(16)
    name, thumb = f"{stem}.{photo.extension}", f"{stem}-thumb.jpg"
    (folder / name).write_bytes(photo.data)
    (folder / thumb).write_bytes(photo.thumbnail)
    return name, thumb


def remove_files(names: list[str]) -> None:
    """Delete stored files; called after the commit that removed their rows."""
    folder = photo_dir()
    for name in names:
        (folder / Path(name).name).unlink(missing_ok=True)
