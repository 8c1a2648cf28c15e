"""A report file speaks its reader's language: from the Chinese interface (or `--lang zh`) its
headers are the page's, levels are 镇/县, sheets are named in Chinese and the generation time is
Beijing's; the JSON keeps its English keys whatever the language; and the columns a Chinese
file shares with an import read back through that import's reader."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from lawlearn import codes
from lawlearn.areas.imports import COLUMNS as AREA_COLUMNS
from lawlearn.imports.reader import read_table
from lawlearn.reports.exports import COLUMNS
from tests.conftest import login

ARGS = ["report", "coverage", "--area", "330100", "--from", "2026-01-01", "--to", "2026-06-30"]
CHINESE_HEADERS = ["区域编码", "名称", "级别", "在册学习单元·学法中心户", "在册学习单元·企业学法班组",
                   "在册学习单元·楼长集中学法", "在册学习单元·全部类型", "活跃学习单元", "学习活动",
                   "签到人次", "参学人数", "覆盖户数", "覆盖职工数", "测验人次", "参测人数", "平均分",
                   "合格率"]
# 10:00 on 1 July in Beijing is 02:00 UTC: a UTC time would say 02.
NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def office(client, small_county, make_user, freeze_clock):
    freeze_clock(NOW)
    login(client, make_user("admin", area=small_county["county"]))
    return client


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_chinese_interface_downloads_a_chinese_csv_with_the_same_figures(office):
    office.get("/lang/zh_Hans")
    report = json.loads(office.get(f"/reports/coverage?area=330100&from=2026-01-01"
                                   f"&to=2026-06-30&format=json").data)
    rows = _csv(office.get("/reports/coverage?area=330100&from=2026-01-01&to=2026-06-30"
                           "&format=csv").data)
    assert rows[0] == CHINESE_HEADERS
    assert [r[:3] for r in rows[1:]] == [["330101", "城关镇", "镇（街道）"],
                                         ["330102", "青山镇", "镇（街道）"],
                                         ["330100", "示范县", "县"]]
    total = report["total"]
    assert rows[-1][3:8] == [str(total["units"]["household"]),
                             str(total["units"]["enterprise_group"]),
                             str(total["units"]["building"]), str(total["units"]["total"]),
                             str(total["active_units"])]
    # The JSON is a contract for programs: English keys and codes in any language.
    assert report["total"]["level"] == "county" and "active_units" in report["total"]


def test_the_chinese_workbook_names_its_sheets_in_chinese_and_tells_beijing_time(office):
    office.get("/lang/zh_Hans")
    book = load_workbook(io.BytesIO(office.get(
        "/reports/coverage?area=330100&from=2026-01-01&to=2026-06-30&format=xlsx").data))
    assert book.sheetnames == ["覆盖率报表", "参数"]
    assert [c.value for c in book["覆盖率报表"][1]] == CHINESE_HEADERS
    params = dict(book["参数"].iter_rows(values_only=True))
    assert params["区域编码"] == "330100" and params["级别"] == "县"
    assert params["起始日期"] == "2026-01-01" and params["截止日期"] == "2026-06-30"
    assert params["生成时间"] == "2026-07-01 10:00:00（北京时间）"


def test_the_english_interface_keeps_the_contract_codes(office):
    office.get("/lang/en")
    rows = _csv(office.get("/reports/coverage?area=330100&from=2026-01-01&to=2026-06-30"
                           "&format=csv").data)
    assert rows[0] == [name for name, _label, _read in COLUMNS]
    assert rows[-1][2] == "county"
    book = load_workbook(io.BytesIO(office.get(
        "/reports/coverage?area=330100&from=2026-01-01&to=2026-06-30&format=xlsx").data))
    assert book.sheetnames == ["coverage", "parameters"]
    assert dict(book["parameters"].iter_rows(values_only=True))["generated_at"] == (
        "2026-07-01T10:00:00+08:00")


@pytest.mark.parametrize("lang, header, level", [("zh", "区域编码", "县"), ("en", "code", "county")])
def test_the_command_line_takes_the_language_it_is_told(small_county, runner, tmp_path, lang,
                                                         header, level):
    out = tmp_path / "r.csv"
    result = runner.invoke(args=[*ARGS, "--format", "csv", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _csv(out.read_bytes())
    assert rows[0][0] == header and rows[-1][2] == level
    book_path = tmp_path / "r.xlsx"
    runner.invoke(args=[*ARGS, "--format", "xlsx", "--lang", lang, "--out", str(book_path)])
    assert load_workbook(book_path).sheetnames[0] == ("覆盖率报表" if lang == "zh" else "coverage")


def test_the_command_line_follows_the_shell_without_lang(small_county, runner, tmp_path,
                                                        monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "r.csv"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    runner.invoke(args=[*ARGS, "--format", "csv", "--out", str(out)])
    assert _csv(out.read_bytes())[0][0] == "区域编码"
    monkeypatch.setenv("LANG", "C.UTF-8")
    runner.invoke(args=[*ARGS, "--format", "csv", "--out", str(out)])
    assert _csv(out.read_bytes())[0][0] == "code"
    # JSON never changes with the language.
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert json.loads(runner.invoke(args=ARGS).stdout)["total"]["level"] == "county"


def test_a_chinese_export_reads_back_through_the_area_import(small_county, runner, tmp_path):
    """区域编码, 名称, 级别 are the area import's own headers, and 镇（街道）/县 its level
    aliases: the rows read back as the report's codes, names and levels."""
    out = tmp_path / "r.csv"
    runner.invoke(args=[*ARGS, "--format", "csv", "--lang", "zh", "--out", str(out)])
    report = json.loads(runner.invoke(args=ARGS).stdout)
    rows = read_table(out.read_bytes(), "r.csv", AREA_COLUMNS)
    assert [(r.get("code"), r.get("name"), codes.LEVELS.parse(r.get("level"))) for r in rows] == [
        (r["code"], r["name"], r["level"]) for r in [*report["rows"], report["total"]]]
