"""The exam's staff pages: the form (Beijing time in, UTC stored), the results per unit and
town against a direct count, scoping, the export, and what a page costs in queries."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Attempt, AuditEvent, Exam, ExamCandidate, ExamSitting
from tests.conftest import csrf_token, login, recorded_queries
from tests.exams.conftest import ALSO_ON, ON_ROSTER, OTHER_TOWN, TYPED_IN, answer, start
from tests.integration.helpers import count


def _form(world, **changes):
    return {"name": "城关镇2026年度学法考试", "year": "2026", "quiz": "tiny", "pass_score": "60",
            "opens_at": "2026-11-20T08:00", "closes_at": "2026-11-30T18:00",
            "unit_ids": [str(world["unit_a"])], "area_ids": [], "people": "", **changes}


@pytest.fixture
def town_exams(app, client, exam_world, make_user):
    """Each town's own exam, set up by its coordinator through the form."""
    found = {}
    for key, user, unit in (("own", "exam-coord-a", "unit_a"), ("other", "exam-coord-b",
                                                                 "unit_b")):
        other = app.test_client()
        login(other, user)
        response = other.post("/exams/new", data=_form(exam_world, name=f"{key}卷",
                                                       unit_ids=[str(exam_world[unit])]))
        assert response.status_code == 302, response.get_data(as_text=True)[:1500]
        found[key] = {"exam": int(response.headers["Location"].rsplit("/", 1)[-1])}
    return found


ROUTES = [
    ("exams.show", "GET", "/exams/{exam}", None),
    ("exams.export", "GET", "/exams/{exam}/results.xlsx", None),
    ("exams.edit", "GET", "/exams/{exam}/edit", None),
    ("exams.edit", "POST", "/exams/{exam}/edit",
     lambda o: {"name": "改过的卷", "year": "2026", "quiz": "tiny", "pass_score": "60",
                "opens_at": "2026-11-20T08:00", "closes_at": "2026-11-30T18:00"}),
]


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {e}" for e, m, _u, _d in ROUTES])
def test_coordinator_gets_404_for_another_towns_exam_and_in_for_their_own(
        app, exam_world, town_exams, route):
    _endpoint, method, url, data = route
    client = app.test_client()
    login(client, "exam-coord-a")

    def send(o):
        target = url.format(**o)
        return client.get(target) if method == "GET" else client.post(
            target, data=data(o) if data else None)

    events = count(app, AuditEvent)
    assert send(town_exams["other"]).status_code == 404
    assert count(app, AuditEvent) == events
    assert send(town_exams["own"]).status_code in (200, 302)


def test_the_form_takes_beijing_time_and_stores_utc(app, client, exam_world):
    login(client, "exam-office")
    response = client.post("/exams/new", data=_form(exam_world, people=" ".join(ALSO_ON)))
    assert response.status_code == 302
    with app.app_context():
        exam = db.session.scalar(sa.select(Exam).where(Exam.name == "城关镇2026年度学法考试"))
        assert exam.opens_at == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
        assert clock.local(exam.closes_at).strftime("%H:%M") == "18:00"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ExamCandidate).where(
            ExamCandidate.exam_id == exam.id)) == 2
    edit = client.get(f"/exams/{exam.id}/edit").get_data(as_text=True)
    assert 'value="2026-11-20T08:00"' in edit


