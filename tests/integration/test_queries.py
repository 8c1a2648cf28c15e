"""List pages cost the same number of queries for a few rows as for many (no N+1)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, StudyUnit, User
from tests.conftest import (
    login,
    recorded_queries,
)


def queries_for(app, client, url: str) -> int:
    client.get(url)  # warm up: first-request work is not what we measure
    with recorded_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    assert statements, "no queries recorded: is the listener on the right engine?"
    return len(statements)


def add_units(app, area_ids: list[int], n: int) -> None:
    with app.app_context():
        start = db.session.scalar(sa.select(sa.func.count()).select_from(StudyUnit))
        db.session.add_all(
            StudyUnit(code=f"Q{start + i:04d}", kind="household", name=f"单元{start + i}",
                      area_id=area_ids[i % len(area_ids)], leader_name="王", reach=1,
                      leader_phone="13900000001", registered_on=date(2026, 1, 1))
            for i in range(n))
        db.session.commit()


def add_villages(app, town_code: str, n: int) -> None:
    with app.app_context():
        town = db.session.scalars(sa.select(Area).where(Area.code == town_code)).one()
        start = db.session.scalar(sa.select(sa.func.count()).where(Area.parent_id == town.id))
        db.session.add_all(
            Area(code=f"{town_code}{start + i:03d}V", name=f"村{start + i}", level="village",
                 parent=town, path=f"{town.path}{town_code}{start + i:03d}V/")
            for i in range(n))
        db.session.commit()


def test_unit_list_costs_the_same_for_5_units_as_for_60(app, client, county, make_user):
    login(client, make_user("admin", area=county["county"]))
    villages = [county[t]["village"].id for t in ("城关镇", "青山镇")]
    add_units(app, villages, 5)
    few = queries_for(app, client, "/units/")
    add_units(app, villages, 55)
    assert queries_for(app, client, "/units/") == few
    assert queries_for(app, client, "/units/?page=2") == few


def test_town_page_costs_the_same_for_3_villages_as_for_30(app, client, county, make_user):
    login(client, make_user("admin", area=county["county"]))
    town = county["城关镇"]["town"]
    add_units(app, [county["城关镇"]["village"].id], 3)
    few = queries_for(app, client, f"/areas/{town.id}")
    add_villages(app, town.code, 27)
    assert queries_for(app, client, f"/areas/{town.id}") == few


@pytest.mark.parametrize("role", ["leader", "coordinator"])
def test_account_list_costs_the_same_for_5_accounts_as_for_30(app, client, county, make_unit,
                                                              make_user, role):
    login(client, make_user("admin", area=county["county"]))
    units = [make_unit(county["城关镇"]["village"]) for _ in range(3)]

    def add_accounts(n: int) -> None:
        with app.app_context():
            start = db.session.scalar(sa.select(sa.func.count()).select_from(User))
            for i in range(n):
                user = User(username=f"{role}-{start + i}", role=role, password_hash="x")
                if role == "leader":
                    user.units = [db.session.get(StudyUnit, u.id) for u in units[: 1 + i % 3]]
                else:
                    user.area_id = county["城关镇" if i % 2 else "青山镇"]["town"].id
                db.session.add(user)
            db.session.commit()

    add_accounts(4)
    few = queries_for(app, client, "/accounts/")
    add_accounts(26)
    assert queries_for(app, client, "/accounts/") == few


def test_finding_a_leaders_units_costs_the_same_for_5_units_as_for_60(app, client, county,
                                                                      make_user):
    """The account form's unit search (issue 10.11): a page of results with their villages,
    and the ticked units kept, in a fixed number of statements."""
    login(client, make_user("admin", area=county["county"]))
    town = county["城关镇"]["town"]
    add_units(app, [county["城关镇"]["village"].id, county["城关镇"]["community"].id], 5)
    with app.app_context():
        ticked = db.session.scalars(sa.select(StudyUnit.id).limit(2)).all()
    url = (f"/accounts/new?role=leader&town={town.id}&q=单元"
           f"&unit={ticked[0]}&unit={ticked[1]}")
    few = queries_for(app, client, url)
    add_units(app, [county["城关镇"]["village"].id, county["城关镇"]["community"].id], 55)
    assert queries_for(app, client, url) == few
