"""What the summary rows hold, computed from the raw tables: the one place where a figure of
the report's summaries is defined, used both by `rebuild()` (everything) and by the
incremental refresh at commit (the keys a transaction touched). A new figure is added here.

Two kinds of rows (see lawlearn.models.reports):
- month figures per (leaf area, month), rolled up to every ancestor by addition;
- activity masks per (scope, area, year, entity) — 12 bits, one per month — from which the
  distinct counts over every run of whole months (`LedgerRange`) are derived.

Each figure about study sessions has an "approved only" twin (approved_sessions,
approved_attendances; the scopes attend_a and unit_a) counting only study sessions whose review
state is approved. Quiz figures have none: attempts are not reviewed, so they are the same on
both bases.

The statements a write runs at commit are built once per process (`functools.cache`) with
bound parameters (an expanding one for id lists): building a statement from SQLAlchemy's
constructs and computing its cache key cost more Python than running it, for every check-in.
They run on the session's connection (`session.connection().execute`): they read and write
columns, never entities, and the Session's ORM layer around a statement (autoflush, entity
loading) doubled the cost of each, 27 µs against 54 µs on SQLite. The ledger runs after the
commit's own flush, so there is nothing left for autoflush to do.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lawlearn.imports.plan import chunks
from lawlearn.models import ATTENDED, Area, Attempt, Attendance, Quiz, StudySession, StudyUnit
from lawlearn.models.reports import ATTENDANCE, ATTENDANCE_APPROVED, QUIZ, UNIT, UNIT_APPROVED
from lawlearn.models.sessions import APPROVED

SCOPES = (ATTENDANCE, QUIZ, UNIT, ATTENDANCE_APPROVED, UNIT_APPROVED)
# Which entities a scope's masks follow: the approved scopes are recounted with their base
# scope's people and units (and under its locks), since any change to one may change the other.
ENTITIES_OF = {ATTENDANCE_APPROVED: ATTENDANCE, UNIT_APPROVED: UNIT}
STAT_FIELDS = ("sessions", "attendances", "quiz_attempts", "quiz_score_sum", "quiz_passes",
               "approved_sessions", "approved_attendances")
TOPIC_FIELDS = ("quiz_attempts", "quiz_score_sum", "quiz_passes")

MonthKey = tuple[int, date]          # (area id, first day of the month)
MaskKey = tuple[int, int, int]       # (area id, year, entity id)
TopicKey = tuple[int, date, str]     # (area id, first day of the month, law topic)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def entities_of(scope: str) -> str:
    return ENTITIES_OF.get(scope, scope)


def zero_figures() -> dict:
    return {"sessions": 0, "attendances": 0, "quiz_attempts": 0, "quiz_score_sum": 0.0,
            "quiz_passes": 0, "approved_sessions": 0, "approved_attendances": 0}


# --- the area tree ----------------------------------------------------------------------------

class Lineages:
    """Area id → the ids of its ancestors and itself (root first), read from the materialised
    paths of just the areas asked for: a write in one village reads a handful of rows, not
    the whole tree. Paths already read with other rows (`note_paths`) are not read again."""

    def __init__(self, session: Session):
        self.session = session
        self.known: dict[int, list[int]] = {}
        self.paths: dict[int, str] = {}

    def note_paths(self, paths: dict[int, str]) -> None:
        self.paths.update(paths)

    def load(self, area_ids: Iterable[int]) -> None:
        wanted = sorted(set(area_ids) - self.known.keys())
        for batch in chunks(wanted):
            paths = {a: self.paths[a] for a in batch if a in self.paths}
            unread = [a for a in batch if a not in paths]
            if unread:
                paths.update(self.session.connection().execute(_statement("area_paths"),
                                                  {"ids": unread}).all())
            codes = {c for p in paths.values() for c in _codes(p)}
            id_of: dict[str, int] = {}
            for code_batch in chunks(sorted(codes)):
                id_of.update(self.session.connection().execute(_statement("area_ids_by_code"),
                                                  {"codes": code_batch}).all())
            for area_id, path in paths.items():
                self.known[area_id] = [id_of[c] for c in _codes(path) if c in id_of]

    def load_all(self) -> None:
        rows = self.session.execute(sa.select(Area.id, Area.code, Area.path)).all()
        id_of = {code: id_ for id_, code, _p in rows}
        self.known = {id_: [id_of[c] for c in _codes(p) if c in id_of] for id_, _c, p in rows}

    def of(self, area_id: int) -> list[int]:
        if area_id not in self.known:
            self.load([area_id])
        return self.known.get(area_id, [area_id])

    def ancestors(self, area_id: int) -> list[int]:
        return self.of(area_id)[:-1]


def _codes(path: str) -> list[str]:
    return [c for c in path.strip("/").split("/") if c]


def ancestor_ids_of_path(session: Session, path: str, exclude_last: bool = True) -> list[int]:
    codes = _codes(path)[:-1] if exclude_last else _codes(path)
    if not codes:
        return []
    id_of = dict(session.execute(sa.select(Area.code, Area.id).where(Area.code.in_(codes))).all())
    return [id_of[c] for c in codes if c in id_of]


# --- month figures ----------------------------------------------------------------------------

SESSION_FIELDS = ("sessions", "attendances", "approved_sessions", "approved_attendances")
QUIZ_FIELDS = ("quiz_attempts", "quiz_score_sum", "quiz_passes")


def month_figures(session: Session, keys: set[MonthKey] | None, *, sessions: bool = True,
                  attempts: bool = True) -> dict[MonthKey, dict]:
    """Per (leaf area, month): sessions held, person-times attended, scored quiz attempts, the
    sum of their scores and how many passed. `keys=None` counts everything; otherwise only
    those keys (every key asked for is in the answer, zeros included). `sessions=False` or
    `attempts=False` leaves that half of the figures out (at zero): a check-in changes no
    quiz figure, a submission no study session's."""
    figures: dict[MonthKey, dict] = defaultdict(zero_figures)
    if keys is not None:
        for key in keys:
            figures[key]  # noqa: B018  (present even when nothing is left there)
        by_month: dict[date, list[int]] = defaultdict(list)
        for area_id, month in keys:
            by_month[month].append(area_id)
        selections = [({"areas": batch, "low": month, "high": next_month(month)})
                      for month, areas in sorted(by_month.items())
                      for batch in chunks(sorted(areas), 500)]
    else:
        selections = [None]
    for params in selections:
        by_key = "" if params is None else "_by_key"
        if sessions:
            for area_id, year, mon, n, attended, n_ok, attended_ok in session.execute(
                    _statement("month_sessions" + by_key), params):
                row = figures[(area_id, date(int(year), int(mon), 1))]
                row["sessions"], row["attendances"] = int(n), int(attended)
                row["approved_sessions"] = int(n_ok)
                row["approved_attendances"] = int(attended_ok)
        if attempts:
            for area_id, year, mon, n, score_sum, passes in session.execute(
                    _statement("month_attempts" + by_key), params):
                row = figures[(area_id, date(int(year), int(mon), 1))]
                row["quiz_attempts"], row["quiz_score_sum"], row["quiz_passes"] = (
                    int(n), float(score_sum), int(passes))
    return dict(figures)


