"""An entry's evidence may be one of the town's own study sessions, chosen from the town's
sessions in the scheme's period: shown as a link on the entry and on the scoring sheet; another
town's session (or one outside the period) is refused."""

from __future__ import annotations

import html
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lawlearn.extensions import db
from lawlearn.models import AssessmentSessionLink, AuditEvent, StudySession
from tests.assessment.helpers import load_scheme
from tests.conftest import login

EN = {"Accept-Language": "en"}
pytestmark = pytest.mark.usefixtures("fixed_today")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def session_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(StudySession.id).where(StudySession.code == code))


@pytest.fixture
def claimed(client, assessed_county, make_user, runner, tmp_path):
    """城关镇's coordinator has self-assessed a bonus (E1)."""
    assert load_scheme(runner, tmp_path).exit_code == 0
    login(client, make_user("coordinator", area=assessed_county["towns"]["330101"]))
    town = assessed_county["towns"]["330101"].id
    assert client.post(f"/assessment/2026/towns/{town}/entries/E1",
                       data={"E1-value": "3"}).status_code == 302
    return town


def test_a_town_links_its_own_study_session_and_it_shows_on_the_sheet(claimed, client, app):
    page = text(client.get(f"/assessment/2026/towns/{claimed}", headers=EN))
    # Offered: the town's 2026 sessions, not S0 (31 Dec 2025) nor 青山镇's S5.
    assert "2026-03-01 S1" in page and " S0<" not in page and " S5<" not in page
    s1 = session_id(app, "S1")
    assert client.post(f"/assessment/2026/towns/{claimed}/entries/E1/sessions",
                       data={"link-E1-study_session": str(s1)}).status_code == 302
    page = text(client.get(f"/assessment/2026/towns/{claimed}", headers=EN))
    assert f'href="/sessions/{s1}"' in page and "Study session:" in page
    sheet = text(client.get(f"/assessment/2026/towns/{claimed}/sheet", headers=EN))
    assert f'<a href="/sessions/{s1}">2026-03-01 S1</a>' in sheet
    xlsx = client.get(f"/assessment/2026/towns/{claimed}/sheet.xlsx")
    rows = [list(r) for r in load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
            .iter_rows(values_only=True)]
    assert [r[4] for r in rows if r[0] == "表彰奖励"] == ["2026-03-01 S1"]
    with app.app_context():
        link = db.session.scalars(sa.select(AssessmentSessionLink)).one()
        link_id = link.id
        assert db.session.scalar(sa.select(AuditEvent.changes).where(
            AuditEvent.action == "link_session")) == {"study_session": "S1"}
    assert client.post(f"/session-links/{link_id}/remove").status_code == 404  # wrong prefix
    assert client.post(f"/assessment/session-links/{link_id}/remove").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(
            AssessmentSessionLink)) == 0


def test_another_towns_or_an_out_of_period_session_is_refused(claimed, client, app,
                                                             assessed_county, make_user):
    for code in ("S5", "S0"):
        refused = client.post(f"/assessment/2026/towns/{claimed}/entries/E1/sessions",
                              headers=EN,
                              data={"link-E1-study_session": str(session_id(app, code))})
        assert refused.status_code == 400
        assert "Choose one of the town's study sessions" in text(refused)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(
            AssessmentSessionLink)) == 0
    client.post("/logout")
    login(client, make_user("coordinator", area=assessed_county["towns"]["330102"]))
    assert client.post(f"/assessment/2026/towns/{claimed}/entries/E1/sessions",
                       data={"link-E1-study_session": str(session_id(app, "S1"))}
                       ).status_code == 404
