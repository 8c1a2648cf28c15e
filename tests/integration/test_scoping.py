"""Who may see what: a coordinator sees their town only, a leader their own units only.

Every route that loads an area, a unit, a roster member or an account by id is listed in
ROUTES; a test checks the URL map so that a new such route without a scoping test fails.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, RosterMember, StudyUnit
from tests.conftest import login
from tests.integration.helpers import EN, card_figures, count, scalar, select_options, text
from tests.snapshots import built_once


@built_once
def world(app, county, make_unit, make_user, user_id):
    """Two towns with a unit, a roster member and a leader each, and 青山镇's coordinator."""
    from lawlearn.models import StudyUnit as Unit
    from lawlearn.units.operations import add_member

    cg, qs = county["城关镇"], county["青山镇"]
    mine = make_unit(cg["village"], name="城关镇张家中心户")
    neighbour = make_unit(cg["village"], name="城关镇王家中心户")  # same town, another leader
    theirs = make_unit(qs["village"], name="青山镇李家中心户")
    members = {}
    with app.app_context():
        for unit in (mine, theirs):
            person = add_member(db.session.get(Unit, unit.id), name=f"成员{unit.id}", mobile=None)
            db.session.flush()
            members[unit.id] = db.session.scalar(sa.select(RosterMember.id).where(
                RosterMember.unit_id == unit.id, RosterMember.person_id == person.id))
        db.session.commit()
    users = {
        "my_leader": make_user("leader", units=[mine], username="cg-leader"),
        "neighbour_leader": make_user("leader", units=[neighbour], username="cg-neighbour"),
        "their_leader": make_user("leader", units=[theirs], username="qs-leader"),
        "their_coordinator": make_user("coordinator", area=qs["town"], username="qs-coord"),
    }
    ids = {role: user_id(username) for role, username in users.items()}
    return {
        "county": county, "users": users,
        "own": {"area": cg["village"].id, "town": cg["town"].id, "unit": mine.id,
                "member": members[mine.id], "account": ids["my_leader"]},
        "other": {"area": qs["village"].id, "town": qs["town"].id, "unit": theirs.id,
                  "member": members[theirs.id], "account": ids["their_leader"]},
        "neighbour_unit": neighbour.id,
        "their_coordinator": ids["their_coordinator"],
    }


def nothing(_objects: dict) -> dict:
    return {}


def unit_form(objects: dict) -> dict:
    return {"name": "改名的中心户", "area_id": objects["area"], "leader_name": "张三",
            "leader_phone": "13900000002", "reach": "9", "registered_on": "2026-02-01"}


# (endpoint, method, URL with {placeholders} for the objects, form data for a POST)
ROUTES = [
    ("areas.show", "GET", "/areas/{area}", None),
    ("areas.edit", "GET", "/areas/{area}/edit", None),
    ("areas.edit", "POST", "/areas/{area}/edit", lambda o: {"name": "新村", "parent_id": o["town"]}),
    ("areas.retire", "POST", "/areas/{area}/retire", nothing),
    ("areas.reactivate", "POST", "/areas/{area}/reactivate", nothing),
    ("units.show", "GET", "/units/{unit}", None),
    ("units.edit", "GET", "/units/{unit}/edit", None),
    ("units.edit", "POST", "/units/{unit}/edit", unit_form),
    ("units.retire", "POST", "/units/{unit}/retire", nothing),
    ("units.reactivate", "POST", "/units/{unit}/reactivate", nothing),
    ("units.add_member", "POST", "/units/{unit}/members", lambda o: {"name": "新成员"}),
    ("units.remove_member", "POST", "/units/{unit}/members/{member}/remove", nothing),
    ("accounts.disable", "POST", "/accounts/{account}/disable", nothing),
    ("accounts.enable", "POST", "/accounts/{account}/enable", nothing),
    ("accounts.reset_password", "GET", "/accounts/{account}/reset-password", None),
    ("accounts.reset_password", "POST", "/accounts/{account}/reset-password", nothing),
]
UNIT_ROUTES = [r for r in ROUTES if r[0].startswith("units.")]
ROUTE_IDS = [f"{method} {endpoint}" for endpoint, method, _url, _data in ROUTES]


