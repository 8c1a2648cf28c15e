"""The plan contract (docs/contracts.md, "Activity plans and milestones") on the county of
conftest.py, counted by hand.

Plan cc2026 (county 330100), stage 1 from 1 March, stage 2 from 1 July:
- M1 sessions on civil-code or constitution, at least 2, due 30 April. 城关镇: S02 (10 Mar) and
  S03 (20 Mar, both topics: counted once) → done 20 Mar; S05 and S14 come after the due day.
  青山镇: S08 (5 Mar), S09 on the due day → done 30 Apr.
- M2 touring talks, at least 1, due 30 June. 城关镇's only one (S06, 5 July) is late → pending,
  then overdue. 青山镇: S10 (18 June) → done 18 June.
- M3 60% of households held a group study, due 31 May. 城关镇 has 3 households that count (H4
  registered 15 June, H5 retired): H1 from 10 Mar (1/3), H2 from 15 Apr (2/3 ≥ 0.6) → done
  15 Apr (H3's session is a lecture). 青山镇 has no household → not applicable.
- M4 manual, due 30 June: checked off in the tests.
- M5 lectures or case-based teaching, at least 1 (the default), from 1 July, due 30 September.
  城关镇: S07 (20 July). 青山镇: none.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, Checkoff, Plan
from tests.conftest import TODAY
from tests.plans.conftest import PLAN_FILE

ENV = {"LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}


def invoke(runner, *args: str):
    return runner.invoke(args=[str(a) for a in args], env=ENV)


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def progress_json(runner, *options):
    return json.loads(ok(invoke(runner, "plan", "progress", "cc2026", *options)).stdout)


def done(day):
    return {"status": "done", "done_on": day}


PENDING = {"status": "pending", "done_on": None}
OVERDUE = {"status": "overdue", "done_on": None}
NOT_APPLICABLE = {"status": "not_applicable", "done_on": None}


@pytest.fixture
def loaded(plan_county, runner):
    ok(invoke(runner, "plan", "load", PLAN_FILE))
    return runner


def test_in_june_the_plan_reads_as_counted_by_hand(loaded):
    ok(invoke(loaded, "plan", "check", "cc2026", "--milestone", "M4", "--area", "330101",
              "--on", "2026-06-10", "--note", "总结报告已报县普法办"))
    assert progress_json(loaded, "--today", "2026-06-20") == {
        "plan": "cc2026", "today": "2026-06-20",
        "rows": [
            {"code": "330101", "name": "城关镇", "milestones": {
                "M1": done("2026-03-20"), "M2": PENDING, "M3": done("2026-04-15"),
                "M4": done("2026-06-10"), "M5": PENDING}},
            {"code": "330102", "name": "青山镇", "milestones": {
                "M1": done("2026-04-30"), "M2": done("2026-06-18"), "M3": NOT_APPLICABLE,
                "M4": PENDING, "M5": PENDING}},
        ],
        "total": {"done": 5, "pending": 4, "overdue": 0, "not_applicable": 1},
    }


def test_in_july_windows_that_ended_make_late_work_overdue(loaded):
    """S06 (5 July) comes after M2's due day; a check-off dated after the due day is too late."""
    invoke(loaded, "plan", "check", "cc2026", "--milestone", "M4", "--area", "330101",
           "--on", "2026-06-10")
    ok(invoke(loaded, "plan", "check", "cc2026", "--milestone", "M4", "--area", "330102",
              "--on", "2026-07-02"))
    report = progress_json(loaded, "--today", "2026-07-10")
    assert [row["milestones"] for row in report["rows"]] == [
        {"M1": done("2026-03-20"), "M2": OVERDUE, "M3": done("2026-04-15"),
         "M4": done("2026-06-10"), "M5": PENDING},
        {"M1": done("2026-04-30"), "M2": done("2026-06-18"), "M3": NOT_APPLICABLE,
         "M4": OVERDUE, "M5": PENDING},
    ]
    assert report["total"] == {"done": 5, "pending": 2, "overdue": 2, "not_applicable": 1}


def test_without_today_the_county_clock_decides(loaded, fixed_today):
    report = progress_json(loaded)
    assert report["today"] == TODAY.isoformat()
    assert [row["milestones"]["M5"] for row in report["rows"]] == [done("2026-07-20"), OVERDUE]
    assert report["total"] == {"done": 5, "pending": 0, "overdue": 4, "not_applicable": 1}


