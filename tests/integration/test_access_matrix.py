"""The access matrix of docs/access.md, read from the page and checked cell by cell.

Fails when a state-changing endpoint of the app (any method but GET) or an import kind has no
row, so a new route must be placed in the matrix before it ships. Every cell is a real request
as that user against one world per module and database (tests/integration/access_world.py):
its status must be the page's, and a refusal must leave every table exactly as it was. After
a request that changed something, the world is put back.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lawlearn import create_app
from lawlearn.extensions import db, limiter
from tests.conftest import _config, _empty_all
from tests.integration.access_world import (
    KNOWN,
    NEW_MOBILE,
    PASSWORD,
    ROLE_USERS,
    build_world,
    differences,
    dump,
    log_in,
    restore,
)
from tests.integration.helpers import csv_file

DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"
OUTCOMES = {"allowed", "400", "403", "404", "login", "redirect"}
IMPORT_ENDPOINTS = {"imports.upload", "imports.confirm"}


# --- the page ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    table: str       # "routes" or "imports"
    key: str         # `areas.create`, `accounts.enable:disabled-by-office`, or an import kind
    role: str
    outcome: str
    no_change: bool  # an allowed request that writes nothing (a preview)

    @property
    def id(self) -> str:
        return f"{self.key}-{self.role}".replace(" ", "_")


def read_matrix() -> tuple[list[Cell], dict[str, list[str]]]:
    """The cells of the two tables, and each table's row keys."""
    cells, keys = [], {"routes": [], "imports": []}
    table, roles = None, []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            table = None
            continue
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        if parts[0] in ("endpoint", "import kind"):
            table = "routes" if parts[0] == "endpoint" else "imports"
            roles = parts[2:]
            assert roles == list(ROLE_USERS), f"{DOC.name}: the columns must be {list(ROLE_USERS)}"
            continue
        if table is None or set(parts[0]) <= {"-"}:
            continue
        key = parts[0].strip("`")
        keys[table].append(key)
        for role, outcome in zip(roles, parts[2:], strict=True):
            assert outcome in OUTCOMES, f"{DOC.name}: {key}/{role}: unknown outcome {outcome!r}"
            cells.append(Cell(table, key, role, outcome, "*no change*" in parts[1]))
    return cells, keys


CELLS, KEYS = read_matrix()


def state_changing_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.methods - {"GET", "HEAD", "OPTIONS"}}


def test_every_state_changing_endpoint_and_import_kind_has_a_row():
    from lawlearn.imports.registry import kinds

    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    listed = {k.split(":")[0] for k in KEYS["routes"]}
    missing = state_changing_endpoints(app) - IMPORT_ENDPOINTS - listed
    assert not missing, f"add these endpoints to {DOC.name}: {sorted(missing)}"
    assert not listed - state_changing_endpoints(app), "rows for endpoints that do not exist"
    assert IMPORT_ENDPOINTS <= state_changing_endpoints(app)
    assert sorted(KEYS["imports"]) == sorted(kinds()), f"{DOC.name}: one row per import kind"
    assert set(RECIPES) == set(KEYS["routes"]), "a recipe for every row, a row for every recipe"
    assert set(IMPORT_ROWS) == set(KEYS["imports"])


# --- requests ------------------------------------------------------------------------------------

def post(url, data=None):
    return lambda client, w: client.post(url(w) if callable(url) else url, data=data(w)
                                         if callable(data) else (data or {}))


def check_in(client, w):
    response = client.post(f"/s/{w.token}", data={"name": KNOWN[0], "mobile": KNOWN[1]})
    assert response.status_code == 302


BANK = Path(__file__).resolve().parents[2] / "quizzes" / "anti-drug.yaml"


def upload_bank(client, w):
    return client.post("/quizzes/upload", content_type="multipart/form-data", data={
        "file": (io.BytesIO(BANK.read_bytes()), "bank.yaml"), "slug": "matrix-bank",
        "fmt": "yaml"})


def token_in(response) -> str:
    found = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      response.get_data(as_text=True))
    return found.group(1) if found else "forged-token"


def confirm_bank(client, w):
    preview = upload_bank(client, w)
    return client.post("/quizzes/upload/confirm", data={
        "token": token_in(preview) if preview.status_code == 200 else "forged-token"})


