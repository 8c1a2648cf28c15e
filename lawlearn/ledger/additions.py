"""Figures a transaction adds without a recount: a check-in's attendance, a submission's score.

Most writes recount the leaf months they touch (refresh.py): a recount is exact whatever the
write did, but it reads every row of the month, so a check-in in a busy village month cost
more than one in a quiet month. The two writes participants make many times a day change the
figures by an amount known in advance (`lawlearn.ledger.add_attended`, `add_scored`):

- a person now counts as attended at a study session: its month gains one attendance, and one
  approved attendance if the study session is approved;
- an attempt that counted nowhere got its score: its month and its bank's law topic gain one
  attempt, the score and, if it passed, a pass.

What those amounts attach to (the unit's area and its path, the study session's review state,
the bank's topic) is read here at commit, under the locks of locks.py, like every other fact
the refresh derives: the study session's row lock orders a check-in after a review of the same
meeting; the tree lock, taken exclusively by moves and by a bank's change of topic, keeps the
area and the topic fixed until the commit. The additions' leaf months are locked and checked
against locked periods as every other touched month is, and an addition is left out where the
same transaction recounts that part of the month (the recount sees its own rows).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lawlearn.imports.plan import chunks
from lawlearn.ledger.changes import Changes
from lawlearn.ledger.figures import (
    MonthKey,
    TopicKey,
    month_of,
    zero_figures,
    zero_topic_figures,
)
from lawlearn.models import Area, Attempt, Quiz, StudySession, StudyUnit
from lawlearn.models.sessions import APPROVED


@dataclass
class Additions:
    """Leaf-level amounts to add: {(leaf area, month): figures} and {(…, topic): figures};
    `paths` are the leaf areas' materialised paths, read with them (for Lineages)."""

    months: dict[MonthKey, dict] = field(default_factory=lambda: defaultdict(zero_figures))
    topics: dict[TopicKey, dict] = field(
        default_factory=lambda: defaultdict(zero_topic_figures))
    paths: dict[int, str] = field(default_factory=dict)


def read(session: Session, changes: Changes) -> Additions:
    """The additions of `changes`, placed in their leaf months (one statement per kind)."""
    added = Additions()
    connection = session.connection()
    for batch in chunks(sorted(changes.attended)):
        for study_id, held_on, area_id, path, approved in connection.execute(
                _statement("attended"), {"ids": batch}):
            n = len(changes.attended[study_id])
            row = added.months[(area_id, month_of(held_on))]
            row["attendances"] += n
            if approved:
                row["approved_attendances"] += n
            added.paths[area_id] = path
    for batch in chunks(sorted(changes.scored)):
        for attempt_id, taken_on, area_id, path, topic in connection.execute(
                _statement("scored"), {"ids": batch}):
            score, passed = changes.scored[attempt_id]
            key = (area_id, month_of(taken_on))
            for row in (added.months[key], added.topics[(*key, topic)]):
                row["quiz_attempts"] += 1
                row["quiz_score_sum"] += score
                row["quiz_passes"] += int(passed)
            added.paths[area_id] = path
    return added


_BUILDERS = {
    "attended": lambda: (
        sa.select(StudySession.id, StudySession.held_on, StudyUnit.area_id, Area.path,
                  StudySession.review_state == APPROVED)
        .join(StudyUnit, StudyUnit.id == StudySession.unit_id)
        .join(Area, Area.id == StudyUnit.area_id)
        .where(StudySession.id.in_(sa.bindparam("ids", expanding=True)))),
    # An attempt without a unit counts in no figure (as in figures.month_figures): no row.
    "scored": lambda: (
        sa.select(Attempt.id, Attempt.taken_on, StudyUnit.area_id, Area.path, Quiz.topic)
        .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
        .join(Area, Area.id == StudyUnit.area_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.id.in_(sa.bindparam("ids", expanding=True)))),
}


@functools.cache
def _statement(name: str):
    """Built once per process, as the ledger's other statements (see figures.py)."""
    return _BUILDERS[name]()
