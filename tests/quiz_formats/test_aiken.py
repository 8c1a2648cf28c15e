"""Aiken reader: Moodle conformance fixtures and edge cases."""

from __future__ import annotations

import pytest

from lawlearn.quiz.formats import ImportedQuestion, QuestionFormatError, read_aiken
from lawlearn.quiz.formats import _messages as msg

from .moodle_expectations import (
    compare_with_moodle,
    fixtures_dir,
    moodle_error_lines,
    moodle_json,
)


def aiken_errors(data: str | bytes) -> list[tuple[int, str]]:
    with pytest.raises(QuestionFormatError) as caught:
        read_aiken(data)
    return caught.value.errors


def test_questions_aiken_matches_moodle() -> None:
    path = fixtures_dir() / "moodle-aiken/questions.aiken.txt"
    result = read_aiken(path.read_bytes())
    ours, expected = compare_with_moodle(
        result, moodle_json(path), path.read_text("utf-8"), html_escaped=True
    )
    assert ours == expected
    assert len(result.questions) == 2
    # Plain text, not HTML-escaped as Moodle stores it.
    assert result.questions[1].stem.endswith('<html class="cool"> & images:')


@pytest.mark.parametrize(
    "relative",
    ["moodle-aiken/aiken_errors.txt", "moodle-zh-cn-help/zh_cn_aiken_help_example.txt"],
)
def test_files_with_errors_are_refused_on_moodles_lines(relative: str) -> None:
    path = fixtures_dir() / relative
    lines = [line for line, _ in aiken_errors(path.read_bytes())]
    assert lines == moodle_error_lines(moodle_json(path))


def test_aiken_errors_lines_and_messages() -> None:
    path = fixtures_dir() / "moodle-aiken/aiken_errors.txt"
    assert aiken_errors(path.read_bytes()) == [
        (3, msg.AIKEN_TOO_FEW_OPTIONS),
        (5, msg.AIKEN_NOT_STARTED),
        (7, msg.AIKEN_NOT_STARTED),
        (18, msg.AIKEN_NOT_COMPLETE),
    ]


def test_aiken_errors_good_questions_match_moodle_once_the_bad_ones_go() -> None:
    path = fixtures_dir() / "moodle-aiken/aiken_errors.txt"
    broken = {1, 2, 3, 5, 7, 14, 15, 16}  # the lines of the three broken questions
    lines = path.read_text("utf-8").splitlines()
    text = "\n".join("" if i in broken else line for i, line in enumerate(lines, start=1))
    ours, expected = compare_with_moodle(
        read_aiken(text), moodle_json(path), text, html_escaped=True
    )
    assert ours == expected


def test_translated_answer_keyword_is_not_an_answer_line() -> None:
    path = fixtures_dir() / "moodle-zh-cn-help/zh_cn_aiken_help_example.txt"
    assert aiken_errors(path.read_bytes()) == [
        (6, msg.AIKEN_ANSWER_SPELLING),  # "答案：D"
        (8, msg.AIKEN_NOT_COMPLETE),  # Moodle read "答案：D" as a new question
        (15, msg.AIKEN_ANSWER_SPELLING),  # "答案：A"
    ]


def test_multi_line_text_dot_labels_and_blank_lines() -> None:
    text = (
        "\ufeff根据《劳动合同法》，\n"
        "下列说法正确的是：\n"
        "A. 甲\n"
        "\n"
        "B. 乙\n"
        "ANSWER: B\n"
        "Next question?\n"
        "A)yes\n"
        "B)\tno\n"
        "ANSWER:A"
    )
    result = read_aiken(text.encode())
    assert result.questions == [
        ImportedQuestion(
            "single", "根据《劳动合同法》，\n下列说法正确的是：", ["甲", "乙"], "B", line=1
        ),
        ImportedQuestion("single", "Next question?", ["yes", "no"], "A", line=7),
    ]


def test_more_than_six_options_is_skipped() -> None:
    options = "".join(f"{chr(ord('A') + i)}) o{i}\n" for i in range(7))
    result = read_aiken(f"Q?\n{options}ANSWER: G\n\nQ2?\nA) a\nB) b\nANSWER: A\n")
    assert [(s.line, s.kind, s.reason) for s in result.skipped] == [
        (1, "single", msg.SKIP_TOO_MANY_OPTIONS.format(limit=6, count=7))
    ]
    assert [q.stem for q in result.questions] == ["Q2?"]


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("Q\nA) a\nC) c\nANSWER: A", [(3, msg.AIKEN_OPTION_ORDER.format(expected="B"))]),
        ("Q\nA) a\nB)\nANSWER: A", [(3, msg.AIKEN_EMPTY_OPTION)]),
        ("Q\nA) a\nB) b\nANSWER: C", [(4, msg.AIKEN_BAD_ANSWER.format(last="B"))]),
        ("Q\nA) a\nB) b\nANSWER: b", [(4, msg.AIKEN_BAD_ANSWER.format(last="B"))]),
        ("Q\nA) a\nB) b\nAnswer: A", [(4, msg.AIKEN_ANSWER_SPELLING)]),
        ("Q\nA) a\nB) b\n", [(1, msg.AIKEN_UNFINISHED_AT_END)]),
        ("Q1\n\nQ2\nA) a\nB) b\nANSWER: A", [(3, msg.AIKEN_NOT_COMPLETE)]),
    ],
)
def test_syntax_errors(text: str, errors: list[tuple[int, str]]) -> None:
    assert aiken_errors(text) == errors


def test_not_utf8_is_refused() -> None:
    assert aiken_errors("Q\nA) caf\u00e9\nB) b\nANSWER: A".encode("cp1252")) == [
        (2, msg.NOT_UTF8.format(fmt="Aiken"))
    ]