def request(client, route, objects):
    _endpoint, method, url, data = route
    url = url.format(**objects)
    if method == "GET":
        return client.get(url)
    return client.post(url, data=data(objects) if data else None)


FOUNDATION = {"main", "health", "auth", "accounts", "areas", "units", "imports"}


def routes_by_id() -> dict[str, set[str]]:
    """{blueprint: endpoints whose URL takes an <int:...> id}, from the app's URL map."""
    from werkzeug.routing import IntegerConverter

    from lawlearn import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values()):
            found.setdefault(rule.endpoint.split(".")[0], set()).add(rule.endpoint)
    return found


def test_every_foundation_route_that_loads_by_id_has_a_scoping_test():
    covered = {endpoint for endpoint, *_ in ROUTES}
    by_id = set().union(*(v for k, v in routes_by_id().items() if k in FOUNDATION))
    assert by_id, "no <int:...> routes found: is the URL map read right?"
    assert not by_id - covered, f"routes without a scoping test: {sorted(by_id - covered)}"


def test_every_later_route_that_loads_by_id_has_a_scoping_test():
    """Sessions, quizzes, reports...: their own scoping tests must join ROUTES (or a list like
    it) before this passes."""
    from tests.activities.test_scoping import ROUTES as ACTIVITIES_ROUTES
    from tests.assessment.test_scoping import ROUTES as ASSESSMENT_ROUTES
    from tests.binders.test_scoping import ROUTES as BINDERS_ROUTES
    from tests.budgets.test_scoping import ROUTES as BUDGET_ROUTES
    from tests.exams.test_staff import ROUTES as EXAM_ROUTES
    from tests.period_locks.test_scoping import ROUTES as LOCK_ROUTES
    from tests.plans.test_scoping import ROUTES as PLANS_ROUTES
    from tests.quiz.test_staff import SESSION_ROUTES as QUIZ_ROUTES  # own and other town
    from tests.recognition.test_scoping import ROUTES as RECOGNITION_ROUTES
    from tests.reports.test_targets import ROUTES as REPORTS_ROUTES
    from tests.sessions.test_review_scoping import REVIEW_ROUTES
    from tests.sessions.test_scoping import ROUTES as SESSIONS_ROUTES

    covered = {endpoint for endpoint, *_ in ROUTES} | {endpoint for endpoint, *_ in QUIZ_ROUTES}
    covered |= {endpoint for endpoint, *_ in SESSIONS_ROUTES}
    covered |= {endpoint for endpoint, *_ in REVIEW_ROUTES}
    covered |= {endpoint for endpoint, *_ in REPORTS_ROUTES}
    covered |= {endpoint for endpoint, *_ in PLANS_ROUTES}
    covered |= {endpoint for endpoint, *_ in ASSESSMENT_ROUTES}
    covered |= {endpoint for endpoint, *_ in BUDGET_ROUTES}
    covered |= {endpoint for endpoint, *_ in ACTIVITIES_ROUTES}
    covered |= {endpoint for endpoint, *_ in BINDERS_ROUTES}
    covered |= {endpoint for endpoint, *_ in RECOGNITION_ROUTES}
    covered |= {endpoint for endpoint, *_ in EXAM_ROUTES}
    covered |= {endpoint for endpoint, *_ in LOCK_ROUTES}
    by_id = set().union(set(), *(v for k, v in routes_by_id().items() if k not in FOUNDATION))
    assert not by_id - covered, f"routes without a scoping test: {sorted(by_id - covered)}"


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_coordinator_gets_404_for_another_towns_objects_and_in_for_their_own(
        app, client, world, make_user, route):
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    events = count(app, AuditEvent)
    assert request(client, route, world["other"]).status_code == 404
    assert count(app, AuditEvent) == events  # nothing changed over there
    assert request(client, route, world["own"]).status_code in (200, 302)


def test_coordinator_cannot_remove_another_towns_member_through_their_own_unit(client, world,
                                                                              make_user):
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    own, other = world["own"], world["other"]
    response = client.post(f"/units/{own['unit']}/members/{other['member']}/remove")
    assert response.status_code == 404


def test_coordinator_cannot_disable_the_other_towns_coordinator(client, world, make_user):
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    assert client.post(f"/accounts/{world['their_coordinator']}/disable").status_code == 404


