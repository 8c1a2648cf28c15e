"""GIFT reader and writer: Moodle conformance fixtures, edge cases and round trips."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lawlearn.quiz.formats import (
    ImportedQuestion,
    ParseResult,
    QuestionFormatError,
    read_aiken,
    read_gift,
    write_gift,
)
from lawlearn.quiz.formats import _messages as msg

from .moodle_expectations import compare_with_moodle, fixtures_dir, moodle_json

GIFT_FIXTURES = [
    "moodle-gift/questions.gift.txt",
    "moodle-gift/questions_in_category.gift.txt",
    "moodle-gift/examples.txt",
    *(
        f"moodle-gift-unit-snippets/{name}"
        for name in [
            "test_import_backslash.gift",
            "test_import_essay.gift",
            "test_import_match.gift",
            "test_import_multichoice.gift",
            "test_import_multichoice_multi.gift",
            "test_import_multichoice_multi_tricky.gift",
            "test_import_numerical.gift",
            "test_import_pre_content.gift",
            "test_import_question_with_tags.gift",
            "test_import_shortanswer.gift",
            "test_import_shortanswer_with_general_feedback.gift",
            "test_import_truefalse.gift",
            "test_import_truefalse_true_answer1.gift",
            "test_import_truefalse_true_answer2.gift",
        ]
    ),
]
ZH_CN_GIFT = "moodle-zh-cn-help/zh_cn_help_examples.gift"


def fixture(relative: str) -> Path:
    return fixtures_dir() / relative


def errors_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(QuestionFormatError) as caught:
        read_gift(text)
    return caught.value.errors


def without_lines(result: ParseResult) -> list[ImportedQuestion]:
    return [dataclasses.replace(q, line=0) for q in result.questions]


# --- Conformance with Moodle 4.5.6 --------------------------------------------------------------


@pytest.mark.parametrize("relative", GIFT_FIXTURES)
def test_fixture_matches_moodle(relative: str) -> None:
    path = fixture(relative)
    ours, expected = compare_with_moodle(
        read_gift(path.read_bytes()), moodle_json(path), path.read_text("utf-8")
    )
    assert ours == expected


def test_questions_gift_keeps_the_five_supported_questions() -> None:
    result = read_gift(fixture("moodle-gift/questions.gift.txt").read_bytes())
    assert [(q.name, q.kind, q.answer) for q in result.questions] == [
        ("Q2", "single", "A"),
        ("colours", "multiple", ["A", "C"]),
        ("Q1", "true_false", False),
        ("2-08 TSL", "true_false", True),
        ("2-08 TSL", "true_false", True),
    ]
    assert [(s.name, s.kind) for s in result.skipped] == [
        ("Q8", "essay"),
        ("Moodle activities", "matching"),
        ("Q5", "numerical"),
        ("Shortanswer", "shortanswer"),
    ]
    # Moodle's quirk kept: the stray '";' after "}" makes a missing-word blank.
    assert result.questions[2].stem == '42 is the Absolute Answer to everything._____";'


def test_category_is_carried_to_the_following_questions() -> None:
    result = read_gift(fixture("moodle-gift/questions_in_category.gift.txt").read_bytes())
    assert {q.category for q in result.questions} == {"$course$/Default for New Features"}
    assert [q.name for q in result.questions] == ["Greeting", "Moodle acronym"]


def test_windows_1252_file_is_refused_as_not_utf8() -> None:
    data = fixture("moodle-gift/questions_encoding_windows-1252.gift.txt").read_bytes()
    with pytest.raises(QuestionFormatError) as caught:
        read_gift(data)
    # Line 15 holds the cp1252 byte 0xF6 ("ö").
    assert caught.value.errors == [(15, msg.NOT_UTF8.format(fmt="GIFT"))]
    assert "GIFT files must use UTF-8" in str(caught.value)


def test_zh_cn_help_is_refused_at_the_question_moodle_reports() -> None:
    # Moodle reports "Could not find {...} around answers" for block 3 (a "{" is missing)
    # and, with its default "stop on error", imports nothing: we refuse the file likewise.
    path = fixture(ZH_CN_GIFT)
    text = path.read_text("utf-8")
    data = moodle_json(path)
    assert len(data["errors"]) == 1 and "{...}" in data["errors"][0]
    broken_line = text.splitlines().index("美国的感恩节是在十一月的") + 1
    assert errors_of(text) == [(broken_line, msg.GIFT_BRACES)]


def test_zh_cn_help_without_the_broken_question_matches_moodle() -> None:
    path = fixture(ZH_CN_GIFT)
    lines = path.read_text("utf-8").splitlines()
    start = lines.index("美国的感恩节是在十一月的")
    end = lines.index("} 个星期四。")
    # Blank the broken block (keeping line numbers) and parse the rest.
    text = "\n".join("" if start <= i <= end else line for i, line in enumerate(lines))
    ours, expected = compare_with_moodle(read_gift(text), moodle_json(path), text)
    assert ours == expected


def test_examples_keep_everything_moodle_keeps() -> None:
    result = read_gift(fixture("moodle-gift/examples.txt").read_bytes())
    assert len(result.questions) + len(result.skipped) == 43
    assert sorted({s.kind for s in result.skipped}) == ["matching", "numerical", "shortanswer"]


# --- Reading: encodings, line endings, kinds ---------------------------------------------------


def test_bom_and_line_endings_are_accepted() -> None:
    gift = "// c\n::N::Q?{T}\n\n::M::R?{~a =b}\n"
    expected = without_lines(read_gift(gift))
    for variant in (
        b"\xef\xbb\xbf" + gift.encode(),
        gift.replace("\n", "\r\n").encode(),
        gift.replace("\n", "\r").encode(),
    ):
        assert without_lines(read_gift(variant)) == expected
    assert [q.line for q in read_gift(gift.replace("\n", "\r\n")).questions] == [2, 4]


def test_true_false_is_case_sensitive_like_moodle() -> None:
    result = read_gift("::a::Q?{true}\n\n::b::Q?{F#wrong#right}\n\n::c::Q?{TRUE#no####why}")
    assert [(s.name, s.kind, s.reason) for s in result.skipped] == [
        ("a", "shortanswer", msg.SKIP_TRUE_FALSE_CASE)
    ]
    assert [(q.answer, q.explanation) for q in result.questions] == [
        (False, "right"),  # the feedback shown for the right answer
        (True, "why"),  # general feedback wins
    ]


@pytest.mark.parametrize(
    ("answers", "kind", "reason"),
    [
        ("~a", "multiple", msg.SKIP_TOO_FEW_OPTIONS.format(count=1)),
        ("=a ~ ~", "single", msg.SKIP_TOO_FEW_OPTIONS.format(count=1)),
        ("=a ~b ~c ~d ~e ~f ~g", "single", msg.SKIP_TOO_MANY_OPTIONS.format(limit=6, count=7)),
        ("=a =b ~c", "single", msg.SKIP_SEVERAL_FULL_MARKS),
        ("~%-50%a ~b", "multiple", msg.SKIP_NO_CORRECT),
    ],
)
def test_choice_questions_we_cannot_show_are_skipped(answers: str, kind: str, reason: str) -> None:
    result = read_gift(f"::n::Q?{{{answers}}}")
    assert result.questions == []
    assert [(s.kind, s.reason, s.name, s.line) for s in result.skipped] == [(kind, reason, "n", 1)]


def test_choice_mapping() -> None:
    result = read_gift(
        "Q1?{~%100%yes#ok ~%-50%no}\n\n"  # one positive weight: single
        "Q2?{~%50%a#A! ~%50%b#B! ~%-100%c}\n\n"
        "Q3?{=full#best ~%50%half#meh ~wrong}\n\n"  # partial credit is wrong for us
        "Q4?{~%50%a#same ~%50%b#same}"
    )
    assert [(q.kind, q.answer, q.explanation) for q in result.questions] == [
        ("single", "A", "ok"),
        ("multiple", ["A", "B"], "A!\nB!"),
        ("single", "A", "best"),
        ("multiple", ["A", "B"], "same"),
    ]


def test_escapes_formats_and_feedback_are_resolved() -> None:
    gift = (
        "::a\\:b::[html]<b>1\\{2\\}</b>\\nnext{\n"
        "=[plain]x \\= y \\~ z\\#1 # [html]<i>fb</i>\n"
        "~[markdown]C:\\\\dir ## two\n"
        "~[other]kept\n"
        "}"
    )
    (question,) = read_gift(gift).questions
    assert question.name == "a:b"
    assert question.stem == "<b>1{2}</b>\nnext"
    assert question.options == ["x = y ~ z#1", "C:\\dir", "[other]kept"]
    assert question.explanation == "<i>fb</i>"


def test_comments_blank_lines_and_description() -> None:
    result = read_gift("// only a comment\n\n// c\n::n:: Just text.\n// inside\n\n\n")
    assert result.questions == []
    assert [(s.kind, s.line, s.name) for s in result.skipped] == [("description", 4, "n")]


# --- Reading: errors refuse the whole file ------------------------------------------------------


def test_every_broken_question_is_reported_at_its_first_line() -> None:
    gift = "\n".join(
        [
            "// comment lines do not count",
            "::a:: Q {=x ~y",  # 2
            "",
            "::b Q {=x ~y}",  # 4
            "",
            "Q {=x ~y} and {z}",  # 6
            "",
            "$CATEGORY: a/b",  # 8
            "::c:: Q {=x ~y}",
            "",
            "{=x ~y}",  # 11
            "",
            "Q {~%150%x ~y}",  # 13
            "",
            "Q } {=x ~y",  # 15
            "",
            "::fine:: Q {=x ~y}",
        ]
    )
    assert errors_of(gift) == [
        (2, msg.GIFT_BRACES),
        (4, msg.GIFT_NAME_UNCLOSED),
        (6, msg.GIFT_EXTRA_BRACES),
        (8, msg.GIFT_CATEGORY_NOT_ALONE),
        (11, msg.GIFT_EMPTY_STEM),
        (13, msg.GIFT_WEIGHT_RANGE.format(weight="150")),
        (15, msg.GIFT_BRACES),
    ]


def test_reserved_placeholder_characters_are_refused() -> None:
    assert errors_of("Q?\n{T\ufdd0}") == [(2, msg.RESERVED_CHARACTER)]


# --- Writing and round trips -------------------------------------------------------------------

VARIETY = r"""
$CATEGORY: $course$/top/民法典

