"""Paper quizzes: the printed sheet, scores typed in by a leader, and the quiz-results import."""

from __future__ import annotations

import io
import re
from datetime import date

import sqlalchemy as sa
from openpyxl import Workbook

from lawlearn.extensions import db
from lawlearn.models import Attempt, Person, QuizSheet
from tests.quiz.conftest import assert_ledger_exact, plain, text


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def paper_results(app):
    with app.app_context():
        return sorted((a.person.name, a.person.phone_masked, a.score, a.passed, a.session_id,
                       a.taken_on) for a in db.session.scalars(
            sa.select(Attempt).where(Attempt.method == "paper")))


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def test_a_sheet_is_drawn_once_and_prints_with_its_answer_key(app, client, sign_in, banks,
                                                             place):
    session = place["cg_session"]
    sign_in("leader", units=[place["cg_unit"]])
    url = f"/quizzes/sessions/{session['id']}/sheet"
    page = text(client.get(url))
    assert "抽取题目" in page and 'value="civil-code" selected' in page.replace(
        'selected value="civil-code"', 'value="civil-code" selected')
    response = client.post(url, data={"quiz": "civil-code"})
    assert response.status_code == 302
    first = text(client.get(url + "?quiz=civil-code"))
    client.post(url, data={"quiz": "civil-code"})  # asking again draws nothing new
    # The same sheet; only the forms' CSRF tokens (signed with the time) may differ.
    assert without_csrf(text(client.get(url + "?quiz=civil-code"))) == without_csrf(first)
    with app.app_context():
        sheets = db.session.scalars(sa.select(QuizSheet)).all()
        assert len(sheets) == 1 and len(sheets[0].items) == 10
        stems = [item["stem"] for item in sheets[0].items]
    # Each answer blank "（ ）" is kept on one line (a nowrap span) on paper.
    assert all("（ ）" not in stem or '<span class="bracket">（ ）</span>' in first for stem in stems)
    unwrapped = re.sub(r'<span class="bracket">(.*?)</span>', r"\1", first)
    assert all(stem in unwrapped for stem in stems)
    # Numbered questions, then the answer key on a page of its own.
    assert first.count('<li><p><span class="qkind">') == 10
    assert 'class="answer-key"' in first and unwrapped.index("answer-key") > unwrapped.index(stems[-1])
    from lawlearn.paths import PACKAGE_DIR

    css = (PACKAGE_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert re.search(r"\.answer-key \{[^}]*break-before: page", css)


def test_a_leader_enters_paper_scores_for_many_people_at_once(app, client, sign_in, banks,
                                                             place):
    session = place["cg_session"]
    sign_in("leader", units=[place["cg_unit"]])
    url = f"/quizzes/sessions/{session['id']}/scores"
    assert 'name="rows-9-score"' in text(client.get(url))
    rows = {"quiz": "civil-code",
            "rows-0-name": "赵一", "rows-0-mobile": "13900000001", "rows-0-score": "85",
            "rows-1-name": "钱二", "rows-1-mobile": "", "rows-1-score": "55.5",
            "rows-2-name": "", "rows-2-mobile": "", "rows-2-score": ""}
    response = client.post(url, data=rows)
    assert response.status_code == 302, text(response)[:2000]
    assert paper_results(app) == [
        ("赵一", "139****0001", 85.0, True, session["id"], date(2026, 3, 10)),
        ("钱二", None, 55.5, False, session["id"], date(2026, 3, 10))]
    assert_ledger_exact(app)
    # The same sheet typed in again changes nothing; a corrected score replaces the old one.
    client.post(url, data=rows)
    assert len(paper_results(app)) == 2
    flash = plain(text(client.post(url, data={**rows, "rows-1-score": "65"},
                                   follow_redirects=True)))
    assert "更正 1" in flash and "未变 1" in flash
    assert [r[2] for r in paper_results(app)] == [85.0, 65.0]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2
    assert_ledger_exact(app)


def test_score_rows_with_problems_are_shown_next_to_the_row(app, client, sign_in, banks, place):
    session = place["cg_session"]
    sign_in("leader", units=[place["cg_unit"]])
    url = f"/quizzes/sessions/{session['id']}/scores"
    response = client.post(url, data={
        "quiz": "civil-code",
        "rows-0-name": "孙三", "rows-0-score": "120",
        "rows-1-name": "", "rows-1-score": "60",
        "rows-2-name": "李四", "rows-2-mobile": "12345", "rows-2-score": "60"})
    page = text(response)
    assert response.status_code == 400
    assert 'id="rows-0-score"' in page and 'value="120"' in page  # the typing is kept
    assert page.count('<p class="error"') == 3
    # Screen readers hear which field is wrong, and why; the others are not marked invalid.
    score = re.search(r'<input[^>]*id="rows-0-score"[^>]*>', page).group()
    assert 'aria-invalid="true"' in score and 'aria-describedby="rows-0-score-error"' in score
    assert 'id="rows-0-score-error"' in page
    assert 'aria-invalid="None"' not in page
    assert "aria-invalid" not in re.search(r'<input[^>]*id="rows-0-name"[^>]*>', page).group()
    assert "请输入参加者姓名" in page and "0 到 100" in page and "11" in page
    # The same person twice on one sheet: the second line says where the first is.
    response = client.post(url, data={"quiz": "civil-code",
                                      "rows-0-name": "周五", "rows-0-score": "70",
                                      "rows-1-name": "周五", "rows-1-score": "80"})
    assert response.status_code == 400 and "第 1 行" in text(response)
    assert paper_results(app) == []


def test_import_quiz_results_all_or_nothing_with_row_numbers(app, runner, banks, place,
                                                            tmp_path, fixed_today):
    header = ["测验", "活动编码", "姓名", "手机号", "得分", "日期"]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([
        header,
        ["civil-code", "CG-S1", "赵一", "13900000001", 85, "2026-03-10"],
        ["no-such-quiz", "CG-S1", "钱二", "", 70, ""],
        ["民法典知识测验", "NOPE", "孙三", "", 70, ""],
        ["civil-code", "CG-S1", "李四", "12345", 70, ""],
        ["civil-code", "CG-S1", "周五", "", "满分", ""],
        ["civil-code", "", "吴六", "", 70, "2026-03-10"],
        ["civil-code", "CG-S1", "赵一", "13900000001", 90, "2026-03-10"],
    ]))
    result = runner.invoke(args=["import", "quiz-results", str(bad)])
    assert result.exit_code == 1
    for row, column in ((3, "测验"), (4, "活动编码"), (5, "手机号"), (6, "得分"), (7, "手机号"),
                        (8, "姓名")):
        assert re.search(rf"(row {row}|第 ?{row} ?行).*{column}", result.output), (row, result.output)
    assert paper_results(app) == []

    good = tmp_path / "good.csv"
    good.write_text("\ufeffquiz,session_code,name,phone,score,taken_on\n"
                    "civil-code,CG-S1,赵一,13900000001,85,\n"
                    "民法典知识测验,CG-S1,钱二,,59,2026-03-11\n"
                    "anti-fraud,,孙三,13900000003,92分,2026-03-12\n", encoding="utf-8")
    result = runner.invoke(args=["import", "quiz-results", str(good)])
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    results = paper_results(app)
    assert [(r[0], r[2], r[3], r[5]) for r in results] == [
        ("孙三", 92.0, True, date(2026, 3, 12)), ("赵一", 85.0, True, date(2026, 3, 10)),
        ("钱二", 59.0, False, date(2026, 3, 11))]
    assert_ledger_exact(app)
    again = runner.invoke(args=["import", "quiz-results", str(good)])
    assert "0 created, 0 updated, 3 unchanged" in again.output
    assert paper_results(app) == results
    assert_ledger_exact(app)


