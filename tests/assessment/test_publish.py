"""Publishing freezes the year's results (later data do not move them, the live view shows the
difference) and locks the year's entries; each town's scoring sheet (考核评分表) prints and
downloads in the office's columns."""

from __future__ import annotations

import html
import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lawlearn.extensions import db
from lawlearn.models import AssessmentPublication, AuditEvent, StudySession, StudyUnit
from tests.assessment.helpers import ENTRIES, import_entries, load_scheme
from tests.conftest import login

EN = {"Accept-Language": "en"}
pytestmark = pytest.mark.usefixtures("fixed_today")


@pytest.fixture
def office(client, assessed_county, make_user, runner, tmp_path):
    assert load_scheme(runner, tmp_path).exit_code == 0
    assert import_entries(runner, tmp_path, ENTRIES).exit_code == 0
    login(client, make_user("admin", area=assessed_county["county"]))
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_published_results_do_not_move_and_the_live_view_shows_the_change(
        office, assessed_county, app):
    assert office.post("/assessment/2026/publish", headers=EN).status_code == 302
    with app.app_context():
        frozen = db.session.scalars(sa.select(AssessmentPublication)).one()
        assert frozen.results["rows"][0]["total"] == 81.2
        h3 = db.session.scalars(sa.select(StudyUnit).order_by(StudyUnit.id).offset(2)).first()
        db.session.add(StudySession(code="S9", unit=h3, held_on=date(2026, 10, 1),
                                    format="lecture"))
        db.session.commit()
    page = text(office.get("/assessment/2026/", headers=EN))
    # Live: H3 active now (4 of 4 → 20) and 5 sessions / 4 units → 16.67: 81.2 + 1.25 + 3.34.
    assert "85.79" in page and "+4.59" in page
    with app.app_context():
        db.session.expire_all()
        assert db.session.scalars(sa.select(AssessmentPublication)).one() \
            .results["rows"][0]["total"] == 81.2
        assert db.session.scalar(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "assessment_publications")) == "publish"


def test_entries_are_locked_once_published(office, assessed_county):
    town = assessed_county["towns"]["330103"].id
    office.post("/assessment/2026/publish")
    locked = office.post(f"/assessment/2026/towns/{town}/entries/D1", headers=EN,
                         data={"value": "1"})
    assert locked.status_code == 409 and "entries for the year are locked" in text(locked)


def test_the_scoring_sheet_prints_and_downloads_in_the_offices_columns(office, assessed_county):
    town = assessed_county["towns"]["330101"].id
    page = text(office.get(f"/assessment/2026/towns/{town}/sheet", headers=EN))
    for header in ("考核项目", "考核内容", "分值", "评分标准", "考核依据", "自评得分", "考核得分"):
        assert f">{header}</th>" in page
    assert "81.2" in page and "print-report" in page
    xlsx = office.get(f"/assessment/2026/towns/{town}/sheet.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1] == ["考核项目", "考核内容", "分值", "评分标准", "考核依据", "自评得分",
                         "考核得分"]
    assert values[2][0] == "学法中心户建设" and values[2][5:] == [11.25, 11.25]
    assert values[-2][5:] == [81.2, 81.2]


def test_the_sheet_shows_a_claim_beside_the_countys_score(client, assessed_county, make_user,
                                                         runner, tmp_path):
    assert load_scheme(runner, tmp_path).exit_code == 0
    town = assessed_county["towns"]["330103"]
    login(client, make_user("coordinator", area=town))
    client.post(f"/assessment/2026/towns/{town.id}/entries/E1", data={"value": "4"})
    xlsx = client.get(f"/assessment/2026/towns/{town.id}/sheet.xlsx")
    rows = [list(r) for r in load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
            .iter_rows(values_only=True)]
    bonus = next(r for r in rows if r[0] == "表彰奖励")
    assert bonus[5:] == [4, 0]  # claimed 4, not counted until reviewed
