"""Staff pages: who may see what, the bank upload, the template, and the quiz page's weight."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Question, Quiz
from tests.quiz.conftest import plain, start, text

# Every staff route: (endpoint, method, URL); {own}/{other} are sessions of the signed-in
# leader's or coordinator's place and of the other town.
STAFF_ROUTES = [
    ("quiz.index", "GET", "/quizzes/"),
    ("quiz.bank", "GET", "/quizzes/banks/tiny"),
    ("quiz.export", "GET", "/quizzes/banks/tiny/export.gift"),
    ("quiz.xlsx_template", "GET", "/quizzes/template.xlsx"),
    ("quiz.gaps", "GET", "/quizzes/gaps"),
    ("quiz.upload", "GET", "/quizzes/upload"),
    ("quiz.confirm_upload", "POST", "/quizzes/upload/confirm"),
    ("quiz.new_mixed_paper", "GET", "/quizzes/mixed/new"),
    ("quiz.paper_sheet", "GET", "/quizzes/sessions/{own}/sheet"),
    ("quiz.paper_scores", "GET", "/quizzes/sessions/{own}/scores"),
]
SESSION_ROUTES = [r for r in STAFF_ROUTES if "{own}" in r[2]]
BANK_ROUTES = [r for r in STAFF_ROUTES if "{own}" not in r[2]]


# The participants' quiz pages (no account), all under /q/.
PARTICIPANT_ENDPOINTS = {"quiz_public.public_index", "quiz_public.start",
                         "quiz_public.continue_as", "quiz_public.attempt", "quiz_public.submit",
                         "quiz_public.save", "quiz_public.result"}


def test_every_quiz_route_is_a_staff_route_checked_here_or_a_participant_one(app):
    """The `quiz` blueprint is staff only: each of its endpoints is in STAFF_ROUTES, so
    test_staff_pages_need_a_login proves it needs a login. The participants' pages are
    exactly the `quiz_public` blueprint's, none outside /q/."""
    rules = list(app.url_map.iter_rules())
    staff = {rule.endpoint for rule in rules if rule.endpoint.startswith("quiz.")}
    assert staff == {r[0] for r in STAFF_ROUTES}
    participants = [rule for rule in rules if rule.endpoint.startswith("quiz_public.")]
    assert {rule.endpoint for rule in participants} == PARTICIPANT_ENDPOINTS
    assert all(rule.rule.startswith("/q/") for rule in participants)
    assert not [rule for rule in rules
                if rule.rule.startswith("/q/") and rule.endpoint not in PARTICIPANT_ENDPOINTS]


def test_participants_quiz_pages_need_no_login(client, tiny):
    assert client.get("/q/").status_code == 200
    assert client.get("/q/tiny").status_code == 200


def call(client, method, url, place, which="own"):
    url = url.format(own=place[f"{'cg' if which == 'own' else 'qs'}_session"]["id"])
    return client.open(url, method=method, data={})


@pytest.mark.parametrize("endpoint, method, url", STAFF_ROUTES, ids=[r[0] for r in STAFF_ROUTES])
def test_staff_pages_need_a_login(client, tiny, place, endpoint, method, url):
    response = call(client, method, url, place)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("endpoint, method, url", BANK_ROUTES, ids=[r[0] for r in BANK_ROUTES])
def test_leaders_do_not_see_banks_and_statistics(client, sign_in, tiny, place, endpoint,
                                                 method, url):
    sign_in("leader", units=[place["cg_unit"]])
    assert call(client, method, url, place).status_code == 403


@pytest.mark.parametrize("endpoint, method, url", SESSION_ROUTES,
                         ids=[r[0] for r in SESSION_ROUTES])
def test_leaders_use_paper_quizzes_of_their_own_sessions_only(client, sign_in, tiny, place,
                                                              endpoint, method, url):
    sign_in("leader", units=[place["cg_unit"]])
    assert call(client, method, url, place).status_code == 200
    assert call(client, method, url, place, which="other").status_code == 404


@pytest.mark.parametrize("endpoint, method, url", SESSION_ROUTES,
                         ids=[r[0] for r in SESSION_ROUTES])
def test_coordinators_use_paper_quizzes_of_their_town_only(client, sign_in, county, tiny, place,
                                                           endpoint, method, url):
    sign_in("coordinator", area=county["城关镇"]["town"])
    assert call(client, method, url, place).status_code == 200
    assert call(client, method, url, place, which="other").status_code == 404


