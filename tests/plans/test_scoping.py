"""Scoping of the plans and returns pages: a town's coordinator gets a 404 for another town's
plan, check-off or return, as if it did not exist, and reaches their own."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import AuditEvent, Checkoff, Plan
from tests.conftest import login
from tests.integration.helpers import count
from tests.plans.conftest import PLAN_FILE
from tests.plans.test_contract import invoke, ok


def _check(o):
    return {"area_id": o["row"], "milestone": "M4", "done_on": "2026-06-19"}


ROUTES = [
    ("plans.show", "GET", "/plans/{plan}", None),
    ("plans.cell", "GET", "/plans/{plan}/cell?area={row}&milestone=M1", None),
    ("plans.download", "GET", "/plans/{plan}/plan.yaml", None),
    ("plans.export", "GET", "/plans/{plan}/progress.csv", None),
    ("plans.edit", "GET", "/plans/{plan}/edit", None),
    ("plans.check_off", "POST", "/plans/{plan}/checkoffs", _check),
    ("plans.undo_check_off", "POST", "/plans/{plan}/checkoffs/{checkoff}/undo", None),
    ("returns.month", "GET", "/returns/{town}/2026/5", None),
    ("returns.month", "POST", "/returns/{town}/2026/5", lambda o: {"summary": "五月小结"}),
]


@pytest.fixture
def objects(plan_county, runner, app, tmp_path, freeze_clock):
    """Each town's own plan (rows: its village, community, enterprise), with a check-off."""
    freeze_clock(datetime.combine(date(2026, 6, 20), time(10), clock.TZ))
    text = PLAN_FILE.read_text(encoding="utf-8")
    found = {}
    for key, town in (("own", "城关镇"), ("other", "青山镇")):
        code = plan_county[town]["town"].code
        path = tmp_path / f"{key}.yaml"
        path.write_text(text.replace("code: cc2026", f"code: p{code}").replace(
            'area: "330100"', f'area: "{code}"'), encoding="utf-8")
        ok(invoke(runner, "plan", "load", path))
        village = plan_county[town]["village"]
        ok(invoke(runner, "plan", "check", f"p{code}", "--milestone", "M4", "--area",
                  village.code, "--on", "2026-06-10"))
        with app.app_context():
            plan_id = db.session.scalar(sa.select(Plan.id).where(Plan.code == f"p{code}"))
            checkoff = db.session.scalar(sa.select(Checkoff.id).join(Checkoff.milestone).where(
                Checkoff.area_id == village.id))
        found[key] = {"plan": plan_id, "row": village.id, "checkoff": checkoff,
                      "town": plan_county[town]["town"].id}
    return found


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {e}" for e, m, _u, _d in ROUTES])
def test_coordinator_gets_404_for_another_towns_plans_and_in_for_their_own(
        app, client, plan_county, objects, make_user, route):
    _endpoint, method, url, data = route
    login(client, make_user("coordinator", area=plan_county["城关镇"]["town"]))

    def send(o):
        target = url.format(**o)
        return client.get(target) if method == "GET" else client.post(
            target, data=data(o) if data else None)

    events = count(app, AuditEvent)
    assert send(objects["other"]).status_code == 404
    assert count(app, AuditEvent) == events
    assert send(objects["own"]).status_code in (200, 302)
