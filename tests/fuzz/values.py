"""What an attacker or a careless spreadsheet sends: the values the fuzz tests draw from.

Hostile strings found in the wild (NUL bytes, control characters, markup, formula prefixes,
huge and full-width numbers, impossible dates, very long text) mixed with plausible values
taken from the page itself, so a generated request gets past the first check often enough to
reach the deeper ones.
"""

from __future__ import annotations

from hypothesis import strategies as st

HOSTILE = [
    "", " ", "   ", "\t", "\r\n", "\x00", "a\x00b", "\x01", "x\x1fy", "\x7f", "\u2028",
    "<meta http-equiv=refresh content='0;url=https://evil.example/'>",
    "<script>alert(1)</script>", "\"'><b>bold</b>", "&lt;&amp;",
    "=HYPERLINK(\"https://evil.example\",\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3",
    "@SUM(1+1)", "\t=1+1", "\r=1+1",
    "9" * 25, "-" + "9" * 25, "1" + "0" * 19, "18446744073709551616", "2147483648",
    "-1", "-0", "0", "1.5", "1e999", "-1e999", "NaN", "nan", "inf", "-inf", "0x1f",
    "１２３", "٣", "１３９０００００００１", "5" * 5000,
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "99999-01-01", "2026-01-01T00:00",
    "13900000001", "139 0000 0001", "+8613900000001", "0571-88001234",
    "x" * 101, "长" * 300, "y" * 5000, "\ufeff", "\u202eevil", "ＡＢＣ", "null", "None",
    "../../etc/passwd", "%00", "%s%s%n", "{{7*7}}", "' OR 1=1 --", "😀" * 10,
]

# Text without lone surrogates: a browser cannot send them as UTF-8 either.
_any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def big_int() -> st.SearchStrategy[str]:
    return st.one_of(st.integers(-(2**70), 2**70), st.integers(-5, 5)).map(str)


def value(plausible: list[str] | tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """One field or parameter value: hostile, random, numeric or plausible."""
    options = [st.sampled_from(HOSTILE), _any_text, big_int()]
    if plausible:
        good = st.sampled_from(list(plausible))
        options += [good, good, st.tuples(good, st.sampled_from(HOSTILE)).map("".join)]
    return st.one_of(options)


def cell() -> st.SearchStrategy:
    """One spreadsheet cell as a reader may meet it: text, numbers of any size, dates."""
    from datetime import date, datetime

    return st.one_of(
        st.sampled_from(HOSTILE), _any_text, st.integers(-(2**80), 2**80),
        st.floats(allow_nan=True, allow_infinity=True), st.none(),
        st.dates(date(1900, 1, 1), date(9999, 12, 31)),
        st.datetimes(datetime(1900, 1, 1), datetime(9999, 12, 31)),
    )