def test_imported_results_find_people_already_known_by_name(app, runner, banks, place, tmp_path):
    """Without a mobile number a name means the person who checked in at that session."""
    from lawlearn.models import Attendance

    session = place["cg_session"]
    with app.app_context():
        person = Person(name="郑七", home_unit_id=session["unit_id"])
        db.session.add(person)
        db.session.flush()
        db.session.add(Attendance(session_id=session["id"], person_id=person.id,
                                  status="present", method="qr"))
        db.session.commit()
        known = person.id
    path = tmp_path / "r.csv"
    path.write_text("测验,活动编码,姓名,得分\ncivil-code,CG-S1,郑七,77\n", encoding="utf-8")
    assert runner.invoke(args=["import", "quiz-results", str(path)]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(Attempt.person_id)) == known
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
    assert_ledger_exact(app)


def test_the_import_page_takes_quiz_results_in_scope_only(app, client, sign_in, banks, place,
                                                         county):
    sign_in("coordinator", area=county["青山镇"]["town"])
    data = ("测验,活动编码,姓名,手机号,得分\ncivil-code,CG-S1,赵一,13900000001,85\n"
            ).encode()
    response = client.post("/imports/quiz-results", data={"file": (io.BytesIO(data), "r.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "CG-S1" in text(response)
    data = data.replace(b"CG-S1", b"QS-S1")
    response = client.post("/imports/quiz-results", data={"file": (io.BytesIO(data), "r.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200


def test_quiz_results_are_imported_through_the_import_page(app, client, sign_in, banks, place):
    sign_in("admin")
    data = "测验,活动编码,姓名,手机号,得分\ncivil-code,CG-S1,赵一,13900000001,85\n".encode()
    page = text(client.get("/imports/quiz-results"))
    assert "测验成绩" in page and "活动编码" in page
    preview = client.post("/imports/quiz-results", data={"file": (io.BytesIO(data), "r.csv")},
                          content_type="multipart/form-data")
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text(preview)).group(1)
    done = client.post("/imports/quiz-results/confirm", data={"token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/quizzes/")
    assert [r[:3] for r in paper_results(app)] == [("赵一", "139****0001", 85.0)]
    template = client.get("/imports/quiz-results/template.csv")
    # A blank template is blank: the columns only, nothing an unchanged upload would import.
    assert template.get_data(as_text=True).lstrip("\ufeff").splitlines() == [
        "测验,活动编码,姓名,手机号,得分,日期"]
    template.close()


def test_a_leader_reaches_the_paper_quiz_from_the_session_and_the_unit_page(client, sign_in,
                                                                           banks, place):
    """The sheet and the score form were reachable only by typing their address."""
    session, unit = place["cg_session"], place["cg_unit"]
    sign_in("leader", units=[unit])
    sheet = f"/quizzes/sessions/{session['id']}/sheet"
    scores = f"/quizzes/sessions/{session['id']}/scores"
    for page in (f"/sessions/{session['id']}", f"/units/{unit.id}"):
        html = text(client.get(page))
        assert f'href="{sheet}"' in html and f'href="{scores}"' in html, page
        assert "纸质测验" in html
    assert client.get(sheet).status_code == 200 and client.get(scores).status_code == 200
