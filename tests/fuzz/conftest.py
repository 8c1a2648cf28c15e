"""The world the fuzz tests attack: a small county with every kind of object a route may
name, one signed-in client per role, and the bookkeeping that says how many inputs ran.

One app and one database per test function (Hypothesis runs its examples inside it): a fresh
database per example would cost more than the examples. Accepted requests may change the
world as the examples go on; refused ones must change nothing, which each example checks.
"""

from __future__ import annotations

import os
import traceback
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from lawlearn.extensions import db
from tests.conftest import PASSWORD, running_app

# How many generated inputs each fuzz test runs. The sum over the fuzz tests is at least
# 3,000 per database (see test_the_budget_is_at_least_3000_inputs); LAWLEARN_FUZZ_SCALE
# multiplies them for a longer hunt.
SCALE = float(os.environ.get("LAWLEARN_FUZZ_SCALE", "1"))
# With LAWLEARN_FUZZ_CENSUS=1 a 5xx is recorded and the run goes on, to count what a version
# of the app gets wrong; normally the first one fails the test (and Hypothesis shrinks it).
CENSUS = os.environ.get("LAWLEARN_FUZZ_CENSUS") == "1"

INPUTS: Counter = Counter()      # inputs run, by test
FOUND: list[str] = []            # census mode: each 5xx found


