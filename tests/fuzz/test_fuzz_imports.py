"""Property: whatever a spreadsheet or a question bank holds, an upload answers with a preview
or a list of problems, never a server error, and a refused import writes nothing.

Every import kind of the registry is fuzzed (a new kind joins automatically), as CSV and as
XLSX, through the upload and confirm pages as the office would use them; question banks go
through the bank upload page as YAML and XLSX.
"""

from __future__ import annotations

import csv
import io
import math
import re

from hypothesis import given
from hypothesis import strategies as st

from lawlearn.imports.registry import KIND_MODULES, kinds
from tests.fuzz.conftest import INPUTS, fuzz_settings, row_counts, send
from tests.fuzz.pages import post_forms
from tests.fuzz.values import HOSTILE, cell, value

IMPORT_BUDGET = 420
BANK_BUDGET = 180

# A value that passes each column's own check, so rows often get as far as the database.
PLAUSIBLE = {
    "code": ["FZ-1", "330101009", "330101E09"], "name": ["测试村", "张家中心户"],
    "level": ["村", "village", "社区", "企业"], "parent_code": ["330101", "330100"],
    "employees": ["12", 40], "industry": ["制造业"], "kind": ["中心户", "楼长", "学法班组"],
    "area_code": ["330101001", "330101101", "330101E01"], "leader_name": ["张建国"],
    "leader_phone": ["13900000011", 13900000011.0], "reach": ["12", 7],
    "registered_on": ["2026-03-01", "2026/3/1"], "unit_code": ["@unit_code"],
    "held_on": ["2026-03-15"], "format": ["集中学习", "lecture"], "topics": ["民法典；宪法"],
    "lecturer": ["张老师"], "duration_minutes": ["60", 90], "session_code": ["@session_code"],
    "phone": ["13900000021", ""], "status": ["出席", "absent"], "quiz": ["tiny", "civil-code"],
    "score": ["85", 60.5], "taken_on": ["2026-03-15"], "year": ["2026", 2026],
    "target": ["5"], "area": ["330101"],
}


def _xlsx_text(text: str) -> str:
    # A workbook stores control characters as _xHHHH_ escapes; the reader turns them back.
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", text)


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(rows, start=1):
        for c, raw in enumerate(row, start=1):
            target = sheet.cell(row=r, column=c)
            if isinstance(raw, tuple):  # a number shown as a date: may overflow any calendar
                target.value, target.number_format = raw[1], "yyyy-mm-dd"
            elif isinstance(raw, float) and not math.isfinite(raw):
                target.value = raw  # written as text NaN/inf, as some exporters do
            elif isinstance(raw, str):
                target.value = _xlsx_text(raw[:32767])
                target.data_type = "s"
            else:
                target.value = raw
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def _column_value(column, world):
    plausible = [str(getattr(world.ids, p[1:])) if isinstance(p, str) and p.startswith("@")
                 else p for p in PLAUSIBLE.get(column.name, ["x"])]
    return st.one_of(st.sampled_from(plausible), st.sampled_from(plausible), cell(),
                     st.floats(1e6, 1e12).map(lambda n: ("date", n)))


@given(data=st.data())
@fuzz_settings(IMPORT_BUDGET)
def test_no_import_file_makes_an_upload_fail_and_a_refusal_writes_nothing(world, app, data):
    kind = data.draw(st.sampled_from(sorted(KIND_MODULES)), label="kind")
    columns = kinds()[kind].columns
    with app.app_context():
        header = [data.draw(st.sampled_from([c.name, c.alias]), label="header") for c in columns]
    rows = [header] + [[data.draw(_column_value(c, world), label=c.name) for c in columns]
                       for _ in range(data.draw(st.integers(1, 3), label="rows"))]
    fmt = data.draw(st.sampled_from(["csv", "xlsx"]), label="format")
    body = _xlsx(rows) if fmt == "xlsx" else _csv(rows)
    role = data.draw(st.sampled_from(["admin", "coordinator"]), label="role")
    client = world.clients[role]
    before = row_counts(app)
    INPUTS["imports × generated cells"] += 1
    label = f"import {kind} as {role} ({fmt}) {rows!r}"[:800]
    response = send(client, "POST", f"/imports/{kind}", label,
                    data={"file": (io.BytesIO(body), f"fuzz.{fmt}")},
                    content_type="multipart/form-data")
    if response is None or response.status_code != 200:
        assert row_counts(app) == before, label
        return
    token = next((f.fields["token"].plausible[0] for f in post_forms(
        response.get_data(as_text=True), f"/imports/{kind}") if "token" in f.fields), None)
    if token is None:
        return
    confirmed = send(client, "POST", f"/imports/{kind}/confirm", label + " (confirm)",
                     data={"token": token})
    if confirmed is not None and confirmed.status_code not in (302, 303):
        assert row_counts(app) == before, label


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def bank_yaml(draw) -> str:
    """A bank file: a nearly valid bank with hostile values put in, or a hostile document."""
    number = st.one_of(st.integers(-(2**70), 2**70).map(str), st.just("9" * 5000),
                       st.sampled_from([".nan", ".inf", "1e999", "0x10", "0o777"]))
    scalar = st.one_of(number, st.sampled_from(HOSTILE).map(repr), value().map(repr))
    fields = {"slug": st.sampled_from(["fuzz-bank", "tiny", "x" * 50]).map(repr),
              "title": scalar, "topic": st.sampled_from(["civil-code", "nope"]).map(repr),
              "pass_score": scalar, "draw": scalar, "time_limit_minutes": scalar,
              "attempts_per_day": scalar}
    lines = [f"{k}: {draw(st.one_of(s, st.just('1')))}" for k, s in fields.items()]
    lines.append("questions:")
    for n in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["single", "multiple", "true_false", "essay"]))
        lines += [f"  - id: q-{n}", f"    kind: {kind}", f"    stem: {draw(scalar)}",
                  f"    options: [{draw(scalar)}, {draw(scalar)}, 丙]",
                  f"    answer: {draw(st.sampled_from(['A', '[A, B]', 'true', '7']))}",
                  f"    source: {draw(scalar)}"]
    document = "\n".join(lines) + "\n"
    hostile = st.sampled_from([
        _deep(5000), "a: " + _deep(2000), "- " * 3000 + "x", "&a [*a]", "!!python/object:os.system x",
        "a: &x [1]\nb: [*x, *x, *x]\n", "slug: " + "9" * 5000, "\x00: \x00",
    ])
    return draw(st.one_of(st.just(document), st.just(document), hostile))


@given(data=st.data())
@fuzz_settings(BANK_BUDGET)
def test_no_question_bank_makes_an_upload_fail_and_a_refusal_writes_nothing(world, app, data):
    text = data.draw(bank_yaml(), label="bank")
    before = row_counts(app)
    INPUTS["question banks × generated files"] += 1
    response = send(world.clients["admin"], "POST", "/quizzes/upload",
                    f"bank upload {text[:300]!r}",
                    data={"file": (io.BytesIO(text.encode("utf-8", "surrogatepass")),
                                   "fuzz.yaml"), "fmt": "yaml"},
                    content_type="multipart/form-data")
    if response is not None and response.status_code != 302:
        assert row_counts(app) == before
