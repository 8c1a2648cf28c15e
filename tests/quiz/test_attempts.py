"""Taking a quiz on a phone: start, answer, hand in once, see the result."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Attempt, AttemptItem, Person
from tests.quiz.conftest import (
    answers,
    assert_ledger_exact,
    attempt_row,
    items_of,
    plain,
    start,
    text,
)


def test_a_participant_takes_a_quiz_to_the_result(app, client, tiny):
    page = text(client.get("/q/tiny"))
    assert "小测验" in page and 'name="mobile"' in page
    token = start(client)
    page = text(client.get(f"/q/a/{token}"))
    # Every drawn question, radio buttons or checkboxes, a read-aloud control, no JS needed.
    for stem in ("单选一", "多选二", "判断三", "单选四"):
        assert stem in page
    assert page.count('type="radio"') == 4 + 2 + 3 and page.count('type="checkbox"') == 4
    assert 'class="read-aloud"' in page and "js/quiz.js" in page
    response = client.post(f"/q/a/{token}", data=answers(app, token, right={"tiny-001",
                                                                            "tiny-003"}))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/q/r/{token}")
    result = plain(text(client.get(f"/q/r/{token}")))
    assert "50" in result and "不合格" in result
    # Each question with the participant's answer, the right one, why, and the article.
    assert "因为甲。" in result and "《中华人民共和国民法典》第十八条" in result
    assert "您的答案" in result and "正确答案" in result
    attempt = attempt_row(app, token)
    assert (attempt.score, attempt.passed, attempt.method) == (50.0, False, "online")
    assert attempt.finished
    assert_ledger_exact(app)


def test_the_mobile_number_is_required_and_kept_masked(app, client, tiny):
    response = client.post("/q/tiny", data={"name": "张三", "mobile": ""})
    assert response.status_code == 400
    response = client.post("/q/tiny", data={"name": "张三", "mobile": "12345"})
    assert response.status_code == 400 and "11" in text(response)
    start(client, mobile="139 0000 1111")
    with app.app_context():
        person = db.session.scalar(sa.select(Person))
        assert person.phone_masked == "139****1111"
        assert "13900001111" not in repr([person.name, person.phone_masked, person.phone_hash])


def test_multiple_choice_is_right_only_with_exactly_the_right_set(app, client, tiny):
    token = start(client)
    data = answers(app, token)
    multiple = next(f"q{p}" for p, kind, *_ in items_of(app, token) if kind == "multiple")
    data[multiple] = data[multiple] + [next(c for c in "ABCD" if c not in data[multiple])]
    client.post(f"/q/a/{token}", data=data)
    assert attempt_row(app, token).score == 75.0


def test_submitting_twice_gives_one_result(app, client, tiny):
    token = start(client)
    client.post(f"/q/a/{token}", data=answers(app, token))
    again = client.post(f"/q/a/{token}", data=answers(app, token, right=set()))
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/q/r/{token}")
    assert attempt_row(app, token).score == 100.0
    # Opening the quiz page again shows the result, not the questions.
    assert client.get(f"/q/a/{token}").headers["Location"].endswith(f"/q/r/{token}")


def test_two_threads_submitting_the_same_attempt_give_one_result(app, client, tiny):
    token = start(client)
    forms = [answers(app, token), answers(app, token, right=set())]
    barrier = threading.Barrier(2)
    statuses = []

    def submit(data):
        with app.test_client() as other:
            barrier.wait()
            statuses.append(other.post(f"/q/a/{token}", data=data).status_code)

    threads = [threading.Thread(target=submit, args=(data,)) for data in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [302, 302]
    attempt = attempt_row(app, token)
    assert attempt.score in (0.0, 100.0)
    with app.app_context():
        correct = db.session.scalars(sa.select(AttemptItem.correct).join(Attempt).where(
            Attempt.token == token)).all()
    # All four answers come from the same submission: never a mix of the two.
    assert correct in ([True] * 4, [False] * 4)
    assert correct[0] == (attempt.score == 100.0)
    assert_ledger_exact(app)


def test_after_the_time_limit_the_attempt_closes_with_what_was_answered(app, client, tiny):
    token = start(client)
    data = answers(app, token)
    first = min(data)
    # quiz.js saves answers as they are ticked; here one answer is saved before time is up.
    assert client.post(f"/q/a/{token}/save", data={first: data[first]}).status_code == 204
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        attempt.deadline_at = attempt.started_at - timedelta(minutes=5)
        db.session.commit()
    # A late save and a late hand-in with every answer right count for nothing more.
    assert client.post(f"/q/a/{token}/save", data=data).status_code == 409
    assert client.post(f"/q/a/{token}", data=data).status_code == 302
    attempt = attempt_row(app, token)
    assert attempt.finished and attempt.score == 25.0
    assert_ledger_exact(app)


def test_an_expired_attempt_closes_when_it_is_opened_again(app, client, tiny):
    token = start(client)
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        # Past the deadline and its minute of grace, without waiting on the clock.
        attempt.deadline_at = attempt.started_at - timedelta(minutes=2)
        db.session.commit()
    response = client.get(f"/q/a/{token}")
    assert response.headers["Location"].endswith(f"/q/r/{token}")
    assert attempt_row(app, token).score == 0.0


def test_close_expired_command_closes_forgotten_attempts(app, client, runner, tiny):
    token = start(client)
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        attempt.deadline_at = attempt.started_at - timedelta(minutes=2)
        db.session.commit()
    result = runner.invoke(args=["quiz", "close-expired"])
    assert result.exit_code == 0 and "Closed 1" in result.output
    assert attempt_row(app, token).finished


def test_attempts_per_person_per_day_are_limited(app, client, tiny):
    for _ in range(3):
        start(client)
    refused = client.post("/q/tiny", data={"name": "张三", "mobile": "13900001111"})
    assert refused.status_code == 429 and "3" in plain(text(refused))
    # Someone else may still take it, and so may the same person on another day.
    start(client, name="李四", mobile="13900002222")
    with app.app_context():
        for attempt in db.session.scalars(sa.select(Attempt)):
            attempt.taken_on -= timedelta(days=1)
        db.session.commit()
    start(client)


def test_the_day_of_the_daily_limit_is_beijings(app, client, tiny, freeze_clock):
    """Three attempts at 23:30 on 30 June in Beijing; at 00:30 on 1 July the day is new there,
    although a server on UTC is still on 30 June (16:30)."""
    from lawlearn import clock

    freeze_clock(datetime(2026, 6, 30, 23, 30, tzinfo=clock.TZ))
    for _ in range(3):
        start(client)
    assert client.post("/q/tiny", data={"name": "张三", "mobile": "13900001111"}
                       ).status_code == 429
    freeze_clock(datetime(2026, 7, 1, 0, 30, tzinfo=clock.TZ))
    token = start(client)
    assert attempt_row(app, token).taken_on == date(2026, 7, 1)
    # The hand-in time is shown in Beijing time: 00:30 plus the bank's 10 minutes.
    assert "00:40" in text(client.get(f"/q/a/{token}"))


def test_a_bank_may_allow_more_attempts_a_day(app, client, tiny):
    from lawlearn.models import Quiz

    with app.app_context():
        db.session.get(Quiz, tiny).attempts_per_day = 5
        db.session.commit()
    for _ in range(5):
        start(client)
    assert client.post("/q/tiny", data={"name": "张三", "mobile": "13900001111"}
                       ).status_code == 429


def test_a_session_link_counts_the_attempt_for_the_session(app, client, tiny, place):
    session = place["cg_session"]
    token = start(client, s=session["token"])
    attempt = attempt_row(app, token)
    assert attempt.session_id == session["id"] and attempt.unit_id == session["unit_id"]
    with app.app_context():
        person = db.session.get(Person, attempt.person_id)
        assert person.home_unit_id == session["unit_id"]
    assert client.get("/q/tiny?s=no-such-token").status_code == 404


def test_a_checked_in_participant_skips_the_form(app, client, tiny, place):
    session = place["cg_session"]
    with app.app_context():
        person = Person(name="王五", home_unit_id=session["unit_id"])
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    with client.session_transaction() as browser:
        browser["participant_id"] = person_id
    page = text(client.get(f"/q/tiny?s={session['token']}"))
    assert "王五" in page and 'name="mobile"' not in page
    response = client.post(f"/q/tiny/continue?s={session['token']}")
    assert response.status_code == 302
    attempt = attempt_row(app, response.headers["Location"].rsplit("/", 1)[1])
    assert (attempt.person_id, attempt.session_id) == (person_id, session["id"])
    # "Not me": the form is back, for a phone passed from hand to hand.
    assert 'name="mobile"' in text(client.get(f"/q/tiny?s={session['token']}&other=1"))


def test_public_pages_show_only_what_the_token_gives(app, client, tiny):
    assert client.get("/q/a/not-a-token").status_code == 404
    assert client.get("/q/r/not-a-token").status_code == 404
    assert client.post("/q/a/not-a-token", data={}).status_code == 404
    assert client.get("/q/no-such-quiz").status_code == 404
    assert "小测验" in text(client.get("/q/"))


def test_a_participant_who_follows_a_dead_link_gets_plain_words_and_the_quiz_list(client, tiny):
    """Not the staff 404 ("not yours to see", a button to the staff login): participants have
    no account. Every public address that finds nothing says so and offers the quizzes."""
    for url in ("/q/no-such-quiz", "/q/a/not-a-token", "/q/r/not-a-token", "/s/not-a-token",
                "/q/tiny?s=no-such-token", "/q/a/x/y"):
        response = client.get(url)
        page = text(response)
        assert response.status_code == 404, url
        assert "这个测验或签到链接不存在" in page and 'href="/q/"' in page, url
        assert "/login" not in page and "管辖范围" not in page and 'class="participant' in page
    client.get("/lang/en")
    page = text(client.get("/q/no-such-quiz"))
    assert "This quiz or check-in link does not exist" in page and "Law quizzes" in page


def test_a_tampered_answer_is_refused_not_a_crash(app, client, tiny):
    token = start(client)
    response = client.post(f"/q/a/{token}", data={"q1": "Z", "q2": ["Q"]})
    assert response.status_code == 400
    assert not attempt_row(app, token).finished


def test_the_database_refuses_a_second_grading_even_from_a_stale_read(app, client, tiny):
    """Two requests that both read the attempt as open before either wrote: the guarded
    UPDATE lets only the first grade it, whatever the view saw."""
    from lawlearn.quiz.operations import submit_attempt

    token = start(client)
    stmt = sa.select(Attempt).where(Attempt.token == token)
    with app.app_context():
        first = db.session.scalar(stmt)
        first_items = list(first.items)
        with app.app_context():  # another request, with its own database session
            second = db.session.scalar(stmt)
            assert submit_attempt(second, {i.position: None for i in second.items})
            db.session.commit()
        assert not first.finished and len(first_items) == 4
        assert submit_attempt(first, {}) is False
        db.session.rollback()
    assert attempt_row(app, token).score == 0.0


def test_a_quiz_without_questions_says_so(app, client, tiny):
    from lawlearn.models import Question, Quiz

    with app.app_context():
        for question in db.session.scalars(sa.select(Question)):
            question.active = False
        db.session.commit()
    response = client.post("/q/tiny", data={"name": "张三", "mobile": "13900001111"})
    assert response.status_code == 409 and "还没有题目" in text(response)
    assert "小测验" not in text(client.get("/q/"))
    with app.app_context():
        db.session.get(Quiz, tiny).active = False
        db.session.commit()
    assert client.get("/q/tiny").status_code == 404


def test_at_the_daily_limit_the_page_offers_no_start_but_when_to_come_back(app, client, tiny):
    for _ in range(3):
        start(client)
    refused = text(client.post("/q/tiny", data={"name": "张三", "mobile": "13900001111"}))
    assert "开始答题" not in refused
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    assert f"您可以在 {tomorrow} 零点（北京时间）起再次答题" in refused
    # Someone else may still take it on this phone.
    assert 'href="/q/tiny?other=1"' in refused


def test_a_checked_in_participant_at_the_limit_sees_no_start_button(app, client, tiny, place,
                                                                   freeze_clock):
    """"您已签到" only where there is a check-in: the session's own link, not the quiz alone."""
    freeze_clock(datetime(2026, 3, 10, 10, 0, tzinfo=clock.TZ))
    session = place["cg_session"]
    assert client.post(f"/s/{session['token']}", data={"name": "张三", "mobile": "13900001111"}
                       ).status_code == 302
    linked = text(client.get(f"/q/tiny?s={session['token']}"))
    assert "您已签到：张三" in linked and "开始答题" in linked
    alone = text(client.get("/q/tiny"))
    assert "您已签到" not in alone and "答题人：张三" in alone
    for _ in range(3):
        assert client.post("/q/tiny/continue").status_code == 302
    limited = text(client.get(f"/q/tiny?s={session['token']}"))
    assert "开始答题" not in limited and "2026-03-11 零点" in limited


def test_the_large_text_switch_mid_quiz_saves_the_ticked_answers_first(app, client, tiny):
    """Without JavaScript the switch is a submit button of the answer form aimed at the save
    address with ?large=1: what was ticked is kept, then the page comes back in large text."""
    token = start(client)
    ticked = dict(list(answers(app, token).items())[:2])
    page = text(client.get(f"/q/a/{token}"))
    assert (f'form="quiz-answers" formaction="/q/a/{token}/save?large=1"' in
            re.sub(r"\s+", " ", page))
    response = client.post(f"/q/a/{token}/save?large=1", data=ticked)
    assert response.status_code == 303 and response.headers["Location"] == f"/q/a/{token}"
    page = text(client.get(f"/q/a/{token}"))
    assert "large-text" in page.split("<body", 1)[1].split(">", 1)[0]
    with app.app_context():
        saved = db.session.scalar(sa.select(sa.func.count()).select_from(AttemptItem).join(
            Attempt).where(Attempt.token == token, AttemptItem.response.is_not(None)))
    assert saved == len(ticked) == 2
    assert f"/q/a/{token}/save?large=0" in page  # and back to normal text the same way
    assert not attempt_row(app, token).finished