def _month_sessions(by_key: bool):
    year, month = (sa.extract("year", StudySession.held_on),
                   sa.extract("month", StudySession.held_on))
    approved = StudySession.review_state == APPROVED
    stmt = (sa.select(StudyUnit.area_id, year, month, sa.func.count(StudySession.id),
                      sa.func.coalesce(sa.func.sum(StudySession.attended_count), 0),
                      sa.func.coalesce(sa.func.sum(sa.case((approved, 1), else_=0)), 0),
                      sa.func.coalesce(sa.func.sum(
                          sa.case((approved, StudySession.attended_count), else_=0)), 0))
            .join(StudySession.unit).group_by(StudyUnit.area_id, year, month))
    return _by_key(stmt, StudySession.held_on) if by_key else stmt


def _month_attempts(by_key: bool):
    year, month = sa.extract("year", Attempt.taken_on), sa.extract("month", Attempt.taken_on)
    stmt = (sa.select(StudyUnit.area_id, year, month, sa.func.count(Attempt.id),
                      sa.func.coalesce(sa.func.sum(Attempt.score), 0.0),
                      sa.func.coalesce(sa.func.sum(sa.case((Attempt.passed, 1), else_=0)), 0))
            .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
            .where(Attempt.score.is_not(None))
            .group_by(StudyUnit.area_id, year, month))
    return _by_key(stmt, Attempt.taken_on) if by_key else stmt


