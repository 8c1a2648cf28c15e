"""Fixtures for the quiz stories: banks in the database, a place where quizzes are taken, and
helpers to take a quiz through the participants' pages."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attempt, Quiz, StudySession, StudyUnit
from lawlearn.quiz.banks import BankSpec, QuestionSpec
from tests.conftest import (
    login,
)
from tests.snapshots import built_once


@built_once
def banks(app):
    """The shipped banks, loaded as `lawlearn init-db` loads them."""
    from lawlearn.quiz.sync import sync_shipped_banks

    with app.app_context():
        sync_shipped_banks()
        db.session.commit()


TINY = BankSpec(slug="tiny", title="小测验", topic="civil-code", pass_score=60, draw=4,
                time_limit_minutes=10, attempts_per_day=3, questions=[
                    QuestionSpec(kind="single", stem="单选一", options=["甲", "乙", "丙", "丁"],
                                 answer="A", explanation="因为甲。", source="《中华人民共和国民法典》第十七条",
                                 key="tiny-001"),
                    QuestionSpec(kind="multiple", stem="多选二", options=["子", "丑", "寅", "卯"],
                                 answer=["A", "C"], explanation="子和寅。", source="《中华人民共和国民法典》第十八条",
                                 key="tiny-002"),
                    QuestionSpec(kind="true_false", stem="判断三", options=[], answer=True,
                                 explanation="对的。", source="《中华人民共和国民法典》第十九条",
                                 key="tiny-003"),
                    QuestionSpec(kind="single", stem="单选四", options=["东", "南", "西"],
                                 answer="B", explanation="南。", source="《中华人民共和国民法典》第二十条",
                                 key="tiny-004"),
                ])


@built_once
def tiny(app) -> int:
    """A hand-made four-question bank (all four drawn each time); returns its id."""
    from lawlearn.quiz.sync import sync_bank

    with app.app_context():
        sync_bank(TINY, source_hash=None)
        db.session.commit()
        return db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == "tiny"))


def make_session(app, unit, held_on=date(2026, 3, 10), code=None, topics=("civil-code",)):
    from lawlearn.models import SessionTopic

    with app.app_context():
        session = StudySession(code=code or f"S-{unit.id}-{held_on.isoformat()}",
                               unit_id=unit.id, held_on=held_on, format="lecture",
                               duration_minutes=60,
                               topic_rows=[SessionTopic(topic=t) for t in topics])
        db.session.add(session)
        db.session.commit()
        return {"id": session.id, "token": session.checkin_token, "code": session.code,
                "unit_id": unit.id}


@built_once
def place(app, county, make_unit):
    """A study household in 城关镇 with a session, and one in 青山镇 with a session."""
    cg = make_unit(county["城关镇"]["village"], name="城关张家中心户")
    qs = make_unit(county["青山镇"]["village"], name="青山李家中心户")
    return {"cg_unit": cg, "qs_unit": qs,
            "cg_session": make_session(app, cg, code="CG-S1"),
            "qs_session": make_session(app, qs, code="QS-S1")}


@pytest.fixture
def sign_in(client, make_user):
    def sign_in(role="admin", area=None, units=(), username=None) -> str:
        name = make_user(role, area=area, units=units, username=username)
        login(client, name)
        return name

    return sign_in


# --- taking a quiz through the pages ----------------------------------------------------------

def start(client, slug="tiny", name="张三", mobile="13900001111", s=None):
    """Start a quiz as a participant; returns the attempt token."""
    url = f"/q/{slug}" + (f"?s={s}" if s else "")
    response = client.post(url, data={"name": name, "mobile": mobile})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return response.headers["Location"].rsplit("/", 1)[1]


def items_of(app, token: str) -> list:
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        return [(i.position, i.kind, i.answer, list(i.option_map), i.question.key)
                for i in attempt.items]


def answers(app, token: str, right: set[str] | None = None, wrong_letter=None) -> dict:
    """Form data answering the questions whose bank key is in `right` correctly (all when
    None) and the others wrongly (with the shown letter of bank option `wrong_letter` if
    given)."""
    data = {}
    for position, kind, answer, option_map, key in items_of(app, token):
        good = right is None or key in right
        if kind == "true_false":
            data[f"q{position}"] = ("T" if answer else "F") if good else ("F" if answer else "T")
        elif kind == "multiple":
            data[f"q{position}"] = answer if good else [answer[0]]
        elif good:
            data[f"q{position}"] = answer
        else:
            target = wrong_letter or next(b for b in option_map
                                          if "ABCDEF"[option_map.index(b)] != answer)
            data[f"q{position}"] = "ABCDEF"[option_map.index(target)]
    return data


def attempt_row(app, token: str) -> Attempt:
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        db.session.expunge(attempt)
        return attempt


def unit_row(app, unit_id: int) -> StudyUnit:
    with app.app_context():
        return db.session.get(StudyUnit, unit_id)


def text(response) -> str:
    return response.get_data(as_text=True)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_ledger_exact(app):
    from tests.test_ledger import assert_ledger_exact as exact

    with app.test_request_context():
        exact()
