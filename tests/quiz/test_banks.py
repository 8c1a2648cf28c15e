"""Question banks: loading the shipped files, keeping them in sync, and the quiz commands."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa
import yaml

from lawlearn.extensions import db
from lawlearn.models import Attempt, Question, Quiz
from lawlearn.paths import QUIZZES_DIR
from tests.quiz.conftest import start
from tests.quiz_formats.moodle_expectations import FIXTURES_DIR as FIXTURES


def bank_questions(app, slug):
    with app.app_context():
        return [(q.kind, q.stem, list(q.options), q.answer, q.explanation)
                for q in db.session.scalars(sa.select(Question).join(Quiz).where(
                    Quiz.slug == slug, Question.active).order_by(Question.position))]


def test_init_db_loads_the_shipped_banks_once(app, runner):
    shipped = len(list(QUIZZES_DIR.glob("*.yaml")))
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert f"{shipped} shipped, {shipped} loaded" in result.output
    with app.app_context():
        counts = dict(db.session.execute(sa.select(Quiz.slug, sa.func.count(Question.id))
                                         .join(Question).group_by(Quiz.slug)).all())
    assert set(counts) == {p.stem for p in QUIZZES_DIR.glob("*.yaml")}
    assert all(n >= 20 for n in counts.values())
    again = runner.invoke(args=["init-db"])
    assert again.exit_code == 0 and f"{shipped} shipped, 0 loaded" in again.output


def test_a_changed_bank_file_updates_its_questions_and_old_attempts_keep_their_text(
        app, client, tmp_path):
    from lawlearn.quiz.sync import sync_shipped_banks

    folder = tmp_path / "quizzes"
    shutil.copytree(QUIZZES_DIR, folder)
    with app.app_context():
        sync_shipped_banks(folder)
        db.session.commit()
    token = start(client, slug="civil-code")
    with app.app_context():
        taken = {i.question.key: (i.stem, sorted(i.options))
                 for i in db.session.scalar(sa.select(Attempt).where(Attempt.token == token)).items}
    path = folder / "civil-code.yaml"
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    for question in bank["questions"]:
        question["stem"] = "（新）" + question["stem"]
    removed = bank["questions"].pop()["id"]
    path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with app.app_context():
        results = {r.slug: r for r in sync_shipped_banks(folder)}
        db.session.commit()
        kept = len(bank["questions"])  # every question but the one removed
        assert results["civil-code"].updated == kept and results["civil-code"].retired == 1
        assert results["anti-fraud"].skipped_file  # unchanged files are not reloaded
        assert not db.session.scalar(sa.select(Question.active).where(Question.key == removed))
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        assert {i.question.key: (i.stem, sorted(i.options)) for i in attempt.items} == taken
        assert all(not i.stem.startswith("（新）") for i in attempt.items)


def test_a_broken_shipped_bank_loads_nothing(app, tmp_path):
    from lawlearn.quiz.banks import BankError
    from lawlearn.quiz.sync import sync_shipped_banks

    folder = tmp_path / "quizzes"
    shutil.copytree(QUIZZES_DIR, folder)
    (folder / "minors.yaml").write_text("slug: minors\n", encoding="utf-8")
    with app.app_context(), pytest.raises(BankError) as error:
        sync_shipped_banks(folder)
    assert any(p.startswith("minors.yaml") for p in error.value.problems)


def test_quiz_check_passes_the_shipped_banks_and_their_citations(runner):
    result = runner.invoke(args=["quiz", "check"])
    assert result.exit_code == 0, result.output
    shipped = len(list(QUIZZES_DIR.glob("*.yaml")))
    assert f"{shipped} bank(s) checked (structure and citations)" in result.output


def test_quiz_check_finds_a_citation_of_an_article_the_law_does_not_have(runner, tmp_path):
    bank = yaml.safe_load((QUIZZES_DIR / "civil-code.yaml").read_text(encoding="utf-8"))
    bank["questions"][1]["source"] = "《中华人民共和国民法典》第一千三百条"
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "civil-code.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True),
                                            encoding="utf-8")
    result = runner.invoke(args=["quiz", "check", str(folder)])
    assert result.exit_code == 1 and "civil-code.yaml civil-code-002" in result.output
    assert "第一千三百条" in result.output


def test_quiz_check_laws_checks_against_another_folder_of_law_texts(runner, tmp_path):
    """--laws names newer texts before they ship: an article they drop is flagged."""
    from lawlearn.paths import LAWS_DIR

    laws = tmp_path / "laws"
    shutil.copytree(LAWS_DIR, laws)
    cited = yaml.safe_load((QUIZZES_DIR / "mediation.yaml").read_text(encoding="utf-8"))[
        "questions"][0]["source"]
    numeral = cited.split("》第", 1)[1].split("条", 1)[0]
    law = laws / "mediation.md"
    law.write_text("\n".join(line for line in law.read_text(encoding="utf-8").splitlines()
                             if not line.startswith(f"第{numeral}条")), encoding="utf-8")
    assert runner.invoke(args=["quiz", "check"]).exit_code == 0
    result = runner.invoke(args=["quiz", "check", "--laws", str(laws)])
    assert result.exit_code == 1 and "mediation.yaml mediation-001" in result.output
    missing = runner.invoke(args=["quiz", "check", "--laws", str(tmp_path)])
    first_bank = sorted(QUIZZES_DIR.glob("*.yaml"))[0].stem
    assert missing.exit_code == 1 and f"{first_bank}.md" in missing.output


def test_quiz_check_names_the_file_and_question_of_every_problem(runner, tmp_path):
    bank = yaml.safe_load((QUIZZES_DIR / "civil-code.yaml").read_text(encoding="utf-8"))
    bank["questions"][0]["answer"] = "F"
    bank["questions"][2]["kind"] = "essay"
    bank["questions"][3]["id"] = bank["questions"][4]["id"]
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "civil-code.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True),
                                            encoding="utf-8")
    (folder / "broken.yaml").write_text("slug: [\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "check", str(folder)])
    assert result.exit_code == 1
    for expected in ("civil-code.yaml civil-code-001:", "civil-code.yaml civil-code-003:",
                     "civil-code.yaml civil-code-005:", "broken.yaml:", "line"):
        assert expected in result.output, result.output


def test_gift_export_imports_back_to_the_same_questions(app, runner, banks, tmp_path):
    out = tmp_path / "civil.gift"
    assert runner.invoke(args=["quiz", "export", "civil-code", "--format", "gift",
                               "--out", str(out)]).exit_code == 0
    result = runner.invoke(args=["quiz", "import", str(out), "--slug", "civil-copy",
                                 "--topic", "civil-code"])
    assert result.exit_code == 0, result.output
    shipped = len(bank_questions(app, "civil-code"))
    assert f"imported {shipped}, skipped 0" in result.output
    assert bank_questions(app, "civil-copy") == bank_questions(app, "civil-code")
    # Importing the same file again finds every question already there.
    again = runner.invoke(args=["quiz", "import", str(out), "--slug", "civil-copy"])
    assert f"(0 new, 0 changed, 0 removed, {shipped} unchanged)" in again.output


def test_xlsx_export_and_import_both_ways(app, runner, banks, tmp_path):
    from lawlearn.quiz.xlsx import HEADERS

    out = tmp_path / "题库.xlsx"
    assert runner.invoke(args=["quiz", "export", "work-safety", "--format", "xlsx",
                               "--out", str(out)]).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert {row[0].value for row in sheet.iter_rows(min_row=2) if row[1].value} == {"单选", "多选", "判断"}
    result = runner.invoke(args=["quiz", "import", str(out), "--slug", "ws-copy",
                                 "--topic", "安全生产法"])
    assert result.exit_code == 0, result.output
    assert bank_questions(app, "ws-copy") == bank_questions(app, "work-safety")
    with app.app_context():
        sources = lambda slug: db.session.scalars(sa.select(Question.source).join(Quiz).where(  # noqa: E731
            Quiz.slug == slug).order_by(Question.position)).all()
        assert sources("ws-copy") == sources("work-safety")
        assert db.session.scalar(sa.select(Quiz.topic).where(Quiz.slug == "ws-copy")) == \
            "work-safety"


def test_yaml_export_imports_back_and_passes_the_import_check(app, runner, banks, tmp_path):
    out = tmp_path / "anti-drug-copy.yaml"
    runner.invoke(args=["quiz", "export", "anti-drug", "--format", "yaml", "--out", str(out)])
    assert runner.invoke(args=["quiz", "check", str(out)]).exit_code == 0
    result = runner.invoke(args=["quiz", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert bank_questions(app, "anti-drug-copy") == bank_questions(app, "anti-drug")
    with app.app_context():
        keys = db.session.scalars(sa.select(Question.key).join(Quiz).where(
            Quiz.slug == "anti-drug-copy")).all()
    assert keys and all(k.startswith("anti-drug-copy-") for k in keys)


def test_gift_import_skips_unsupported_kinds_with_a_warning_each(app, runner):
    path = FIXTURES / "moodle-gift" / "questions.gift.txt"
    result = runner.invoke(args=["quiz", "import", str(path), "--slug", "moodle",
                                 "--topic", "civil-code"])
    assert result.exit_code == 0, result.output
    assert "imported 5, skipped 4" in result.output
    assert result.output.count("warning:") == 4
    assert "Essay" in result.output or "问答" in result.output


def test_a_gift_syntax_error_writes_nothing_and_names_the_line(app, runner, tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text("::Q1:: 第一题 {=对 ~错}\n\n::Q2:: 第二题 {=甲 ~乙\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(path), "--topic", "civil-code"])
    assert result.exit_code == 1 and "line 3" in result.output.lower().replace("第 3 行", "line 3")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Quiz)) == 0


def test_a_gift_file_that_is_not_utf8_is_refused(app, runner):
    path = FIXTURES / "moodle-gift" / "questions_encoding_windows-1252.gift.txt"
    result = runner.invoke(args=["quiz", "import", str(path), "--slug", "w1252",
                                 "--topic", "civil-code"])
    assert result.exit_code == 1 and "UTF-8" in result.output and "GIFT" in result.output


def test_aiken_errors_are_refused_by_line(app, runner):
    path = FIXTURES / "moodle-aiken" / "aiken_errors.txt"
    result = runner.invoke(args=["quiz", "import", str(path), "--format", "aiken",
                                 "--slug", "ae", "--topic", "civil-code"])
    assert result.exit_code == 1
    for line in (3, 5, 7, 18):
        assert f"line {line}:" in result.output or f"第 {line} 行" in result.output
    ok = runner.invoke(args=["quiz", "import", str(FIXTURES / "moodle-aiken" / "questions.aiken.txt"),
                             "--slug", "aik", "--topic", "civil-code"])
    assert ok.exit_code == 0 and "imported 2, skipped 0" in ok.output


def test_import_refuses_a_shipped_slug_and_a_format_it_cannot_tell(app, runner, banks,
                                                                    tmp_path):
    out = tmp_path / "civil-code.gift"
    runner.invoke(args=["quiz", "export", "civil-code", "--format", "gift", "--out", str(out)])
    shipped = runner.invoke(args=["quiz", "import", str(out)])
    assert shipped.exit_code == 1 and "civil-code" in shipped.output
    plain_txt = tmp_path / "bank.txt"
    plain_txt.write_text("Q\nA) a\nB) b\nANSWER: A\n", encoding="utf-8")
    assert runner.invoke(args=["quiz", "import", str(plain_txt), "--topic", "minors"]
                         ).exit_code == 1
    assert runner.invoke(args=["quiz", "import", str(plain_txt), "--topic", "minors",
                               "--format", "aiken"]).exit_code == 0


def test_reimporting_keeps_the_key_of_a_question_whose_text_is_unchanged(app, runner, tmp_path):
    first = tmp_path / "town.gift"
    first.write_text("甲题 {=对 ~错}\n\n乙题 {T}\n", encoding="utf-8")
    runner.invoke(args=["quiz", "import", str(first), "--topic", "mediation"])
    with app.app_context():
        before = dict(db.session.execute(sa.select(Question.stem, Question.key)).all())
    first.write_text("丙题 {F}\n\n甲题 {=对 ~错}\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(first), "--topic", "mediation"])
    assert "1 new" in result.output and "1 removed" in result.output
    with app.app_context():
        after = {q.stem: (q.key, q.active) for q in db.session.scalars(sa.select(Question))}
    assert after["甲题"] == (before["甲题"], True)
    assert after["乙题"][1] is False and after["丙题"][0] == "town-003"


def test_export_of_an_unknown_bank_is_a_clear_error(app, runner):
    result = runner.invoke(args=["quiz", "export", "nope", "--format", "yaml"])
    assert result.exit_code == 1 and "nope" in result.output and "Traceback" not in result.output
