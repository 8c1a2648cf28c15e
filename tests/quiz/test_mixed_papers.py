"""Mixed papers (综合卷): the county office composes a paper from several banks by a blueprint
(民法典 5, 反电信网络诈骗法 3, 宪法 2); a villager takes it like any quiz, and the result counts in
the coverage report."""

from __future__ import annotations

import io
import random
import re
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attempt, AuditEvent, Question, Quiz
from lawlearn.quiz import operations
from lawlearn.quiz.mixed import parse_blueprint
from tests.quiz.conftest import answers, plain, start, text

BLUEPRINT = "民法典 5\n反电信网络诈骗法 3\nconstitution 2\n"
FORM = {"slug": "mixed-2026", "title": "2026年综合测验", "blueprint": BLUEPRINT,
        "pass_score": "60", "time_limit_minutes": "20", "attempts_per_day": "2"}


def compose(client, **changes):
    return client.post("/quizzes/mixed/new", data={**FORM, **changes})


def test_the_office_composes_a_paper_that_draws_by_its_blueprint(app, client, sign_in,
                                                                 banks):
    sign_in("admin")
    assert "综合卷" in text(client.get("/quizzes/mixed/new"))
    done = compose(client)
    assert done.status_code == 302 and done.headers["Location"].endswith("/banks/mixed-2026")
    page = plain(text(client.get(done.headers["Location"])))
    assert "民法典" in page and "综合" in page
    with app.app_context():
        paper = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "mixed-2026"))
        assert (paper.topic, paper.draw, paper.time_limit_minutes, paper.attempts_per_day) == \
            ("general", 10, 20, 2)
        assert [(p.bank.slug, p.count) for p in paper.parts] == \
            [("civil-code", 5), ("anti-fraud", 3), ("constitution", 2)]
        assert db.session.scalar(sa.select(AuditEvent.action).where(
            AuditEvent.object_code == "mixed-2026")) == "save_mixed_paper"
        drawn = operations.draw_items(paper, random.Random(7))
        banks_of = Counter(db.session.get(Question, item["question_id"]).quiz.slug
                           for item in drawn)
        assert banks_of == {"civil-code": 5, "anti-fraud": 3, "constitution": 2}
        assert [item["position"] for item in drawn] == list(range(1, 11))


def test_composing_again_under_the_same_code_replaces_the_blueprint(app, client, sign_in,
                                                                    banks):
    sign_in("admin")
    compose(client)
    assert compose(client, blueprint="宪法 4").status_code == 302
    with app.app_context():
        paper = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "mixed-2026"))
        assert [(p.bank.slug, p.count) for p in paper.parts] == [("constitution", 4)]
        assert paper.draw == 4


def test_a_bad_blueprint_is_refused_with_every_reason_and_nothing_saved(app, client, sign_in,
                                                                        banks):
    sign_in("admin")
    response = compose(client, blueprint="民法典 500\n没有这个法 3\n宪法 2\n宪法 1\n随便写写")
    page = plain(text(response))
    assert response.status_code == 400
    assert "没有这个法" in page and "500" in page and "第 5 行" in page.replace("line 5", "第 5 行")
    assert "2026年综合测验" in text(response)   # what was typed is kept
    shipped = compose(client, slug="civil-code")
    assert shipped.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(Quiz).where(Quiz.slug == "mixed-2026")) is None
        assert db.session.scalar(sa.select(Quiz.topic).where(Quiz.slug == "civil-code")) == \
            "civil-code"


def test_blueprint_lines_read_like_people_write_them():
    assert parse_blueprint("民法典 5\n\n反诈：3题\nconstitution,2") == \
        ([("民法典", 5), ("反诈", 3), ("constitution", 2)], [])


def test_coordinators_and_leaders_may_not_compose(client, sign_in, county, banks):
    sign_in("coordinator", area=county["城关镇"]["town"])
    assert compose(client).status_code == 403


