"""Writing one evidence binder as a ZIP: the index workbook and the summary at the top, then a
folder per month and unit (`2026-03/<unit code> <unit name>/`) holding each study session's
sign-in sheet and photos, with the thumbnails in a sub-folder.

The ZIP is written to `<id>.zip.part` and renamed when complete, so a reader never finds a
half-built file under the final name. Photos are already compressed: they are stored, not
deflated again (most of a binder's bytes, and most of the time saved)."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from lawlearn import clock
from lawlearn.binders import summary
from lawlearn.binders.queries import SHEET_CHUNK, BinderIndex, Subject, read_index, sheet_rows
from lawlearn.binders.sheets import SheetWriter
from lawlearn.binders.workbook import index_workbook
from lawlearn.i18n import gettext as _
from lawlearn.sessions.photos import photo_dir

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_name(text: str) -> str:
    """A file or folder name every unzip tool accepts: no separators, no control or
    Windows-reserved characters, no leading dots."""
    return _UNSAFE.sub("_", text).strip().lstrip(".")[:80] or "_"


def binder_folder() -> Path:
    folder = Path(current_app.instance_path) / "binders"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def unit_folder(session) -> str:
    return f"{session.held_on:%Y-%m}/{safe_name(f'{session.unit_code} {session.unit_name}')}"


def _render(name: str, **context) -> str:
    """A standalone page for the archive: rendered without a request, so straight from the
    environment (no context processors, which read the signed-in user)."""
    return current_app.jinja_env.get_template(name).render(**context)


def _add_photos(zf: zipfile.ZipFile, folder: str, session, index: BinderIndex,
                photos: Path, word: str, thumbnails: str) -> int:
    missing = 0
    for n, photo in enumerate(index.photos.get(session.id, []), start=1):
        stem = safe_name(f"{session.code} {word} {n}")
        extension = Path(photo.filename).suffix or ".jpg"
        for source, target in ((photo.filename, f"{folder}/{stem}{extension}"),
                               (photo.thumbnail, f"{folder}/{thumbnails}/{stem}.jpg")):
            path = photos / Path(source).name
            if path.is_file():
                zf.write(path, target, compress_type=zipfile.ZIP_STORED)
            else:
                missing += 1
    return missing


def write_binder(subject: Subject, target: Path,
                 progress: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Build the binder of `subject` into `target` (through `target`.part); returns its size.
    `progress(done, total)` is called after each chunk of study sessions: the caller commits
    it where others can see it."""
    index = read_index(subject)
    sessions = index.sessions
    total, done, missing = len(sessions) + 2, 0, 0
    progress(done, total)
    partial = target.with_name(target.name + ".part")
    photos = photo_dir()
    sheets = SheetWriter()
    sheet_word, index_name, summary_name = _("Sign-in sheet"), _("Index"), _("Summary")
    photo_word, thumbnails = _("Photo"), safe_name(_("Thumbnails"))
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for i in range(0, len(sessions), SHEET_CHUNK):
            chunk = sessions[i:i + SHEET_CHUNK]
            rows = sheet_rows([s.id for s in chunk])
            for session in chunk:
                folder = unit_folder(session)
                zf.writestr(f"{folder}/{safe_name(session.code)} {sheet_word}.html",
                            sheets.render(session, index.topics.get(session.id, []),
                                          rows.get(session.id, [])))
                missing += _add_photos(zf, folder, session, index, photos, photo_word,
                                       thumbnails)
            done += len(chunk)
            progress(done, total)
        zf.writestr(f"{safe_name(index_name)}.xlsx", index_workbook(index))
        progress(done + 1, total)
        zf.writestr(f"{safe_name(summary_name)}.html", _render(
            "binders/summary_file.html", **summary.context(subject, index, missing)))
    os.replace(partial, target)
    progress(total, total)
    return target.stat().st_size


def download_name(subject: Subject) -> str:
    who = subject.unit.code if subject.unit is not None else subject.town.code
    stamp = clock.today().strftime("%Y%m%d")
    title = _("Evidence binder")
    return safe_name(f"{title} {who} {subject.start:%Y-%m}_{subject.end:%Y-%m} {stamp}") + ".zip"
