"""The recognition list (filters, counts, pagination, empty states, constant query count) and
the coverage report's count of recognised units per area, against a direct count."""

from __future__ import annotations

import json

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, Recognition, StudyUnit
from tests.recognition.conftest import approved, as_user, nominate
from tests.sessions.conftest import queries_for


def add_recognitions(app, area, n: int, status="approved", year=2026, kind=None) -> None:
    """n units of `area`, each with a recognition: built directly, the list's rows."""
    from datetime import date

    from lawlearn.units.operations import register_unit

    with app.app_context():
        place = db.session.get(Area, area.id)
        kind = kind or {"village": "household", "community": "building",
                        "enterprise": "enterprise_group"}[place.level]
        for i in range(n):
            unit = register_unit(kind=kind, area=place, name=f"{place.name}单元{i}",
                                 leader_name="王老师", leader_phone="13900000001", reach=3,
                                 registered_on=date(2026, 1, 5))
            db.session.add(Recognition(unit=unit, year=year, status=status, statement="好",
                                       approved_on=date(2026, 3, 1)))
        db.session.commit()


def test_the_list_filters_counts_and_pages(app, rw):
    cg = rw.county["城关镇"]
    add_recognitions(app, cg["village"], 3)
    add_recognitions(app, cg["community"], 2, status="nominated")
    add_recognitions(app, cg["enterprise"], 1, status="revoked", year=2025)
    office = as_user(app, rw.admin)
    html = office.get("/recognitions/?year=2026&kind=household").get_data(as_text=True)
    assert html.count("/recognitions/") >= 3 and "城关镇东村单元0" in html
    assert "城关镇幸福社区单元0" not in html
    html = office.get("/recognitions/?status=nominated").get_data(as_text=True)
    assert "城关镇幸福社区单元1" in html and "城关镇东村单元0" not in html
    assert "共 2 " in html or "2 in all" in html
    empty = office.get("/recognitions/?year=2030").get_data(as_text=True)
    assert "没有符合筛选条件的认定" in empty
    add_recognitions(app, cg["village"], 30, year=2024)
    assert 'rel="next"' in office.get("/recognitions/?year=2024").get_data(as_text=True)
    for bad in ("?year=abc", "?status=nope", "?kind=x", "?page=999"):
        assert office.get(f"/recognitions/{bad}").status_code == 200


def test_the_empty_list_says_what_to_do_next(app, rw):
    html = as_user(app, rw.coord).get("/recognitions/").get_data(as_text=True)
    assert "还没有推荐任何学习单元" in html


def test_a_leader_sees_only_their_own_units_recognitions(app, rw):
    add_recognitions(app, rw.county["城关镇"]["village"], 2)
    leader = as_user(app, rw.leader)
    nominate(leader, rw.household)
    html = leader.get("/recognitions/").get_data(as_text=True)
    assert "城关镇张家中心户" in html and "城关镇东村单元0" not in html


def test_the_list_costs_the_same_queries_for_5_rows_as_for_40(app, rw):
    cg = rw.county["城关镇"]
    add_recognitions(app, cg["village"], 5)
    office = as_user(app, rw.admin)
    few = queries_for(app, office, "/recognitions/")
    add_recognitions(app, cg["community"], 35)
    assert queries_for(app, office, "/recognitions/") == few
    assert queries_for(app, as_user(app, rw.coord), "/recognitions/?year=2026") == few


def test_the_report_counts_recognised_units_per_area_as_a_direct_count(app, rw):
    cg, qs = rw.county["城关镇"], rw.county["青山镇"]
    add_recognitions(app, cg["village"], 3)
    add_recognitions(app, cg["community"], 2)
    add_recognitions(app, cg["enterprise"], 1, status="revoked")
    add_recognitions(app, cg["enterprise"], 4, year=2025)          # another year
    add_recognitions(app, qs["village"], 2, status="nominated")    # not approved yet
    add_recognitions(app, qs["enterprise"], 1)
    rid = approved(app, rw, unit=rw.theirs)
    office = as_user(app, rw.admin)
    html = office.get("/reports/coverage?area=330100&preset=this_year").get_data(as_text=True)
    panel = html[html.index('id="recognised"'):]
    with app.app_context():
        direct = dict(db.session.execute(
            sa.select(Area.code, sa.func.count()).select_from(Recognition)
            .join(StudyUnit, StudyUnit.id == Recognition.unit_id)
            .join(Area, Area.id == StudyUnit.area_id)
            .where(Recognition.year == 2026, Recognition.status == "approved")
            .group_by(Area.code)).all())
    town_a = sum(v for k, v in direct.items() if k.startswith("330101"))
    town_b = sum(v for k, v in direct.items() if k.startswith("330102"))
    assert (town_a, town_b) == (5, 2)
    rows = [r.split("</tr>")[0] for r in panel.split("<tr")[2:5]]
    assert "城关镇" in rows[0] and rows[0].rstrip().endswith(f">{town_a}</td>")
    assert "青山镇" in rows[1] and rows[1].rstrip().endswith(f">{town_b}</td>")
    assert rows[2].rstrip().endswith(f">{town_a + town_b}</td>")
    assert rid


def test_the_report_files_keep_their_contract(app, rw):
    add_recognitions(app, rw.county["城关镇"]["village"], 2)
    office = as_user(app, rw.admin)
    report = json.loads(office.get("/reports/coverage?area=330100&preset=this_year&format=json")
                        .get_data(as_text=True))
    assert set(report) == {"area", "from", "to", "rows", "total"}
    assert "recogni" not in json.dumps(report)
    csv = office.get("/reports/coverage?area=330100&preset=this_year&format=csv")
    assert "recogni" not in csv.get_data(as_text=True).lower()
    assert "学法示范" not in csv.get_data(as_text=True)


def test_the_report_panel_costs_one_query_whatever_the_rows(app, rw):
    office = as_user(app, rw.admin)
    url = "/reports/coverage?area=330100&preset=this_year"
    before = queries_for(app, office, url)
    add_recognitions(app, rw.county["城关镇"]["village"], 6)
    add_recognitions(app, rw.county["青山镇"]["community"], 4)
    assert queries_for(app, office, url) == before
