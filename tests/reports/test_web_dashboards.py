"""The home page per role: the office's county, a coordinator's town, a leader's units."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, Attendance, StudySession, StudyUnit
from lawlearn.reports.coverage import coverage
from lawlearn.reports.periods import Period
from tests.conftest import TODAY, login
from tests.reports.conftest import person
from tests.reports.test_web_report import EN, cells, page_text

pytestmark = pytest.mark.usefixtures("fixed_today")  # the clock stopped at TODAY


def unit(reach: int) -> StudyUnit:
    return db.session.scalar(sa.select(StudyUnit).where(StudyUnit.reach == reach))


@pytest.fixture
def county(small_county, make_unit):
    """The small county, plus a quiet building group in 青山镇 (青山镇 then has 2 of 3 units
    active) and a November session for B1 (城关镇)."""
    make_unit(small_county["青山镇"]["community"], reach=44, registered_on=date(2026, 2, 1))
    db.session.add(StudySession(code="S-NOV", unit=unit(30), held_on=date(2026, 11, 20),
                                format="lecture", attendance=[Attendance(
                                    person=person("戊"), status="present", method="roster")]))
    db.session.commit()
    return small_county


def table(page: str, css: str) -> list[list[str]]:
    body = re.search(rf'<table class="{css}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [cells(tr) for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def figures(page: str) -> dict[str, str]:
    return {label.split(" · ")[0]: figure for figure, label in re.findall(
        r'<div class="figure">([^<]+)</div><div class="label">([^<]+)</div>', page)}


def test_the_office_sees_county_kpis_ranked_towns_and_dormant_units(client, county,
                                                                   make_user):
    login(client, make_user("admin", area=county["county"]))
    page = page_text(client.get("/home", headers=EN))
    county_area = db.session.scalar(sa.select(Area).where(Area.code == "330100"))
    total = coverage(county_area, Period(date(2026, 1, 1), TODAY), today=TODAY)["total"]
    shown = figures(page)
    assert shown["Registered units"] == str(total["units"]["total"]) == "5"
    assert shown["Active units"] == "80%"  # H1, B1, E1, H2 of five
    assert shown["Sessions"] == str(total["sessions"]) == "5"
    assert shown["Participants"] == str(total["participants"])
    assert table(page, "ranking") == [["1", "城关镇", "2 / 2", "100%"],
                                      ["2", "青山镇", "2 / 3", "67%"]]
    # No session since 28 September: H1 (March), E1 (June), H2 (July); the new building
    # group never met; B1 met on 20 November.
    dormant = table(page, "dormant")
    assert [row[2] for row in dormant] == ["Never", "2026-03-10", "2026-06-30", "2026-07-01"]
    assert "4 dormant units" in page


def test_a_coordinator_sees_their_town_only(client, county, make_user):
    login(client, make_user("coordinator", area=county["城关镇"]["town"]))
    page = page_text(client.get("/home", headers=EN))
    assert "城关镇 this year" in page
    assert [row[1] for row in table(page, "ranking")] == [
        "城关镇东村", "城关镇幸福社区", "城关镇机械厂"]
    assert [row[1] for row in table(page, "dormant")] == ["城关镇东村"]
    assert "青山镇" not in page


def test_a_leader_sees_their_units_last_session_and_when_the_next_is_due(client, county,
                                                                         make_user):
    login(client, make_user("leader", units=[unit(10), unit(30)]))
    page = page_text(client.get("/home", headers=EN))
    rows = {row[0].split(" ")[0]: row for row in table(page, "stack my-units")}
    h1, b1 = rows[unit(10).name], rows[unit(30).name]
    assert h1[1:4] == ["0", "2026-03-10", "Overdue since 2026-04-09"]
    assert b1[1:4] == ["1", "2026-11-20", "2026-12-20"]
    assert "青山镇" not in page and 'class="ranking"' not in page


def test_the_due_interval_is_configurable(app, client, county, make_user):
    app.config["SESSION_DUE_DAYS"] = 14
    login(client, make_user("leader", units=[unit(30)]))
    page = page_text(client.get("/home", headers=EN))
    assert table(page, "stack my-units")[0][3] == "2026-12-04"


def test_my_recent_changes_say_what_was_done_to_what_in_words(client, county, make_user):
    """Not "create · 17": the verb in the reader's language, the kind of object and its name,
    linked to its page, at Beijing time."""
    user = make_user("admin", area=county["county"])
    login(client, user)
    retired = unit(44)
    county_id = db.session.scalar(sa.select(Area.id).where(Area.code == "330100"))
    assert client.post("/reports/targets", data={"area_id": county_id, "year": 2026,
                                                 "kind": "household", "target": 3}
                       ).status_code == 302
    assert client.post(f"/units/{retired.id}/retire").status_code == 302
    client.get("/lang/zh_Hans")
    recent = re.search(r'<ul class="recent-actions">(.*?)</ul>', page_text(client.get("/home")),
                       re.S).group(1)
    items = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
             for li in re.findall(r"<li>(.*?)</li>", recent, re.S)]
    assert items[0].endswith(f"· 已撤销 · 学习单元 {retired.name}")
    assert items[1].endswith("· 创建 · 目标数 示范县 · 2026 · 学法中心户")
    assert f'<a href="/units/{retired.id}">{retired.name}</a>' in recent
    assert re.match(r"2026-\d\d-\d\d \d\d:\d\d ·", items[0])
    assert "retire" not in recent and "create" not in recent
    client.get("/lang/en")
    recent = page_text(client.get("/home"))
    assert "Retired · Study unit" in recent and "Created · Target" in recent
