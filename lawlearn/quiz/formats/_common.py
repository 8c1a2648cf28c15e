"""Result types and helpers shared by the GIFT and Aiken readers and the GIFT writer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import _messages as msg

# Our quiz pages show at most six options (A-F); anything longer is skipped, not refused.
MAX_OPTIONS = 6
MIN_OPTIONS = 2

# U+FDD0.. are Unicode "noncharacters", reserved for a program's internal use. The GIFT lexer
# uses them as placeholders for escaped characters, so input containing them is refused.
RESERVED_FIRST = 0xFDD0
RESERVED_COUNT = 7
_RESERVED_RE = re.compile(f"[{chr(RESERVED_FIRST)}-{chr(RESERVED_FIRST + RESERVED_COUNT - 1)}]")

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass
class ImportedQuestion:
    """One question our app can use.

    ``stem``, ``options`` and ``explanation`` are the text as written in the file, with GIFT
    escapes resolved and any ``[html]``/``[plain]``/``[moodle]``/``[markdown]`` prefix removed.
    HTML is *not* converted: a question written as ``[html]`` keeps its tags, like Moodle.
    """

    kind: str  # "single" | "multiple" | "true_false"
    stem: str
    options: list[str]  # [] for true_false
    answer: str | list[str] | bool  # "B"; ["A", "C"] (sorted, 2+); True/False
    explanation: str = ""
    name: str | None = None
    category: str | None = None
    line: int = 0  # 1-based line of the question's first non-comment line


@dataclass
class SkippedQuestion:
    """A well-formed question of a kind we do not support (or cannot show), left out."""

    line: int
    name: str | None
    kind: str  # "essay", "matching", "numerical", "shortanswer", "description", "single", ...
    reason: str


@dataclass
class ParseResult:
    questions: list[ImportedQuestion] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)


class QuestionFormatError(ValueError):
    """Refuses the whole file. ``errors`` lists every problem found as (line, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = sorted(errors)
        super().__init__("; ".join(f"line {line}: {text}" for line, text in self.errors))


def letter(index: int) -> str:
    """Option letter for a 0-based index: 0 -> "A"."""
    return chr(ord("A") + index)


def decode_text(data: bytes | str, format_name: str) -> str:
    """Bytes -> text, refusing anything that is not UTF-8; a leading BOM is dropped.

    The error names the line holding the first bad byte, so the user can find it.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise QuestionFormatError([(line, msg.NOT_UTF8.format(fmt=format_name))]) from None
    else:
        text = data
    text = text.removeprefix("\ufeff")
    reserved = _RESERVED_RE.search(text)
    if reserved:
        line = text.count("\n", 0, reserved.start()) + 1
        raise QuestionFormatError([(line, msg.RESERVED_CHARACTER)])
    return text


def split_lines(text: str) -> list[str]:
    """Split on any line ending (LF, CRLF, old-Mac CR), keeping numbering as editors show it.

    ``str.splitlines`` is not used: it also breaks on form feeds and U+2028, which would make
    our line numbers disagree with the user's editor.
    """
    return _LINE_BREAK_RE.split(text)
