"""Reading exams and their results, scoped to the signed-in user.

An exam belongs to an area (the county office's county, a coordinator's town; None for an
office without an area). A user sees an exam whose area is inside their scope (theirs to
change) or above it (the county's exam, seen by a town's coordinator for their town's rows
only); another town's exam is a 404. Leaders see no exams (the blueprint refuses them).

Results are SQL aggregates over the candidates, each with their best finished sitting:
eligible, sat (参考), passed, the sitting rate (sat ÷ eligible), the pass rate (passed ÷ sat)
and the mean of the best scores of those who sat. Per unit, per town and in total, three
statements whatever the number of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import Area, Attempt, Exam, ExamCandidate, ExamSitting, StudyUnit


def _user(actor=None):
    from flask_login import current_user

    actor = actor if actor is not None else current_user
    return getattr(actor, "user", actor)


def exam_filter(actor=None) -> sa.ColumnElement[bool]:
    user = _user(actor)
    if user.role not in ("admin", "coordinator"):
        return sa.false()
    if user.area is None:
        return sa.true()
    owner = aliased(Area)
    inside_or_above = sa.select(owner.id).where(sa.or_(
        owner.path.startswith(user.area.path, autoescape=True),
        sa.literal(user.area.path).startswith(owner.path)))
    return sa.or_(Exam.area_id.is_(None), Exam.area_id.in_(inside_or_above))


def visible_exams(actor=None) -> sa.Select:
    return (sa.select(Exam).where(exam_filter(actor))
            .options(sa.orm.joinedload(Exam.quiz), sa.orm.joinedload(Exam.area))
            .order_by(Exam.year.desc(), Exam.opens_at.desc(), Exam.id.desc()))


def get_exam_or_404(exam_id: int, actor=None) -> Exam:
    exam = db.session.scalar(sa.select(Exam).where(Exam.id == exam_id, exam_filter(actor))
                             .options(sa.orm.joinedload(Exam.quiz),
                                      sa.orm.joinedload(Exam.area)))
    if exam is None:
        abort(404)
    return exam


def may_create(actor=None) -> bool:
    return _user(actor).role in ("admin", "coordinator")


def may_edit(exam: Exam, actor=None) -> bool:
    """The exam's area is inside the user's scope: a coordinator changes their town's exams,
    not the county's."""
    user = _user(actor)
    if user.role not in ("admin", "coordinator"):
        return False
    if user.area is None:
        return True
    return exam.area is not None and exam.area.path.startswith(user.area.path)


@dataclass(frozen=True)
class ResultRow:
    code: str | None
    name: str | None
    eligible: int
    sat: int
    passed: int
    mean_score: float | None

    @property
    def sitting_rate(self) -> float | None:
        return self.sat / self.eligible if self.eligible else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.sat if self.sat else None


@dataclass(frozen=True)
class Results:
    units: list[ResultRow]
    towns: list[ResultRow]
    total: ResultRow


def _best(exam: Exam):
    """Each person's best finished sitting of the exam."""
    return (sa.select(ExamSitting.person_id, sa.func.max(Attempt.score).label("best"))
            .join(Attempt, Attempt.id == ExamSitting.attempt_id)
            .where(ExamSitting.exam_id == exam.id, Attempt.submitted_at.is_not(None),
                   Attempt.score.is_not(None))
            .group_by(ExamSitting.person_id).subquery("best"))


def _figures(exam: Exam, best):
    return (sa.func.count(ExamCandidate.id).label("eligible"),
            sa.func.count(best.c.best).label("sat"),
            sa.func.coalesce(sa.func.sum(sa.case((best.c.best >= exam.pass_score, 1),
                                                 else_=0)), 0).label("passed"),
            sa.func.avg(best.c.best).label("mean"))


def _visible_candidates(exam: Exam, actor=None) -> sa.ColumnElement[bool]:
    """A coordinator sees their town's units' candidates; people with no unit only on an exam
    that is theirs to change."""
    in_scope = ExamCandidate.unit_id.in_(sa.select(StudyUnit.id).where(scope.unit_filter(actor)))
    if may_edit(exam, actor):
        return sa.or_(ExamCandidate.unit_id.is_(None), in_scope)
    return in_scope


def _row(code, name, eligible, sat, passed, mean) -> ResultRow:
    return ResultRow(code, name, int(eligible or 0), int(sat or 0), int(passed or 0),
                     round(float(mean), 1) if mean is not None else None)


def results(exam: Exam, actor=None) -> Results:
    best = _best(exam)
    base = (sa.select().select_from(ExamCandidate)
            .outerjoin(best, best.c.person_id == ExamCandidate.person_id)
            .where(ExamCandidate.exam_id == exam.id, _visible_candidates(exam, actor)))
    figures = _figures(exam, best)
    units = db.session.execute(
        base.add_columns(StudyUnit.code, StudyUnit.name, *figures)
        .outerjoin(StudyUnit, StudyUnit.id == ExamCandidate.unit_id)
        .group_by(StudyUnit.id, StudyUnit.code, StudyUnit.name)
        .order_by(StudyUnit.code.is_(None), StudyUnit.code)).all()
    unit_area, town = aliased(Area), aliased(Area)
    towns = db.session.execute(
        base.add_columns(town.code, town.name, *figures)
        .outerjoin(StudyUnit, StudyUnit.id == ExamCandidate.unit_id)
        .outerjoin(unit_area, unit_area.id == StudyUnit.area_id)
        .outerjoin(town, sa.and_(town.level == "town",
                                 unit_area.path.startswith(town.path)))
        .group_by(town.id, town.code, town.name)
        .order_by(town.code.is_(None), town.code)).all()
    total = db.session.execute(base.add_columns(*figures)).one()
    return Results([_row(*r) for r in units], [_row(*r) for r in towns],
                   _row(None, None, *total))


def exam_totals(exams: list[Exam], actor=None) -> dict[int, tuple[int, int, int]]:
    """{exam id: (eligible, sat, passed)} for the list page, in one statement, over the
    candidates of the units the user sees (people with no unit: the county office's only)."""
    if not exams:
        return {}
    seen = ExamCandidate.unit_id.in_(sa.select(StudyUnit.id).where(scope.unit_filter(actor)))
    if _user(actor).role == "admin":
        seen = sa.or_(seen, ExamCandidate.unit_id.is_(None))
    best = (sa.select(ExamSitting.exam_id, ExamSitting.person_id,
                      sa.func.max(Attempt.score).label("best"))
            .join(Attempt, Attempt.id == ExamSitting.attempt_id)
            .where(Attempt.submitted_at.is_not(None))
            .group_by(ExamSitting.exam_id, ExamSitting.person_id).subquery("best"))
    rows = db.session.execute(
        sa.select(ExamCandidate.exam_id, sa.func.count(ExamCandidate.id),
                  sa.func.count(best.c.best),
                  sa.func.coalesce(sa.func.sum(sa.case((best.c.best >= Exam.pass_score, 1),
                                                       else_=0)), 0))
        .join(Exam, Exam.id == ExamCandidate.exam_id)
        .outerjoin(best, sa.and_(best.c.exam_id == ExamCandidate.exam_id,
                                 best.c.person_id == ExamCandidate.person_id))
        .where(ExamCandidate.exam_id.in_([e.id for e in exams]), seen)
        .group_by(ExamCandidate.exam_id)).all()
    return {exam_id: (int(e), int(s), int(p)) for exam_id, e, s, p in rows}
