"""Scoring and shuffling, and the readers' messages in Chinese: plain functions."""

from __future__ import annotations

import random

import pytest

from lawlearn.quiz.scoring import (
    bank_letters,
    is_correct,
    normalise_response,
    passed,
    score,
    shuffle_options,
)


@pytest.mark.parametrize("kind, answer, response, right", [
    ("single", "B", "B", True),
    ("single", "B", "C", False),
    ("single", "B", None, False),
    ("true_false", True, True, True),
    ("true_false", False, True, False),
    ("true_false", False, None, False),
    ("multiple", ["A", "C"], ["A", "C"], True),
    ("multiple", ["A", "C"], ["C", "A"], True),
    ("multiple", ["A", "C"], ["A"], False),          # no part marks for a subset
    ("multiple", ["A", "C"], ["A", "B", "C"], False),  # nor for a superset
    ("multiple", ["A", "C"], None, False),
])
def test_right_or_wrong(kind, answer, response, right):
    assert is_correct(kind, answer, response) is right


def test_responses_as_stored():
    assert normalise_response("true_false", "T") is True
    assert normalise_response("true_false", "F") is False
    assert normalise_response("true_false", None) is None
    assert normalise_response("multiple", ["C", "A", "A", "Z"]) == ["A", "C"]
    assert normalise_response("multiple", []) is None
    assert normalise_response("single", "D") == "D"
    assert normalise_response("single", "DD") is None


def test_score_is_the_percentage_right_to_one_decimal():
    assert score([True, True, False]) == 66.7
    assert score([True] * 10) == 100.0
    assert score([False, False]) == 0.0
    assert score([True, False, False, False, False, False, False]) == 14.3
    assert score([]) == 0.0
    assert passed(60.0, 60) and not passed(59.9, 60)


def test_shuffled_options_keep_the_answer_and_remember_the_bank_letters():
    options = ["甲", "乙", "丙", "丁", "戊"]
    for seed in range(30):
        shown, answer, option_map = shuffle_options("multiple", options, ["B", "E"],
                                                    random.Random(seed))
        assert sorted(shown) == sorted(options)
        assert sorted(shown["ABCDE".index(a)] for a in answer) == ["乙", "戊"]
        assert sorted(bank_letters(answer, option_map)) == ["B", "E"]
        assert [options["ABCDE".index(b)] for b in option_map] == shown
    assert shuffle_options("true_false", [], True, random.Random(1)) == ([], True, [])


def test_every_reader_message_has_a_chinese_sentence(app):
    from lawlearn.quiz.formats import _messages as msg
    from lawlearn.quiz.messages import CATALOGUE, translate_format_message

    templates = {t for t, _say in CATALOGUE}
    for name in dir(msg):
        value = getattr(msg, name)
        for template in (value.values() if isinstance(value, dict) else [value]):
            if isinstance(template, str) and not name.startswith("_"):
                assert template in templates, name
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        said = translate_format_message(msg.SKIP_TOO_MANY_OPTIONS.format(limit=6, count=7))
        assert said == "选择题最多只能有 6 个选项，这道题有 7 个。"
        assert translate_format_message(msg.NOT_UTF8.format(fmt="GIFT")).startswith(
            "该文件不是 UTF-8 文本。GIFT 文件")
        assert translate_format_message("something else") == "something else"