@pytest.mark.parametrize("today, cg, qs", [
    # Nothing after "today" counts: S10 is on 18 June, the 城关镇 check-off on 10 June.
    ("2026-06-17", {"M2": PENDING, "M4": done("2026-06-10")}, {"M2": PENDING, "M4": PENDING}),
    ("2026-06-05", {"M4": PENDING}, {"M2": PENDING}),
    # One civil-code session by mid-March in each town; M3's share is 1/3 then.
    ("2026-03-15", {"M1": PENDING, "M3": PENDING}, {"M1": PENDING, "M3": NOT_APPLICABLE}),
    # Before the second stage starts nothing counts for M5, whatever was held.
    ("2026-06-30", {"M5": PENDING}, {"M5": PENDING}),
])
def test_today_cuts_the_window(loaded, today, cg, qs):
    invoke(loaded, "plan", "check", "cc2026", "--milestone", "M4", "--area", "330101",
           "--on", "2026-06-10")
    rows = progress_json(loaded, "--today", today)["rows"]
    assert {k: rows[0]["milestones"][k] for k in cg} == cg
    assert {k: rows[1]["milestones"][k] for k in qs} == qs


def test_a_session_with_two_matching_topics_counts_once(loaded, app):
    from lawlearn.plans.progress import load_plan_for_progress, progress

    with app.app_context():
        plan = load_plan_for_progress(db.session.scalar(sa.select(Plan.id)))
        result = progress(plan, today=__import__("datetime").date(2026, 6, 20))
        m1 = next(m for m in result.milestones if m.code == "M1")
        m3 = next(m for m in result.milestones if m.code == "M3")
        town = result.areas[0]
        assert (result.cell(town.id, m1.id).count, result.cell(town.id, m1.id).needed) == (2, 2)
        assert (result.cell(town.id, m3.id).count, result.cell(town.id, m3.id).units) == (2, 3)


def test_csv_and_xlsx_carry_the_same_figures(loaded, tmp_path):
    report = progress_json(loaded, "--today", "2026-07-10")
    text = ok(invoke(loaded, "plan", "progress", "cc2026", "--today", "2026-07-10",
                     "--format", "csv")).stdout
    lines = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(lines) == 10
    for line in lines:
        row = next(r for r in report["rows"] if r["code"] == line["code"])
        expected = row["milestones"][line["milestone"]]
        assert (line["status"], line["done_on"] or None) == (expected["status"],
                                                             expected["done_on"])
    out = tmp_path / "progress.xlsx"
    ok(invoke(loaded, "plan", "progress", "cc2026", "--today", "2026-07-10", "--format", "xlsx",
              "--out", out))
    sheet = load_workbook(out)["progress"]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    assert cells[0] == ["code", "name", "milestone", "milestone_name", "due", "status",
                        "done_on"]
    assert [[c or "" for c in r] for r in cells[1:]] == [
        [line[k] for k in cells[0]] for line in lines]


def test_a_check_off_is_audited_and_can_be_corrected(loaded, app):
    ok(invoke(loaded, "plan", "check", "cc2026", "--milestone", "M4", "--area", "330101",
              "--on", "2026-06-10", "--note", "first"))
    result = ok(invoke(loaded, "plan", "check", "cc2026", "--milestone", "M4", "--area",
                       "330101", "--on", "2026-06-12", "--note", "second"))
    assert "updated" in result.output
    with app.app_context():
        checkoffs = db.session.execute(sa.select(Checkoff.done_on, Checkoff.note)).all()
        assert [(c.done_on.isoformat(), c.note) for c in checkoffs] == [("2026-06-12", "second")]
        actions = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "plans").order_by(AuditEvent.id)).all()
        assert actions == ["create", "check_off", "check_off"]


@pytest.mark.parametrize("args, words", [
    (["--milestone", "M1", "--area", "330101", "--on", "2026-06-10"], ["M1", "manual"]),
    (["--milestone", "M9", "--area", "330101", "--on", "2026-06-10"], ["M9"]),
    (["--milestone", "M4", "--area", "330101001", "--on", "2026-06-10"], ["330101001"]),
    (["--milestone", "M4", "--area", "330101", "--on", "10/06/2026"], ["10/06/2026"]),
    (["--milestone", "M4", "--area", "330101", "--on", "2026-06-10", "--note", "x" * 501],
     ["500"]),
])
def test_a_bad_check_off_is_refused_with_a_message(loaded, app, args, words):
    result = invoke(loaded, "plan", "check", "cc2026", *args)
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkoff)) == 0


def test_unknown_plan_and_bad_today_are_refused(loaded):
    for args, word in ((["plan", "progress", "nope"], "nope"),
                       (["plan", "progress", "cc2026", "--today", "2026-02-30"], "2026-02-30"),
                       (["plan", "check", "nope", "--milestone", "M4", "--area", "330101",
                         "--on", "2026-06-10"], "nope")):
        result = invoke(loaded, *args)
        assert result.exit_code != 0 and word in result.output, result.output
        assert "Traceback" not in result.output
