"""Statistics on a hand-made data set: facility, discrimination, the most chosen wrong option
(in the bank's letters, whatever order each person saw), bank figures and knowledge gaps."""

from __future__ import annotations

import random
import re
import statistics
from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attempt, Person, Question, Quiz, StudySession
from lawlearn.quiz import operations
from tests.conftest import recorded_queries
from tests.quiz.conftest import assert_ledger_exact, plain, text

# What each of five participants answered, per question of the tiny bank, in the BANK's
# letters: "ok" = the right answer, None = no answer.
ANSWERS = [
    {"tiny-001": "ok", "tiny-002": "ok", "tiny-003": "ok", "tiny-004": "ok"},
    {"tiny-001": "ok", "tiny-002": "ok", "tiny-003": "ok", "tiny-004": "A"},
    {"tiny-001": "ok", "tiny-002": ["A"], "tiny-003": "ok", "tiny-004": "C"},
    {"tiny-001": "C", "tiny-002": ["A", "B"], "tiny-003": "ok", "tiny-004": "C"},
    {"tiny-001": "C", "tiny-002": ["B", "D"], "tiny-003": False, "tiny-004": None},
]
RIGHT = [[a[k] == "ok" for k in ("tiny-001", "tiny-002", "tiny-003", "tiny-004")]
         for a in ANSWERS]


def shown(item, wanted):
    """The form value for `wanted` (bank letters) on this attempt's shuffled options."""
    if wanted is None or item.kind == "true_false":
        return None if wanted is None else ("T" if wanted else "F")
    letters = [wanted] if isinstance(wanted, str) else wanted
    values = ["ABCDEF"[item.option_map.index(b)] for b in letters]
    return values[0] if item.kind == "single" else values


def take(quiz, person, session, answers, seed):
    attempt = operations.start_attempt(quiz, person, session=session, rng=random.Random(seed))
    responses = {}
    for item in attempt.items:
        wanted = answers[item.question.key]
        if wanted == "ok":
            responses[item.position] = ({True: "T", False: "F"}[item.answer]
                                        if item.kind == "true_false" else item.answer)
        else:
            responses[item.position] = shown(item, wanted)
    assert operations.submit_attempt(attempt, responses)
    return attempt


@pytest.fixture
def data(app, tiny, place):
    """Five online attempts and a paper result in 城关镇, a paper result in 青山镇."""
    with app.test_request_context():
        quiz = db.session.get(Quiz, tiny)
        cg = db.session.get(StudySession, place["cg_session"]["id"])
        qs = db.session.get(StudySession, place["qs_session"]["id"])
        for i, answers in enumerate(ANSWERS):
            take(quiz, Person(name=f"人{i}", home_unit_id=cg.unit_id), cg, answers, seed=i)
        for session, score in ((cg, 90.0), (qs, 40.0)):
            db.session.add(Attempt(quiz=quiz, person=Person(name="纸"), session=session,
                                   unit_id=session.unit_id, method="paper", score=score,
                                   passed=score >= 60, taken_on=date(2026, 3, 10)))
        db.session.commit()
    return {"quiz": tiny}


def question_ids(app):
    with app.app_context():
        return dict(db.session.execute(sa.select(Question.key, Question.id)).all())


def test_question_statistics_by_hand(app, data):
    from lawlearn.quiz.stats import question_stats

    with app.test_request_context():
        from flask_login import login_user

        admin = _admin(app)
        login_user(admin)
        stats = question_stats(db.session.get(Quiz, data["quiz"]))
    ids = question_ids(app)
    totals = [sum(r) for r in RIGHT]
    for index, key in enumerate(("tiny-001", "tiny-002", "tiny-003", "tiny-004")):
        x = [int(r[index]) for r in RIGHT]
        rest = [t - xi for t, xi in zip(totals, x, strict=True)]
        s = stats[ids[key]]
        assert (s.answered, s.right) == (5, sum(x)), key
        assert s.discrimination == round(statistics.correlation(x, rest), 2), key
    # Most chosen wrong options, in the bank's letters.
    assert (stats[ids["tiny-001"]].wrong_option, stats[ids["tiny-001"]].wrong_count) == ("C", 2)
    assert (stats[ids["tiny-002"]].wrong_option, stats[ids["tiny-002"]].wrong_count) == ("B", 2)
    assert (stats[ids["tiny-003"]].wrong_option, stats[ids["tiny-003"]].wrong_count) == ("false", 1)
    assert (stats[ids["tiny-004"]].wrong_option, stats[ids["tiny-004"]].wrong_count) == ("C", 2)
    assert stats[ids["tiny-003"]].facility == 0.8


def _admin(app):
    from lawlearn.auth.operations import create_user
    from lawlearn.auth.sessions import CurrentUser
    from lawlearn.models import LoginSession

    user = create_user(username="office", password="correct horse battery", role="admin",
                       area=None)
    login = LoginSession(user=user)
    db.session.add(login)
    db.session.flush()
    return CurrentUser(login)


def test_the_bank_page_shows_the_figures(app, client, sign_in, county, data):
    sign_in("admin", area=county["county"])
    page = plain(text(client.get("/quizzes/banks/tiny")))
    # 7 results: mean (100+75+50+25+0+90+40)/7 = 54.3, 3 of 7 passed.
    assert "54.3" in page and "43%" in page
    assert re.search(r"丙 \(2\)", page)  # tiny-001's wrong option C is 丙
    assert "60%" in page and "80%" in page  # facility of tiny-001 and tiny-003
    index = plain(text(client.get("/quizzes/")))
    assert "小测验" in index and "54.3" in index


def test_a_coordinator_sees_their_town_only(app, client, sign_in, county, data):
    sign_in("coordinator", area=county["青山镇"]["town"])
    page = plain(text(client.get("/quizzes/banks/tiny")))
    assert "40" in page and "0%" in page  # one paper result of 40: none passed
    gaps = text(client.get("/quizzes/gaps"))
    assert "青山镇东村" in gaps and "城关镇" not in plain(gaps).split("知识薄弱点")[-1]


def test_knowledge_gaps_by_topic_and_town(app, client, sign_in, county, data):
    sign_in("admin", area=county["county"])
    page = text(client.get("/quizzes/gaps"))
    rows = {re.sub(r"<[^>]+>", "", name).strip(): cells for name, cells in re.findall(
        r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', page, re.S)}
    cells = lambda row: [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()  # noqa: E731
                         for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[row], re.S)]
    civil = 1  # the Civil Code is the second topic column
    assert cells("城关镇")[civil] == "56.7 (6)"
    assert cells("青山镇")[civil] == "40 (1)"
    assert cells("全部")[civil] == "54.3 (7)"
    assert cells("城关镇")[0] == "—"
    assert 'class="num gap-low"' in page
    dated = text(client.get("/quizzes/gaps?from=2027-01-01"))
    assert "56.7" not in dated


def test_statistics_pages_cost_the_same_queries_for_few_and_many_attempts(
        app, client, sign_in, county, data, place):
    sign_in("admin", area=county["county"])
    urls = ["/quizzes/", "/quizzes/banks/tiny", "/quizzes/gaps"]

    def count_queries():
        counts = []
        for url in urls:
            client.get(url)
            with recorded_queries(app) as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    few = count_queries()
    with app.test_request_context():
        quiz = db.session.get(Quiz, data["quiz"])
        session = db.session.get(StudySession, place["qs_session"]["id"])
        for i in range(40):
            take(quiz, Person(name=f"多{i}"), session, ANSWERS[i % 5], seed=100 + i)
        db.session.commit()
    assert count_queries() == few
    assert_ledger_exact(app)
