"""Scoring, the usual rule of Chinese exams: single-choice and true/false questions are right
or wrong; a multiple-choice question is right only when exactly the correct set is chosen (no
part marks). The score is the percentage of questions right, to one decimal place."""

from __future__ import annotations

import random
from collections.abc import Iterable

from lawlearn.quiz.banks import LETTERS


def normalise_response(kind: str, value) -> str | list[str] | bool | None:
    """A response as stored: "B", ["A", "C"] (sorted), True/False, or None (unanswered)."""
    if kind == "true_false":
        if isinstance(value, bool):
            return value
        return {"T": True, "F": False}.get(value) if isinstance(value, str) else None
    if kind == "multiple":
        letters = sorted({v for v in (value or []) if isinstance(v, str) and v in LETTERS})
        return letters or None
    return value if isinstance(value, str) and len(value) == 1 and value in LETTERS else None


def is_correct(kind: str, answer, response) -> bool:
    if response is None:
        return False
    if kind == "multiple":
        return sorted(response) == sorted(answer)
    return response == answer


def score(results: Iterable[bool]) -> float:
    results = list(results)
    if not results:
        return 0.0
    return round(100 * sum(results) / len(results), 1)


def passed(value: float, pass_score: int) -> bool:
    return value >= pass_score


def shuffle_options(kind: str, options: list[str], answer,
                    rng: random.Random) -> tuple[list[str], object, list[str]]:
    """(options in the order shown, the answer in shown letters, the bank letter of each
    shown option). True/false questions have no options to shuffle."""
    if kind == "true_false":
        return [], answer, []
    order = list(range(len(options)))
    rng.shuffle(order)
    shown_letter = {LETTERS[original]: LETTERS[shown] for shown, original in enumerate(order)}
    if kind == "multiple":
        shown_answer = sorted(shown_letter[a] for a in answer)
    else:
        shown_answer = shown_letter[answer]
    return [options[i] for i in order], shown_answer, [LETTERS[i] for i in order]


def bank_letters(response, option_map: list[str]) -> list[str]:
    """The bank's letters for a response given in shown letters."""
    chosen = [response] if isinstance(response, str) else list(response or [])
    return [option_map[LETTERS.index(c)] for c in chosen if LETTERS.index(c) < len(option_map)]
