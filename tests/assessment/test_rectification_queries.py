"""The rectification (整改) pages cost the same number of statements for a county of 2 towns
graded lowest as for one of 20: the list on the results page loads every task with its town in
one query, and a task's own page reads only that task."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AssessmentRectification
from tests.assessment.helpers import load_scheme
from tests.conftest import login, recorded_queries

pytestmark = pytest.mark.usefixtures("fixed_today")


def statements(client, app, url: str) -> int:
    client.get(url)  # warm: the first request of a test pays for caches
    with recorded_queries(app) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def task_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(
            AssessmentRectification))


def test_rectification_pages_cost_the_same_for_2_towns_as_for_20(client, app, make_area,
                                                                  make_user, runner, tmp_path):
    """Towns without units score only the untouched deduction (10 of 100): every one is graded
    不合格 and gets a task when the results are published."""
    county = make_area("county", code="330100", name="示范县")
    towns = [make_area("town", parent=county, code=f"3301{n:02d}", name=f"镇{n}")
             for n in range(1, 3)]
    assert load_scheme(runner, tmp_path).exit_code == 0
    admin = make_user("admin", area=county)
    login(client, admin)
    assert client.post("/assessment/2026/publish").status_code == 302
    assert task_count(app) == 2
    task_page = f"/assessment/2026/towns/{towns[0].id}/rectification"
    few = {"results": statements(client, app, "/assessment/2026/"),
           "task": statements(client, app, task_page)}

    for n in range(3, 21):
        make_area("town", parent=county, code=f"3301{n:02d}", name=f"镇{n}")
    assert client.post("/assessment/2026/publish").status_code == 302
    assert task_count(app) == 20
    page = client.get("/assessment/2026/").get_data(as_text=True)
    assert page.count('class="rectification-list"') == 1 and "镇20 · 2026" in page
    many = {"results": statements(client, app, "/assessment/2026/"),
            "task": statements(client, app, task_page)}
    assert many == few


def test_a_coordinators_home_page_lists_their_task_at_the_same_cost(client, app, make_area,
                                                                    make_user, runner,
                                                                    tmp_path):
    county = make_area("county", code="330100", name="示范县")
    own = make_area("town", parent=county, code="330101", name="城关镇")
    make_area("town", parent=county, code="330102", name="青山镇")
    assert load_scheme(runner, tmp_path).exit_code == 0
    login(client, make_user("admin", area=county))
    assert client.post("/assessment/2026/publish").status_code == 302
    client.post("/logout")
    login(client, make_user("coordinator", area=own))
    few = statements(client, app, "/home")
    client.post("/logout")
    for n in range(3, 21):
        make_area("town", parent=county, code=f"3301{n:02d}", name=f"镇{n}")
    login(client, make_user("admin", area=county))
    assert client.post("/assessment/2026/publish").status_code == 302
    client.post("/logout")
    login(client, make_user("coordinator", area=own))
    page = client.get("/home").get_data(as_text=True)
    assert "城关镇 · 2026" in page and "镇20" not in page
    assert statements(client, app, "/home") == few
