"""Moodle GIFT: read the question kinds our app supports, skip the others; write GIFT back.

Reading follows what Moodle 4.5's importer does with a whole file (see the conformance tests
under tests/quiz_formats). Where we differ, we are stricter: a file we accept imports into
Moodle with the same stems, options and correct answers; some files Moodle accepts but
silently misreads (stray braces, an unclosed ``::name``) are refused here. The deliberate
differences are marked "Unlike Moodle" below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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
from ._gift_lexer import TRIM, Block, clean, escape, iter_blocks, protect, restore

_CATEGORY = "$CATEGORY:"
_TRUE_FALSE_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# "%50%", "%-33.33333%"; Moodle reads no other weight syntax ("%+50%" stays answer text).
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d*)?)%")
# Moodle's stand-in for answers written in the middle of the text ("missing word" format).
_BLANK = "_____"


class _BlockError(Exception):
    """A syntax error in one question; collected so the file's refusal lists them all."""


@dataclass
class _Choice:
    text: str
    weight: float  # Moodle's fraction: 1 = fully correct, 0 = wrong, negative = penalty
    feedback: str


@dataclass
class _Context:
    """What every question of a block carries, whatever its kind."""

    line: int
    name: str | None
    category: str | None


def read_gift(data: bytes | str) -> ParseResult:
    """Parse a GIFT file. Raises QuestionFormatError listing every broken question."""
    text = decode_text(data, "GIFT")
    result = ParseResult()
    errors: list[tuple[int, str]] = []
    category: str | None = None
    for block in iter_blocks(split_lines(text)):
        try:
            if block.text.startswith(_CATEGORY):
                category = _read_category(block)
                continue
            item = _read_question(block, category)
        except _BlockError as exc:
            errors.append((block.line, str(exc)))
            continue
        if isinstance(item, SkippedQuestion):
            result.skipped.append(item)
        else:
            result.questions.append(item)
    if errors:
        raise QuestionFormatError(errors)
    return result


def _read_category(block: Block) -> str | None:
    # Unlike Moodle, which would swallow the following question into the category's name.
    if len(block.lines) > 1:
        raise _BlockError(msg.GIFT_CATEGORY_NOT_ALONE)
    # Taken verbatim: Moodle resolves no escape in category paths either (only a doubled
    # backslash becomes one).
    return block.text[len(_CATEGORY) :].strip(TRIM) or None


def _read_question(block: Block, category: str | None) -> ImportedQuestion | SkippedQuestion:
    name, body = _split_name(protect(block.text))
    context = _Context(block.line, name, category)
    parts = _split_answer_block(body)
    if parts is None:
        return _skip(context, "description")
    stem_text, answers = parts
    answers, general_feedback = _split_general_feedback(answers)
    kind = _moodle_kind(answers)
    if kind in msg.SKIP_UNSUPPORTED:
        if kind == "shortanswer" and _true_false_word(answers).upper() in _TRUE_FALSE_WORDS:
            return _skip(context, kind, msg.SKIP_TRUE_FALSE_CASE)
        return _skip(context, kind)
    stem = clean(stem_text)
    if not stem:
        raise _BlockError(msg.GIFT_EMPTY_STEM)
    if kind == "true_false":
        return _true_false_question(context, stem, answers, general_feedback)
    return _choice_question(context, stem, answers, general_feedback)


def _skip(context: _Context, kind: str, reason: str | None = None) -> SkippedQuestion:
    return SkippedQuestion(context.line, context.name, kind, reason or msg.SKIP_UNSUPPORTED[kind])


def _split_name(text: str) -> tuple[str | None, str]:
    """``::name::rest`` -> (name, rest). An empty name counts as no name."""
    if not text.startswith("::"):
        return None, text
    end = text.find("::", 2)
    if end < 0:
        # Unlike Moodle, which keeps going and makes the would-be name part of the stem.
        raise _BlockError(msg.GIFT_NAME_UNCLOSED)
    return restore(text[2:end]).strip(TRIM) or None, text[end + 2 :].strip(TRIM)


