"""A bank about no single law: `quiz import` without a topic makes a general (综合) bank, which
lists as 综合 / "General", is taken like any other, stays out of the knowledge-gap table and is
its own 综合 row in the report's scores by topic. And GIFT question names survive a round trip."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
import yaml

from lawlearn.extensions import db
from lawlearn.models import Question, Quiz
from tests.quiz.conftest import answers, plain, start, text
from tests.quiz_formats.moodle_expectations import FIXTURES_DIR as FIXTURES

MIXED_GIFT = """// a town's mixed bank: several laws in one file
::civil-1:: 八周岁以上的未成年人是限制民事行为能力人。{T}

::fraud-1:: 陌生人要你把银行卡借给他用，你应该怎么做？{=拒绝出借 ~借给他 ~卖给他}

::const-1:: 我国的根本法是哪一部？{=宪法 ~民法典 ~刑法}
"""


def quiz_row(app, slug):
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))
        return None if quiz is None else (quiz.topic, quiz.title, quiz.draw)


def import_mixed(runner, tmp_path, *args):
    path = tmp_path / "town-mixed.gift"
    path.write_text(MIXED_GIFT, encoding="utf-8")
    return runner.invoke(args=["quiz", "import", str(path), *args])


def test_importing_a_file_without_a_topic_makes_a_general_bank(app, runner, tmp_path):
    result = import_mixed(runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert "imported 3, skipped 0" in result.output
    assert quiz_row(app, "town-mixed") == ("general", "综合知识测验", 3)


def test_a_general_bank_can_be_asked_for_by_name(app, runner, tmp_path):
    result = import_mixed(runner, tmp_path, "--slug", "mix2", "--topic", "综合",
                          "--title", "镇综合测验")
    assert result.exit_code == 0, result.output
    assert quiz_row(app, "mix2") == ("general", "镇综合测验", 3)
    wrong = import_mixed(runner, tmp_path, "--slug", "mix3", "--topic", "no-such-law")
    assert wrong.exit_code == 1 and "no-such-law" in wrong.output
    assert quiz_row(app, "mix3") is None


def test_a_topic_given_later_or_in_the_slug_still_wins(app, runner, tmp_path):
    assert import_mixed(runner, tmp_path, "--slug", "mediation-2",
                        "--topic", "mediation").exit_code == 0
    # Re-importing without --topic keeps the bank's law.
    assert import_mixed(runner, tmp_path, "--slug", "mediation-2").exit_code == 0
    assert quiz_row(app, "mediation-2")[0] == "mediation"


def test_a_general_bank_exports_and_imports_back_as_yaml(app, runner, tmp_path):
    import_mixed(runner, tmp_path)
    out = tmp_path / "mixed-copy.yaml"
    assert runner.invoke(args=["quiz", "export", "town-mixed", "--format", "yaml",
                               "--out", str(out)]).exit_code == 0
    content = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert content["topic"] == "general"
    # Without a topic at all, a YAML bank is general too. (GIFT carries no source, and a YAML
    # bank needs one: the town writes them in.)
    del content["topic"]
    for question in content["questions"]:
        question.update(explanation="见条文。", source="《中华人民共和国宪法》第一条")
    out.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert quiz_row(app, "mixed-copy")[0] == "general"


def test_a_general_yaml_bank_checks_each_citation_against_the_law_it_names(runner, tmp_path):
    bank = {"slug": "mixed", "title": "综合", "topic": "general", "audiences": ["household"],
            "pass_score": 60, "time_limit_minutes": 10, "draw": 2, "questions": [
                {"id": "mixed-001", "kind": "true_false", "stem": "甲", "answer": True,
                 "explanation": "因为。", "source": "《中华人民共和国宪法》第一条"},
                {"id": "mixed-002", "kind": "true_false", "stem": "乙", "answer": False,
                 "explanation": "因为。", "source": "《中华人民共和国民法典》第十七条"}]}
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    assert runner.invoke(args=["quiz", "check", str(path)]).exit_code == 0
    bank["questions"][1]["source"] = "《中华人民共和国民法典》第九千条"
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["quiz", "check", str(path)])
    assert result.exit_code == 1 and "mixed-002" in result.output


def test_a_general_bank_lists_as_general_and_is_taken_like_any_other(
        app, runner, client, sign_in, county, place, tmp_path):
    import_mixed(runner, tmp_path)
    token = start(client, "town-mixed", s=place["cg_session"]["token"])
    done = client.post(f"/q/a/{token}", data=answers(app, token))
    assert done.status_code == 302
    assert "100" in plain(text(client.get(done.headers["Location"])))
    sign_in("admin", area=county["county"])
    listing = plain(text(client.get("/quizzes/")))
    assert "综合" in listing and "town-mixed" in listing
    assert "综合" in plain(text(client.get("/quizzes/banks/town-mixed")))
    assert client.get("/quizzes/?topic=general").status_code == 200
    # Per-law figures leave it out; the report's scores by topic show it as its own row.
    gaps = client.get("/quizzes/gaps")
    assert gaps.status_code == 200 and "综合" not in plain(text(gaps))
    report = client.get("/reports/coverage?area=330100&from=2026-01-01&to=2026-12-31")
    assert report.status_code == 200 and "综合" in plain(text(report))


def test_the_english_pages_call_it_general(app, runner, client, sign_in, county, tmp_path):
    import_mixed(runner, tmp_path)
    sign_in("admin", area=county["county"])
    page = text(client.get("/quizzes/", headers={"Accept-Language": "en"}))
    assert re.search(r'data-label="Law topic">General</td>', page)


def test_the_web_upload_without_a_topic_makes_a_general_bank(app, client, sign_in):
    sign_in("admin")
    response = client.post("/quizzes/upload", data={
        "file": (io.BytesIO(MIXED_GIFT.encode()), "web-mixed.gift")},
        content_type="multipart/form-data")
    assert response.status_code == 200 and "综合" in plain(text(response))
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text(response)).group(1)
    assert client.post("/quizzes/upload/confirm", data={"token": token}).status_code == 302
    assert quiz_row(app, "web-mixed")[0] == "general"


def test_gift_question_names_survive_import_and_export(app, runner, tmp_path):
    path = FIXTURES / "moodle-gift" / "questions.gift.txt"
    assert runner.invoke(args=["quiz", "import", str(path), "--slug", "moodle"]).exit_code == 0
    with app.app_context():
        names = db.session.scalars(sa.select(Question.name).join(Quiz).where(
            Quiz.slug == "moodle").order_by(Question.position)).all()
    assert names == ["Q2", "colours", "Q1", "2-08 TSL", "2-08 TSL"]
    exported = runner.invoke(args=["quiz", "export", "moodle", "--format", "gift"]).output
    assert re.findall(r"^::(.*?)::", exported, re.M) == names
    # Its YAML carries the names too, and a question keeps its key by its name when its text
    # is corrected.
    yaml_out = runner.invoke(args=["quiz", "export", "moodle", "--format", "yaml"]).output
    assert [q.get("name") for q in yaml.safe_load(yaml_out)["questions"]] == names
    with app.app_context():
        key = db.session.scalar(sa.select(Question.key).where(Question.name == "Q1"))
    corrected = tmp_path / "moodle.gift"
    corrected.write_text(exported.replace("42 is the Absolute Answer", "42 is the Final Answer"),
                         encoding="utf-8")
    again = runner.invoke(args=["quiz", "import", str(corrected)])
    assert again.exit_code == 0 and "0 new, 1 changed" in again.output, again.output
    with app.app_context():
        assert db.session.scalar(sa.select(Question.key).where(
            Question.name == "Q1", Question.active)) == key


def test_a_question_without_a_name_exports_under_its_key(app, runner, tmp_path):
    path = tmp_path / "plain.gift"
    path.write_text("甲题 {T}\n\n乙题 {F}\n", encoding="utf-8")
    assert runner.invoke(args=["quiz", "import", str(path)]).exit_code == 0
    exported = runner.invoke(args=["quiz", "export", "plain", "--format", "gift"]).output
    assert re.findall(r"^::(.*?)::", exported, re.M) == ["plain-001", "plain-002"]
