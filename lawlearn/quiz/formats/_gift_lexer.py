"""GIFT lexing: question blocks, comments, backslash escapes and text-format prefixes.

A GIFT file is a sequence of blocks separated by blank lines; lines starting with ``//`` are
comments. Escaped control characters (``\\=`` and friends) are swapped for placeholder
characters *before* the structure of a question is parsed, so that ``{``, ``~``, ``=``, ``#``
and ``:`` inside text never look like syntax; :func:`clean` swaps them back at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ._common import RESERVED_FIRST

# Moodle trims with PHP's trim(), which removes only these characters. Python's str.strip()
# would also remove U+3000 (the ideographic space Chinese texts indent with), so we use the
# same set to keep stems identical to what Moodle imports.
TRIM = " \t\n\r\0\x0b"

# The characters a backslash may escape; "n" stands for a line break.
_ESCAPABLE = ":#={}~n"
_PLACEHOLDER = {char: chr(RESERVED_FIRST + i) for i, char in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({ph: ("\n" if char == "n" else char) for char, ph in _PLACEHOLDER.items()})
# One left-to-right pass: "\\" is consumed first, so "\\=" is a backslash and then a real "=".
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")

_FORMAT_RE = re.compile(r"\[(html|moodle|plain|markdown)\]")


@dataclass
class Block:
    """The non-comment lines of one question (joined by "\\n") and where they start."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def iter_blocks(lines: list[str]) -> Iterator[Block]:
    """Yield the blank-line separated blocks, comments removed; comment-only blocks vanish.

    Each line is trimmed first, as Moodle's whole-file import does, so indentation is not kept.
    """
    current: Block | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip(TRIM)
        if not line:
            if current is not None:
                yield current
            current = None
        elif line.startswith("//"):
            continue
        elif current is None:
            current = Block(line=number, lines=[line])
        else:
            current.lines.append(line)
    if current is not None:
        yield current


def protect(text: str) -> str:
    """Replace backslash escapes by placeholders; an unknown escape such as ``\\a`` stays."""
    return _ESCAPE_RE.sub(lambda m: "\\" if m[1] == "\\" else _PLACEHOLDER[m[1]], text)


def restore(text: str) -> str:
    """Turn placeholders back into the characters they stand for."""
    return text.translate(_RESTORE)


def clean(text: str) -> str:
    """Protected text -> final text: drop a format prefix, resolve escapes, trim."""
    text = text.strip(TRIM)
    prefix = _FORMAT_RE.match(text)
    if prefix:
        text = text[prefix.end() :]
    # Trimming after restoring, like Moodle, also drops "\n" escapes at either end.
    return restore(text).strip(TRIM)


def escape(text: str, *, guard_start: bool = True) -> str:
    """Plain text -> GIFT text that :func:`clean` turns back into exactly ``text``.

    Line breaks become ``\\n`` so a text never contains the blank line that ends a question.
    With ``guard_start``, a text that would start with an ``[html]``-like word (read as a
    format prefix) or with ``//`` (read as a comment) gets an explicit ``[moodle]`` prefix.
    """
    out = text.replace("\\", "\\\\")
    for char in ":#={}~":
        out = out.replace(char, "\\" + char)
    out = out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    if guard_start and (_FORMAT_RE.match(out) or out.startswith("//")):
        out = "[moodle]" + out
    return out
