"""Rectification (整改): publishing a year's results gives each town graded 不合格 a task due
30 days later; the town's coordinator uploads a report, the county returns it with a reason
or accepts it. Scoped (a coordinator only their own town, leaders nothing) and audited."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AssessmentRectification, AuditEvent
from tests.assessment.helpers import ENTRIES, import_entries, load_scheme
from tests.conftest import TODAY, login

EN = {"Accept-Language": "en"}
PDF = b"%PDF-1.4\n%%EOF\n"
pytestmark = pytest.mark.usefixtures("fixed_today")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def published(client, assessed_county, make_user, runner, tmp_path):
    """2026 published by the county office; 南山镇 330105 is vetoed, so graded 不合格."""
    assert load_scheme(runner, tmp_path).exit_code == 0
    assert import_entries(runner, tmp_path, ENTRIES).exit_code == 0
    admin = make_user("admin", area=assessed_county["county"])
    login(client, admin)
    assert client.post("/assessment/2026/publish").status_code == 302
    return {**assessed_county, "admin": admin}


def tasks(app) -> dict[str, AssessmentRectification]:
    with app.app_context():
        rows = db.session.scalars(sa.select(AssessmentRectification)).all()
        return {row.area.code: row for row in rows}


def switch(client, user):
    client.post("/logout")
    login(client, user)


def report(client, town: int, data: bytes = PDF, name: str = "整改报告.pdf", note: str = ""):
    return client.post(f"/assessment/2026/towns/{town}/rectification/report", headers=EN,
                       content_type="multipart/form-data",
                       data={"report-file": (io.BytesIO(data), name), "report-note": note})


def test_publishing_opens_a_task_for_each_town_graded_lowest(published, client, app):
    opened = tasks(app)
    assert "330105" in opened and "330101" not in opened
    task = opened["330105"]
    assert task.status == "open" and task.grade == "不合格"
    assert task.due == TODAY + timedelta(days=30)
    page = text(client.get("/assessment/2026/", headers=EN))
    assert "Rectifications" in page and "南山镇 · 2026" in page
    # Publishing again adds nothing twice.
    client.post("/assessment/2026/publish")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(
            AssessmentRectification).where(AssessmentRectification.year == 2026)) \
            == len(opened)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "open_rectification")) == len(opened)


def test_the_town_reports_the_county_returns_it_then_accepts(published, client, make_user,
                                                             app, freeze_clock):
    from datetime import datetime, time

    from lawlearn import clock

    town = published["towns"]["330105"].id
    coordinator = make_user("coordinator", area=published["towns"]["330105"])
    # The county moves the due date; a month later the task is overdue on the town's home page.
    assert client.post(f"/assessment/2026/towns/{town}/rectification/due",
                       data={"due-due": "2026-12-10"}).status_code == 302
    bad_date = client.post(f"/assessment/2026/towns/{town}/rectification/due", headers=EN,
                           data={"due-due": "10/12/2026"})
    assert bad_date.status_code == 400
    switch(client, coordinator)
    freeze_clock(datetime.combine(date(2026, 12, 11), time(10), clock.TZ))
    home = text(client.get("/home", headers=EN))
    assert "Rectifications to report" in home and "Overdue" in home
    # Not a PDF nor a photo: refused, nothing stored.
    fake = report(client, town, b"not a picture", "x.png")
    assert fake.status_code == 400 and tasks(app)["330105"].status == "open"
    sent = report(client, town, note="已整改到位")
    assert sent.status_code == 302
    task = tasks(app)["330105"]
    assert task.status == "submitted" and task.note == "已整改到位"
    with client.get(f"/assessment/2026/towns/{town}/rectification/file") as file:
        assert file.data == PDF
    # The coordinator cannot decide.
    assert client.post(f"/assessment/2026/towns/{town}/rectification/decision",
                       data={"decision-decision": "accept"}).status_code == 403
    switch(client, published["admin"])
    no_reason = client.post(f"/assessment/2026/towns/{town}/rectification/decision",
                            headers=EN, data={"decision-decision": "return"})
    assert no_reason.status_code == 400 and "Give the town a reason" in text(no_reason)
    assert client.post(f"/assessment/2026/towns/{town}/rectification/decision",
                       data={"decision-decision": "return",
                             "decision-reason": "缺少照片"}).status_code == 302
    assert tasks(app)["330105"].status == "open"
    switch(client, coordinator)
    page = text(client.get(f"/assessment/2026/towns/{town}/rectification", headers=EN))
    assert "Returned by the county office: 缺少照片" in page
    assert report(client, town, name="第二稿.pdf").status_code == 302
    switch(client, published["admin"])
    assert client.post(f"/assessment/2026/towns/{town}/rectification/decision",
                       data={"decision-decision": "accept"}).status_code == 302
    assert tasks(app)["330105"].status == "accepted"
    switch(client, coordinator)
    assert "Rectifications to report" not in text(client.get("/home", headers=EN))
    assert report(client, town).status_code == 409
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "assessment_rectifications")
            .order_by(AuditEvent.id)).all()
    assert actions.count("open_rectification") == len(tasks(app))
    assert actions[-6:] == ["open_rectification", "set_due", "submit_rectification",
                       "return_rectification", "submit_rectification",
                       "accept_rectification"]


def test_other_towns_and_leaders_cannot_reach_a_task(published, client, make_user):
    from lawlearn.models import StudyUnit

    town = published["towns"]["330105"].id
    switch(client, make_user("coordinator", area=published["towns"]["330101"]))
    assert client.get(f"/assessment/2026/towns/{town}/rectification").status_code == 404
    assert report(client, town).status_code == 404
    own = published["towns"]["330101"].id
    assert client.get(f"/assessment/2026/towns/{own}/rectification").status_code == 404
    unit = db.session.scalars(sa.select(StudyUnit)).first()
    switch(client, make_user("leader", units=[unit]))
    assert client.get(f"/assessment/2026/towns/{town}/rectification").status_code == 403