def test_admin_of_another_county_gets_404_for_everything_in_this_one(client, world, make_area,
                                                                      make_user):
    elsewhere = make_area("county", code="330200", name="别的县")
    login(client, make_user("admin", area=elsewhere))
    answers = {f"{r[1]} {r[0]}": request(client, r, world["own"]).status_code for r in ROUTES}
    assert answers == dict.fromkeys(answers, 404)


@pytest.mark.parametrize("route", UNIT_ROUTES, ids=[f"{r[1]} {r[0]}" for r in UNIT_ROUTES])
def test_leader_gets_404_for_units_they_do_not_lead(client, world, route):
    login(client, world["users"]["my_leader"])
    neighbours = {**world["own"], "unit": world["neighbour_unit"]}  # same town, not theirs
    assert request(client, route, neighbours).status_code == 404
    assert request(client, route, world["other"]).status_code == 404


def test_leader_opens_their_own_unit_and_keeps_its_roster(client, world):
    login(client, world["users"]["my_leader"])
    unit = world["own"]["unit"]
    assert client.get(f"/units/{unit}").status_code == 200
    assert client.post(f"/units/{unit}/members", data={"name": "新来的村民"}).status_code == 302


def test_leader_is_forbidden_the_office_pages(client, world):
    login(client, world["users"]["my_leader"])
    pages = [
        ("GET", "/areas/"), ("GET", "/areas/{area}"), ("GET", "/areas/new"),
        ("POST", "/areas/{area}/retire"),
        ("GET", "/imports/"), ("GET", "/imports/units"), ("GET", "/imports/units/template.csv"),
        ("GET", "/accounts/"), ("GET", "/accounts/new"), ("POST", "/accounts/{account}/disable"),
        ("GET", "/units/new"), ("GET", "/units/new/household"),
        ("GET", "/units/{unit}/edit"), ("POST", "/units/{unit}/retire"),
    ]
    answers = {}
    for method, path in pages:
        url = path.format(**world["own"])
        answers[f"{method} {url}"] = (client.get(url) if method == "GET"
                                      else client.post(url)).status_code
    assert answers == dict.fromkeys(answers, 403)


# --- lists show only what is in scope -------------------------------------------------------

def test_coordinator_unit_list_shows_only_their_towns_units(client, world, make_user):
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    page = text(client.get("/units/?status=all"))
    assert "城关镇张家中心户" in page and "城关镇王家中心户" in page
    assert "青山镇" not in page


def test_coordinator_cannot_filter_the_unit_list_by_another_town(client, world, make_user):
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    assert client.get(f"/units/?area={world['other']['town']}").status_code == 404


def test_leader_unit_list_shows_only_the_units_they_lead(client, world):
    login(client, world["users"]["my_leader"])
    page = text(client.get("/units/?status=all"))
    assert "城关镇张家中心户" in page
    assert "城关镇王家中心户" not in page and "青山镇李家中心户" not in page


def test_coordinator_area_tree_starts_at_their_town_and_hides_the_other(client, world,
                                                                        make_user):
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    response = client.get("/areas/", follow_redirects=True)
    page = text(response)
    assert response.status_code == 200
    assert "城关镇东村" in page and "城关镇幸福社区" in page and "城关镇机械厂" in page
    assert "青山镇" not in page


def test_coordinator_is_offered_only_their_towns_areas_when_registering(client, world,
                                                                        make_user):
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    page = text(client.get("/units/new/household"))
    assert select_options(page, "area_id") == [str(world["own"]["area"])]
    assert "青山镇" not in page


def test_coordinator_account_list_shows_only_their_towns_people(client, world, make_user):
    me = make_user("coordinator", area=world["county"]["城关镇"]["town"], username="cg-coord")
    login(client, me)
    page = text(client.get("/accounts/"))
    assert "cg-coord" in page and "cg-leader" in page and "cg-neighbour" in page
    assert "qs-leader" not in page and "qs-coord" not in page


def test_admin_account_list_shows_the_whole_county(client, world, make_user):
    login(client, make_user("admin", area=world["county"]["county"]))
    page = text(client.get("/accounts/"))
    assert all(name in page for name in ("cg-leader", "qs-leader", "qs-coord"))


