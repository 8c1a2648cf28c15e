"""`lawlearn plan load`: a plan file is checked completely, then written whole or not at all;
loading a file again replaces the plan of its code."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Checkoff, Milestone, MilestoneFormat, Plan, PlanStage
from tests.plans.conftest import PLAN_FILE
from tests.plans.test_contract import PENDING, done, invoke, ok, progress_json

BASE = PLAN_FILE.read_text(encoding="utf-8")


def write(tmp_path, text: str, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                     for model in (Plan, PlanStage, Milestone))


def test_a_plan_file_creates_the_plan_with_its_stages_and_milestones(plan_county, runner, app):
    result = ok(invoke(runner, "plan", "load", PLAN_FILE))
    assert "Created plan cc2026: 2 stage(s), 5 milestone(s)." in result.output
    with app.app_context():
        plan = db.session.scalar(sa.select(Plan))
        assert (plan.code, plan.title, plan.area.code) == ("cc2026", "2026年民法典宣传月", "330100")
        assert [s.name for s in plan.stages] == ["集中宣传", "巩固提升"]
        m3 = plan.milestones[2]
        # Chinese aliases are stored as codes.
        assert (m3.code, m3.kind, m3.unit_kind, m3.formats, m3.min_share) == (
            "M3", "unit_share", "household", ["group_study"], 0.6)
        assert plan.milestones[0].topics == ["civil-code", "constitution"]
        assert plan.milestones[4].min_count == 1


def test_loading_again_replaces_the_plan_and_keeps_manual_check_offs(plan_county, runner, app,
                                                                    tmp_path):
    ok(invoke(runner, "plan", "load", PLAN_FILE))
    ok(invoke(runner, "plan", "check", "cc2026", "--milestone", "M4", "--area", "330101",
              "--on", "2026-06-10"))
    # M2 now also counts exhibitions (S11, 25 June in 青山镇, was not a touring talk); M5 goes.
    changed = BASE.replace("formats: [touring_talk]", "formats: [touring_talk, exhibition]")
    changed = changed[:changed.index("  - name: 巩固提升")]
    changed = changed.replace("title: 2026年民法典宣传月", "title: 民法典宣传月（修订）")
    result = ok(invoke(runner, "plan", "load", write(tmp_path, changed)))
    assert "Replaced plan cc2026: 1 stage(s), 4 milestone(s)." in result.output
    assert counts(app) == (1, 1, 4)
    report = progress_json(runner, "--today", "2026-06-20")
    assert [r["milestones"]["M4"] for r in report["rows"]] == [done("2026-06-10"), PENDING]
    assert "M5" not in report["rows"][0]["milestones"]
    with app.app_context():
        assert db.session.scalar(sa.select(Plan.title)) == "民法典宣传月（修订）"
        assert sorted(db.session.scalars(sa.select(MilestoneFormat.format))) == [
            "exhibition", "group_study", "touring_talk"]


def test_a_manual_milestone_turned_into_a_rule_loses_its_check_offs(plan_county, runner, app,
                                                                   tmp_path):
    ok(invoke(runner, "plan", "load", PLAN_FILE))
    ok(invoke(runner, "plan", "check", "cc2026", "--milestone", "M4", "--area", "330101",
              "--on", "2026-06-10"))
    ok(invoke(runner, "plan", "load", write(tmp_path, BASE.replace(
        "rule: {kind: manual}", "rule: {kind: sessions, min: 50}"))))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkoff)) == 0


BAD = [
    ("code: cc2026\n", ["no area", "no stages"]),
    ("- just a list\n", ["mapping"]),
    ("code: [unclosed\n", ["not valid YAML"]),
    (BASE.replace('area: "330100"', 'area: "999999"'), ["999999"]),
    (BASE.replace('area: "330100"', 'area: "330101001"'), ["330101001"]),
    (BASE.replace("code: cc2026", "code: cc 2026"), ["cc 2026"]),
    (BASE.replace("{code: M2,", "{code: M1,"), ["M1", "twice"]),
    (BASE.replace("due: 2026-04-30", "due: 2026-02-30"), ["M1", "2026-02-30"]),
    (BASE.replace("due: 2026-04-30", "due: 2026-02-01"), ["M1", "before its stage starts"]),
    (BASE.replace("kind: manual", "kind: vote"), ["M4", "vote"]),
    (BASE.replace("touring_talk", "parade"), ["M2", "parade"]),
    (BASE.replace("civil-code, 宪法", "civil-code, 刑法"), ["M1", "刑法"]),
    (BASE.replace("min: 2", "min: 0"), ["M1", "min"]),
    (BASE.replace("min_share: 0.6", "min_share: 60"), ["M3", "min_share"]),
    (BASE.replace("unit_kind: household", "unit_kind: village"), ["M3", "unit_kind"]),
    (BASE.replace("min_share: 0.6", "min_share: 0.6, min: 3"), ["M3", "min"]),
    (BASE.replace("from: 2026-07-01", "form: 2026-07-01"), ["stage 2", "form"]),
]


@pytest.mark.parametrize("text, words", BAD)
def test_a_bad_plan_file_is_refused_whole_with_every_problem_named(plan_county, runner, app,
                                                                  tmp_path, text, words):
    result = invoke(runner, "plan", "load", write(tmp_path, text))
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "not loaded" in result.output
    for word in words:
        assert word in result.output, result.output
    assert counts(app) == (0, 0, 0)


def test_a_bad_file_leaves_the_existing_plan_as_it_was(plan_county, runner, app, tmp_path):
    ok(invoke(runner, "plan", "load", PLAN_FILE))
    result = invoke(runner, "plan", "load", write(tmp_path, BASE.replace(
        "min: 2", "min: -1").replace("min_share: 0.6", "min_share: 2")))
    assert result.exit_code != 0
    assert "M1" in result.output and "M3" in result.output  # both problems, at once
    assert counts(app) == (1, 2, 5)
