"""Mixed papers (综合卷): the county office composes a paper from several banks by a blueprint
(民法典 5, 反电信网络诈骗法 3, 宪法 2); a villager takes it like any quiz, and the result counts in
the coverage report."""

from __future__ import annotations

import random
from collections import Counter

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attempt, AuditEvent, Question, Quiz
from lawlearn.quiz import operations
from lawlearn.quiz.mixed import parse_blueprint
from tests.quiz.conftest import answers, plain, start, text

BLUEPRINT = "民法典 5\n反电信网络诈骗法 3\nconstitution 2\n"
FORM = {"slug": "mixed-2026", "title": "2026年综合测验", "blueprint": BLUEPRINT,
        "pass_score": "60", "time_limit_minutes": "20", "attempts_per_day": "2"}


def compose(client, **changes):
    return client.post("/quizzes/mixed/new", data={**FORM, **changes})


def test_the_office_composes_a_paper_that_draws_by_its_blueprint(app, client, sign_in,
                                                                 banks):
    sign_in("admin")
    assert "综合卷" in text(client.get("/quizzes/mixed/new"))
    done = compose(client)
    assert done.status_code == 302 and done.headers["Location"].endswith("/banks/mixed-2026")
    page = plain(text(client.get(done.headers["Location"])))
    assert "民法典" in page and "综合" in page
    with app.app_context():
        paper = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "mixed-2026"))
        assert (paper.topic, paper.draw, paper.time_limit_minutes, paper.attempts_per_day) == \
            ("general", 10, 20, 2)
        assert [(p.bank.slug, p.count) for p in paper.parts] == \
            [("civil-code", 5), ("anti-fraud", 3), ("constitution", 2)]
        assert db.session.scalar(sa.select(AuditEvent.action).where(
            AuditEvent.object_code == "mixed-2026")) == "save_mixed_paper"
        drawn = operations.draw_items(paper, random.Random(7))
        banks_of = Counter(db.session.get(Question, item["question_id"]).quiz.slug
                           for item in drawn)
        assert banks_of == {"civil-code": 5, "anti-fraud": 3, "constitution": 2}
        assert [item["position"] for item in drawn] == list(range(1, 11))


def test_composing_again_under_the_same_code_replaces_the_blueprint(app, client, sign_in,
                                                                    banks):
    sign_in("admin")
    compose(client)
    assert compose(client, blueprint="宪法 4").status_code == 302
    with app.app_context():
        paper = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "mixed-2026"))
        assert [(p.bank.slug, p.count) for p in paper.parts] == [("constitution", 4)]
        assert paper.draw == 4


def test_a_bad_blueprint_is_refused_with_every_reason_and_nothing_saved(app, client, sign_in,
                                                                        banks):
    sign_in("admin")
    response = compose(client, blueprint="民法典 500\n没有这个法 3\n宪法 2\n宪法 1\n随便写写")
    page = plain(text(response))
    assert response.status_code == 400
    assert "没有这个法" in page and "500" in page and "第 5 行" in page.replace("line 5", "第 5 行")
    assert "2026年综合测验" in text(response)   # what was typed is kept
    shipped = compose(client, slug="civil-code")
    assert shipped.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(Quiz).where(Quiz.slug == "mixed-2026")) is None
        assert db.session.scalar(sa.select(Quiz.topic).where(Quiz.slug == "civil-code")) == \
            "civil-code"


def test_blueprint_lines_read_like_people_write_them():
    assert parse_blueprint("民法典 5\n\n反诈：3题\nconstitution,2") == \
        ([("民法典", 5), ("反诈", 3), ("constitution", 2)], [])


def test_coordinators_and_leaders_may_not_compose(client, sign_in, county, banks):
    sign_in("coordinator", area=county["城关镇"]["town"])
    assert compose(client).status_code == 403


def test_a_villager_takes_a_mixed_paper_and_it_counts_in_the_report(
        app, client, sign_in, county, place, banks):
    sign_in("admin", area=county["county"])
    compose(client)
    client.post("/logout")
    client.delete_cookie("session")
    assert "2026年综合测验" in text(client.get("/q/"))
    token = start(client, "mixed-2026", s=place["cg_session"]["token"])
    done = client.post(f"/q/a/{token}", data=answers(app, token))
    assert done.status_code == 302
    result = plain(text(client.get(done.headers["Location"])))
    assert "100" in result
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        assert (attempt.score, attempt.passed, len(attempt.items)) == (100.0, True, 10)
        assert attempt.unit_id == place["cg_unit"].id
    sign_in("admin", area=county["county"])
    report = client.get("/reports/coverage?area=330100&from=2026-01-01&to=2026-12-31"
                        "&format=json").get_json()
    assert report["total"]["quiz_attempts"] == 1 and report["total"]["mean_score"] == 100