def plan_form(w) -> dict:
    return {"code": "matrix-town", "title": "计划", "area_id": w.town_a,
            "rows-0-stage": "全年", "rows-0-stage_from": f"{w.year}-01-01",
            "rows-0-code": "MM", "rows-0-name": "总结", "rows-0-due": f"{w.year}-12-31",
            "rows-0-kind": "manual"}


def upload_plan(client, w):
    text = (f"code: matrix-upload\ntitle: 上传的计划\narea: '330101'\nstages:\n"
            f"  - name: 全年\n    from: {w.year}-01-01\n    milestones:\n"
            f"      - {{code: U1, name: 总结, due: {w.year}-12-31, rule: {{kind: manual}}}}\n")
    return client.post("/plans/upload", content_type="multipart/form-data", data={
        "file": (io.BytesIO(text.encode()), "plan.yaml")})


def login_as_leader(client, w):
    return client.post("/login", data={"username": "logs-in", "password": PASSWORD})


def failed_exam_attempt(client, w):
    """The first attempt at town A's exam, handed in blank (failed), on this phone."""
    started = client.post(f"/x/{w.exam_token}", data={"name": KNOWN[0], "mobile": KNOWN[1]})
    assert started.status_code == 302, started.get_data(as_text=True)[:500]
    assert client.post(started.headers["Location"], data={}).status_code == 302


def exam_form(w) -> dict:
    return {"name": "城关镇年度学法考试", "year": str(w.year), "quiz": w.quiz,
            "pass_score": "70", "opens_at": f"{w.year - 1}-12-01T08:00",
            "closes_at": f"{w.year + 1}-01-31T18:00", "unit_ids": [str(w.unit)]}


SESSION_FORM = {"format": "lecture", "topics": "civil-code", "lecturer": "李老师",
                "duration_minutes": "90"}
UNIT_FORM = {"leader_name": "赵老师", "leader_phone": "13900000002", "reach": "5"}


@dataclass(frozen=True)
class Recipe:
    run: object
    setup: object = None
    fresh_client: bool = False   # its own client, signed in for this cell only
    lands_on_login: bool = False  # success is the login page (logging out)


def upload_scheme(client, w):
    from tests.assessment.helpers import SCHEME

    text = SCHEME.replace("2026", str(w.year + 1))
    return client.post("/assessment/upload", content_type="multipart/form-data", data={
        "file": (io.BytesIO(text.encode()), "scheme.yaml")})


def edit_scheme(client, w):
    """The office's scheme editor, saved with a new title (the rest as the page shows it)."""
    from tests.assessment.helpers import form_fields

    page = client.get(f"/assessment/{w.year}/scheme/edit")
    data = form_fields(page.get_data(as_text=True)) if page.status_code == 200 else {}
    return client.post(f"/assessment/{w.year}/scheme/edit", data={**data, "title": "改过的细则"})


