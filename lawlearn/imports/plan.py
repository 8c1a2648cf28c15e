"""What an import would do, worked out before anything is written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

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


@dataclass
class ImportPlan:
    kind: str
    rows: int = 0
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)   # each with "id" and "changes"
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)          # kind-specific lookups

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {"rows": self.rows, "created": len(self.creates), "updated": len(self.updates),
                "unchanged": self.unchanged}