def _by_key(stmt, date_column):
    """Limited to the leaf areas `areas` (a list) and the days `low` <= day < `high`."""
    return stmt.where(StudyUnit.area_id.in_(sa.bindparam("areas", expanding=True)),
                      date_column >= sa.bindparam("low"), date_column < sa.bindparam("high"))


def zero_topic_figures() -> dict:
    return {"quiz_attempts": 0, "quiz_score_sum": 0.0, "quiz_passes": 0}


def topic_figures(session: Session, keys: set[MonthKey] | None) -> dict[TopicKey, dict]:
    """Per (leaf area, month, law topic): scored quiz attempts, the sum of their scores and how
    many passed, for the leaf months `keys` (None: all). Only topics with attempts appear."""
    selections: list = [None]
    if keys is not None:
        by_month: dict[date, list[int]] = defaultdict(list)
        for area_id, month in keys:
            by_month[month].append(area_id)
        selections = [{"areas": batch, "low": month, "high": next_month(month)}
                      for month, areas in sorted(by_month.items())
                      for batch in chunks(sorted(areas), 500)]
    found: dict[TopicKey, dict] = {}
    for params in selections:
        stmt = _statement("topic_attempts" + ("" if params is None else "_by_key"))
        for area_id, y, m, topic, n, score_sum, passes in session.connection().execute(
                stmt, params):
            found[(area_id, date(int(y), int(m), 1), topic)] = {
                "quiz_attempts": int(n), "quiz_score_sum": float(score_sum),
                "quiz_passes": int(passes)}
    return found


def _topic_attempts(by_key: bool):
    year, month = sa.extract("year", Attempt.taken_on), sa.extract("month", Attempt.taken_on)
    stmt = (sa.select(StudyUnit.area_id, year, month, Quiz.topic, sa.func.count(Attempt.id),
                      sa.func.coalesce(sa.func.sum(Attempt.score), 0.0),
                      sa.func.coalesce(sa.func.sum(sa.case((Attempt.passed, 1), else_=0)), 0))
            .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(Attempt.score.is_not(None))
            .group_by(StudyUnit.area_id, year, month, Quiz.topic))
    return _by_key(stmt, Attempt.taken_on) if by_key else stmt


def attended_count_subquery():
    """A study session's present + late count, as a correlated subquery for an UPDATE."""
    return (sa.select(sa.func.count()).where(
        Attendance.session_id == StudySession.id, Attendance.status.in_(ATTENDED))
        .scalar_subquery())


# --- activity masks ---------------------------------------------------------------------------

# The scopes kept together: an entity's activity in the approved scope is read by the same
# statement as its base scope's (one more column says whether an approved study session
# makes it), so following the approved figures costs a write no extra statement.
GROUPS = {ATTENDANCE: (ATTENDANCE, ATTENDANCE_APPROVED), QUIZ: (QUIZ,),
          UNIT: (UNIT, UNIT_APPROVED)}


def activities(session: Session, base: str, entity_ids: list[int] | None
               ) -> dict[str, list[tuple]]:
    """{scope: (entity, leaf area, year, month[, kind, reach]) rows of activity, grouped} for
    the scopes of GROUPS[base], from one statement."""
    if entity_ids is None:
        rows = session.execute(_activity_statement(base, False)).all()
    else:
        rows = session.connection().execute(_statement("activities_" + base),
                                            {"ids": entity_ids}).all()
    if base == QUIZ:
        return {QUIZ: [tuple(r) for r in rows]}
    return {base: [tuple(r[:-1]) for r in rows],
            GROUPS[base][1]: [tuple(r[:-1]) for r in rows if r[-1]]}