RECIPES = {
    "assessment.upload": Recipe(upload_scheme),
    "assessment.edit_scheme": Recipe(edit_scheme),
    "assessment.add_evidence": Recipe(lambda client, w: client.post(
        f"/assessment/{w.year}/towns/{w.town_a}/entries/M1/evidence",
        content_type="multipart/form-data",
        data={"evidence-M1-file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "summary.pdf")})),
    "assessment.remove_evidence": Recipe(post(lambda w: f"/assessment/evidence/{w.evidence}/remove")),
    "assessment.link_session": Recipe(post(
        lambda w: f"/assessment/{w.year}/towns/{w.town_a}/entries/M1/sessions",
        lambda w: {"link-M1-study_session": str(w.session)})),
    "assessment.unlink_session": Recipe(post(
        lambda w: f"/assessment/session-links/{w.session_link}/remove")),
    "assessment.rectification_due": Recipe(post(
        lambda w: f"/assessment/{w.year}/towns/{w.town_a}/rectification/due",
        lambda w: {"due-due": f"{w.year + 1}-01-31"})),
    "assessment.rectification_report": Recipe(lambda client, w: client.post(
        f"/assessment/{w.year}/towns/{w.town_a}/rectification/report",
        content_type="multipart/form-data",
        data={"report-file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "report.pdf"),
              "report-note": "第二稿"})),
    "assessment.rectification_decision": Recipe(post(
        lambda w: f"/assessment/{w.year}/towns/{w.town_a}/rectification/decision",
        {"decision-decision": "accept"})),
    "assessment.publish": Recipe(post(lambda w: f"/assessment/{w.year}/publish")),
    "assessment.copy": Recipe(post("/assessment/copy", lambda w: {"year": w.year + 1})),
    "assessment.save_entry": Recipe(post(
        lambda w: f"/assessment/{w.year}/towns/{w.town_a}/entries/D1",
        {"D1-value": "1", "D1-note": "月报迟报"})),
    "assessment.review_entry": Recipe(post(
        lambda w: f"/assessment/{w.year}/towns/{w.town_a}/entries/M1/review",
        {"review-M1-value": "7", "review-M1-reason": "总结内容不全"})),
    "accounts.create": Recipe(post("/accounts/new", lambda w: {
        "username": "matrix-new", "role": "leader", "unit_ids": w.unit, "area_id": 0,
        "password": PASSWORD, "confirm": PASSWORD})),
    "accounts.disable": Recipe(post(lambda w: f"/accounts/{w.active_leader}/disable")),
    "accounts.disable:coordinator": Recipe(post(lambda w: f"/accounts/{w.other_coord}/disable")),
    "accounts.enable": Recipe(post(lambda w: f"/accounts/{w.off_by_coord}/enable")),
    "accounts.enable:disabled-by-office": Recipe(
        post(lambda w: f"/accounts/{w.off_by_office}/enable")),
    "areas.create": Recipe(post("/areas/new", lambda w: {
        "code": "330101009", "name": "城关镇新村", "level": "village", "parent_id": w.town_a})),
    "areas.edit": Recipe(post(lambda w: f"/areas/{w.village}/edit",
                              lambda w: {"name": "城关镇东村（改）", "parent_id": w.town_a})),
    "areas.retire": Recipe(post(lambda w: f"/areas/{w.empty}/retire")),
    "areas.reactivate": Recipe(post(lambda w: f"/areas/{w.retired}/reactivate")),
    "accounts.reset_password": Recipe(post(lambda w: f"/accounts/{w.active_leader}/reset-password")),
    "auth.change_password": Recipe(post("/password", {
        "current": PASSWORD, "password": "Matrix-harbour-kettle-83",
        "confirm": "Matrix-harbour-kettle-83"}), fresh_client=True),
    "auth.login": Recipe(login_as_leader, fresh_client=True),
    "auth.logout": Recipe(post("/logout"), fresh_client=True, lands_on_login=True),
    "exams.new": Recipe(post("/exams/new", lambda w: {**exam_form(w), "name": "新的考试"})),
    "exams.edit": Recipe(post(lambda w: f"/exams/{w.exam}/edit", exam_form)),
    "exam_public.start": Recipe(post(lambda w: f"/x/{w.exam_token}",
                                     {"name": KNOWN[0], "mobile": KNOWN[1]})),
    "exam_public.continue_as": Recipe(post(lambda w: f"/x/{w.exam_token}/continue"),
                                      setup=failed_exam_attempt, fresh_client=True),
    "imports.cancel": Recipe(post("/imports/sessions/cancel", {"token": "none-waiting"})),
    "budgets.standard": Recipe(post(lambda w: f"/budgets/standards/{w.county}/{w.year}", {
        "household": "500", "enterprise_group": "800", "building": "300",
        "village_floor": "1000", "town_floor": "3000.50"})),
    "budgets.allocate": Recipe(post(lambda w: f"/budgets/towns/{w.town_a}/{w.year}/allocations",
                                    lambda w: {"allocation-amount": "2000",
                                               "allocation-allocated_on": w.today})),
    "budgets.remove_allocation": Recipe(post(
        lambda w: f"/budgets/allocations/{w.allocation}/remove")),
    "budgets.disburse": Recipe(lambda client, w: client.post(
        f"/budgets/towns/{w.town_a}/{w.year}/disbursements", content_type="multipart/form-data",
        data={"payment-paid_on": w.today, "payment-amount": "120.50", "payment-payee": "印刷厂",
              "payment-purpose": "宣传册", "payment-study_session": "0",
              "payment-voucher": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "发票.pdf")})),
    "budgets.remove_disbursement": Recipe(post(
        lambda w: f"/budgets/disbursements/{w.payment}/remove")),
    "plans.check_off": Recipe(post(lambda w: f"/plans/{w.county_plan}/checkoffs", lambda w: {
        "area_id": w.town_a, "milestone": "MM", "done_on": w.today, "note": "已报"})),
    "plans.undo_check_off": Recipe(
        post(lambda w: f"/plans/{w.town_plan}/checkoffs/{w.checkoff}/undo")),
    "plans.upload": Recipe(upload_plan),
    "plans.new": Recipe(post("/plans/new", lambda w: {**plan_form(w), "code": "matrix-new"})),
    "plans.edit": Recipe(post(lambda w: f"/plans/{w.town_plan}/edit",
                              lambda w: {**plan_form(w), "title": "改过的计划"})),
    "activities.new": Recipe(post("/activities/new", lambda w: {
        "kind": "exhibition", "title": "巡回展览", "year": w.year, "area_id": w.town_a})),
    "activities.new_stop": Recipe(post(lambda w: f"/activities/{w.visit}/stops/new",
                                       lambda w: {"unit_id": w.unit, "place": "村广场",
                                                  "held_on": w.today, "topics": "civil-code",
                                                  "duration_minutes": "60"})),
    "activities.edit_stop": Recipe(post(lambda w: f"/activities/{w.visit}/stops/{w.stop}/edit",
                                        {"place": "村文化礼堂"})),
    "activities.add_visiting_unit": Recipe(post(
        lambda w: f"/activities/{w.visit}/visiting-units", lambda w: {"unit_id": w.unit2})),
    "activities.add_cohort_member": Recipe(post(lambda w: f"/activities/{w.training}/cohort",
                                                {"name": "路人庚", "mobile": NEW_MOBILE})),
    "activities.lecturers": Recipe(post("/activities/lecturers/",
                                        {"name": "李律师", "title": "律师事务所"})),
    "binders.index": Recipe(post("/binders/", lambda w: {
        "town": w.town_a, "start": f"{w.year}-{w.month:02d}", "end": f"{w.year}-{w.month:02d}",
        "unit_code": ""})),
    "period_locks.index": Recipe(post("/locks/", lambda w: {
        "area_id": w.town_a, "period": f"{w.year - 1}-02", "reason": "已上报"})),
    "period_locks.unlock": Recipe(post(lambda w: f"/locks/{w.period_lock}/unlock",
                                       {"reason": "数据更正"})),
    "returns.month": Recipe(post(lambda w: f"/returns/{w.town_a}/{w.year}/{w.month}",
                                 {"summary": "本月开展学习活动。"})),
    "recognition.nominate": Recipe(post(lambda w: f"/recognitions/units/{w.unit}/nominate",
                                        lambda w: {"year": w.year, "statement": "坚持集中学法"})),
    "recognition.forward": Recipe(post(lambda w: f"/recognitions/{w.nominated}/forward")),
    "recognition.reject": Recipe(post(lambda w: f"/recognitions/{w.nominated}/reject",
                                      {"reason": "活动记录不足"})),
    "recognition.approve": Recipe(post(lambda w: f"/recognitions/{w.town_reviewed}/approve")),
    "recognition.revoke": Recipe(post(lambda w: f"/recognitions/{w.recognised}/revoke",
                                      {"reason": "停止活动"})),
    "recognition.renew": Recipe(post(lambda w: f"/recognitions/{w.recognised}/renew")),
    "quiz_public.start": Recipe(post(lambda w: f"/q/{w.quiz}",
                              {"name": "路人甲", "mobile": NEW_MOBILE})),
    "quiz_public.continue_as": Recipe(post(lambda w: f"/q/{w.quiz}/continue"), setup=check_in,
                               fresh_client=True),
    "quiz_public.submit": Recipe(post(lambda w: f"/q/a/{w.attempt}")),
    "quiz_public.save": Recipe(post(lambda w: f"/q/a/{w.attempt}/save", lambda w: w.answers)),
    "quiz.paper_scores": Recipe(post(lambda w: f"/quizzes/sessions/{w.session}/scores",
                                     lambda w: {"quiz": w.quiz, "rows-0-name": "路人乙",
                                                "rows-0-score": "80"})),
    "quiz.paper_sheet": Recipe(post(lambda w: f"/quizzes/sessions/{w.session}/sheet",
                                    lambda w: {"quiz": w.quiz})),
    "quiz.upload": Recipe(upload_bank),
    "quiz.confirm_upload": Recipe(confirm_bank),
    "quiz.new_mixed_paper": Recipe(post("/quizzes/mixed/new", lambda w: {
        "slug": "matrix-paper", "title": "综合卷", "blueprint": f"{w.quiz} 2",
        "pass_score": "60", "time_limit_minutes": "15", "attempts_per_day": "3"})),
    "reports.target_list": Recipe(post("/reports/targets", lambda w: {
        "area_id": w.town_a, "year": w.year, "kind": "building", "target": "2"})),
    "reports.delete_target": Recipe(post(lambda w: f"/reports/targets/{w.target}/delete")),
    "checkin.checkin": Recipe(post(lambda w: f"/s/{w.token}",
                                    {"name": "路人甲", "mobile": NEW_MOBILE})),
    "sessions.mark": Recipe(post(lambda w: f"/sessions/{w.session}/attendance", lambda w: {
        "marks-0-person_id": w.person, "marks-0-initial": "", "marks-0-status": "present"})),
    "sessions.delete": Recipe(post(lambda w: f"/sessions/{w.session}/delete")),
    "sessions.approve": Recipe(post(lambda w: f"/sessions/{w.waiting}/approve")),
    "sessions.return_session": Recipe(post(lambda w: f"/sessions/{w.waiting}/return",
                                           {"reason": "签到表照片缺失"})),
    "sessions.approve_many": Recipe(post("/review/approve",
                                         lambda w: {"sessions": [str(w.waiting)]})),
    "sessions.edit": Recipe(post(lambda w: f"/sessions/{w.session}/edit",
                                 lambda w: {"held_on": w.today, **SESSION_FORM})),
    "sessions.remove_photo": Recipe(
        post(lambda w: f"/sessions/{w.session}/photos/{w.photo}/remove")),
    "sessions.new": Recipe(post(lambda w: f"/units/{w.unit}/sessions/new",
                                lambda w: {"held_on": w.today, **SESSION_FORM,
                                           "format": "group_study"})),
    "units.register": Recipe(post("/units/new/household", lambda w: {
        "name": "城关镇新中心户", "area_id": w.village, "registered_on": w.today, **UNIT_FORM})),
    "units.edit": Recipe(post(lambda w: f"/units/{w.unit}/edit", lambda w: {
        "name": "城关镇张家中心户（改）", "area_id": w.village, "registered_on": w.today,
        **UNIT_FORM})),
    "units.add_member": Recipe(post(lambda w: f"/units/{w.unit}/members",
                                    {"name": "路人丙", "mobile": NEW_MOBILE})),
    "units.remove_member": Recipe(
        post(lambda w: f"/units/{w.unit}/members/{w.member}/remove")),
    "units.retire": Recipe(post(lambda w: f"/units/{w.unit}/retire")),
    "units.reactivate": Recipe(post(lambda w: f"/units/{w.old_unit}/reactivate")),
}

IMPORT_ROWS = {
    "areas": lambda w: [["编码", "名称", "级别", "上级编码"],
                        ["330101009", "城关镇新村", "村", "330101"]],
    "units": lambda w: [["编码", "类型", "名称", "所属区域编码", "负责人", "联系电话", "覆盖数",
                         "登记日期"],
                        ["330101001-H009", "中心户", "城关镇新户", "330101001", "赵老师",
                         "13900000002", "5", w.today]],
    "sessions": lambda w: [["编码", "学习单元编码", "日期", "形式", "主题", "主讲人", "时长"],
                           ["", w.unit_code, w.today, "集中学习", "民法典", "李老师", "60"]],
    "attendance": lambda w: [["活动编码", "姓名", "手机号", "状态"],
                             [w.session_code, "路人丁", NEW_MOBILE, "出席"]],
    "quiz-results": lambda w: [["测验", "活动编码", "姓名", "手机号", "得分", "日期"],
                               [w.quiz, w.session_code, "路人戊", NEW_MOBILE, "80", ""]],
    "targets": lambda w: [["区域编码", "年度", "类型", "目标数"],
                          ["330101", str(w.year), "楼长", "2"]],
    "assessment-entries": lambda w: [["区域编码", "年度", "考核项目", "数值", "说明"],
                                     ["330101", str(w.year), "D1", "1", "月报迟报"]],
}


def run_import(client, w, kind: str):
    preview = client.post(f"/imports/{kind}", content_type="multipart/form-data", data={
        "file": (io.BytesIO(csv_file(IMPORT_ROWS[kind](w))), f"{kind}.csv")})
    if preview.status_code != 200:
        return preview
    return client.post(f"/imports/{kind}/confirm", data={"token": token_in(preview)})


# --- the world, once per module and database -------------------------------------------------------

@dataclass
class Matrix:
    app: object
    world: object
    clients: dict
    baseline: dict

    def client(self, role: str, fresh: bool):
        if not fresh:
            return self.clients[role]
        client = self.app.test_client()
        if ROLE_USERS[role]:
            log_in(client, ROLE_USERS[role])
        return client


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"matrix-{request.param}")
    if request.param == "sqlite":
        path = folder / "matrix.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database")
        if url is None:
            pytest.skip("PostgreSQL: set TEST_DATABASE_URL to run")
        _empty_all(url)
    # Not RATELIMIT_ENABLED=False: the limiter is one shared object, and switching it off
    # here would switch it off for every app built after this one. Its counts are reset for
    # each cell instead.
    app = create_app(_config(url, folder / "instance"))
    app.instance_path = str(folder / "instance")
    world = build_world(app)  # _config sets the suite's cheap password hash
    clients = {}
    for role, username in ROLE_USERS.items():
        clients[role] = app.test_client()
        if username:
            log_in(clients[role], username)
    yield Matrix(app, world, clients, dump(app))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _is_login(response) -> bool:
    return response.status_code == 302 and urlsplit(
        response.headers["Location"]).path == "/login"


