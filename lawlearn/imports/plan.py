"""What an import would do, worked out before anything is written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa

from lawlearn.imports.reader import RowError

T = TypeVar("T")

# SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535: stay well below.
CHUNK = 5000


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def areas_by_code(codes: set[str], actor) -> dict:
    """{code: (area, whether `actor` may write for it)} for the codes a file names, in one
    query per chunk; from the CLI (no actor) every area is allowed. The importers report an
    area outside the actor's scope as one that does not exist."""
    from lawlearn.extensions import db
    from lawlearn.models import Area
    from lawlearn.scope import area_filter

    allowed = area_filter(actor) if actor is not None else sa.true()
    found = {}
    for batch in chunks(sorted(codes)):
        found.update((area.code, (area, bool(ok))) for area, ok in db.session.execute(
            sa.select(Area, allowed).where(Area.code.in_(batch))))
    return found


@dataclass
class ImportPlan:
    kind: str
    rows: int = 0
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)   # each with "id" and "changes"
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Worth a look but no reason to refuse the file (two areas of one name under one parent):
    # shown on the preview, never blocking.
    warnings: list[RowError] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)          # kind-specific lookups

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {"rows": self.rows, "created": len(self.creates), "updated": len(self.updates),
                "unchanged": self.unchanged}


def insert_rows(table, rows: list[dict[str, Any]], key: str) -> dict[Any, int]:
    """Insert `rows` with one executemany per chunk and return {row[key]: new id}.

    The ids come from a select by the unique `key` afterwards rather than from RETURNING:
    SQLite can't promise RETURNING order across a multi-row insert, so SQLAlchemy would fall
    back to one statement per row, 50,000 round trips for a large file.
    """
    from lawlearn.extensions import db

    ids: dict[Any, int] = {}
    key_column = table.c[key]
    for batch in chunks(rows):
        db.session.execute(table.insert(), batch)
        ids.update(db.session.execute(
            sa.select(key_column, table.c.id).where(key_column.in_([r[key] for r in batch]))
        ).all())
    return ids
