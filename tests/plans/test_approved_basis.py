"""Plan progress on the "approved only" basis: a session waiting for review does not tick a
milestone there, and counts as soon as it is approved; without the flag nothing changes."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import StudySession
from tests.plans.conftest import PLAN_FILE
from tests.plans.test_contract import PENDING, done, invoke, ok, progress_json


def set_state(app, code: str, state: str) -> None:
    with app.app_context():
        db.session.scalar(sa.select(StudySession).where(StudySession.code == code)
                          ).review_state = state
        db.session.commit()


def test_a_waiting_session_ticks_nothing_on_the_approved_basis(plan_county, runner, app):
    ok(invoke(runner, "plan", "load", PLAN_FILE))
    set_state(app, "S10", "submitted")  # 青山镇's only touring talk (M2)
    everything = progress_json(runner, "--today", "2026-06-20")
    approved = progress_json(runner, "--today", "2026-06-20", "--approved-only")
    assert "basis" not in everything and approved["basis"] == "approved"
    assert everything["rows"][1]["milestones"]["M2"] == done("2026-06-18")
    assert approved["rows"][1]["milestones"]["M2"] == PENDING
    set_state(app, "S10", "approved")
    approved = progress_json(runner, "--today", "2026-06-20", "--approved-only")
    assert approved["rows"][1]["milestones"]["M2"] == done("2026-06-18")
    csv_text = ok(invoke(runner, "plan", "progress", "cc2026", "--today", "2026-06-20",
                         "--format", "csv", "--approved-only")).output
    assert csv_text.lstrip("\ufeff").splitlines()[0].endswith(",basis")
