"""The scheme editor: the office changes a year's scheme in the browser. What it saves goes
through the same check as a YAML upload (refused whole, each problem next to its field, what
was typed kept), is audited, and a published year's scheme stays as it was."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AssessmentScheme, AuditEvent
from tests.assessment.helpers import form_fields as fields
from tests.assessment.helpers import load_scheme
from tests.conftest import login

EN = {"Accept-Language": "en"}
EDIT = "/assessment/2026/scheme/edit"
pytestmark = pytest.mark.usefixtures("fixed_today")


def item_prefix(data: dict, code: str) -> str:
    return next(k[:-len("-code")] for k, v in data.items() if k.endswith("-code") and v == code)


@pytest.fixture
def office(client, assessed_county, make_user, runner, tmp_path):
    assert load_scheme(runner, tmp_path).exit_code == 0
    login(client, make_user("admin", area=assessed_county["county"]))
    return client


def stored() -> dict:
    db.session.expire_all()
    return db.session.scalar(sa.select(AssessmentScheme)).document


def audits() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "update"))


def test_saving_the_form_unchanged_keeps_the_scheme_as_it_was(office):
    before = stored()
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    assert data["title"] == "2026年度普法工作定量考核细则"
    response = office.post(EDIT, headers=EN, data=data)
    assert response.status_code == 302
    assert stored() == before and audits() == 0


def test_two_items_points_change_together_and_are_audited(office):
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    a1, a2 = item_prefix(data, "A1"), item_prefix(data, "A2")
    data[f"{a1}-points"], data[f"{a2}-points"] = "10", "15"
    data[f"{a1}-group"], data[f"{a1}-basis"] = "阵地建设", "中心户名册"
    assert office.post(EDIT, headers=EN, data=data).status_code == 302
    items = {i["code"]: i for i in stored()["items"]}
    assert items["A1"]["points"] == 10 and items["A2"]["points"] == 15
    assert items["A1"]["group"] == "阵地建设" and items["A1"]["basis"] == "中心户名册"
    assert audits() == 1
    page = html.unescape(office.get("/assessment/2026/scheme", headers=EN).get_data(
        as_text=True))
    assert "阵地建设" in page and "中心户名册" in page


def test_a_bad_scheme_is_refused_whole_with_the_problem_beside_the_field(office):
    before = stored()
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    b1, c1 = item_prefix(data, "B1"), item_prefix(data, "C1")
    data["title"] = "新标题"
    data[f"{b1}-metric"] = ""
    data[f"{c1}-bands"] = "0.9=25"
    response = office.post(EDIT, headers=EN, data=data)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert f'id="{b1}-metric-error">Item B1: unknown metric “”' in page
    assert f'id="{c1}-bands-error">Item C1: a band gives 25 points, above the item\'s 15.' in page
    assert 'value="新标题"' in page
    assert page.count("needs correcting") == 2  # B1 and C1 come open, the rest folded
    assert stored() == before and audits() == 0


def test_base_points_off_100_are_named_at_the_top(office):
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    data[f"{item_prefix(data, 'A1')}-points"] = "16"
    page = html.unescape(office.post(EDIT, headers=EN, data=data).get_data(as_text=True))
    assert "add up to 101, not 100: A1 16" in page


def test_an_item_is_added_and_another_removed(office):
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    data["more"] = "1"
    page = office.post(EDIT, headers=EN, data=data)
    assert page.status_code == 200
    data = fields(page.get_data(as_text=True))
    blank = next(k[:-len("-code")] for k, v in data.items() if k.startswith("items-")
                 and k.endswith("-code") and not v)
    data.update({f"{blank}-code": "E2", f"{blank}-name": "创新加分", f"{blank}-points": "3",
                 f"{blank}-kind": "bonus"})
    data[f"{item_prefix(data, 'V1')}-remove"] = "y"
    assert office.post(EDIT, headers=EN, data=data).status_code == 302
    codes = [i["code"] for i in stored()["items"]]
    assert codes[-1] == "E2" and "V1" not in codes


def test_a_deduction_can_count_late_returns_from_the_editor(office):
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    data[f"{item_prefix(data, 'D1')}-metric"] = "late_returns"
    assert office.post(EDIT, headers=EN, data=data).status_code == 302
    d1 = next(i for i in stored()["items"] if i["code"] == "D1")
    assert d1["rule"] == {"kind": "deduction", "per": 2, "metric": "late_returns"}


def test_tiers_and_grades_are_edited_in_their_rows(office):
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    data.update({"tiers-0-name": "一类镇", "tiers-0-areas": "330101, 330102",
                 "grades-3-name": "", "grades-3-min": ""})
    assert office.post(EDIT, headers=EN, data=data).status_code == 302
    document = stored()
    assert document["tiers"] == [{"name": "一类镇", "areas": ["330101", "330102"]}]
    assert [g["name"] for g in document["grades"]] == ["优秀", "良好", "合格"]
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    data.update({"tiers-1-name": "二类镇", "tiers-1-areas": "330102"})
    page = html.unescape(office.post(EDIT, headers=EN, data=data).get_data(as_text=True))
    assert 'id="tiers-0-name-error">Area 330102 is in two tiers (一类镇, 二类镇).' in page


def test_a_published_years_scheme_cannot_be_edited(office):
    data = fields(office.get(EDIT, headers=EN).get_data(as_text=True))
    office.post("/assessment/2026/publish", headers=EN)
    data["title"] = "改过的标题"
    response = office.post(EDIT, headers=EN, data=data)
    assert response.status_code == 303
    assert stored()["title"] == "2026年度普法工作定量考核细则"
    assert office.get(EDIT, headers=EN).status_code == 303


def test_a_published_years_scheme_cannot_be_replaced_by_upload_either(office):
    import io

    from tests.assessment.helpers import SCHEME

    office.post("/assessment/2026/publish", headers=EN)
    response = office.post("/assessment/upload", headers=EN,
                           content_type="multipart/form-data", data={"file": (io.BytesIO(
                               SCHEME.replace("定量考核细则", "细则（改）").encode()), "s.yaml")})
    assert response.status_code == 409
    assert "published; their scheme can no longer change" in response.get_data(as_text=True)
    assert stored()["title"] == "2026年度普法工作定量考核细则"


def test_only_the_office_edits_the_scheme(client, assessed_county, make_user, runner,
                                          tmp_path):
    assert load_scheme(runner, tmp_path).exit_code == 0
    login(client, make_user("coordinator", area=assessed_county["towns"]["330101"]))
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, data={"title": "x"}).status_code == 403
