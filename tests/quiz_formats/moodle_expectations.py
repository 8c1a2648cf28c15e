"""Compare our parse of a fixture with what Moodle 4.5.6's importer produced (its JSON).

Both sides are reduced to :class:`Row` lists in file order, so each conformance test is one
``assert ours == expected`` with pytest's readable diff. The Moodle side is mapped to our
kinds by the issue's rules, written out here independently of the parser:

- multichoice single=1 -> "single", correct = the option with fraction 1;
- multichoice single=0 -> "multiple", correct = options with fraction > 0 (one correct ->
  "single"); 0 correct, or fewer than 2 / more than 6 options -> skipped;
- truefalse -> "true_false"; every other qtype -> skipped under our kind name.

Text is compared modulo whitespace (runs collapse to one space: Moodle keeps comment lines
as blank lines and keeps <pre> indentation in unit snippets). Aiken text is HTML-escaped by
Moodle and plain in our result, so it is unescaped first. Auto-generated names of unnamed
questions are approximate in the JSON, so a name is compared only when the file writes one.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from lawlearn.quiz.formats import ParseResult

# Moodle's own files and its importer's output, copied into the repository (see its README.md).
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
_SKIPPED_KIND = {
    "essay": "essay",
    "match": "matching",
    "numerical": "numerical",
    "shortanswer": "shortanswer",
    "description": "description",
}


def fixtures_dir() -> Path:
    """The conformance fixtures; a missing folder fails the test rather than skipping it."""
    path = Path(os.environ.get("LAWLEARN_QFORMAT_FIXTURES") or FIXTURES_DIR)
    if not (path / "expected-by-moodle").is_dir():
        pytest.fail(
            f"Question-format fixtures not found at {path} (tests/quiz_formats/fixtures/, or "
            "the folder LAWLEARN_QFORMAT_FIXTURES names)."
        )
    return path


def moodle_json(source: Path) -> dict[str, Any]:
    """Moodle's parse of a fixture file (unit snippets live in their own sub-folder)."""
    expected = fixtures_dir() / "expected-by-moodle"
    if source.parent.name == "moodle-gift-unit-snippets":
        expected = expected / "unit_test_snippets"
    return json.loads((expected / f"{source.name}.moodle-import.json").read_text("utf-8"))


def moodle_error_lines(data: dict[str, Any]) -> list[int]:
    """Line numbers quoted in Moodle's error messages ("... on line 18")."""
    return [int(m[1]) for error in data["errors"] for m in [re.search(r"on line (\d+)", error)]]


@dataclass(frozen=True)
class Row:
    status: str  # "imported" | "skipped"
    kind: str
    name: str | None
    stem: str = ""
    options: tuple[str, ...] = ()
    answer: str | tuple[str, ...] | bool | None = None
    explanation: str = ""
    category: str | None = None
    line: int = 0  # ours only: used to see whether the file names the question


def normalise(text: str, *, html_escaped: bool = False) -> str:
    if html_escaped:
        text = html.unescape(text)
    return " ".join(text.split())


def rows_from_result(result: ParseResult) -> list[Row]:
    rows = [
        Row(
            "imported",
            q.kind,
            q.name,
            normalise(q.stem),
            tuple(normalise(option) for option in q.options),
            tuple(q.answer) if isinstance(q.answer, list) else q.answer,
            normalise(q.explanation),
            q.category,
            q.line,
        )
        for q in result.questions
    ]
    rows += [Row("skipped", s.kind, s.name, line=s.line) for s in result.skipped]
    return sorted(rows, key=lambda row: row.line)


def rows_from_moodle(data: dict[str, Any], *, html_escaped: bool = False) -> list[Row]:
    rows: list[Row] = []
    category = None
    for question in data["questions"]:
        qtype = question["qtype"]
        if qtype == "category":
            category = question["category"]
        elif qtype == "multichoice":
            rows.append(_moodle_choice(question, category, html_escaped))
        elif qtype == "truefalse":
            rows.append(_moodle_true_false(question, category))
        else:
            rows.append(Row("skipped", _SKIPPED_KIND[qtype], question["name"]))
    return rows


def _moodle_choice(question: dict[str, Any], category: str | None, escaped: bool) -> Row:
    def text(field: dict[str, Any]) -> str:
        return normalise(field["text"], html_escaped=escaped)

    answers = [
        (text(answer), fraction, text(feedback))
        for answer, fraction, feedback in zip(
            question["answer"], question["fraction"], question["feedback"], strict=True
        )
        if answer["text"].strip()
    ]
    single = question["single"] == 1
    correct = [i for i, (_, f, _) in enumerate(answers) if (f == 1 if single else f > 0)]
    kind = "multiple" if len(correct) > 1 else "single"
    if not 2 <= len(answers) <= 6 or not correct or (single and len(correct) > 1):
        return Row("skipped", "single" if single else "multiple", question["name"])
    letters = tuple(chr(ord("A") + i) for i in correct)
    feedback = " ".join(dict.fromkeys(answers[i][2] for i in correct if answers[i][2]))
    return Row(
        "imported",
        kind,
        question["name"],
        normalise(question["questiontext"], html_escaped=escaped),
        tuple(answer[0] for answer in answers),
        letters if kind == "multiple" else letters[0],
        normalise(question["generalfeedback"]) or feedback,
        category,
    )


def _moodle_true_false(question: dict[str, Any], category: str | None) -> Row:
    correct = question["correctanswer"] == 1
    right_feedback = question["feedbacktrue" if correct else "feedbackfalse"]["text"]
    return Row(
        "imported",
        "true_false",
        question["name"],
        normalise(question["questiontext"]),
        (),
        correct,
        normalise(question["generalfeedback"]) or normalise(right_feedback),
        category,
    )


def compare_with_moodle(
    result: ParseResult, data: dict[str, Any], source: str, *, html_escaped: bool = False
) -> tuple[list[Row], list[Row]]:
    """(ours, expected), ready for ``assert ours == expected``.

    Expected rows borrow our line numbers (the JSON has none) and keep Moodle's name only
    where the file writes ``::name::`` on that line; otherwise the name must be None.
    """
    ours = rows_from_result(result)
    expected = rows_from_moodle(data, html_escaped=html_escaped)
    lines = source.splitlines()
    for i, (mine, theirs) in enumerate(zip(ours, expected, strict=False)):
        named = lines[mine.line - 1].strip().startswith("::")
        expected[i] = replace(theirs, line=mine.line, name=theirs.name if named else None)
    return ours, expected