def test_coordinator_home_page_counts_only_their_town(client, county, make_unit, make_user):
    make_unit(county["城关镇"]["village"])
    for _ in range(2):
        make_unit(county["青山镇"]["village"])
    make_unit(county["青山镇"]["community"])
    login(client, make_user("coordinator", area=county["城关镇"]["town"]))
    figures = card_figures(text(client.get("/home", headers=EN)))
    assert figures["Study household"] == 1
    assert figures["Building-captain group"] == 0
    assert figures["Town"] == 1
    assert figures["Village"] == 1


def test_admin_home_page_counts_the_whole_county(client, county, make_unit, make_user):
    make_unit(county["城关镇"]["village"])
    make_unit(county["青山镇"]["village"])
    login(client, make_user("admin", area=county["county"]))
    figures = card_figures(text(client.get("/home", headers=EN)))
    assert figures["Study household"] == 2
    assert figures["Town"] == 2


def test_leader_home_page_lists_and_counts_only_their_units(client, world):
    login(client, world["users"]["my_leader"])
    page = text(client.get("/home", headers=EN))
    assert card_figures(page)["Study household"] == 1
    assert "城关镇张家中心户" in page
    assert "城关镇王家中心户" not in page and "青山镇" not in page


def test_coordinator_import_cannot_touch_another_towns_unit(app, client, world, make_user):
    """A unit code from the other town in a coordinator's file is a row error, not an update."""
    import io

    from tests.integration.helpers import csv_file

    theirs = scalar(app, sa.select(StudyUnit).where(StudyUnit.id == world["other"]["unit"]))
    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    data = csv_file([["编码", "类型", "名称", "所属区域编码", "负责人", "联系电话", "覆盖数",
                      "登记日期"],
                     [theirs.code, "中心户", "抢过来", "330101001", "张三", "13900000003", "5",
                      date(2026, 1, 1).isoformat()]])
    response = client.post("/imports/units", data={"file": (io.BytesIO(data), "units.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert scalar(app, sa.select(StudyUnit.name).where(StudyUnit.id == theirs.id)) != "抢过来"


def test_coordinator_creates_a_leader_only_for_their_towns_units(app, client, world,
                                                                 make_user):
    from lawlearn.models import User

    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    account = {"username": "new-leader", "role": "leader", "password": "a long password 1",
               "confirm": "a long password 1"}
    refused = client.post("/accounts/new", data={**account, "unit_ids": world["other"]["unit"]})
    assert refused.status_code == 400
    assert count(app, User, User.username == "new-leader") == 0
    created = client.post("/accounts/new", data={**account, "unit_ids": world["own"]["unit"]})
    assert created.status_code == 302
    assert count(app, User, User.username == "new-leader") == 1


def test_coordinator_cannot_create_a_coordinator_or_an_admin(app, client, world, make_user):
    from lawlearn.models import User

    login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    for role in ("coordinator", "admin"):
        client.post("/accounts/new", data={
            "username": f"new-{role}", "role": role, "password": "a long password 1",
            "confirm": "a long password 1", "area_id": world["own"]["town"]})
        assert count(app, User, User.username == f"new-{role}") == 0


def links(page: str) -> set[str]:
    """The site's own pages a page links to (not static files, not the language switch)."""
    import html
    import re

    return {html.unescape(href) for href in re.findall(r'href="(/[^"]*)"', page)
            if not href.startswith(("/static/", "/lang/"))}


@pytest.mark.parametrize("who, pages", [
    ("coordinator", ["/home", "/units/", "/units/{unit}", "/areas/{area}", "/areas/{town}",
                     "/accounts/"]),
    ("leader", ["/home", "/units/", "/units/{unit}"]),
], ids=["coordinator", "leader"])
def test_every_link_a_user_is_shown_opens_for_them(client, world, make_user, who, pages):
    """Scoping that 404s is right; a page that links the user to those 404s is not."""
    if who == "leader":
        login(client, world["users"]["my_leader"])
    else:
        login(client, make_user("coordinator", area=world["county"]["城关镇"]["town"]))
    seen = set()
    for page in pages:
        seen |= links(text(client.get(page.format(**world["own"]))))
    dead = {url: status for url in sorted(seen)
            if (status := client.get(url).status_code) not in (200, 302)}
    assert not dead, f"links that do not open for a {who}: {dead}"
