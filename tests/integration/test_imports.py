"""Importing areas and study units from spreadsheets, on the command line and on the web.

A town office's files come from Excel: with or without a BOM, Chinese or English headers,
numbers where codes and phones should be text. An import is all-or-nothing, reports every bad
row by the row number and header the user sees, and changes nothing when run twice.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lawlearn.models import Area, AuditEvent, StudyUnit
from tests.conftest import TODAY, login
from tests.integration.helpers import (
    EN,
    card_figures,
    count,
    csv_file,
    flashes,
    input_value,
    rows,
    scalar,
    table_rows,
    text,
    xlsx_file,
)

pytestmark = pytest.mark.usefixtures("fixed_today")  # files and forms carry 2026 dates

CLI_ENV = {"LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}  # messages in English

UNIT_ZH = ["编码", "类型", "名称", "所属区域编码", "负责人", "联系电话", "覆盖数", "登记日期"]
UNIT_EN = ["code", "kind", "name", "area_code", "leader_name", "leader_phone", "reach",
           "registered_on"]
UNITS = [  # three good units in 城关镇, one of each kind, dates as people type them
    ["CG-H01", "中心户", "张家中心户", "330101001", "张建国", "13900000011", "12", "2026-03-01"],
    ["CG-B01", "楼长", "幸福社区3号楼", "330101101", "李楼长", "0571-88001234", "30",
     "2026/03/02"],
    ["CG-E01", "学法班组", "一车间早班", "330101E01", "王班长", "13900000012", "25",
     "2026年3月3日"],
]
KIND_CODES = {"中心户": "household", "楼长": "building", "学法班组": "enterprise_group"}
UNITS_EN = [[r[0], KIND_CODES[r[1]], *r[2:]] for r in UNITS]
UNITS_XLSX = [  # number cells, as Excel keeps them when nobody formatted the cells as text
    ["CG-H01", "中心户", "张家中心户", 330101001, "张建国", 13900000011, 12.0,
     datetime(2026, 3, 1)],
    ["CG-B01", "楼长", "幸福社区3号楼", 330101101, "李楼长", "0571-88001234", 30,
     datetime(2026, 3, 2)],
    ["CG-E01", "学法班组", "一车间早班", "330101E01", "王班长", 13900000012.0, 25.0,
     datetime(2026, 3, 3)],
]

AREA_ZH = ["编码", "名称", "级别", "上级编码", "职工人数", "行业"]
AREA_EN = ["code", "name", "level", "parent_code", "employees", "industry"]
AREAS = [  # new places in 城关镇 (the county fixture holds the town)
    ["330101002", "城关镇西村", "村", "330101", "", ""],
    ["330101102", "城关镇和平社区", "社区", "330101", "", ""],
    ["330101E02", "城关镇纺织厂", "企业", "330101", "300", "纺织"],
]
AREAS_EN = [[r[0], r[1], {"村": "village", "社区": "community", "企业": "enterprise"}[r[2]],
             *r[3:]] for r in AREAS]
AREAS_XLSX = [
    [330101002, "城关镇西村", "村", 330101, None, None],
    [330101102, "城关镇和平社区", "社区", 330101, None, None],
    ["330101E02", "城关镇纺织厂", "企业", 330101.0, 300.0, "纺织"],
]


def build(fmt: str, header: list, body: list) -> tuple[bytes, str]:
    if fmt.startswith("xlsx"):
        return xlsx_file([header, *body], numbers_as_floats=fmt == "xlsx-floats"), "file.xlsx"
    return csv_file([header, *body], bom=(fmt == "csv-bom")), "file.csv"


# --- one way of talking to both channels ----------------------------------------------------

@dataclass
class Outcome:
    ok: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)  # row, column, why
    output: str = ""

    def error_at(self, row: int, column: str | None) -> str:
        found = [why for r, c, why in self.errors if r == row and c == column]
        assert found, f"no error at row {row}, column {column}: {self.errors}"
        return found[0]


SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged")


def _summary(outcome: Outcome, message: str) -> Outcome:
    match = SUMMARY.search(message)
    assert match, message
    outcome.created, outcome.updated, outcome.unchanged = map(int, match.groups())
    return outcome


class Cli:
    def __init__(self, runner, folder):
        self.runner, self.folder = runner, folder

    def run(self, kind: str, data: bytes, filename: str) -> Outcome:
        path = self.folder / filename
        path.write_bytes(data)
        result = self.runner.invoke(args=["import", kind, str(path)], env=CLI_ENV)
        assert isinstance(result.exception, (SystemExit, type(None))), repr(result.exception)
        assert "Traceback" not in result.output
        outcome = Outcome(ok=result.exit_code == 0, output=result.output)
        if outcome.ok:
            return _summary(outcome, result.output)
        for line in result.output.splitlines():
            if m := re.match(rf"{re.escape(filename)}: row (\d+)(?:, column (.+?))?: (.*)$", line):
                outcome.errors.append((int(m.group(1)), m.group(2), m.group(3)))
        assert outcome.errors or "UTF-8" in result.output, result.output
        return outcome


class Web:
    def __init__(self, client):
        self.client = client

    def preview(self, kind: str, data: bytes, filename: str):
        return self.client.post(f"/imports/{kind}", headers=EN,
                                data={"file": (io.BytesIO(data), filename)},
                                content_type="multipart/form-data")

    def run(self, kind: str, data: bytes, filename: str) -> Outcome:
        preview = self.preview(kind, data, filename)
        page = text(preview)
        if preview.status_code != 200:
            assert preview.status_code == 400
            errors = [(int(r[0]), None if r[1] == "—" else r[1], r[2])
                      for r in table_rows(page, "import-errors")]
            return Outcome(ok=False, errors=errors, output=page)
        figures = card_figures(page)
        done = self.client.post(f"/imports/{kind}/confirm", headers=EN, follow_redirects=True,
                                data={"token": input_value(page, "token")})
        assert done.status_code == 200
        outcome = _summary(Outcome(ok=True, output=text(done)), " ".join(flashes(text(done))))
        assert (figures["New"], figures["Changed"], figures["Unchanged"]) == (
            outcome.created, outcome.updated, outcome.unchanged)  # the preview told the truth
        return outcome


@pytest.fixture(params=["cli", "web"])
def importer(request, runner, client, make_user, tmp_path):
    if request.param == "cli":
        return Cli(runner, tmp_path)
    login(client, make_user("admin"))  # a provincial office: may import anywhere
    return Web(client)


@pytest.fixture
def cli(runner, tmp_path):
    return Cli(runner, tmp_path)


@pytest.fixture
def web(client, make_user):
    login(client, make_user("admin"))
    return Web(client)


def unit(app, code: str) -> StudyUnit:
    return scalar(app, sa.select(StudyUnit).where(StudyUnit.code == code))


def area(app, code: str) -> Area:
    return scalar(app, sa.select(Area).where(Area.code == code))


# --- files that should import -----------------------------------------------------------------

UNIT_FILES = {
    "csv-bom-zh": ("csv-bom", UNIT_ZH, UNITS),
    "csv-zh": ("csv", UNIT_ZH, UNITS),
    "csv-bom-en": ("csv-bom", UNIT_EN, UNITS_EN),
    "csv-en": ("csv", UNIT_EN, UNITS_EN),
    "xlsx-zh-numbers": ("xlsx", UNIT_ZH, UNITS_XLSX),
    "xlsx-en-numbers": ("xlsx", UNIT_EN, [[r[0], KIND_CODES[r[1]], *r[2:]] for r in UNITS_XLSX]),
    "xlsx-zh-floats": ("xlsx-floats", UNIT_ZH, UNITS_XLSX),
}
AREA_FILES = {
    "csv-bom-zh": ("csv-bom", AREA_ZH, AREAS),
    "csv-en": ("csv", AREA_EN, AREAS_EN),
    "xlsx-zh-numbers": ("xlsx", AREA_ZH, AREAS_XLSX),
    "xlsx-zh-floats": ("xlsx-floats", AREA_ZH, AREAS_XLSX),
}


def cases(files: dict, on_the_web: tuple[str, ...]) -> list:
    """Every file on the command line, and a few through the upload page too (the reading
    is shared; the web adds upload, preview and confirm)."""
    return [pytest.param("cli", f, id=f"cli-{f}") for f in files] + [
        pytest.param("web", f, id=f"web-{f}") for f in on_the_web]


@pytest.mark.parametrize("importer, file", cases(UNIT_FILES, ("csv-bom-zh", "xlsx-zh-floats")),
                         indirect=["importer"])
def test_units_import_from_every_kind_of_file(app, county, importer, file):
    outcome = importer.run("units", *build(*UNIT_FILES[file]))
    assert (outcome.ok, outcome.created, outcome.updated) == (True, 3, 0), outcome.errors
    household, building, group = unit(app, "CG-H01"), unit(app, "CG-B01"), unit(app, "CG-E01")
    assert (household.kind, household.area_id) == ("household", county["城关镇"]["village"].id)
    assert (household.leader_phone, household.reach) == ("13900000011", 12)
    assert household.registered_on == date(2026, 3, 1)
    assert (building.kind, building.leader_phone) == ("building", "0571-88001234")
    assert building.registered_on == date(2026, 3, 2)
    assert (group.kind, group.leader_phone, group.reach) == ("enterprise_group", "13900000012", 25)
    assert group.registered_on == date(2026, 3, 3)
    assert count(app, AuditEvent, AuditEvent.object_type == "study_units",
                 AuditEvent.action == "create") == 3


@pytest.mark.parametrize("importer, file", cases(AREA_FILES, ("xlsx-zh-numbers",)),
                         indirect=["importer"])
def test_areas_import_from_every_kind_of_file(app, county, importer, file):
    outcome = importer.run("areas", *build(*AREA_FILES[file]))
    assert (outcome.ok, outcome.created, outcome.updated) == (True, 3, 0), outcome.errors
    village, factory = area(app, "330101002"), area(app, "330101E02")
    assert (village.level, village.parent_id) == ("village", county["城关镇"]["town"].id)
    assert village.path == "/330100/330101/330101002/"
    assert area(app, "330101102").level == "community"
    assert (factory.level, factory.employees, factory.industry) == ("enterprise", 300, "纺织")
    assert count(app, AuditEvent, AuditEvent.object_type == "areas",
                 AuditEvent.object_code.in_(["330101002", "330101102", "330101E02"])) == 3


def test_areas_import_in_any_order_builds_the_tree(app, importer):
    body = [["330201E01", "某厂", "企业", "330201", "50", "食品"],
            ["330201001", "某村", "村", "330201", "", ""],
            ["330201", "某镇", "镇", "330200", "", ""],
            ["330200", "某县", "县", "", "", ""]]
    outcome = importer.run("areas", *build("csv", AREA_ZH, body))
    assert (outcome.ok, outcome.created) == (True, 4), outcome.errors
    assert dict(rows(app, sa.select(Area.code, Area.path))) == {
        "330200": "/330200/", "330201": "/330200/330201/",
        "330201001": "/330200/330201/330201001/", "330201E01": "/330200/330201/330201E01/"}
    parent = dict(rows(app, sa.select(Area.code, Area.parent_id)))
    assert parent["330201001"] == area(app, "330201").id


def test_a_circle_of_parents_is_reported_not_written(app, county, importer):
    body = [["330101009", "绕圈村", "村", "330109", "", ""],
            ["330109", "绕圈镇", "镇", "330101009", "", ""]]
    outcome = importer.run("areas", *build("csv", AREA_ZH, body))
    assert not outcome.ok
    assert any("circle" in why for _r, _c, why in outcome.errors), outcome.errors
    assert {r for r, _c, _w in outcome.errors} <= {2, 3}
    assert area(app, "330109") is None and area(app, "330101009") is None


# --- all or nothing, and every problem told where it is ---------------------------------------

def test_three_good_rows_and_two_bad_write_nothing_and_name_both(app, county, importer):
    body = [UNITS[0], UNITS[1],
            ["CG-H02", "中心户", "错号户", "330101001", "赵六", "12345", "8", "2026-03-04"],
            ["", "", "", "", "", "", "", ""],  # a blank line keeps its number
            UNITS[2],
            ["CG-H03", "中心户", "无村户", "330199999", "钱七", "13900000013", "8", "2026-03-04"]]
    outcome = importer.run("units", *build("csv-bom", UNIT_ZH, body))
    assert not outcome.ok
    assert [(r, c) for r, c, _w in outcome.errors] == [(4, "联系电话"), (7, "所属区域编码")]
    assert "12345" in outcome.error_at(4, "联系电话")
    assert "330199999" in outcome.error_at(7, "所属区域编码")
    assert count(app, StudyUnit) == 0
    assert count(app, AuditEvent, AuditEvent.object_type == "study_units") == 0


def with_cell(row: list, column: str, value, header=UNIT_ZH) -> list:
    changed = list(row)
    changed[header.index(column)] = value
    return changed


TOMORROW = (TODAY + timedelta(days=1)).isoformat()


def bad_unit(code: str, column: str, value) -> list:
    return with_cell([code, *UNITS[0][1:]], column, value)


UNIT_MISTAKES = [  # (file row, the row, column as written, words the reason must hold)
    (3, bad_unit("P03", "所属区域编码", "330199999"), "所属区域编码",
     "No area has the code 330199999"),
    (4, bad_unit("P04", "所属区域编码", "330101101"), "所属区域编码", "330101101"),
    (5, bad_unit("P05", "联系电话", "1390000001"), "联系电话", "1390000001"),
    (6, bad_unit("P06", "登记日期", "2026-02-30"), "登记日期", "2026-02-30"),
    (7, bad_unit("P07", "登记日期", TOMORROW), "登记日期", "future"),
    (8, bad_unit("P08", "覆盖数", "-5"), "覆盖数", "-5"),
    (9, bad_unit("P09", "类型", "学习小组"), "类型", "学习小组"),
    (10, bad_unit("P10", "负责人", ""), "负责人", "empty"),
    (11, bad_unit("CG-H01", "名称", "同码"), "编码", "row 2"),
]


def test_every_mistake_in_a_units_file_is_named_and_nothing_written(app, county, importer):
    body = [UNITS[0], *(row for _n, row, _c, _w in UNIT_MISTAKES)]
    outcome = importer.run("units", *build("csv-bom", UNIT_ZH, body))
    assert not outcome.ok
    assert [(r, c) for r, c, _w in outcome.errors] == [(n, c) for n, _r, c, _w in UNIT_MISTAKES]
    for number, _row, column, words in UNIT_MISTAKES:
        assert words in outcome.error_at(number, column)
    assert count(app, StudyUnit) == 0


def bad_area(code: str, column: str, value, base=AREAS[0]) -> list:
    return with_cell([code, *base[1:]], column, value, AREA_ZH)


AREA_MISTAKES = [
    (3, bad_area("330101003", "上级编码", "330199"), "上级编码", "No area has the code 330199"),
    (4, bad_area("330101004", "上级编码", "330100"), "上级编码", "must be a"),
    (5, bad_area("330101005", "级别", "组"), "级别", "组"),
    (6, bad_area("330101E06", "职工人数", "-3", AREAS[2]), "职工人数", "-3"),
    (7, bad_area("330101002", "名称", "同码村"), "编码", "row 2"),
    (8, ["330101001", "城关镇东村", "社区", "330101", "", ""], "级别", "330101001"),
]


def test_every_mistake_in_an_areas_file_is_named_and_nothing_written(app, county, importer):
    areas_before = count(app, Area)
    body = [AREAS[0], *(row for _n, row, _c, _w in AREA_MISTAKES)]
    outcome = importer.run("areas", *build("csv-bom", AREA_ZH, body))
    assert not outcome.ok
    assert [(r, c) for r, c, _w in outcome.errors] == [(n, c) for n, _r, c, _w in AREA_MISTAKES]
    for number, _row, column, words in AREA_MISTAKES:
        assert words in outcome.error_at(number, column)
    assert count(app, Area) == areas_before


def test_errors_name_the_column_as_the_file_writes_it(app, county, importer):
    body = [with_cell(UNITS_EN[0], "leader_phone", "abc", UNIT_EN)]
    outcome = importer.run("units", *build("csv", UNIT_EN, body))
    assert "abc" in outcome.error_at(2, "leader_phone")


@pytest.mark.parametrize("kind, header, body, column", [
    ("units", [h for h in UNIT_ZH if h != "联系电话"],
     [[c for h, c in zip(UNIT_ZH, UNITS[0], strict=True) if h != "联系电话"]],
     "leader_phone / 联系电话"),
    ("areas", [h for h in AREA_ZH if h != "级别"],
     [[c for h, c in zip(AREA_ZH, AREAS[0], strict=True) if h != "级别"]], "level / 级别"),
])
def test_a_file_missing_a_required_column_is_refused(app, county, importer, kind, header, body,
                                                     column):
    areas_before = count(app, Area)
    outcome = importer.run(kind, *build("csv-bom", header, body))
    assert not outcome.ok
    assert "missing" in outcome.error_at(1, column)
    assert (count(app, StudyUnit), count(app, Area)) == (0, areas_before)


# --- running again ----------------------------------------------------------------------------

@pytest.mark.parametrize("importer, kind, file", [
    pytest.param("cli", "units", UNIT_FILES["csv-bom-zh"], id="cli-units-csv"),
    pytest.param("web", "units", UNIT_FILES["xlsx-zh-floats"], id="web-units-xlsx-floats"),
    pytest.param("cli", "units", UNIT_FILES["xlsx-zh-numbers"], id="cli-units-xlsx"),
    pytest.param("cli", "areas", AREA_FILES["xlsx-zh-floats"], id="cli-areas-xlsx-floats"),
    pytest.param("web", "areas", AREA_FILES["csv-en"], id="web-areas-csv"),
], indirect=["importer"])
def test_importing_the_same_file_again_changes_nothing(app, county, importer, kind, file):
    data, filename = build(*file)
    assert importer.run(kind, data, filename).created == 3
    events = count(app, AuditEvent)
    again = importer.run(kind, data, filename)
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 3)
    assert count(app, AuditEvent) == events


def test_a_changed_cell_updates_that_unit_only(app, county, importer):
    importer.run("units", *build("csv-bom", UNIT_ZH, UNITS))
    changed = [with_cell(UNITS[0], "覆盖数", "15"), UNITS[1], UNITS[2]]
    outcome = importer.run("units", *build("csv-bom", UNIT_ZH, changed))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 2)
    assert unit(app, "CG-H01").reach == 15
    event = scalar(app, sa.select(AuditEvent).where(AuditEvent.action == "update"))
    assert (event.object_code, event.changes["reach"]) == ("CG-H01", [12, 15])


def test_an_area_file_renames_and_moves_an_existing_village(app, county, importer):
    body = [["330101001", "东风村", "村", "330102", "", ""]]
    outcome = importer.run("areas", *build("csv", AREA_ZH, body))
    assert (outcome.ok, outcome.updated) == (True, 1), outcome.errors
    moved = area(app, "330101001")
    assert (moved.name, moved.parent_id) == ("东风村", county["青山镇"]["town"].id)
    assert moved.path == "/330100/330102/330101001/"


# --- files that can't be read -----------------------------------------------------------------

def test_a_gbk_csv_gets_a_clear_message_on_the_web(app, county, web):
    data = csv_file([UNIT_ZH, *UNITS], encoding="gbk")
    response = web.preview("units", data, "units.csv")
    assert response.status_code == 400
    assert "UTF-8" in text(response)
    assert count(app, StudyUnit) == 0


def test_a_gbk_csv_gets_a_clear_message_on_the_command_line(app, county, cli):
    outcome = cli.run("units", csv_file([UNIT_ZH, *UNITS], encoding="gbk"), "units.csv")
    assert not outcome.ok
    assert "UTF-8" in outcome.output
    assert count(app, StudyUnit) == 0


def test_a_file_that_is_not_csv_or_xlsx_is_refused(app, web):
    response = web.preview("units", b"hello", "units.txt")
    assert response.status_code == 400


def test_a_confirmation_is_used_once(app, county, web):
    preview = web.preview("units", *build("csv-bom", UNIT_ZH, UNITS))
    token = input_value(text(preview), "token")
    web.client.post("/imports/units/confirm", data={"token": token})
    again = web.client.post("/imports/units/confirm", data={"token": token})
    assert again.status_code == 302
    assert count(app, StudyUnit) == 3
    assert count(app, AuditEvent, AuditEvent.object_type == "study_units") == 3


def test_an_unknown_confirmation_writes_nothing(app, county, web):
    response = web.client.post("/imports/units/confirm", data={"token": "made-up"})
    assert response.status_code == 302
    assert count(app, StudyUnit) == 0


# --- a coordinator imports into their own town only -------------------------------------------

@pytest.fixture
def coordinator_web(client, county, make_user):
    login(client, make_user("coordinator", area=county["城关镇"]["town"]))
    return Web(client)


def test_coordinators_units_file_for_another_towns_village_is_refused(app, coordinator_web):
    body = [UNITS[0], with_cell(UNITS[0], "所属区域编码", "330102001")]
    body[1][0] = "QS-H01"
    outcome = coordinator_web.run("units", *build("csv-bom", UNIT_ZH, body))
    assert not outcome.ok
    assert [(r, c) for r, c, _w in outcome.errors] == [(3, "所属区域编码")]
    assert count(app, StudyUnit) == 0


def test_coordinators_areas_file_under_another_town_is_refused(app, county, coordinator_web):
    body = [AREAS[0], with_cell(AREAS[1], "上级编码", "330102", AREA_ZH)]
    areas_before = count(app, Area)
    outcome = coordinator_web.run("areas", *build("csv-bom", AREA_ZH, body))
    assert not outcome.ok
    assert [r for r, _c, _w in outcome.errors] == [3]
    assert count(app, Area) == areas_before


def test_coordinators_areas_file_cannot_rename_their_own_town(app, county, coordinator_web):
    body = [["330101", "改名镇", "镇", "330100", "", ""]]
    outcome = coordinator_web.run("areas", *build("csv", AREA_ZH, body))
    assert not outcome.ok
    assert area(app, "330101").name == "城关镇"


def test_coordinator_imports_units_into_their_town(app, coordinator_web):
    outcome = coordinator_web.run("units", *build("csv-bom", UNIT_ZH, UNITS))
    assert (outcome.ok, outcome.created) == (True, 3), outcome.errors


# --- the county office imports its own tree --------------------------------------------------

def test_county_office_reimports_its_tree_with_the_county_row_unchanged(app, client, county,
                                                                        make_user):
    """An export of the county's tree starts with the county itself; listing it unchanged
    must not make the county office's own file fail."""
    login(client, make_user("admin", area=county["county"]))
    body = [["330100", "示范县", "县", "", "", ""], ["330103", "新设镇", "镇", "330100", "", ""]]
    outcome = Web(client).run("areas", *build("csv-bom", AREA_ZH, body))
    assert (outcome.ok, outcome.created, outcome.unchanged) == (True, 1, 1), outcome.errors
    assert area(app, "330103").parent_id == county["county"].id