def fuzz_settings(examples: int):
    return settings(
        max_examples=max(1, int(examples * SCALE)), deadline=None, database=None,
        # CI runs the same inputs every time, so a submission is judged on what was tested;
        # locally each run draws new ones (LAWLEARN_FUZZ_SCALE for a longer hunt).
        derandomize=os.environ.get("CI") == "true",
        print_blob=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def pytest_terminal_summary(terminalreporter):
    if not INPUTS:
        return
    terminalreporter.write_sep("-", "fuzz inputs")
    for name, n in sorted(INPUTS.items()):
        terminalreporter.write_line(f"{n:6d}  {name}")
    terminalreporter.write_line(f"{sum(INPUTS.values()):6d}  in total")
    if CENSUS:
        terminalreporter.write_line(f"{len(FOUND)} responses were 5xx:")
        for line in sorted(Counter(FOUND).items(), key=lambda kv: -kv[1]):
            terminalreporter.write_line(f"  {line[1]:5d} × {line[0]}")


def server_error(what: str, detail: str) -> None:
    """A 5xx: fail now, or (census) write it down and carry on."""
    if CENSUS:
        FOUND.append(f"{what}: {detail}")
        return
    raise AssertionError(f"{what} answered a server error: {detail}")


def send(client, method: str, url: str, label: str, **kw):
    """One request; an exception the app let escape counts as a 500."""
    try:
        response = client.open(url, method=method, **kw)
    except Exception as error:  # noqa: BLE001 - every escaped exception is the finding
        last = traceback.extract_tb(error.__traceback__)[-1]
        server_error(label, f"{type(error).__name__}: {str(error)[:160]} "
                            f"({os.path.basename(last.filename)}:{last.lineno})")
        with client.application.app_context():
            db.session.rollback()
        return None
    response.close()
    if response.status_code >= 500:
        server_error(label, f"status {response.status_code}")
    return response


def row_counts(app, without: tuple[str, ...] = ()) -> tuple[int, ...]:
    """The number of rows in every table (but `without`), in one query."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in without]
    with app.app_context():
        stmt = sa.select(*(sa.select(sa.func.count()).select_from(t).scalar_subquery()
                           for t in tables))
        counts = tuple(db.session.execute(stmt).one())
        db.session.remove()
        return counts


@pytest.fixture
def app(database_url, tmp_path):
    """The app, without the rate limits: the fuzz tests send thousands of requests from one
    address, and a 429 would hide what the handler behind it does."""
    with running_app(database_url, tmp_path, RATELIMIT_ENABLED=False) as app:
        yield app


@pytest.fixture
def world(app, county, make_unit, make_user):
    """Every object a route can name, in 城关镇, plus a user of each role."""
    from lawlearn.models import Area, Attempt, Quiz, StudyUnit, User
    from lawlearn.quiz.operations import start_attempt
    from lawlearn.quiz.sync import sync_bank
    from lawlearn.reports.targets import set_target
    from lawlearn.sessions.operations import log_session
    from lawlearn.units.operations import add_member
    from tests.quiz.conftest import TINY

    cg = county["城关镇"]
    unit = make_unit(cg["village"], name="城关镇张家中心户")
    make_unit(cg["community"], name="城关镇幸福楼")
    make_unit(cg["enterprise"], name="城关镇机械厂班组")
    users = {"admin": make_user("admin", area=county["county"], username="fuzz-office"),
             "coordinator": make_user("coordinator", area=cg["town"], username="fuzz-coord"),
             "leader": make_user("leader", units=[unit], username="fuzz-leader")}
    spare = make_user("leader", units=[unit], username="fuzz-spare")
    with app.test_request_context():
        db_unit = db.session.get(StudyUnit, unit.id)
        person = add_member(db_unit, name="李秀英", mobile="13900000021")
        study_session = log_session(db_unit, held_on=date.today(), topics=["civil-code"],
                                    format="lecture", lecturer="张老师", duration_minutes=60,
                                    notes=None)
        sync_bank(TINY, source_hash=None)
        db.session.flush()
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "tiny"))
        attempt = start_attempt(quiz, person, session=study_session)
        target = set_target(area=db.session.get(Area, cg["town"].id), year=date.today().year,
                            kind="household", target=5)
        from lawlearn.assessment.operations import load_scheme
        from lawlearn.assessment.scheme import check
        from tests.integration.access_world import assessment_scheme

        load_scheme(check(assessment_scheme(date.today().year)))
        from lawlearn.plans.operations import check_off, load_plan
        from lawlearn.plans.spec import parse_yaml
        from tests.plans.conftest import PLAN_FILE

        plan, _created = load_plan(parse_yaml(PLAN_FILE.read_bytes()))
        checkoff, _new = check_off(plan, milestone_code="M4", area_code=cg["town"].code,
                                   done_on=date(2026, 6, 10))
        from lawlearn.models import Recognition
        from lawlearn.recognition.signing import token_for

        recognition = Recognition(unit=db_unit, year=date.today().year, status="approved",
                                  statement="坚持集中学法", approved_on=date.today())
        db.session.add(recognition)
        from datetime import timedelta

        from lawlearn.clock import utcnow
        from lawlearn.exams.certificates import serial_for
        from lawlearn.exams.operations import ExamValues, save_exam

        exam = save_exam(None, ExamValues(
            name="年度学法考试", year=date.today().year, quiz=quiz, pass_score=60,
            opens_at=utcnow() - timedelta(days=1), closes_at=utcnow() + timedelta(days=30),
            unit_ids=[unit.id], area_ids=[], people=[]),
            area=db.session.get(Area, county["county"].id), actor=None)
        db.session.commit()
        ids = SimpleNamespace(
            unit_id=unit.id, area_id=cg["village"].id, town_id=cg["town"].id,
            session_id=study_session.id, person_id=person.id, target_id=target.id,
            member_id=person.id, quiz_slug=quiz.slug, unit_code=db_unit.code,
            year=date.today().year,
            session_code=study_session.code,
            checkin_token=study_session.checkin_token,
            attempt_token=db.session.scalar(sa.select(Attempt.token).where(
                Attempt.id == attempt.id)),
            plan_id=plan.id, checkoff_id=checkoff.id,
            recognition_id=recognition.id, recognition_token=token_for(recognition.id),
            exam_id=exam.id, exam_token=exam.token,
            exam_serial=serial_for(exam.year, 1),
            spare_user_id=db.session.scalar(sa.select(User.id).where(User.username == spare)),
        )
    clients = {"anonymous": app.test_client()}
    for role, username in users.items():
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302
        clients[role] = client
    return SimpleNamespace(ids=ids, clients=clients, county=county)
