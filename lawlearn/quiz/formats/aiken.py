"""Aiken: one-correct-answer choice questions, read as Moodle reads them.

    Question text (may span lines until the first option)
    A) First option          (or "A. First option")
    B) Second option
    ANSWER: B

Every question is "single". Any error refuses the whole file. The error lines match Moodle's
for the same file; the differences are marked "Unlike Moodle" below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import _messages as msg
from ._common import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    ImportedQuestion,
    ParseResult,
    QuestionFormatError,
    SkippedQuestion,
    decode_text,
    letter,
    split_lines,
)

# Moodle's trim() set; see _gift_lexer.TRIM for why str.strip() is not used.
_TRIM = " \t\n\r\0\x0b"
_OPTION_RE = re.compile(r"([A-Z])[.)][ \t]?(.*)")
_ANSWER_PREFIX = "ANSWER:"  # exact: uppercase, ASCII colon, as Moodle requires
# Near-misses of the answer line ("Answer: B", the translated "答案：D") that Moodle reads as
# the start of a new question; recognising them only improves the error message.
_ANSWER_LOOKALIKE_RE = re.compile(r"(answer|答案)\s*[:：]", re.IGNORECASE)


@dataclass
class _Draft:
    """A question being read: its text lines, then its options."""

    line: int
    text: list[str]
    options: list[str] = field(default_factory=list)
    after_blank: bool = False  # a blank line came after the question started


class _AikenReader:
    def __init__(self) -> None:
        self.result = ParseResult()
        self.errors: list[tuple[int, str]] = []
        self.draft: _Draft | None = None

    def feed(self, number: int, raw: str) -> None:
        line = raw.strip(_TRIM)
        option = _OPTION_RE.fullmatch(line)
        if not line:
            if self.draft is not None:
                self.draft.after_blank = True
        elif option:
            self._option(number, option[1], option[2].strip(_TRIM))
        elif line.startswith(_ANSWER_PREFIX):
            self._answer(number, line[len(_ANSWER_PREFIX) :].strip(_TRIM))
        else:
            self._text(number, line)

    def finish(self) -> ParseResult:
        # Unlike Moodle, which silently drops a last question that has no ANSWER line.
        if self.draft is not None:
            self._error(self.draft.line, msg.AIKEN_UNFINISHED_AT_END)
        if self.errors:
            raise QuestionFormatError(self.errors)
        return self.result

    def _error(self, line: int, message: str) -> None:
        # One error per line: the end-of-file error may name a line already reported as the
        # start of a broken question; saying it twice would not help the user.
        if all(line != seen for seen, _ in self.errors):
            self.errors.append((line, message))

    def _text(self, number: int, line: str) -> None:
        draft = self.draft
        # Unlike Moodle 4.5, the text may continue on the next lines (the rule), up to
        # the first option or a blank line. Moodle reports those lines as new questions.
        if draft is not None and not draft.options and not draft.after_blank:
            draft.text.append(line)
            return
        if draft is not None:
            lookalike = draft.options and _ANSWER_LOOKALIKE_RE.match(line)
            self._error(number, msg.AIKEN_ANSWER_SPELLING if lookalike else msg.AIKEN_NOT_COMPLETE)
        # Like Moodle, the offending line starts the next question, so error lines agree.
        self.draft = _Draft(line=number, text=[line])

    def _option(self, number: int, label: str, text: str) -> None:
        draft = self.draft
        if draft is None:
            self._error(number, msg.AIKEN_NOT_STARTED)
            return
        # Unlike Moodle, which ignores the letters and takes options in file order.
        expected = letter(len(draft.options))
        if label != expected:
            self._error(number, msg.AIKEN_OPTION_ORDER.format(expected=expected))
        elif not text:
            self._error(number, msg.AIKEN_EMPTY_OPTION)
        draft.options.append(text)

    def _answer(self, number: int, choice: str) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            self._error(number, msg.AIKEN_NOT_STARTED)
            return
        count = len(draft.options)
        if count < MIN_OPTIONS:
            self._error(number, msg.AIKEN_TOO_FEW_OPTIONS)
            return
        # Unlike Moodle, which takes the first character, whatever it is, and imports a
        # question with no correct option when it names none ("ANSWER: b", "ANSWER: Z").
        if choice not in {letter(i) for i in range(count)}:
            self._error(number, msg.AIKEN_BAD_ANSWER.format(last=letter(count - 1)))
            return
        if count > MAX_OPTIONS:
            reason = msg.SKIP_TOO_MANY_OPTIONS.format(limit=MAX_OPTIONS, count=count)
            self.result.skipped.append(SkippedQuestion(draft.line, None, "single", reason))
            return
        self.result.questions.append(
            ImportedQuestion(
                kind="single",
                stem="\n".join(draft.text),
                options=draft.options,
                answer=choice,
                line=draft.line,
            )
        )


def read_aiken(data: bytes | str) -> ParseResult:
    """Parse an Aiken file. Raises QuestionFormatError listing every error by line.

    Stems and options are plain text: unlike Moodle, we do not HTML-escape them (Moodle stores
    Aiken text as HTML, so ``<`` becomes ``&lt;`` there).
    """
    reader = _AikenReader()
    for number, raw in enumerate(split_lines(decode_text(data, "Aiken")), start=1):
        reader.feed(number, raw)
    return reader.finish()
