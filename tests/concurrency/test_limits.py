"""Limits that hold when everyone presses at once: three quiz attempts a day however many
starts arrive together, one attendance row however many times a phone sends its check-in."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attempt, Attendance, AuditEvent, Person, Quiz, RosterMember
from lawlearn.models.people import hash_mobile
from tests.concurrency.conftest import (
    SLUG,
    beijing_today,
    check_in,
    leader_client,
    mark_roster,
    run_together,
    start_quiz,
)
from tests.conftest import login

MOBILE = "13822220001"


def attempts_of(app, mobile: str) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(Attempt.method, Attempt.day_seq).join(Attempt.person)
            .where(Person.phone_hash == hash_mobile(mobile))
            .order_by(Attempt.method, Attempt.day_seq)).all()


def test_twenty_simultaneous_starts_give_exactly_three_attempts(app, meetings):
    token = meetings[0].token

    def start():
        return start_quiz(app.test_client(), token, "周八", MOBILE).status_code

    statuses = run_together([start] * 20, workers=20)
    assert sorted(statuses) == [302] * 3 + [429] * 17  # 429: the "come back tomorrow" page
    assert attempts_of(app, MOBILE) == [("online", 1), ("online", 2), ("online", 3)]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)
                                 .where(Person.phone_hash == hash_mobile(MOBILE))) == 1


def test_the_fourth_start_of_the_day_shows_the_limit(app, meetings):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for _ in range(3):
        assert start_quiz(client, meetings[0].token, "周八", MOBILE).status_code == 302
    refused = start_quiz(client, meetings[0].token, "周八", MOBILE)
    assert refused.status_code == 429
    assert "3 times today" in refused.get_data(as_text=True)


def test_paper_results_do_not_use_up_the_online_attempts(app, meetings):
    """A leader typing in the sheets of the morning's paper quiz must not stop a villager
    taking the quiz on their phone that evening: paper results have no day slot."""
    client = app.test_client()
    assert start_quiz(client, meetings[0].token, "周八", MOBILE).status_code == 302
    with app.app_context():
        person = db.session.scalar(sa.select(Person).where(
            Person.phone_hash == hash_mobile(MOBILE)))
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == SLUG))
        db.session.add_all([Attempt(quiz=quiz, person=person, method="paper", score=score,
                                    taken_on=beijing_today(), unit_id=meetings[0].unit_id)
                            for score in (80, 90, 100)])
        db.session.commit()
    for _ in range(2):
        assert start_quiz(client, meetings[0].token, "周八", MOBILE).status_code == 302
    assert start_quiz(client, meetings[0].token, "周八", MOBILE).status_code == 429
    assert attempts_of(app, MOBILE) == [("online", 1), ("online", 2), ("online", 3)] + [
        ("paper", None)] * 3  # (method, day slot)


def rows_of(app, session_id: int) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(Attendance.person_id, Attendance.status, Attendance.method)
            .where(Attendance.session_id == session_id)).all()


def test_thirty_simultaneous_check_ins_of_one_person_give_one_row(app, meetings):
    meeting = meetings[0]
    statuses = run_together([lambda: check_in(app, meeting.token, "吴九", MOBILE)] * 30,
                            workers=30)
    assert statuses == [302] * 30
    rows = rows_of(app, meeting.session_id)
    assert [(status, method) for _p, status, method in rows] == [("present", "qr")]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterMember).where(
            RosterMember.person_id == rows[0][0])) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "check_in")) == 1


def test_people_scanning_while_their_leader_marks_the_roster(app, meetings):
    """Each roster member scans the code while the leader marks them on the roster page:
    whichever comes first writes the row, the other leaves it, nobody sees an error."""
    meeting = meetings[2]
    leader = leader_client(app, meeting.leader)
    with app.app_context():
        names = dict(db.session.execute(sa.select(Person.id, Person.name)
                                        .where(Person.id.in_(meeting.roster))).all())
    mobiles = {pid: f"1370000{2:02d}{i:02d}" for i, pid in enumerate(meeting.roster)}
    jobs = [lambda: mark_roster(leader, meeting.session_id,
                                dict.fromkeys(meeting.roster, "late"))]
    jobs += [lambda pid=pid: check_in(app, meeting.token, names[pid], mobiles[pid])
             for pid in meeting.roster]
    assert run_together(jobs, workers=len(jobs)) == [302] * len(jobs)
    rows = rows_of(app, meeting.session_id)
    assert sorted(pid for pid, _s, _m in rows) == sorted(meeting.roster)
    assert {status for _p, status, _m in rows} <= {"present", "late"}


def test_an_import_confirmed_after_the_same_person_checked_in(app, meetings, make_user,
                                                              county):
    """The sheet was previewed; meanwhile the person scanned the code. Confirming keeps the
    row they made and imports the rest, with no error."""
    meeting = meetings[0]
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, make_user("admin", area=county["county"]))
    out = io.StringIO()
    csv.writer(out).writerows([["活动编码", "姓名", "手机号", "状态"],
                               [meeting.code, "郑十", "13833330001", "出席"],
                               [meeting.code, "钱十一", "13833330002", "迟到"]])
    preview = client.post("/imports/attendance", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(out.getvalue().encode()), "sheet.csv")})
    assert preview.status_code == 200, preview.get_data(as_text=True)[:300]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      preview.get_data(as_text=True)).group(1)
    assert check_in(app, meeting.token, "郑十", "13833330001") == 302
    assert client.post("/imports/attendance/confirm", data={"token": token}).status_code == 302
    rows = rows_of(app, meeting.session_id)
    assert sorted((status, method) for _p, status, method in rows) == [
        ("late", "import"), ("present", "qr")]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(
            Person.phone_hash == hash_mobile("13833330001"))) == 1
