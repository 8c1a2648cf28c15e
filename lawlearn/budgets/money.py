"""Amounts of money as the app keeps them: integer fen (分). Typed as yuan with at most two
decimals ("1200", "1,200.50"); shown as ¥1,200.50.

Digits must be ASCII, as for every other number the app reads (lawlearn.validation
.parse_count): full-width "１２０" is refused with a message rather than guessed at.
"""

from __future__ import annotations

import re
from decimal import Decimal

from lawlearn.i18n import gettext as _

# The largest amount a Numeric(12, 2) could hold: 9,999,999,999.99 yuan.
MAX_FEN = 10**12 - 1
YUAN_SIGNS = "¥￥"  # the half- and full-width yuan signs, as a Chinese keyboard types them
_AMOUNT_RE = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_yuan(text) -> int | None:
    """Fen from what a person typed, or None when it is not an amount of 0 or more yuan with
    at most two decimals (a leading ¥ or ￥ and spaces around it are allowed)."""
    raw = str(text if text is not None else "").strip().lstrip(YUAN_SIGNS).strip()
    if not raw.isascii() or not _AMOUNT_RE.match(raw) or len(raw) > 20:
        return None
    fen = int(Decimal(raw.replace(",", "")) * 100)
    return fen if fen <= MAX_FEN else None


def amount_problem(text, *, positive: bool = True) -> str | None:
    """The words for an amount that cannot be taken, or None when it can."""
    raw = str(text if text is not None else "").strip()
    body = raw.lstrip(YUAN_SIGNS).strip()
    if not body:
        return _("Enter an amount in yuan.")
    if not body.isascii():
        return _("“%(value)s”: write the amount with ordinary digits 0–9 (not full-width "
                 "ones).", value=raw)
    if body.startswith("-"):
        return _("The amount cannot be negative.")
    if re.match(r"^[\d,]+\.\d{3,}$", body):
        return _("“%(value)s”: at most two decimals (fen).", value=raw)
    if not _AMOUNT_RE.match(body):
        return _("“%(value)s” is not an amount in yuan (e.g. 1200 or 1200.50).", value=raw)
    fen = parse_yuan(raw)
    if fen is None:
        return _("“%(value)s” is larger than any budget.", value=raw)
    if positive and fen == 0:
        return _("The amount must be above 0.")
    return None


def yuan(fen: int | None) -> str:
    """¥1,200.50; an unknown amount as a dash."""
    if fen is None:
        return "–"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def plain_yuan(fen: int) -> str:
    """1200.50: an amount as a form shows it again."""
    whole, cents = divmod(int(fen), 100)
    return f"{whole}.{cents:02d}"


def rate(part: int | None, whole: int | None) -> Decimal | None:
    """part ÷ whole, exact; None when there is nothing to divide by."""
    if not whole:
        return None
    return Decimal(int(part or 0)) / Decimal(int(whole))


def percent(share: Decimal | None) -> str:
    """A rate as 62.5 % (one decimal); a dash when there is none."""
    if share is None:
        return "–"
    return f"{(share * 100).quantize(Decimal('0.1'))} %"