// single, Chinese text, feedback of the right answer becomes the explanation
::民法典 第1条::根据《民法典》，下列哪项正确？{
    ~甲：合同无效
    =乙：合同有效 # 对，依法成立的合同受法律保护。
    ~丙：视情况而定
}

::escapes \: all::Braces \{x\}, equals \= tilde \~ hash \# colon \: backslash \\ and\na new line{
    =a \= b
    ~C:\\temp
    ~50% off
    ~%abc
####General \{feedback\}\nover two lines.
}

$CATEGORY: other/分类

// multiple, three correct
Which are rights?{~%33.33333%言论自由 ~%33.33333%A ~%33.33333%B ~%-100%D}

[html]<p>HTML 判断题</p>{FALSE#错#对}

::tf:: The sun rises in the east.{TRUE}
"""


def test_round_trip_variety() -> None:
    first = read_gift(VARIETY)
    assert len(first.questions) == 5 and first.skipped == []
    written = write_gift(first.questions)
    assert without_lines(read_gift(written)) == without_lines(first)


def round_trip_sources() -> list[str]:
    return [*GIFT_FIXTURES, "moodle-aiken/questions.aiken.txt"]


@pytest.mark.parametrize("relative", round_trip_sources())
def test_round_trip_fixtures(relative: str) -> None:
    data = fixture(relative).read_bytes()
    first = (read_aiken if relative.endswith(".aiken.txt") else read_gift)(data)
    assert without_lines(read_gift(write_gift(first.questions))) == without_lines(first)


@pytest.mark.parametrize(
    "text",
    [
        "[html] starts like a format tag",
        "// starts like a comment",
        ":: starts like a name",
        "$CATEGORY: starts like a category",
        "%50% starts like a weight",
        "ends with a backslash \\",
        "{ all } the = special ~ chars # : \\ 中文 \n second line",
        "T",
    ],
)
def test_round_trip_awkward_text(text: str) -> None:
    questions = [
        ImportedQuestion("single", text, [text, "other"], "B", explanation=text),
        ImportedQuestion("single", text, ["other", text], "A"),
        ImportedQuestion("multiple", text, [text, "b", "c"], ["A", "C"], explanation=text),
        ImportedQuestion("true_false", text, [], False, explanation=text),
    ]
    assert without_lines(read_gift(write_gift(questions))) == questions


def test_written_gift_looks_like_moodles_export() -> None:
    questions = [
        ImportedQuestion("single", "Q?", ["a", "b"], "B", "Because.", "n1", "cat/1"),
        ImportedQuestion("multiple", "M?", ["a", "b", "c", "d"], ["A", "B", "D"], category="cat/1"),
        ImportedQuestion("true_false", "T?", [], True, name="n3", category="cat/2"),
    ]
    assert write_gift(questions) == (
        "$CATEGORY: cat/1\n"
        "\n"
        "::n1::Q?{\n\t~a\n\t=b\n\t####Because.\n}\n"
        "\n"
        "M?{\n\t~%33.33333%a\n\t~%33.33333%b\n\t~%-100%c\n\t~%33.33333%d\n}\n"
        "\n"
        "$CATEGORY: cat/2\n"
        "\n"
        "::n3::T?{TRUE}\n"
    )


# Moodle refuses an import whose weights are not among its grade options.
MOODLE_GRADES = {
    float(grade)
    for grade in "100 90 83.33333 80 75 70 66.66667 60 50 40 33.33333 30 25 20 16.66667 14.28571"
    " 12.5 11.11111 10 5 0".split()
}


@pytest.mark.parametrize("correct", range(2, 7))
def test_multiple_answer_weights_are_moodle_grades(correct: int) -> None:
    options = [f"o{i}" for i in range(6)]
    letters = [chr(ord("A") + i) for i in range(correct)]
    written = write_gift([ImportedQuestion("multiple", "Q?", options, letters)])
    weights = [float(line.split("%")[1]) for line in written.splitlines() if "%" in line]
    assert all(abs(w) in MOODLE_GRADES for w in weights)
    assert sum(w for w in weights if w > 0) == pytest.approx(100, abs=1e-4)


def test_question_without_category_inherits_the_previous_one() -> None:
    # Documented GIFT limitation: there is no way to switch back to "no category".
    written = write_gift(
        [
            ImportedQuestion("true_false", "A", [], True, category="c"),
            ImportedQuestion("true_false", "B", [], True),
        ]
    )
    assert [q.category for q in read_gift(written).questions] == ["c", "c"]


@pytest.mark.parametrize(
    "question",
    [
        ImportedQuestion("single", "Q", ["a", "b"], "C"),
        ImportedQuestion("single", "Q", ["a", "b"], ["A"]),
        ImportedQuestion("multiple", "Q", ["a", "b"], ["A"]),
        ImportedQuestion("true_false", "Q", [], "TRUE"),
        ImportedQuestion("essay", "Q", [], ""),
        ImportedQuestion("single", " ", ["a", "b"], "A"),
        ImportedQuestion("single", "Q", ["a", " "], "A"),
    ],
)
def test_writer_rejects_questions_it_cannot_write(question: ImportedQuestion) -> None:
    with pytest.raises(ValueError):
        write_gift([question])
