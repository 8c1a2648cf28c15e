"""Spreadsheet cells that stay text (OWASP "CSV injection").

A cell a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) gets a leading apostrophe. Helper "input" is writing the shared neutralising function
for every export; until it lands this is the audit export's own, in this one place.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