def _split_answer_block(body: str) -> tuple[str, str] | None:
    """Split off the ``{...}`` answers: (stem, answers), or None when there are no braces.

    Answers written mid-sentence leave a ``_____`` blank in the stem, exactly like Moodle,
    which also means text after a final ``}`` (even stray punctuation) gets a blank.
    """
    start, end = body.find("{"), body.find("}")
    if start < 0 and end < 0:
        return None
    if start < 0 or end < start:
        raise _BlockError(msg.GIFT_BRACES)
    # Unlike Moodle, which takes the first "{" and first "}" and leaves any further braces
    # (nested Cloze syntax, a second answer block) in the text, importing garbage.
    if "{" in body[start + 1 :] or "}" in body[end + 1 :]:
        raise _BlockError(msg.GIFT_EXTRA_BRACES)
    answers = body[start + 1 : end].strip(TRIM)
    if end == len(body) - 1:
        return body[:start], answers
    return body[:start] + _BLANK + body[end + 1 :], answers


def _split_general_feedback(answers: str) -> tuple[str, str]:
    """The text after the *last* ``####`` is the general feedback."""
    at = answers.rfind("####")
    if at < 0:
        return answers, ""
    return answers[:at].strip(TRIM), clean(answers[at + 4 :])


def _moodle_kind(answers: str) -> str:
    """Decide the kind from the (escape-protected) answer text, in Moodle's order."""
    if not answers:
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "matching"
    # Case-sensitive like Moodle: "{true}" is a short-answer question whose answer is "true".
    if _true_false_word(answers) in _TRUE_FALSE_WORDS:
        return "true_false"
    return "shortanswer"


def _true_false_word(answers: str) -> str:
    hash_at = answers.find("#")
    return answers[:hash_at].strip(TRIM) if hash_at > 0 else answers


def _true_false_question(
    context: _Context, stem: str, answers: str, general_feedback: str
) -> ImportedQuestion:
    # "{FALSE#shown if wrong#shown if right}": the feedback of the right branch explains.
    word, _, feedbacks = answers.partition("#")
    right_feedback = feedbacks.partition("#")[2]
    return ImportedQuestion(
        kind="true_false",
        stem=stem,
        options=[],
        answer=_TRUE_FALSE_WORDS[clean(word)],
        explanation=general_feedback or clean(right_feedback),
        name=context.name,
        category=context.category,
        line=context.line,
    )


def _choice_question(
    context: _Context, stem: str, answers: str, general_feedback: str
) -> ImportedQuestion | SkippedQuestion:
    # Moodle makes a single-answer question exactly when some answer uses "=".
    single = "=" in answers
    choices = _read_choices(answers)
    skipped_kind = "single" if single else "multiple"
    count = len(choices)
    if count < MIN_OPTIONS:
        return _skip(context, skipped_kind, msg.SKIP_TOO_FEW_OPTIONS.format(count=count))
    if count > MAX_OPTIONS:
        reason = msg.SKIP_TOO_MANY_OPTIONS.format(limit=MAX_OPTIONS, count=count)
        return _skip(context, skipped_kind, reason)
    # Single: only full marks count as correct; partial credit ("~%50%") is a wrong option
    # for us. Multiple: every option with a positive weight is correct.
    if single:
        correct = [i for i, choice in enumerate(choices) if choice.weight == 1.0]
        if len(correct) > 1:
            return _skip(context, skipped_kind, msg.SKIP_SEVERAL_FULL_MARKS)
    else:
        correct = [i for i, choice in enumerate(choices) if choice.weight > 0]
    if not correct:
        return _skip(context, skipped_kind, msg.SKIP_NO_CORRECT)
    # A multiple-answer question with one correct option is a plain single-answer one to us.
    letters = [letter(i) for i in correct]
    feedbacks = [choices[i].feedback for i in correct if choices[i].feedback]
    return ImportedQuestion(
        kind="multiple" if len(letters) > 1 else "single",
        stem=stem,
        options=[choice.text for choice in choices],
        answer=letters if len(letters) > 1 else letters[0],
        explanation=general_feedback or "\n".join(dict.fromkeys(feedbacks)),
        name=context.name,
        category=context.category,
        line=context.line,
    )


