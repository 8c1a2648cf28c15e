"""The area tree: county → towns → villages, communities and enterprises."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.base import Base


class Area(Base):
    """An administrative area, or an enterprise (a leaf under a town).

    `path` is the chain of codes from the root, each followed by "/" ("330100/330101/…/"), so a
    subtree is one indexed prefix match and a report can group descendants by their ancestor
    without recursive queries. Codes are the areas' identity (imports upsert by code), so they
    never change and the path never needs rewriting except when an area moves.
    """

    __tablename__ = "areas"
    __table_args__ = (
        CheckConstraint(
            "level IN ('county', 'town', 'village', 'community', 'enterprise')", name="level"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Enterprises only.
    employees: Mapped[int | None] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(100))

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.code")

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.level}>"

    @property
    def ancestor_codes(self) -> list[str]:
        return self.path.strip("/").split("/")[:-1]

    def contains(self, other: Area) -> bool:
        return other.path.startswith(self.path)
