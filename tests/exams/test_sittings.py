"""Sitting the annual exam: the window in Beijing time, the roster, one attempt and one
make-up, and the certificate for a pass."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import ExamSitting
from tests.exams.conftest import (
    ALSO_ON,
    CLOSES,
    ON_ROSTER,
    OPENS,
    STRANGER,
    TYPED_IN,
    answer,
    serial_on,
    start,
)


def sittings(app, exam_id):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(ExamSitting).where(
            ExamSitting.exam_id == exam_id))


def test_a_moment_before_the_window_opens_is_refused(app, client, exam_world, freeze_clock):
    freeze_clock(OPENS - timedelta(seconds=1))
    page = client.get(f"/x/{exam_world['token']}")
    assert page.status_code == 200
    assert "The exam has not started yet." in page.get_data(as_text=True)
    refused = start(client, exam_world["token"])
    assert refused.status_code == 403
    assert "The exam has not started yet." in refused.get_data(as_text=True)
    assert sittings(app, exam_world["exam"]) == 0
    freeze_clock(OPENS)
    with app.app_context():
        assert answer(client, start(client, exam_world["token"]), right=False)


def test_at_the_closing_moment_the_exam_has_ended(app, client, exam_world, freeze_clock):
    freeze_clock(CLOSES)
    page = client.get(f"/x/{exam_world['token']}")
    assert "The exam has ended." in page.get_data(as_text=True)
    refused = start(client, exam_world["token"])
    assert refused.status_code == 403
    assert "The exam has ended." in refused.get_data(as_text=True)
    assert sittings(app, exam_world["exam"]) == 0
    # The window is Beijing time: 18:00 there is 10:00 UTC.
    assert CLOSES.astimezone(UTC).hour == 10


def test_someone_not_on_the_roster_is_refused(app, client, exam_world, during):
    refused = start(client, exam_world["token"], STRANGER)
    assert refused.status_code == 403
    assert "list of candidates" in refused.get_data(as_text=True)
    # A known mobile under another name is no better.
    refused = start(client, exam_world["token"], ("张三丰", ON_ROSTER[1]))
    assert refused.status_code == 403
    assert sittings(app, exam_world["exam"]) == 0


def test_one_attempt_one_make_up_and_no_third(app, client, exam_world, during):
    token = exam_world["token"]
    with app.app_context():
        answer(client, start(client, token), right=False)
        page = client.get(f"/x/{token}").get_data(as_text=True)
        assert "Take the make-up" in page
        makeup = client.post(f"/x/{token}/continue", data={})
        answer(client, makeup, right=False)
    third = start(client, token)
    assert third.status_code == 409
    assert "no more attempts" in third.get_data(as_text=True)
    assert sittings(app, exam_world["exam"]) == 2


def test_a_make_up_after_a_pass_is_refused_and_the_pass_has_a_certificate(
        app, client, exam_world, during):
    token = exam_world["token"]
    with app.app_context():
        answer(client, start(client, token, TYPED_IN), right=True)
    again = start(client, token, TYPED_IN)
    assert again.status_code == 409
    assert "already passed" in again.get_data(as_text=True)
    page = client.get(f"/x/{token}").get_data(as_text=True)
    serial = serial_on(page)
    certificate = client.get(f"/x/certificate/{serial}")
    assert certificate.status_code == 200
    html = certificate.get_data(as_text=True)
    assert "王*" in html and "王五" not in html and "13900003333" not in html
    facts = re.findall(r"<dd[^>]*>([^<]*)</dd>", html)
    assert facts[1:4] == ["2026年度学法考试", "Excellent", "2026-11-25"] or "优秀" in facts
    assert not any("100" in fact for fact in facts)  # the band, never the score
    verified = client.get(f"/verify/exam/{serial}")
    assert verified.status_code == 200
    assert "This certificate is genuine." in verified.get_data(as_text=True)


def test_an_open_attempt_is_resumed_not_counted_twice(app, client, exam_world, during):
    token = exam_world["token"]
    first = start(client, token, ALSO_ON)
    again = start(client, token, ALSO_ON)
    assert again.headers["Location"] == first.headers["Location"]
    assert sittings(app, exam_world["exam"]) == 1


def test_a_failed_attempt_has_no_certificate(app, client, exam_world, during):
    token = exam_world["token"]
    with app.app_context():
        answer(client, start(client, token), right=False)
        row = db.session.scalar(sa.select(ExamSitting))
        from lawlearn.exams.certificates import serial_for

        serial = serial_for(2026, row.id)
    assert client.get(f"/x/certificate/{serial}").status_code == 404
    assert client.get(f"/verify/exam/{serial}").status_code == 404


def test_the_window_is_entered_in_beijing_time(freeze_clock):
    assert OPENS.utcoffset() == timedelta(hours=8)
    assert datetime(2026, 11, 20, 0, 0, tzinfo=clock.TZ) < OPENS