def _read_choices(answers: str) -> list[_Choice]:
    """``~wrong =right ~%50%half#feedback`` -> choices; options with no text are dropped.

    An "=" starts an answer just like "~" does (even inside feedback: escape it as "\\=").
    Moodle drops blank answers too, though only when it saves the question.
    """
    choices = []
    for piece in answers.replace("=", "~=").split("~"):
        weight, rest = _weight(piece.strip(TRIM))
        text, _, feedback = rest.partition("#")
        text = clean(text)
        if text:
            choices.append(_Choice(text, weight, clean(feedback)))
    return choices


def _weight(piece: str) -> tuple[float, str]:
    # "=" wins over a weight, as in Moodle: "=%50%x" is a correct answer reading "%50%x".
    if piece.startswith("="):
        return 1.0, piece[1:]
    match = _WEIGHT_RE.match(piece)
    if match is None:
        return 0.0, piece
    percent = float(match[1])
    if not -100 <= percent <= 100:
        raise _BlockError(msg.GIFT_WEIGHT_RANGE.format(weight=match[1]))
    return percent / 100, piece[match.end() :]


# --- Writing ------------------------------------------------------------------------------------


def write_gift(questions: Iterable[ImportedQuestion]) -> str:
    """GIFT text that Moodle (and :func:`read_gift`) imports back as the same questions.

    A ``$CATEGORY:`` line is written whenever the category changes. GIFT cannot switch back
    to "no category", so a question without one inherits the previous question's category.
    Raises ValueError for a question that cannot be written faithfully.
    """
    chunks: list[str] = []
    category: str | None = None
    for question in questions:
        if question.category is not None and question.category != category:
            category = question.category
            chunks.append(f"{_CATEGORY} {' '.join(category.split())}\n")
        chunks.append(_write_question(question))
    return "\n".join(chunks)


def _write_question(question: ImportedQuestion) -> str:
    if not question.stem.strip():
        raise ValueError(f"question at line {question.line} has no stem")
    head = f"::{escape(question.name, guard_start=False)}::" if question.name else ""
    if question.kind == "true_false":
        answers = _write_true_false(question)
    elif question.kind in ("single", "multiple"):
        answers = _write_choices(question)
    else:
        raise ValueError(f"cannot write a question of kind {question.kind!r}")
    return f"{head}{escape(question.stem)}{answers}\n"


def _write_true_false(question: ImportedQuestion) -> str:
    if not isinstance(question.answer, bool):
        raise ValueError(f"true/false answer must be a bool, not {question.answer!r}")
    word = "TRUE" if question.answer else "FALSE"
    general = f"####{escape(question.explanation)}" if question.explanation else ""
    return "{" + word + general + "}"


def _write_choices(question: ImportedQuestion) -> str:
    correct = _correct_indexes(question)
    # Multiple: correct options share 100% equally (100/n is one of Moodle's allowed grades
    # for n <= 10); a wrong one costs 100%, so ticking everything earns nothing.
    share = f"{100 / len(correct):.5f}".rstrip("0").rstrip(".")
    lines = []
    for i, option in enumerate(question.options):
        text = escape(option)
        if not option.strip():
            raise ValueError(f"question at line {question.line} has an empty option")
        if question.kind == "multiple":
            marker = f"~%{share}%" if i in correct else "~%-100%"
        elif i in correct:
            marker = "="
        else:
            # A wrong option starting with "%" would be read as a weight: give it one.
            marker = "~%0%" if text.startswith("%") else "~"
        lines.append(f"\t{marker}{text}\n")
    if question.explanation:
        lines.append(f"\t####{escape(question.explanation)}\n")
    return "{\n" + "".join(lines) + "}"


def _correct_indexes(question: ImportedQuestion) -> set[int]:
    letters = [question.answer] if question.kind == "single" else question.answer
    if not isinstance(letters, list) or not all(isinstance(x, str) for x in letters):
        raise ValueError(f"bad answer {question.answer!r} for a {question.kind} question")
    valid = {letter(i): i for i in range(len(question.options))}
    if not letters or any(x not in valid for x in letters):
        raise ValueError(f"answer {question.answer!r} names no option of {question.options!r}")
    if question.kind == "multiple" and len(set(letters)) < 2:
        raise ValueError("a multiple-answer question needs at least 2 correct options")
    return {valid[x] for x in letters}
