"""Quiz statistics, computed by grouped SQL over the attempts the user may see: a page costs
the same few queries for 10 attempts or 100,000.

- Facility: the share of answers that were right.
- Discrimination: the item–rest point-biserial correlation, i.e. Pearson's r between "this
  question right" (0/1) and the number of the attempt's *other* questions right. Leaving the
  question out of the total matters for 10-question quizzes, where it would otherwise
  correlate with itself. Below 0.2 the question hardly separates those who know the law from
  those who don't: its wording or its answer key deserves a look.
- The most chosen wrong option is named by the bank's letter (AttemptItem.option_map undoes the
  shuffle), so it points at the same option whatever order each participant saw.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lawlearn import codes
from lawlearn.extensions import db
from lawlearn.models import Area, Attempt, AttemptItem, Question, Quiz, StudyUnit
from lawlearn.quiz.queries import attempt_filter
from lawlearn.quiz.scoring import bank_letters

LOW_DISCRIMINATION = 0.2


@dataclass
class BankSummary:
    attempts: int = 0
    paper: int = 0
    mean_score: float | None = None
    pass_rate: float | None = None


@dataclass
class QuestionStats:
    answered: int
    right: int
    discrimination: float | None
    wrong_option: str | None = None   # a bank letter, or "true"/"false"
    wrong_count: int = 0

    @property
    def facility(self) -> float | None:
        return self.right / self.answered if self.answered else None

    @property
    def weak(self) -> bool:
        return self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION


def _right():
    return sa.case((AttemptItem.correct.is_(True), 1), else_=0)


def bank_summaries(quiz_ids: list[int]) -> dict[int, BankSummary]:
    rows = db.session.execute(
        sa.select(Attempt.quiz_id, sa.func.count(), sa.func.avg(Attempt.score),
                  sa.func.sum(sa.case((Attempt.passed.is_(True), 1), else_=0)),
                  sa.func.sum(sa.case((Attempt.method == "paper", 1), else_=0)))
        .where(Attempt.quiz_id.in_(quiz_ids), Attempt.score.is_not(None), attempt_filter())
        .group_by(Attempt.quiz_id))
    return {quiz_id: BankSummary(n, int(paper or 0), round(float(mean), 1),
                                 int(passes or 0) / n)
            for quiz_id, n, mean, passes, paper in rows}


def _graded_items(quiz: Quiz):
    return (sa.select().select_from(AttemptItem)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.quiz_id == quiz.id, Attempt.method == "online",
                   Attempt.submitted_at.is_not(None), attempt_filter()))


def question_stats(quiz: Quiz) -> dict[int, QuestionStats]:
    """Per question of the bank: answers, right answers, discrimination, the most chosen
    wrong option. Two queries."""
    right = _right()
    per_attempt = (_graded_items(quiz).add_columns(
        AttemptItem.attempt_id.label("attempt_id"), sa.func.sum(right).label("right"))
        .group_by(AttemptItem.attempt_id).subquery())
    rest = per_attempt.c.right - right
    rows = db.session.execute(
        _graded_items(quiz).add_columns(
            AttemptItem.question_id, sa.func.count(), sa.func.sum(right), sa.func.sum(rest),
            sa.func.sum(rest * rest), sa.func.sum(right * rest))
        .join(per_attempt, per_attempt.c.attempt_id == AttemptItem.attempt_id)
        .group_by(AttemptItem.question_id))
    stats = {}
    for qid, n, sx, sy, syy, sxy in rows:
        stats[qid] = QuestionStats(n, int(sx or 0), _pearson(n, sx, sx, sy, syy, sxy))
    _add_wrong_options(quiz, stats)
    return stats


def _pearson(n, sx, sxx, sy, syy, sxy) -> float | None:
    n, sx, sxx, sy, syy, sxy = (float(v or 0) for v in (n, sx, sxx, sy, syy, sxy))
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if n < 2 or spread <= 0:
        return None  # everyone right (or wrong) on it, or on the rest: nothing to correlate
    return round((n * sxy - sx * sy) / math.sqrt(spread), 2)


def _add_wrong_options(quiz: Quiz, stats: dict[int, QuestionStats]) -> None:
    # JSON can't be grouped on PostgreSQL; its text can. One row per (question, shown order,
    # response): few, however many attempts there are.
    option_map, response = (sa.cast(AttemptItem.option_map, sa.Text),
                            sa.cast(AttemptItem.response, sa.Text))
    rows = db.session.execute(
        _graded_items(quiz).add_columns(AttemptItem.question_id, Question.answer, option_map,
                                        response, sa.func.count())
        .join(Question, Question.id == AttemptItem.question_id)
        .where(AttemptItem.correct.is_(False), AttemptItem.response.is_not(None))
        .group_by(AttemptItem.question_id, Question.id, option_map, response))
    counts: dict[int, dict[str, int]] = {}
    for qid, answer, shown_map, chosen, n in rows:
        chosen = json.loads(chosen) if chosen else None
        if chosen is None:
            continue
        per_option = counts.setdefault(qid, {})
        if isinstance(chosen, bool):
            per_option[str(chosen).lower()] = per_option.get(str(chosen).lower(), 0) + n
            continue
        correct = set(answer if isinstance(answer, list) else [answer])
        for letter in bank_letters(chosen, json.loads(shown_map or "[]")):
            if letter not in correct:
                per_option[letter] = per_option.get(letter, 0) + n
    for qid, per_option in counts.items():
        if qid in stats and per_option:
            option, n = min(per_option.items(), key=lambda kv: (-kv[1], kv[0]))
            stats[qid].wrong_option, stats[qid].wrong_count = option, n


@dataclass
class GapTable:
    areas: list[Area]
    topics: list[str]
    cells: dict[tuple[int, str], tuple[float, int]]   # (area id, topic) → (mean score, n)
    totals: dict[str, tuple[float, int]]               # topic → over the whole scope


def knowledge_gaps(root: Area | None, start: date | None, end: date | None) -> GapTable:
    """Mean score by law topic × the areas one level below `root` (towns for the county, a
    town's villages, communities and enterprises for its coordinator). Three queries. General
    (综合) banks and mixed papers are left out: their scores belong to no one law."""
    below = Area.parent_id == root.id if root is not None else Area.parent_id.is_(None)
    areas = list(db.session.scalars(sa.select(Area).where(below, Area.active)
                                    .order_by(Area.code)))
    group, leaf = aliased(Area), aliased(Area)

    def scored(*columns):
        stmt = (sa.select(*columns, Quiz.topic, sa.func.avg(Attempt.score), sa.func.count())
                .select_from(Attempt).join(Quiz, Quiz.id == Attempt.quiz_id)
                .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
                .join(leaf, leaf.id == StudyUnit.area_id)
                .where(Attempt.score.is_not(None), attempt_filter(),
                       # a general (综合) bank is about no one law: not a gap of any law
                       Quiz.topic != codes.GENERAL_TOPIC))
        if start:
            stmt = stmt.where(Attempt.taken_on >= start)
        if end:
            stmt = stmt.where(Attempt.taken_on <= end)
        return stmt

    by_area = (scored(group.id).join(group, leaf.path.startswith(group.path))
               .where(group.parent_id == root.id if root is not None
                      else group.parent_id.is_(None))
               .group_by(group.id, Quiz.topic))
    cells = {(area_id, topic): (round(float(mean), 1), n)
             for area_id, topic, mean, n in db.session.execute(by_area)}
    total = scored().group_by(Quiz.topic)
    if root is not None:
        total = total.where(leaf.path.startswith(root.path, autoescape=True))
    totals = {topic: (round(float(mean), 1), n) for topic, mean, n in db.session.execute(total)}
    return GapTable(areas, codes.TOPICS.codes, cells, totals)


def band(mean: float | None) -> str:
    """A CSS class for a mean score: below the usual pass mark, fair, good."""
    if mean is None:
        return "gap-none"
    return "gap-low" if mean < 60 else "gap-mid" if mean < 80 else "gap-high"