# --- blank templates --------------------------------------------------------------------------

@pytest.mark.parametrize("kind, headers", [("units", UNIT_ZH), ("areas", AREA_ZH)])
def test_the_csv_template_opens_in_excel_with_chinese_headers(web, kind, headers):
    response = web.client.get(f"/imports/{kind}/template.csv")
    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    first_line = body[3:].decode("utf-8").splitlines()[0].split(",")
    assert first_line[:len(headers)] == headers


@pytest.mark.parametrize("kind, headers", [("units", UNIT_ZH), ("areas", AREA_ZH)])
def test_the_xlsx_template_reads_back_with_chinese_headers(web, kind, headers):
    from openpyxl import load_workbook

    response = web.client.get(f"/imports/{kind}/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()))
    first_row = [c.value for c in workbook.worksheets[0][1]]
    assert first_row[:len(headers)] == headers


TEMPLATE_KINDS = ["areas", "units", "sessions", "attendance", "quiz-results", "targets"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_a_blank_template_uploaded_unchanged_says_there_is_nothing_to_import(app, county, web,
                                                                            kind, fmt):
    """Issue 10.12: the blank template was not blank, and its example area did not exist."""
    data = web.client.get(f"/imports/{kind}/template.{fmt}").get_data()
    outcome = web.run(kind, data, f"{kind}-template.{fmt}")
    assert not outcome.ok
    assert [(r, c) for r, c, _w in outcome.errors] == [(2, None)]
    assert "no rows" in outcome.errors[0][2]
    assert "area" not in outcome.errors[0][2].lower()


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_the_command_line_imports_a_blank_template_as_nothing(app, county, cli, web, kind):
    data = web.client.get(f"/imports/{kind}/template.xlsx").get_data()
    outcome = cli.run(kind, data, f"{kind}-template.xlsx")
    assert (outcome.ok, outcome.created, outcome.updated) == (True, 0, 0), outcome.errors


def test_the_xlsx_templates_examples_sheet_imports_cleanly(app, web):
    """On an empty database: the areas template's example tree, then the units template's
    example household in that tree's village, each copied from the "示例 Examples" sheet into
    a file of its own."""
    from openpyxl import load_workbook

    for kind, expected in (("areas", 4), ("units", 1)):
        workbook = load_workbook(io.BytesIO(
            web.client.get(f"/imports/{kind}/template.xlsx").get_data()))
        assert [s.title for s in workbook.worksheets][1] == "示例 Examples"
        examples = [[c.value for c in row] for row in workbook.worksheets[1].iter_rows()]
        outcome = web.run(kind, xlsx_file(examples), f"{kind}-examples.xlsx")
        assert (outcome.ok, outcome.created) == (True, expected), outcome.errors
    assert count(app, Area) == 4
    assert unit(app, "330101001-H001").area_id == area(app, "330101001").id


# --- area codes and names (issue 10.9) --------------------------------------------------------

def test_an_areas_file_with_a_lettered_town_code_is_refused_like_the_form(app, county, importer):
    body = [["abc", "字母镇", "镇", "330100", "", ""],
            ["330102009", "错镇村", "村", "330101", "", ""]]
    outcome = importer.run("areas", *build("csv-bom", AREA_ZH, body))
    assert [(r, c) for r, c, _w in outcome.errors] == [(2, "编码"), (3, "编码")]
    assert "digits only" in outcome.error_at(2, "编码")
    assert "starts with 330101" in outcome.error_at(3, "编码")
    assert area(app, "abc") is None


def test_a_second_area_of_one_name_is_a_warning_on_the_preview_not_an_error(app, county, web):
    body = [["330101007", "城关镇东村", "村", "330101", "", ""],      # the town has one
            ["330101008", "新村", "村", "330101", "", ""],
            ["330101009", "新村", "村", "330101", "", ""]]           # and so does the file
    preview = web.preview("areas", *build("csv-bom", AREA_ZH, body))
    page = text(preview)
    assert preview.status_code == 200
    warned = table_rows(page, "import-warnings")
    assert [(r[0], r[1]) for r in warned] == [("2", "名称"), ("4", "名称")]
    assert "城关镇 already has an area named “城关镇东村”" in warned[0][2]
    outcome = web.run("areas", *build("csv-bom", AREA_ZH, body))
    assert (outcome.ok, outcome.created) == (True, 3)


def test_the_command_line_prints_the_same_name_warning_and_imports(app, county, cli):
    body = [["330101007", "城关镇东村", "村", "330101", "", ""]]
    outcome = cli.run("areas", *build("csv-bom", AREA_ZH, body))
    assert (outcome.ok, outcome.created) == (True, 1)
    assert "warning: row 2, column 名称" in outcome.output