def test_a_villager_takes_a_mixed_paper_and_it_counts_in_the_report(
        app, client, sign_in, county, place, banks):
    sign_in("admin", area=county["county"])
    compose(client)
    client.post("/logout")
    client.delete_cookie("session")
    assert "2026年综合测验" in text(client.get("/q/"))
    token = start(client, "mixed-2026", s=place["cg_session"]["token"])
    done = client.post(f"/q/a/{token}", data=answers(app, token))
    assert done.status_code == 302
    result = plain(text(client.get(done.headers["Location"])))
    assert "100" in result
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        assert (attempt.score, attempt.passed, len(attempt.items)) == (100.0, True, 10)
        assert attempt.unit_id == place["cg_unit"].id
    sign_in("admin", area=county["county"])
    report = client.get("/reports/coverage?area=330100&from=2026-01-01&to=2026-12-31"
                        "&format=json").get_json()
    assert report["total"]["quiz_attempts"] == 1 and report["total"]["mean_score"] == 100


PAPER_YAML = Path(__file__).parent / "files" / "yearly-mix.yaml"


def test_quiz_import_of_a_blueprint_file_makes_a_mixed_paper(app, runner, banks, tmp_path):
    result = runner.invoke(args=["quiz", "import", str(PAPER_YAML)])
    assert result.exit_code == 0, result.output
    assert "yearly-mix: mixed paper saved, 10 questions" in result.output
    with app.app_context():
        paper = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "yearly-mix"))
        assert (paper.title, paper.topic, paper.pass_score, paper.attempts_per_day) == \
            ("年度综合测验", "general", 70, 1)
        assert [(p.bank.slug, p.count) for p in paper.parts] == \
            [("civil-code", 5), ("anti-fraud", 3), ("constitution", 2)]
    bad = tmp_path / "bad-mix.yaml"
    bad.write_text(PAPER_YAML.read_text(encoding="utf-8").replace("count: 3", "count: 999")
                   .replace("宪法 2", "nonsense"), encoding="utf-8")
    refused = runner.invoke(args=["quiz", "import", str(bad)])
    assert refused.exit_code == 1 and "999" in refused.output and "3" in refused.output
    # A question bank cannot be imported over a mixed paper, nor a paper over a bank.
    gift = tmp_path / "yearly-mix.gift"
    gift.write_text("甲题 {T}\n", encoding="utf-8")
    assert runner.invoke(args=["quiz", "import", str(gift)]).exit_code == 1
    assert runner.invoke(args=["quiz", "import", str(PAPER_YAML), "--slug", "tiny-bank"]
                         ).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Quiz).where(
            Quiz.slug.in_(["yearly-mix", "tiny-bank"]))) == 2


def test_the_web_upload_of_a_blueprint_file_previews_then_saves_the_paper(app, client, sign_in,
                                                                          banks):
    sign_in("admin")
    preview = client.post("/quizzes/upload", data={
        "file": (io.BytesIO(PAPER_YAML.read_bytes()), "yearly-mix.yaml")},
        content_type="multipart/form-data")
    assert preview.status_code == 200 and "组卷方案" in text(preview)
    with app.app_context():
        assert db.session.scalar(sa.select(Quiz).where(Quiz.slug == "yearly-mix")) is None
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text(preview)).group(1)
    done = client.post("/quizzes/upload/confirm", data={"token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/banks/yearly-mix")


def test_a_mixed_paper_exports_as_its_blueprint_and_imports_back(app, runner, client, sign_in,
                                                                 banks, tmp_path):
    assert runner.invoke(args=["quiz", "import", str(PAPER_YAML)]).exit_code == 0
    out = tmp_path / "yearly-mix-2.yaml"
    assert runner.invoke(args=["quiz", "export", "yearly-mix", "--format", "yaml",
                               "--out", str(out)]).exit_code == 0
    assert runner.invoke(args=["quiz", "import", str(out)]).exit_code == 0
    with app.app_context():
        copy = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "yearly-mix-2"))
        assert [(p.bank.slug, p.count) for p in copy.parts] == \
            [("civil-code", 5), ("anti-fraud", 3), ("constitution", 2)]
        assert (copy.title, copy.pass_score) == ("年度综合测验", 70)
    sign_in("admin")
    page = text(client.get("/quizzes/banks/yearly-mix"))
    assert "export.yaml" in page and "export.gift" not in page
    assert client.get("/quizzes/banks/yearly-mix/export.gift").status_code == 200
