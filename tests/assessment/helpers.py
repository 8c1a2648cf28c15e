"""Files the assessment tests feed the command line: the scheme and the entries scored by hand
in test_contract.py."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

SCHEME = """\
year: 2026
title: 2026年度普法工作定量考核细则
period: {from: 2026-01-01, to: 2026-12-31}
grades: [{name: 优秀, min: 90}, {name: 良好, min: 80}, {name: 合格, min: 60}, {name: 不合格, min: 0}]
items:
  - {code: A1, name: 学法中心户建设, points: 15, rule: {kind: target, unit_kind: household}}
  - {code: A2, name: 楼长集中学法, points: 10, rule: {kind: target, unit_kind: building}}
  - {code: B1, name: 活跃单元比例, points: 20, rule: {kind: rate, metric: active_rate, full_at: 0.8}}
  - {code: B2, name: 活动频次, points: 20, rule: {kind: per_unit, metric: sessions, full_at: 1.5}}
  - {code: C1, name: 测验合格率, points: 15, rule: {kind: bands, metric: pass_rate, bands: [[0.9, 15], [0.75, 10], [0.6, 6]]}}
  - {code: C2, name: 参学人次, points: 10, rule: {kind: per_unit, metric: attendances, full_at: 5}}
  - {code: D1, name: 月报按时报送, points: 10, rule: {kind: deduction, per: 2}}
  - {code: E1, name: 表彰奖励, points: 5, rule: {kind: bonus}}
  - {code: V1, name: 一票否决, rule: {kind: veto}}
"""

ENTRIES_HEADER = ["区域编码", "年度", "考核项目", "数值", "说明"]
ENTRIES = [
    ENTRIES_HEADER,
    ["330101", "2026", "D1", "1.0675", "月报迟报一次，另有一份缺页"],
    ["330101", "2026", "E1", "7", "省级表彰"],
    ["330102", "2026", "D1", "6", "月报缺报六次"],
    ["330104", "2026", "月报按时报送", "2.5", ""],
    ["330104", "2026", "E1", "5", ""],
    ["330105", "2026", "V1", "1", "发生重大涉法事件"],
    ["330105", "2026", "E1", "4", ""],
]


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load_scheme(runner, tmp_path, text: str = SCHEME, name: str = "scheme.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["assess", "load", str(path)])


def import_entries(runner, tmp_path, rows: list[list], name: str = "entries.csv"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows))
    return runner.invoke(args=["import", "assessment-entries", str(path)])


class _Fields(HTMLParser):
    """The form's fields as a browser would send them (checked boxes only, the selected
    option of each select)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "y")
            elif a.get("type") != "submit":
                self.data[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a
                                                   or self._select not in self.data):
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_fields(page: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(page)
    # A browser drops the newline that opens a textarea's text.
    return {k: v.removeprefix("\r\n").removeprefix("\n") for k, v in parser.data.items()}
