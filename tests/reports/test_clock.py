"""One clock: at 01:00 on 1 July in Beijing a server whose own clock says 30 June (UTC, Los
Angeles) still reports, defaults, validates and prints by Beijing's day, and the command line
and the web report give the same period and figures.

The hand-counted small county (conftest.py) has S4 on 1 July: the Beijing "today" here.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Area, Attempt, StudyUnit
from lawlearn.reports.coverage import recount
from lawlearn.reports.periods import Period
from lawlearn.validation import date_problem
from tests.conftest import login

ONE_AM_1_JULY = datetime(2026, 7, 1, 1, 0, tzinfo=clock.TZ)  # = 2026-06-30 17:00 UTC


@pytest.fixture(params=["UTC", "America/Los_Angeles", "Asia/Shanghai"])
def server_zone(request):
    """The process's own time zone, as a server configured in that zone would have it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def one_am_in_beijing(small_county, freeze_clock, server_zone):
    """The clock at 01:00 on 1 July in Beijing. The small county's one record dated after
    that (an attempt on 2 July) goes: nothing can be dated after today."""
    freeze_clock(ONE_AM_1_JULY)
    db.session.delete(db.session.scalar(sa.select(Attempt).where(
        Attempt.taken_on == date(2026, 7, 2))))
    db.session.commit()
    return small_county


@pytest.fixture
def office(client, one_am_in_beijing, make_user):
    login(client, make_user("admin", area=one_am_in_beijing["county"]))
    return client


def county() -> Area:
    return db.session.scalar(sa.select(Area).where(Area.code == "330100"))


def test_the_server_calendar_is_a_day_behind_beijing(one_am_in_beijing, server_zone):
    """The situation the other tests are about: the process's own local date is 30 June
    (except in Beijing), while the county's is 1 July."""
    server_day = datetime.fromtimestamp(clock.utcnow().timestamp()).date()
    assert server_day == (date(2026, 7, 1) if server_zone == "Asia/Shanghai"
                          else date(2026, 6, 30))
    assert clock.today() == date(2026, 7, 1)
    assert clock.now().hour == 1 and clock.utcnow() == datetime(2026, 6, 30, 17, tzinfo=UTC)


def test_command_line_and_web_report_agree_on_beijing_today(office, runner):
    cli = runner.invoke(args=["report", "coverage", "--area", "330100"])
    assert cli.exit_code == 0, cli.output
    web = office.get("/reports/coverage?area=330100&format=json")
    assert web.status_code == 200
    from_cli, from_web = json.loads(cli.output), json.loads(web.data)
    assert from_cli == from_web
    assert (from_cli["from"], from_cli["to"]) == ("2026-01-01", "2026-07-01")
    # S4, held on Beijing's today, is counted; the total is exactly a straight recount.
    assert from_cli == recount(county(), Period(date(2026, 1, 1), date(2026, 7, 1)))
    assert from_cli["total"]["sessions"] == 4  # S1, S2, S5 and today's S4


def test_a_report_ending_yesterday_leaves_out_todays_session(office, runner):
    """Asked for the half year, both leave out S4: it is dated after the report's end."""
    cli = runner.invoke(args=["report", "coverage", "--area", "330100", "--to", "2026-06-30"])
    web = office.get("/reports/coverage?area=330100&to=2026-06-30&format=json")
    half_year = recount(county(), Period(date(2026, 1, 1), date(2026, 6, 30)))
    assert json.loads(cli.output) == json.loads(web.data) == half_year
    assert half_year["total"]["sessions"] == 3


def test_presets_and_the_page_count_to_beijing_today(office):
    page = office.get("/reports/coverage?area=330100&preset=this_month").get_data(as_text=True)
    assert 'value="2026-07-01"' in page  # this month is July, not June


def test_generation_times_are_beijing_time(office, runner, tmp_path):
    printed = office.get("/reports/coverage/print?area=330100").get_data(as_text=True)
    assert "2026-07-01 01:00" in printed and "2026-06-30 17:00" not in printed
    office.get("/lang/en")  # the Chinese file says it in words: tests/reports/test_export_language
    web = office.get("/reports/coverage?area=330100&format=xlsx")
    out = tmp_path / "cli.xlsx"
    assert runner.invoke(args=["report", "coverage", "--format", "xlsx", "--lang", "en",
                               "--out", str(out)]).exit_code == 0
    for body in (web.data, out.read_bytes()):
        params = dict(load_workbook(BytesIO(body))["parameters"].iter_rows(values_only=True))
        assert params["generated_at"] == "2026-07-01T01:00:00+08:00"
        assert params["to"] == "2026-07-01"


def test_my_recent_actions_show_beijing_time(office):
    response = office.post("/reports/targets", data={
        "area_id": county().id, "year": 2026, "kind": "household", "target": 3})
    assert response.status_code == 302
    home = office.get("/home").get_data(as_text=True)
    assert "2026-07-01 01:00" in home and "2026-06-30 17:00" not in home


def test_forms_default_to_beijing_today_and_refuse_only_the_day_after(office, small_county):
    village = small_county["城关镇"]["village"]
    unit = db.session.scalar(sa.select(StudyUnit.id).where(StudyUnit.reach == 10))
    for url in (f"/units/new/household?area={village.id}", f"/units/{unit}/sessions/new"):
        assert 'value="2026-07-01"' in office.get(url).get_data(as_text=True), url
    assert date_problem(date(2026, 7, 1)) is None
    assert date_problem(date(2026, 7, 2)) is not None