def test_a_window_that_closes_before_it_opens_is_refused_and_the_form_kept(client, exam_world):
    login(client, "exam-office")
    response = client.post("/exams/new", data=_form(exam_world, closes_at="2026-11-19T08:00",
                                                    people="张三 12345"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The exam must close after it opens." in html
    assert "Line 1" in html and "城关镇2026年度学法考试" in html


def test_a_window_in_year_one_is_a_message_not_a_crash(client, exam_world):
    login(client, "exam-office")
    response = client.post("/exams/new", data=_form(exam_world, opens_at="0001-01-01T00:00"))
    assert response.status_code == 400
    assert "Give a date between 2000 and 2100." in response.get_data(as_text=True)


def test_a_coordinator_sees_the_county_exam_for_their_town_only_and_may_not_edit_it(
        client, exam_world, during):
    with client.application.app_context():
        answer(client, start(client, exam_world["token"], OTHER_TOWN), right=True)
    login(client, "exam-coord-a")
    page = client.get(f"/exams/{exam_world['exam']}").get_data(as_text=True)
    assert "城关镇东村中心户" in page and "青山镇东村中心户" not in page
    assert client.get(f"/exams/{exam_world['exam']}/edit").status_code == 403


def test_leaders_have_no_exam_pages(client, exam_world):
    login(client, "exam-leader")
    assert client.get("/exams/").status_code == 403
    assert client.get(f"/exams/{exam_world['exam']}").status_code == 403


def _direct(app, exam_id, unit_id=None):
    """The figures by hand: the best finished score of each candidate, counted in Python."""
    with app.app_context():
        exam = db.session.get(Exam, exam_id)
        cands = db.session.scalars(sa.select(ExamCandidate).where(
            ExamCandidate.exam_id == exam_id)).all()
        rows = []
        for c in cands:
            if unit_id is not None and c.unit_id != unit_id:
                continue
            scores = db.session.scalars(sa.select(Attempt.score).join(
                ExamSitting, ExamSitting.attempt_id == Attempt.id).where(
                ExamSitting.exam_id == exam_id, ExamSitting.person_id == c.person_id,
                Attempt.submitted_at.is_not(None))).all()
            rows.append(max(scores) if scores else None)
        sat = [s for s in rows if s is not None]
        return (len(rows), len(sat), sum(1 for s in sat if s >= exam.pass_score),
                round(sum(sat) / len(sat), 1) if sat else None)


def test_results_equal_a_direct_count(app, client, exam_world, during):
    from lawlearn.exams.queries import results

    token = exam_world["token"]
    with app.app_context():
        answer(client, start(client, token, ON_ROSTER), right=False)
        client.post(f"/x/{token}/continue", data={})
        answer(client, client.post(f"/x/{token}/continue", data={}), right=True)
        other = app.test_client()
        answer(other, start(other, token, TYPED_IN), right=True)
        third = app.test_client()
        answer(third, start(third, token, OTHER_TOWN), right=False)
    with app.test_request_context():
        from lawlearn.models import User

        admin = db.session.scalar(sa.select(User).where(User.username == "exam-office"))
        found = results(db.session.get(Exam, exam_world["exam"]), admin)
        total = found.total
        assert (total.eligible, total.sat, total.passed, total.mean_score) == _direct(
            app, exam_world["exam"])
        assert (total.eligible, total.sat, total.passed) == (4, 3, 2)
        by_unit = {r.code: r for r in found.units}
        a = by_unit["EXA-H1"]
        assert (a.eligible, a.sat, a.passed, a.mean_score) == _direct(
            app, exam_world["exam"], exam_world["unit_a"])
        assert a.sitting_rate == 0.5 and a.pass_rate == 1.0
        towns = {r.name: r for r in found.towns}
        assert (towns["城关镇"].eligible, towns["青山镇"].eligible) == (2, 1)
        assert towns[None].eligible == 1  # typed in, with no unit


def test_the_export_carries_the_figures(app, client, exam_world, during):
    from openpyxl import load_workbook

    with app.app_context():
        answer(client, start(client, exam_world["token"], TYPED_IN), right=True)
    login(client, "exam-office")
    response = client.get(f"/exams/{exam_world['exam']}/results.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("level", "code", "name", "eligible", "sat")
    assert rows[-1][0] == "total" and rows[-1][3:7] == (4, 1, 0.25, 1)
    csv = client.get(f"/exams/{exam_world['exam']}/results.csv").get_data(as_text=True)
    assert "total,,,4,1,0.25,1,1.0,100.0" in csv
    assert client.get(f"/exams/{exam_world['exam']}/results.pdf").status_code == 404


def test_the_pages_cost_the_same_queries_for_more_candidates_and_exams(
        app, client, exam_world, during):
    from lawlearn.units.operations import add_member

    login(client, "exam-office")
    exam_url = f"/exams/{exam_world['exam']}"

    def measure(url):
        with recorded_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    before = measure(exam_url), measure("/exams/")
    with app.test_request_context():
        from lawlearn.models import StudyUnit

        unit = db.session.get(StudyUnit, exam_world["unit_a"])
        for i in range(6):
            add_member(unit, name=f"新人{i}", mobile=f"1390000{i:04d}")
        db.session.commit()
    page = client.get(f"/exams/{exam_world['exam']}/edit")
    data = _form(exam_world, csrf_token=csrf_token(page.get_data(as_text=True)),
                 name="2026年度学法考试", pass_score="75")
    assert client.post(f"/exams/{exam_world['exam']}/edit", data=data).status_code == 302
    assert client.post("/exams/new", data=_form(exam_world, name="第二场")).status_code == 302
    with app.app_context():
        answer(client, start(client, exam_world["token"], ON_ROSTER), right=True)
    assert (measure(exam_url), measure("/exams/")) == before


def test_the_command_line_writes_the_results(app, runner, exam_world, during, tmp_path):
    client = app.test_client()
    with app.app_context():
        answer(client, start(client, exam_world["token"], TYPED_IN), right=True)
    done = runner.invoke(args=["exam", "results", str(exam_world["exam"])])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1] == "total,,,4,1,0.25,1,1.0,100.0"
    out = tmp_path / "results.xlsx"
    done = runner.invoke(args=["exam", "results", str(exam_world["exam"]), "--format", "xlsx",
                               "--out", str(out)])
    assert done.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    missing = runner.invoke(args=["exam", "results", "999999"])
    assert missing.exit_code != 0 and "no exam has the id 999999" in missing.output
