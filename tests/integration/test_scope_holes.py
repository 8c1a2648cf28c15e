"""Issue 9's scope holes, each as the story of someone trying: a coordinator moving another
town's village into their own by import, coordinators managing accounts that are not theirs,
and import previews telling another town's codes from unknown ones."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from lawlearn.models import Area, AuditEvent, StudyUnit, User
from tests.conftest import login
from tests.integration.helpers import EN, csv_file, scalar, text

AREA_HEADER = ["编码", "名称", "级别", "上级编码"]


def without_csrf(page: str) -> str:
    """The CSRF token is signed with the time: two pages a second apart differ in it only."""
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def upload(client, kind: str, rows: list[list]):
    return client.post(f"/imports/{kind}", headers=EN, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(csv_file(rows)), f"{kind}.csv")})


def area_row(app, code: str) -> tuple:
    with app.app_context():
        from lawlearn.extensions import db

        area = db.session.scalar(sa.select(Area).where(Area.code == code))
        return area.name, area.parent_id, area.path


@pytest.fixture
def coordinator(client, county, make_user):
    login(client, make_user("coordinator", area=county["城关镇"]["town"], username="cg-coord"))
    return client


# --- areas import ------------------------------------------------------------------------------

def test_a_coordinator_cannot_move_another_towns_village_into_their_town(
        app, county, coordinator, make_unit):
    make_unit(county["青山镇"]["village"], name="青山镇李家中心户")
    before = area_row(app, "330102001")
    response = upload(coordinator, "areas", [AREA_HEADER,
                                             ["330102001", "我的村", "村", "330101"]])
    assert response.status_code == 400
    assert area_row(app, "330102001") == before
    assert "青山镇" not in text(response)  # nothing about the village leaks into the preview


def test_another_towns_village_reads_as_a_taken_code_like_on_the_form(app, county, coordinator):
    by_import = upload(coordinator, "areas", [AREA_HEADER,
                                              ["330102001", "我的村", "村", "330101"]])
    assert "An area with this code already exists." in text(by_import)
    by_form = coordinator.post("/areas/new", headers=EN, data={
        "code": "330102001", "name": "我的村", "level": "village",
        "parent_id": county["城关镇"]["town"].id})
    assert "An area with this code already exists." in text(by_form)


def test_an_area_under_another_towns_area_reads_as_an_unknown_parent(app, county, coordinator):
    theirs = upload(coordinator, "areas", [AREA_HEADER, ["330101009", "新村", "村", "330102"]])
    unknown = upload(coordinator, "areas", [AREA_HEADER, ["330101009", "新村", "村", "330199"]])
    assert theirs.status_code == unknown.status_code == 400
    assert "No area has the code 330102." in text(theirs)
    assert (without_csrf(text(theirs)).replace("330102", "X")
            == without_csrf(text(unknown)).replace("330199", "X"))


def test_a_coordinator_still_imports_and_moves_areas_within_their_town(app, county, coordinator):
    rows = [AREA_HEADER, ["330100", "示范县", "县", ""], ["330101", "城关镇", "镇", "330100"],
            ["330101009", "新村", "村", "330101"]]
    preview = upload(coordinator, "areas", rows)
    assert preview.status_code == 200, text(preview)[:3000]


# --- other imports: another town's code reads as an unknown one ---------------------------------

UNIT_HEADER = ["编码", "类型", "名称", "所属区域编码", "负责人", "联系电话", "覆盖数", "登记日期"]
SESSION_HEADER = ["编码", "学习单元编码", "日期", "形式", "主题", "主讲人", "时长"]


def _same_answer(client, kind: str, theirs_row: list, unknown_row: list, header: list,
                 theirs_code: str, unknown_code: str) -> None:
    theirs = upload(client, kind, [header, theirs_row])
    unknown = upload(client, kind, [header, unknown_row])
    assert theirs.status_code == unknown.status_code == 400
    assert (without_csrf(text(theirs)).replace(theirs_code, "X")
            == without_csrf(text(unknown)).replace(unknown_code, "X"))


def test_units_import_answers_the_same_for_another_towns_area_and_an_unknown_one(
        county, coordinator):
    row = ["CG-H09", "中心户", "张家中心户", "AREA", "张建国", "13900000011", "12", "2026-03-01"]
    _same_answer(coordinator, "units", [*row[:3], "330102001", *row[4:]],
                 [*row[:3], "330199001", *row[4:]], UNIT_HEADER, "330102001", "330199001")


def test_sessions_import_answers_the_same_for_another_towns_unit_and_an_unknown_one(
        county, coordinator, make_unit):
    theirs = make_unit(county["青山镇"]["village"], name="青山镇李家中心户")
    row = ["", "UNIT", "2026-03-01", "集中学习", "民法典", "张老师", "60"]
    _same_answer(coordinator, "sessions", [row[0], theirs.code, *row[2:]],
                 [row[0], "NO-SUCH-H001", *row[2:]], SESSION_HEADER, theirs.code,
                 "NO-SUCH-H001")


def test_targets_import_answers_the_same_for_another_county_and_an_unknown_one(
        client, county, make_area, make_user):
    make_area("county", code="440100", name="别县")
    login(client, make_user("admin", area=county["county"]))
    header = ["区域编码", "年度", "类型", "目标数"]
    _same_answer(client, "targets", ["440100", "2026", "中心户", "3"],
                 ["440199", "2026", "中心户", "3"], header, "440100", "440199")


# --- accounts ----------------------------------------------------------------------------------

@pytest.fixture
def accounts(app, county, make_unit, make_user):
    town = county["城关镇"]
    unit = make_unit(town["village"], name="城关镇张家中心户")
    return {
        "office": make_user("admin", area=county["county"], username="office"),
        "coord": make_user("coordinator", area=town["town"], username="cg-coord"),
        "other_coord": make_user("coordinator", area=town["town"], username="cg-coord2"),
        "leader": make_user("leader", units=[unit], username="cg-leader"),
    }


def active(app, username: str) -> bool:
    return scalar(app, sa.select(User.active).where(User.username == username))


def user_id(app, username: str) -> int:
    return scalar(app, sa.select(User.id).where(User.username == username))


def test_a_coordinator_cannot_disable_another_coordinator_of_the_town(app, client, accounts):
    login(client, accounts["coord"])
    response = client.post(f"/accounts/{user_id(app, accounts['other_coord'])}/disable")
    assert response.status_code == 403
    assert active(app, accounts["other_coord"])


def test_a_coordinator_cannot_re_enable_an_account_the_office_disabled(app, client, accounts):
    login(client, accounts["office"])
    leader = user_id(app, accounts["leader"])
    assert client.post(f"/accounts/{leader}/disable").status_code == 302
    client.post("/logout")
    login(client, accounts["coord"])
    assert client.post(f"/accounts/{leader}/enable").status_code == 403
    assert not active(app, accounts["leader"])
    assert scalar(app, sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "enable")) == 0


def test_a_coordinator_manages_the_leaders_of_their_town(app, client, accounts):
    login(client, accounts["coord"])
    leader = user_id(app, accounts["leader"])
    assert client.post(f"/accounts/{leader}/disable").status_code == 302
    assert not active(app, accounts["leader"])
    assert client.post(f"/accounts/{leader}/enable").status_code == 302
    assert active(app, accounts["leader"])


def test_the_office_re_enables_what_it_disabled(app, client, accounts):
    login(client, accounts["office"])
    coord = user_id(app, accounts["coord"])
    assert client.post(f"/accounts/{coord}/disable").status_code == 302
    assert client.post(f"/accounts/{coord}/enable").status_code == 302
    assert active(app, accounts["coord"])


def test_the_accounts_page_offers_a_coordinator_only_their_leaders(app, client, accounts):
    login(client, accounts["coord"])
    page = text(client.get("/accounts/"))
    assert f"/accounts/{user_id(app, accounts['leader'])}/disable" in page
    assert f"/accounts/{user_id(app, accounts['other_coord'])}/disable" not in page


def test_a_coordinator_cannot_disable_a_leader_who_also_leads_in_another_town(
        app, client, county, make_unit, make_user, accounts):
    mine = scalar(app, sa.select(StudyUnit).where(StudyUnit.name == "城关镇张家中心户"))
    theirs = make_unit(county["青山镇"]["village"])
    both = make_user("leader", units=[mine, theirs], username="two-towns")
    login(client, accounts["coord"])
    assert client.post(f"/accounts/{user_id(app, both)}/disable").status_code == 403
    assert active(app, both)