@pytest.mark.parametrize("cell", CELLS, ids=[c.id for c in CELLS])
def test_cell(matrix, cell):
    w = matrix.world
    recipe = RECIPES.get(cell.key, Recipe(None))
    with matrix.app.app_context():
        limiter.reset()
    client = matrix.client(cell.role, recipe.fresh_client)
    if recipe.setup:
        recipe.setup(client, w)
    before = dump(matrix.app)
    try:
        if cell.table == "imports":
            response = run_import(client, w, cell.key)
        else:
            response = recipe.run(client, w)
        after = dump(matrix.app)
        _check(cell, response, before, after, recipe.lands_on_login)
        if cell.table == "imports" and cell.outcome != "allowed":
            client.post(f"/imports/{cell.key}/confirm", data={"token": "forged-token"})
            assert differences(before, dump(matrix.app)) == [], "a forged confirmation wrote"
    finally:
        if differences(matrix.baseline, dump(matrix.app)):
            restore(matrix.app, matrix.baseline)


def _check(cell: Cell, response, before: dict, after: dict, lands_on_login: bool) -> None:
    status = response.status_code
    changed = differences(before, after)
    where = f"{cell.key} as {cell.role}: {status} {response.headers.get('Location', '')}"
    if cell.outcome == "allowed":
        assert status < 400 and _is_login(response) == lands_on_login, where + _body(response)
        if cell.no_change:
            assert changed == [], f"{where}: changed {changed}"
        else:
            assert changed, f"{where}: changed nothing" + _body(response)
        return
    if cell.outcome == "login":
        assert _is_login(response), where
    elif cell.outcome == "redirect":
        assert status == 302 and not _is_login(response), where
    else:
        assert status == int(cell.outcome), where + _body(response)
    assert changed == [], f"{where}: a refusal changed {changed}"


def _body(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return "\n" + re.sub(r"\s+", " ", text)[:1500]
