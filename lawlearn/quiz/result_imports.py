"""`lawlearn import quiz-results FILE`: paper quiz scores from a spreadsheet (docs/contracts.md's
columns). All rows or none; a row's natural key is (quiz, session, person, date), so importing
the same file again changes nothing and a corrected score replaces the old one."""

from __future__ import annotations

import math

import sqlalchemy as sa

from lawlearn import validation
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, chunks
from lawlearn.imports.reader import Column, Row
from lawlearn.models import Quiz, StudySession
from lawlearn.quiz.paper import PaperEntry, apply_results, plan_results, session_refs

COLUMNS = [
    Column("quiz", "测验", extra_aliases=("题库", "测验名称")),
    Column("session_code", "活动编码", required=False, extra_aliases=("学习活动编码",)),
    Column("name", "姓名"),
    Column("phone", "手机号", required=False, extra_aliases=("手机", "手机号码")),
    Column("score", "得分", extra_aliases=("成绩", "分数")),
    Column("taken_on", "日期", required=False, extra_aliases=("测验日期",)),
]


def parse_score(value) -> float | None:
    """A score of 0–100 as typed or stored in a cell ("85", 85.0, "92.5分"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().removesuffix("分").strip())
        except ValueError:
            return None
    if math.isnan(number) or not 0 <= number <= 100:
        return None
    return round(number, 1)


class _Quizzes:
    def __init__(self):
        quizzes = db.session.scalars(sa.select(Quiz)).all()
        self.by_slug = {q.slug: q for q in quizzes}
        self.by_title: dict[str, list[Quiz]] = {}
        for q in quizzes:
            self.by_title.setdefault(q.title, []).append(q)

    def find(self, check: RowChecker, text: str | None) -> Quiz | None:
        if text is None:
            return None
        if text in self.by_slug:
            return self.by_slug[text]
        matches = self.by_title.get(text, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            check.error("quiz", _("Several quizzes have the title “%(title)s”: write the "
                                  "quiz's code instead (%(slugs)s).", title=text,
                                  slugs=", ".join(q.slug for q in matches)))
        else:
            check.error("quiz", _("No quiz has the code or title “%(quiz)s”.", quiz=text))
        return None


def _sessions(codes: set[str], actor) -> dict:
    from lawlearn.scope import unit_filter

    found = {}
    for batch in chunks(sorted(codes)):
        where = StudySession.code.in_(batch)
        if actor is not None:
            where = sa.and_(where, unit_filter(actor))
        found.update(session_refs(where))
    return found


def _read_row(row: Row, errors: list) -> tuple[RowChecker, dict]:
    check = RowChecker(row, errors)
    item = {"quiz": check.text("quiz"), "session_code": check.code("session_code", required=False),
            "name": check.text("name", max_len=50),
            "mobile": check.mobile("phone", required=False), "score": None,
            "taken_on": check.date("taken_on", required=False)}
    value = row.get("score")
    item["score"] = parse_score(value) if value is not None else None
    if value is None:
        check.error("score", _("This cell is empty."))
    elif item["score"] is None:
        check.error("score", _("“%(value)s” is not a score from 0 to 100.", value=value))
    return check, item


def plan(rows: list[Row], actor=None) -> ImportPlan:
    result = ImportPlan("quiz-results", rows=len(rows))
    read = [_read_row(row, result.errors) for row in rows]
    quizzes = _Quizzes()
    sessions = _sessions({i["session_code"] for _c, i in read if i["session_code"]}, actor)
    checkers, entries = {}, []
    for check, item in read:
        quiz = quizzes.find(check, item["quiz"])
        session = sessions.get(item["session_code"]) if item["session_code"] else None
        if item["session_code"] and session is None:
            check.error("session_code", validation.no_session(item["session_code"]))
        elif session is None and not item["mobile"]:
            check.error("phone", _("Without a session code, the mobile number is needed to know "
                                   "who took the quiz."))
        taken_on = item["taken_on"] or (session.held_on if session else None)
        if taken_on is None and item["session_code"] is None:
            check.error("taken_on", _("Without a session code, the date is needed."))
        if check.ok:
            checkers[check.row.number] = check
            entries.append(PaperEntry(row=check.row.number, quiz=quiz, session=session,
                                      name=item["name"], mobile=item["mobile"],
                                      score=item["score"], taken_on=taken_on))
    plan_results(entries, result,
                 lambda entry, column, message: checkers[entry.row].error(column, message),
                 actor=actor)
    result.errors.sort(key=lambda e: e.row)
    return result


def apply(result: ImportPlan, actor=None) -> None:
    apply_results(result, actor)
