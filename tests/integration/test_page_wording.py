"""Small things a newcomer noticed on the pages (issue 10, item 24): nothing said twice, the
same word for the same thing, Chinese punctuation in Chinese, a form that asks only what its
level needs."""

from __future__ import annotations

import re

import pytest

from lawlearn.extensions import db
from lawlearn.models import User
from tests.conftest import login
from tests.integration.helpers import EN, text

pytestmark = pytest.mark.usefixtures("fixed_today")


@pytest.fixture
def office(app, client, county, make_user):
    username = make_user("admin", area=county["county"])
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        user.display_name = "县普法办"  # the same words as the role's name
        db.session.commit()
    login(client, username)
    return client


def test_the_home_page_names_the_role_once_when_the_account_is_named_after_it(office):
    page = text(office.get("/home"))
    assert "县普法办 · 县普法办" not in page
    assert re.search(r'<p class="muted">\s*县普法办\s*</p>', page)


def test_the_roster_calls_a_person_s_name_xingming_as_everywhere_else(office, county,
                                                                      make_unit):
    unit = make_unit(county["城关镇"]["village"])
    page = text(office.get(f"/units/{unit.id}"))
    roster = page[page.index('id="roster"'):]
    assert '<label for="name">姓名' in roster and "名称" not in roster


def test_an_import_page_title_is_one_translated_phrase(office):
    assert "<h1>导入：学习单元</h1>" in text(office.get("/imports/units"))
    assert "<h1>Import: Study units</h1>" in text(office.get("/imports/units", headers=EN))


def test_the_new_town_form_asks_only_what_a_town_has(office, county):
    page = text(office.get(f"/areas/new?level=town&parent={county['county'].id}"))
    assert 'name="employees"' not in page and 'name="industry"' not in page
    assert "无（县级）" not in page  # a town always has a county above it
    enterprise = text(office.get(
        f"/areas/new?level=enterprise&parent={county['城关镇']['town'].id}"))
    assert 'name="employees"' in enterprise and 'name="industry"' in enterprise
    assert "无（县级）" not in enterprise
    # With the level still to choose, every field stays (the level decides on the server).
    anything = text(office.get("/areas/new"))
    assert 'name="employees"' in anything


def test_the_new_town_form_still_creates_a_town(app, office, county):
    response = office.post("/areas/new?level=town", data={
        "code": "330103", "name": "白沙镇", "level": "town", "parent_id": county["county"].id})
    assert response.status_code == 302, text(response)[:2000]


def test_the_quiz_list_names_each_quiz_once(app, client):
    from lawlearn.quiz.sync import sync_shipped_banks

    with app.app_context():
        sync_shipped_banks()
        db.session.commit()
    page = text(client.get("/q/"))
    assert "<strong>民法典知识测验</strong>" in page
    assert "<span>民法典</span>" not in page  # the title already says which law
    english = text(client.get("/q/", headers=EN))
    assert "<span>Civil Code</span>" in english  # the Chinese title, the law's English name
