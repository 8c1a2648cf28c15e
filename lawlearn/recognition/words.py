"""The words of recognitions: the title a unit's kind earns, the statuses, and what the public
verification page says about a recognition on a given day."""

from __future__ import annotations

from datetime import date

from lawlearn.codes import Code, CodeList
from lawlearn.i18n import lazy_gettext as _l

# The unit's kind decides the title on the plaque.
TITLES = CodeList(
    Code("household", _l("Model study household")),
    Code("enterprise_group", _l("Model study group")),
    Code("building", _l("Model study building")),
)

STATUSES = CodeList(
    Code("nominated", _l("Nominated")),
    Code("town_reviewed", _l("Reviewed by the town")),
    Code("rejected", _l("Rejected")),
    Code("approved", _l("Approved")),
    Code("revoked", _l("Revoked")),
)

# What the public page says, beyond the stored status: an approved recognition of a past year
# has expired, one of a coming year (renewed ahead of time) is not in force yet.
STANDINGS = CodeList(
    Code("valid", _l("Valid")),
    Code("upcoming", _l("Approved, in force from next year")),
    Code("expired", _l("Expired")),
    Code("revoked", _l("Revoked")),
)

# Which the public page shows at all: nominations still under review, or rejected, are not
# recognitions and read as not found.
PUBLIC_STATUSES = ("approved", "revoked")


def standing(status: str, year: int, today: date) -> str:
    if status == "revoked":
        return "revoked"
    if year < today.year:
        return "expired"
    return "upcoming" if year > today.year else "valid"