def test_coordinators_read_banks_but_do_not_upload(client, sign_in, county, tiny, place):
    sign_in("coordinator", area=county["城关镇"]["town"])
    for endpoint, method, url in BANK_ROUTES:
        status = call(client, method, url, place).status_code
        assert status == (403 if endpoint in ("quiz.upload", "quiz.confirm_upload",
                                              "quiz.new_mixed_paper") else 200), \
            endpoint
    assert "上传题库" not in text(client.get("/quizzes/"))


def test_the_bank_upload_previews_then_imports(app, client, sign_in):
    sign_in("admin")
    gift = ("// a town's own bank\n::Q1:: 调解协议书自各方当事人签名之日起生效。{T####见第二十九条}\n\n"
            "::Q2:: 人民调解委员会调解民间纠纷，收费吗？{=不收费 ~收一半 ~全额收费}\n\n"
            "::Q3:: 谈谈你的看法。{}\n").encode()
    response = client.post("/quizzes/upload", data={
        "file": (io.BytesIO(gift), "town-mediation.gift"), "topic": "mediation",
        "title": "镇调解测验"}, content_type="multipart/form-data")
    page = plain(text(response))
    assert response.status_code == 200 and "镇调解测验" in page
    assert "不支持问答题" in page and "town-mediation" in page
    with app.app_context():
        assert db.session.scalar(sa.select(Quiz).where(Quiz.slug == "town-mediation")) is None
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text(response)).group(1)
    done = client.post("/quizzes/upload/confirm", data={"token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/banks/town-mediation")
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "town-mediation"))
        assert (quiz.title, quiz.topic, quiz.draw) == ("镇调解测验", "mediation", 2)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 2
    assert "导入 2 道，跳过 1 道" in plain(text(client.get(done.headers["Location"])))
    # The token is spent: a second confirm imports nothing.
    assert client.post("/quizzes/upload/confirm", data={"token": token}).status_code == 302


def test_a_broken_upload_names_its_lines_and_writes_nothing(app, client, sign_in, banks):
    sign_in("admin")
    broken = "::Q1:: 第一题 {=对 ~错\n".encode()
    response = client.post("/quizzes/upload", data={
        "file": (io.BytesIO(broken), "b.gift"), "topic": "mediation"},
        content_type="multipart/form-data")
    assert response.status_code == 400 and "第 1 行" in text(response)
    shipped = client.post("/quizzes/upload", data={
        "file": (io.BytesIO(b"Q\nA) a\nB) b\nANSWER: A\n"), "q.txt"), "fmt": "aiken",
        "slug": "civil-code"}, content_type="multipart/form-data")
    assert shipped.status_code == 400 and "系统自带" in text(shipped)


def test_the_xlsx_template_imports_as_it_is(app, client, sign_in):
    sign_in("admin")
    response = client.get("/quizzes/template.xlsx")
    body = response.get_data()
    response.close()
    assert response.mimetype.endswith("spreadsheetml.sheet")
    preview = client.post("/quizzes/upload", data={
        "file": (io.BytesIO(body), "题库模板.xlsx"), "slug": "template", "topic": "civil-code"},
        content_type="multipart/form-data")
    page = plain(text(preview))
    assert preview.status_code == 200 and "template-001" in page and "ABD" in page


def test_exports_download_in_each_format(client, sign_in, tiny):
    sign_in("admin")
    for fmt, marker in (("yaml", b"slug: tiny"), ("gift", b"::tiny-001::"), ("xlsx", b"PK")):
        response = client.get(f"/quizzes/banks/tiny/export.{fmt}")
        assert response.status_code == 200 and marker in response.get_data(), fmt
        assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/quizzes/banks/tiny/export.pdf").status_code == 404


def test_the_quiz_page_weighs_under_60_kb_with_no_third_party_requests(app, client, banks):
    token = start(client, slug="civil-code")
    page = client.get(f"/q/a/{token}")
    html = page.get_data()
    urls = re.findall(rb'(?:src|href)="([^"]+)"', html)
    assets = [u.decode() for u in urls if re.search(rb"\.(css|js|svg|png|woff2?)(\?|$)", u)]
    assert all(not urlsplit(u).netloc for u in (x.decode() for x in urls)), urls
    total = len(html)
    for url in assets:
        response = client.get(url)
        assert response.status_code == 200, url
        total += len(response.get_data())
        response.close()
    assert any(u.endswith("app.css") for u in assets) and any(u.endswith("quiz.js")
                                                              for u in assets)
    print(f"\nquiz page first load: {total} bytes ({len(html)} HTML) with {assets}")
    assert total <= 60 * 1024