def _activity_statement(base: str, by_entity: bool):
    approved = sa.func.max(sa.case((StudySession.review_state == APPROVED, 1), else_=0))
    if base == ATTENDANCE:
        year, month = (sa.extract("year", StudySession.held_on),
                       sa.extract("month", StudySession.held_on))
        stmt = (sa.select(Attendance.person_id, StudyUnit.area_id, year, month, approved)
                .join(Attendance.session).join(StudySession.unit)
                .where(Attendance.status.in_(ATTENDED))
                .group_by(Attendance.person_id, StudyUnit.area_id, year, month))
        column = Attendance.person_id
    elif base == QUIZ:
        year, month = sa.extract("year", Attempt.taken_on), sa.extract("month", Attempt.taken_on)
        stmt = (sa.select(Attempt.person_id, StudyUnit.area_id, year, month)
                .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
                .where(Attempt.score.is_not(None))
                .group_by(Attempt.person_id, StudyUnit.area_id, year, month))
        column = Attempt.person_id
    else:
        year, month = (sa.extract("year", StudySession.held_on),
                       sa.extract("month", StudySession.held_on))
        stmt = (sa.select(StudyUnit.id, StudyUnit.area_id, year, month, StudyUnit.kind,
                          StudyUnit.reach, approved)
                .join(StudySession, StudySession.unit_id == StudyUnit.id)
                .group_by(StudyUnit.id, StudyUnit.area_id, year, month, StudyUnit.kind,
                          StudyUnit.reach))
        column = StudyUnit.id
    if by_entity:
        stmt = stmt.where(column.in_(sa.bindparam("ids", expanding=True)))
    return stmt


def activity(session: Session, scope: str, entity_ids: list[int] | None):
    """(entity, leaf area, year, month[, kind, reach]) rows of one scope's activity."""
    return activities(session, entities_of(scope), entity_ids)[scope]


def masks(lineages: Lineages, rows) -> dict[MaskKey, tuple[int, str, int]]:
    """{(area, year, entity): (months, kind, weight)} at every level above each leaf."""
    rows = list(rows)
    lineages.load({row[1] for row in rows})
    found: dict[MaskKey, list] = {}
    for row in rows:
        entity, leaf, year, month = row[0], row[1], int(row[2]), int(row[3])
        kind, weight = (row[4], row[5] or 0) if len(row) > 4 else ("", 0)
        bit = 1 << (month - 1)
        for area_id in lineages.of(leaf):
            key = (area_id, year, entity)
            if key in found:
                found[key][0] |= bit
            else:
                found[key] = [bit, kind, weight]
    return {k: tuple(v) for k, v in found.items()}


# The 78 runs of whole months in a year, and for each of the 4,096 month masks the runs it
# meets: a period from month a to month b counts an entity when its mask has a bit in a..b.
RANGES = [(a, b) for a in range(1, 13) for b in range(a, 13)]
_RANGE_BITS = [sum(1 << (m - 1) for m in range(a, b + 1)) for a, b in RANGES]
MEETS = [tuple(i for i, bits in enumerate(_RANGE_BITS) if mask & bits) for mask in range(4096)]


class Histogram:
    """Entities (and their weight) per (area, year, kind, mask): thousands of people moving
    between the same two masks become one entry before they are spread over the 78 runs."""

    def __init__(self):
        self.counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, area_id: int, year: int, state: tuple[int, str, int], sign: int = 1) -> None:
        months, kind, weight = state
        h = self.counts[(area_id, year, kind, months)]
        h[0] += sign
        h[1] += sign * weight

    def ranges(self) -> dict[tuple, list[int]]:
        """{(area, year, kind, first month, last month): [entities, weight]}."""
        spread: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for (area_id, year, kind, months), (n, weight) in self.counts.items():
            if not n and not weight:
                continue
            for index in MEETS[months]:
                r = spread[(area_id, year, kind, *RANGES[index])]
                r[0] += n
                r[1] += weight
        return {k: v for k, v in spread.items() if v[0] or v[1]}


# --- statements built once ----------------------------------------------------------------------

_BUILDERS = {
    "area_paths": lambda: sa.select(Area.id, Area.path).where(
        Area.id.in_(sa.bindparam("ids", expanding=True))),
    "area_ids_by_code": lambda: sa.select(Area.code, Area.id).where(
        Area.code.in_(sa.bindparam("codes", expanding=True))),
    "month_sessions": lambda: _month_sessions(False),
    "month_sessions_by_key": lambda: _month_sessions(True),
    "month_attempts": lambda: _month_attempts(False),
    "month_attempts_by_key": lambda: _month_attempts(True),
    "topic_attempts": lambda: _topic_attempts(False),
    "topic_attempts_by_key": lambda: _topic_attempts(True),
    **{f"activities_{base}": functools.partial(_activity_statement, base, True)
       for base in (ATTENDANCE, QUIZ, UNIT)},
}


@functools.cache
def _statement(name: str):
    """The statement `name` of _BUILDERS, built the first time it is asked for (the mappers are
    configured by then) and reused: SQLAlchemy keeps its cache key with it."""
    return _BUILDERS[name]()
