"""Assessment scores on the "approved only" basis: the auto items read the coverage report
counting approved study sessions only; without the flag the contract's JSON is unchanged."""

from __future__ import annotations

import json

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import StudySession
from tests.assessment.test_contract import EXPECTED_ROWS, score, scored  # noqa: F401


def test_a_waiting_session_does_not_score_on_the_approved_basis(scored, runner, app):  # noqa: F811
    with app.app_context():
        first = db.session.scalars(sa.select(StudySession).order_by(StudySession.id)).first()
        first.review_state = "submitted"
        db.session.commit()
    everything = json.loads(score(runner).output)
    approved = json.loads(score(runner, "--approved-only").output)
    assert "basis" not in everything and everything["rows"] == EXPECTED_ROWS
    assert approved["basis"] == "approved"
    assert approved["rows"] != everything["rows"]
    csv_text = score(runner, "--format", "csv", "--approved-only").output.lstrip("\ufeff")
    assert csv_text.splitlines()[0].endswith(",basis")


def test_the_results_page_offers_the_approved_basis(scored, client, make_user, app):  # noqa: F811
    from tests.conftest import login

    login(client, make_user("admin"))
    page = client.get("/assessment/2026/?basis=approved", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'aria-current="true">Approved only' in page.get_data(as_text=True)
