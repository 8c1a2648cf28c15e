"""Importing sessions and attendance (sign-in sheets typed or photographed) from CSV/XLSX, on
the command line and on the web: all-or-nothing, row numbers, Chinese headers, typed XLSX
cells, idempotent; people matched by mobile, else by name within the session's unit."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attendance, AuditEvent, Person, RosterMember, SessionTopic, StudySession
from tests.conftest import login
from tests.sessions.conftest import assert_ledger_exact, days_ago, text

EN = {"Accept-Language": "en"}
CLI_ENV = {"LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}
SESSIONS_ZH = ["编码", "学习单元编码", "日期", "形式", "主题", "主讲人", "时长"]
SESSIONS_EN = ["code", "unit_code", "held_on", "format", "topics", "lecturer", "duration_minutes"]
ATTENDANCE_ZH = ["活动编码", "姓名", "手机号", "状态"]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class Outcome:
    def __init__(self, ok, summary=(0, 0, 0), errors=(), page=""):
        self.ok, self.summary, self.errors, self.page = ok, summary, list(errors), page


class Cli:
    def __init__(self, runner, folder):
        self.runner, self.folder = runner, folder

    def run(self, kind, data, filename="file.csv") -> Outcome:
        path = self.folder / filename
        path.write_bytes(data)
        result = self.runner.invoke(args=["import", kind, str(path)], env=CLI_ENV)
        assert "Traceback" not in result.output
        if result.exit_code == 0:
            m = re.search(r"(\d+) created, (\d+) updated, (\d+) unchanged", result.output)
            return Outcome(True, tuple(map(int, m.groups())))
        errors = [(int(m.group(1)), m.group(2), m.group(3)) for m in re.finditer(
            rf"{re.escape(filename)}: row (\d+)(?:, column (.+?))?: (.*)", result.output)]
        return Outcome(False, errors=errors, page=result.output)


class Web:
    def __init__(self, client):
        self.client = client

    def run(self, kind, data, filename="file.csv") -> Outcome:
        preview = self.client.post(f"/imports/{kind}", headers=EN, content_type="multipart/form-data",
                                   data={"file": (io.BytesIO(data), filename)})
        page = text(preview)
        if preview.status_code != 200:
            assert preview.status_code == 400
            rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
            return Outcome(False, errors=[(int(r), None if c == "—" else c, m) for r, c, m in rows],
                           page=page)
        token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
        done = self.client.post(f"/imports/{kind}/confirm", data={"token": token}, headers=EN,
                                follow_redirects=True)
        m = re.search(r"(\d+) created, (\d+) updated, (\d+) unchanged", text(done))
        return Outcome(True, tuple(map(int, m.groups())), page=text(done))


@pytest.fixture(params=["cli", "web"])
def importer(request, runner, client, world, tmp_path):
    if request.param == "cli":
        return Cli(runner, tmp_path)
    login(client, world.admin)
    return Web(client)


def sessions_file(world, day=None):
    day = (day or days_ago(3)).isoformat()
    return [SESSIONS_ZH,
            ["CG-S1", world.mine.code, day, "以案释法", "民法典；反诈", "刘所长", "90"],
            ["", world.mine.code, day, "集中学习", "宪法、minors", "", ""],
            ["CG-S3", world.neighbour.code, day, "lecture", "work-safety", "安监站", "45"]]


def all_sessions(app) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.scalars(sa.select(StudySession)).all()
        return {s.code: (s.unit_id, s.held_on, s.format, s.topics, s.lecturer, s.duration_minutes)
                for s in rows}


# --- sessions --------------------------------------------------------------------------------

def test_sessions_import_creates_then_changes_nothing(app, world, importer):
    first = importer.run("sessions", csv_bytes(sessions_file(world)))
    assert (first.ok, first.summary) == (True, (3, 0, 0)), first.errors
    found = all_sessions(app)
    generated = f"{world.mine.code}-S{days_ago(3):%Y%m%d}-1"
    assert found["CG-S1"] == (world.mine.id, days_ago(3), "case_based",
                              ["anti-fraud", "civil-code"], "刘所长", 90)
    assert found[generated] == (world.mine.id, days_ago(3), "group_study",
                                ["constitution", "minors"], None, 60)
    assert found["CG-S3"][2:] == ("lecture", ["work-safety"], "安监站", 45)
    again = importer.run("sessions", csv_bytes(sessions_file(world)))
    assert (again.ok, again.summary) == (True, (0, 0, 3))  # the code-less row is found again
    assert len(all_sessions(app)) == 3
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.object_type == "study_sessions")) == 3
    assert_ledger_exact(app)


def test_sessions_import_reads_english_headers_and_typed_xlsx_cells(app, world, cli):
    rows = [SESSIONS_EN,
            ["CG-S1", world.mine.code, datetime.combine(days_ago(4), datetime.min.time()),
             "专题讲座", "road-traffic", "交警", 45.0]]
    outcome = cli.run("sessions", xlsx_bytes(rows), "sessions.xlsx")
    assert (outcome.ok, outcome.summary) == (True, (1, 0, 0)), outcome.errors
    assert all_sessions(app)["CG-S1"][1:] == (days_ago(4), "lecture", ["road-traffic"], "交警", 45)


def test_sessions_import_updates_what_changed(app, world, cli):
    cli.run("sessions", csv_bytes(sessions_file(world)))
    changed = sessions_file(world)
    changed[1][4], changed[1][6] = "民法典", "120"
    outcome = cli.run("sessions", csv_bytes(changed))
    assert (outcome.ok, outcome.summary) == (True, (0, 1, 2))
    assert all_sessions(app)["CG-S1"][3:] == (["civil-code"], "刘所长", 120)
    with app.app_context():
        [event] = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "update", AuditEvent.object_type == "study_sessions")).all()
        assert event.changes["topics"] == [["anti-fraud", "civil-code"], ["civil-code"]]
    assert_ledger_exact(app)


def test_a_bad_sessions_file_reports_every_row_and_writes_nothing(app, world, importer):
    future = (days_ago(-3)).isoformat()
    rows = sessions_file(world) + [
        ["CG-S1", world.mine.code, days_ago(1).isoformat(), "lecture", "宪法", "", "60"],
        ["CG-S5", "NO-SUCH-UNIT", days_ago(1).isoformat(), "lecture", "宪法", "", "60"],
        ["CG-S6", world.mine.code, future, "lecture", "宪法", "", "60"],
        ["CG-S7", world.mine.code, days_ago(1).isoformat(), "party", "家规", "", "0"],
        ["CG-S8", world.theirs.code, days_ago(1).isoformat(), "lecture", "宪法", "", "60"],
    ]
    outcome = importer.run("sessions", csv_bytes(rows))
    assert not outcome.ok
    by_row = {(r, c) for r, c, _m in outcome.errors}
    assert {(5, "编码"), (6, "学习单元编码"), (7, "日期"), (8, "形式"), (8, "主题"),
            (8, "时长")} <= by_row
    messages = " ".join(m for _r, _c, m in outcome.errors)
    assert "already appears in row 2" in messages and "NO-SUCH-UNIT" in messages
    assert "家规" in messages and "in the future" in messages
    assert all_sessions(app) == {}


def test_a_coordinator_cannot_import_into_another_town(app, client, world, as_user):
    as_user(world.coordinator)
    rows = [SESSIONS_ZH, ["QS-S1", world.theirs.code, days_ago(1).isoformat(), "lecture",
                          "宪法", "", "60"]]
    outcome = Web(client).run("sessions", csv_bytes(rows))
    assert not outcome.ok and outcome.errors[0][:2] == (2, "学习单元编码")
    assert all_sessions(app) == {}


# --- attendance ----------------------------------------------------------------------------

@pytest.fixture
def sessions(app, world, make_session):
    return {"mine": make_session(world.mine, held_on=days_ago(3), code="CG-S1"),
            "mine2": make_session(world.mine, held_on=days_ago(2), code="CG-S2"),
            "theirs": make_session(world.theirs, held_on=days_ago(3), code="QS-S1")}


def attendance_rows(app) -> set[tuple]:
    with app.app_context():
        return set(db.session.execute(
            sa.select(StudySession.code, Person.name, Attendance.status, Attendance.method)
            .join(Attendance.session).join(Attendance.person)).all())


def test_attendance_import_matches_people_and_adds_the_rest(app, world, sessions, importer):
    rows = [ATTENDANCE_ZH,
            ["CG-S1", "李秀英", "139 0000 0021", "出席"],   # on the roster, by mobile
            ["CG-S1", "王大伯", "", "迟到"],                 # on the roster, by name
            ["CG-S1", "新来的", "13900000077", ""],          # new, with a mobile; empty = present
            ["CG-S1", "无手机", "", "缺席"],                 # new, name only
            ["CG-S2", "新来的", "", "present"],              # same person again, by name
            ["QS-S1", "陈青山", "13900000031", "请假"]]
    outcome = importer.run("attendance", csv_bytes(rows))
    assert (outcome.ok, outcome.summary) == (True, (6, 0, 0)), outcome.errors
    assert attendance_rows(app) == {
        ("CG-S1", "李秀英", "present", "import"), ("CG-S1", "王大伯", "late", "import"),
        ("CG-S1", "新来的", "present", "import"), ("CG-S1", "无手机", "absent", "import"),
        ("CG-S2", "新来的", "present", "import"), ("QS-S1", "陈青山", "excused", "import")}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 6  # 4 known + 2 new
        newcomer = db.session.scalar(sa.select(Person).where(Person.name == "新来的"))
        assert (newcomer.phone_masked, newcomer.home_unit_id) == ("139****0077", world.mine.id)
        roster = set(db.session.scalars(sa.select(Person.name).join(
            RosterMember, RosterMember.person_id == Person.id).where(
            RosterMember.unit_id == world.mine.id)))
        assert roster == {"李秀英", "王大伯", "赵小红", "新来的", "无手机"}
        assert db.session.get(StudySession, sessions["mine"]).attended_count == 3
    again = importer.run("attendance", csv_bytes(rows))
    assert (again.ok, again.summary) == (True, (0, 0, 6))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 6
        assert db.session.scalar(sa.select(sa.func.count(RosterMember.id))) == 6
    assert_ledger_exact(app)


def test_attendance_import_corrects_a_status(app, world, sessions, cli):
    cli.run("attendance", csv_bytes([ATTENDANCE_ZH, ["CG-S1", "王大伯", "", "缺席"]]))
    outcome = cli.run("attendance", csv_bytes([ATTENDANCE_ZH, ["CG-S1", "王大伯", "", "出席"]]))
    assert outcome.summary == (0, 1, 0)
    assert attendance_rows(app) == {("CG-S1", "王大伯", "present", "import")}
    with app.app_context():
        assert db.session.get(StudySession, sessions["mine"]).attended_count == 1
    assert_ledger_exact(app)


def test_attendance_from_xlsx_with_numbers_for_phones(app, world, sessions, cli):
    rows = [["session_code", "name", "phone", "status"],
            ["CG-S1", "李秀英", 13900000021, "late"], ["CG-S1", "新人", 13900000078.0, None]]
    outcome = cli.run("attendance", xlsx_bytes(rows), "sheet.xlsx")
    assert (outcome.ok, outcome.summary) == (True, (2, 0, 0)), outcome.errors
    assert ("CG-S1", "李秀英", "late", "import") in attendance_rows(app)


def test_a_bad_attendance_file_reports_every_row_and_writes_nothing(app, world, sessions,
                                                                   importer):
    rows = [ATTENDANCE_ZH,
            ["CG-S1", "李秀英", "13900000021", "出席"],
            ["CG-S9", "张三", "", ""],
            ["CG-S1", "", "13900000088", ""],
            ["CG-S1", "王五", "12345", ""],
            ["CG-S1", "赵六", "", "到了"],
            ["CG-S1", "李小姐", "13900000021", ""]]
    outcome = importer.run("attendance", csv_bytes(rows))
    assert not outcome.ok
    assert [(r, c) for r, c, _m in outcome.errors] == [
        (3, "活动编码"), (4, "姓名"), (5, "手机号"), (6, "状态"), (7, "姓名")]
    assert "already in row 2" in outcome.errors[-1][2]
    assert attendance_rows(app) == set()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 4


def test_a_coordinator_cannot_import_attendance_of_another_town(app, client, world, sessions,
                                                               as_user):
    as_user(world.coordinator)
    outcome = Web(client).run("attendance", csv_bytes([ATTENDANCE_ZH,
                                                       ["QS-S1", "陈青山", "", ""]]))
    assert not outcome.ok and outcome.errors[0][:2] == (2, "活动编码")
    assert attendance_rows(app) == set()


def test_the_import_pages_offer_sessions_and_attendance(client, world, as_user):
    as_user(world.coordinator)
    page = text(client.get("/imports/", headers=EN))
    assert "/imports/sessions" in page and "/imports/attendance" in page
    template = client.get("/imports/attendance/template.csv")
    assert template.status_code == 200
    assert text(template).lstrip("\ufeff").startswith("活动编码,姓名,手机号,状态")
    assert client.get("/imports/sessions/template.xlsx").status_code == 200


def test_an_empty_topics_cell_and_a_bad_session_code_are_row_errors(app, world, cli):
    rows = [SESSIONS_ZH, ["CG S1!", world.mine.code, days_ago(1).isoformat(), "lecture",
                          "；", "", "60"]]
    outcome = cli.run("sessions", csv_bytes(rows))
    assert [(r, c) for r, c, _m in outcome.errors] == [(2, "编码"), (2, "主题")]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionTopic)) == 0


@pytest.fixture
def cli(runner, tmp_path):
    return Cli(runner, tmp_path)
