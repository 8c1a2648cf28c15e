"""Monthly returns (月报): due by the 28th; on time, late, missing or not due yet, counted by
hand; `late_returns` for the assessment; the year board and the form on the web.

Story: 城关镇 returns March on 20 March (on time), April on 2 May (late), nothing for
January, February and May; 青山镇 returns nothing. On 10 June: 城关镇 owes January,
February and May and was late in April (4); 青山镇 owes January to May (5); June is not due.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, MonthlyReturn
from lawlearn.returns import queries
from tests.conftest import login


def at(freeze_clock, day: date):
    freeze_clock(datetime.combine(day, time(10), clock.TZ))


@pytest.fixture
def towns(plan_county, make_user):
    return {"county": plan_county["county"], "cg": plan_county["城关镇"]["town"],
            "qs": plan_county["青山镇"]["town"],
            "admin": make_user("admin", area=plan_county["county"]),
            "cg_coord": make_user("coordinator", area=plan_county["城关镇"]["town"]),
            "qs_coord": make_user("coordinator", area=plan_county["青山镇"]["town"])}


def submit(client, town, month: str, summary="本月开展学习活动两场。"):
    year, m = month.split("-")
    return client.post(f"/returns/{town.id}/{int(year)}/{int(m)}", data={"summary": summary})


@pytest.mark.parametrize("month, day, due", [
    (date(2026, 3, 1), None, date(2026, 3, 28)),
    (date(2026, 2, 1), 31, date(2026, 2, 28)),
    (date(2026, 4, 1), 30, date(2026, 4, 30)),
])
def test_a_return_is_due_by_the_due_day_or_the_months_last(month, day, due):
    assert queries.due_date(month, day) == due


def test_the_year_reads_as_counted_by_hand(client, towns, freeze_clock, app):
    login(client, towns["cg_coord"])
    at(freeze_clock, date(2026, 3, 20))
    assert submit(client, towns["cg"], "2026-03").status_code == 302
    at(freeze_clock, date(2026, 5, 2))
    assert submit(client, towns["cg"], "2026-04").status_code == 302
    at(freeze_clock, date(2026, 6, 10))
    with app.app_context():
        county = db.session.get(Area, towns["county"].id)
        assert queries.late_returns_by_town(county, 2026) == {"330101": 4, "330102": 5}
        assert queries.late_returns(db.session.get(Area, towns["cg"].id), 2026) == 4
        march = db.session.scalar(sa.select(MonthlyReturn).where(
            MonthlyReturn.month == date(2026, 3, 1)))
        # S02 (10 Mar) and S03 (20 Mar) were the town's sessions in March by the 20th.
        assert march.figures["sessions"] == 2 and march.submitted_on == date(2026, 3, 20)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "submit_return")) == 2
    client.post("/logout")
    login(client, towns["admin"])
    html = client.get("/returns/?year=2026").get_data(as_text=True)
    assert html.count("✓") == 1 and html.count("▲") == 1 and html.count("✗") == 8
    assert "2026-07" not in html


def test_resubmitting_keeps_the_first_day(client, towns, freeze_clock, app):
    login(client, towns["cg_coord"])
    at(freeze_clock, date(2026, 3, 20))
    submit(client, towns["cg"], "2026-03")
    at(freeze_clock, date(2026, 4, 3))
    assert submit(client, towns["cg"], "2026-03", "补充：另有一场讲座。").status_code == 302
    with app.app_context():
        found = db.session.scalar(sa.select(MonthlyReturn))
        assert (found.submitted_on, found.summary) == (date(2026, 3, 20), "补充：另有一场讲座。")


def test_refusals(client, towns, freeze_clock, app, make_user):
    at(freeze_clock, date(2026, 6, 10))
    login(client, towns["qs_coord"])
    assert submit(client, towns["cg"], "2026-05").status_code == 404      # another town
    assert submit(client, towns["qs"], "2026-07").status_code == 404      # not begun
    assert submit(client, towns["qs"], "2026-05", "").status_code == 400  # no summary
    assert client.get(f"/returns/{towns['qs'].id}/2026/13").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReturn)) == 0


def test_the_year_board_costs_the_same_queries_for_more_towns(client, towns, app, make_area,
                                                              freeze_clock):
    from tests.conftest import recorded_queries

    at(freeze_clock, date(2026, 6, 10))
    login(client, towns["admin"])
    client.get("/returns/")
    with recorded_queries(app) as two:
        client.get("/returns/")
    with app.app_context():
        county = db.session.get(Area, towns["county"].id)
        db.session.expunge(county)
    for i in range(3):
        make_area("town", parent=county, code=f"33018{i}")
    with recorded_queries(app) as five:
        html = client.get("/returns/").get_data(as_text=True)
    assert "330182" in html
    assert len(five) == len(two)
