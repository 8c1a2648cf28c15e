"""`lawlearn assess load`: a scheme is stored whole or refused whole, each problem naming the
item's code; loading again for the same year replaces it; what the office wrote round-trips."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.assessment.scheme import SchemeError, check, parse_yaml, to_yaml
from lawlearn.extensions import db
from lawlearn.models import AssessmentScheme, AuditEvent
from tests.assessment.helpers import SCHEME, load_scheme


def schemes() -> list[tuple]:
    db.session.expire_all()
    return [(s.year, s.title, len(s.items)) for s in db.session.scalars(
        sa.select(AssessmentScheme).order_by(AssessmentScheme.year))]


def test_loading_a_scheme_stores_it_with_its_period(ctx, runner, tmp_path):
    result = load_scheme(runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert schemes() == [(2026, "2026年度普法工作定量考核细则", 9)]
    stored = db.session.scalar(sa.select(AssessmentScheme))
    assert (stored.period_start.isoformat(), stored.period_end.isoformat()) == (
        "2026-01-01", "2026-12-31")
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "assessment_schemes")) == "create"


def test_loading_again_replaces_the_years_scheme(ctx, runner, tmp_path):
    load_scheme(runner, tmp_path)
    changed = SCHEME.replace("2026年度普法工作定量考核细则", "2026年度考核细则（修订）")
    result = load_scheme(runner, tmp_path, changed)
    assert result.exit_code == 0, result.output
    assert schemes() == [(2026, "2026年度考核细则（修订）", 9)]


def test_without_a_period_the_scheme_covers_the_calendar_year(ctx, runner, tmp_path):
    text = SCHEME.replace("year: 2026", "year: 2027").replace(
        "period: {from: 2026-01-01, to: 2026-12-31}\n", "")
    assert load_scheme(runner, tmp_path, text).exit_code == 0
    stored = db.session.scalar(sa.select(AssessmentScheme).where(AssessmentScheme.year == 2027))
    assert (stored.period_start.isoformat(), stored.period_end.isoformat()) == (
        "2027-01-01", "2027-12-31")


BAD = [
    ("{kind: target, unit_kind: household}", "{kind: ranking, unit_kind: household}",
     ["A1", "ranking"]),
    ("{kind: rate, metric: active_rate, full_at: 0.8}", "{kind: rate, metric: happiness, full_at: 0.8}",
     ["B1", "happiness"]),
    ("{kind: per_unit, metric: sessions, full_at: 1.5}", "{kind: per_unit, metric: pass_rate, full_at: 1.5}",
     ["B2", "pass_rate"]),
    ("[[0.9, 15], [0.75, 10], [0.6, 6]]", "[[0.9, 18], [0.75, 10], [0.6, 6]]", ["C1", "18"]),
    ("points: 20, rule: {kind: rate", "points: 15, rule: {kind: rate", ["95", "B1"]),
    ("{kind: deduction, per: 2}", "{kind: deduction}", ["D1", "per"]),
    ("code: A2,", "code: A1,", ["A1"]),
]


@pytest.mark.parametrize("old, new, words", BAD)
def test_a_bad_scheme_is_refused_naming_the_item(ctx, runner, tmp_path, old, new, words):
    assert old in SCHEME
    result = load_scheme(runner, tmp_path, SCHEME.replace(old, new, 1))
    assert result.exit_code != 0
    for word in words:
        assert word in result.output
    assert "Traceback" not in result.output
    assert schemes() == []


def test_a_refused_scheme_leaves_the_years_scheme_as_it_was(ctx, runner, tmp_path):
    load_scheme(runner, tmp_path)
    bad = SCHEME.replace("2026年度普法工作定量考核细则", "新标题").replace("kind: bonus", "kind: extra")
    assert load_scheme(runner, tmp_path, bad).exit_code != 0
    assert schemes() == [(2026, "2026年度普法工作定量考核细则", 9)]


def test_every_problem_is_reported_at_once():
    text = SCHEME.replace("kind: bonus", "kind: extra").replace("metric: sessions", "metric: x")
    with pytest.raises(SchemeError) as refused:
        parse_yaml(text.encode())
    joined = "\n".join(refused.value.problems)
    assert "E1" in joined and "B2" in joined


@pytest.mark.parametrize("data, words", [
    (b"year: [2026", "YAML"),
    (b"\xff\xfe\x00", "UTF-8"),
    (b"- just a list", "mapping"),
    (SCHEME.replace("year: 2026", "year: 1999").encode(), "2000"),
    (SCHEME.replace("grades: [", "gradez: [").encode(), "grades"),
])
def test_files_that_are_not_schemes_are_refused_with_a_reason(data, words, app):
    english = {"Accept-Language": "en"}
    with app.test_request_context(headers=english), pytest.raises(SchemeError) as refused:
        parse_yaml(data)
    assert words in "\n".join(refused.value.problems)


def test_the_scoring_sheet_texts_ride_along_and_round_trip(app):
    text = SCHEME.replace(
        "  - {code: A1, name: 学法中心户建设, points: 15,",
        "  - {code: A1, name: 学法中心户建设, group: 阵地建设, content: 每村建成中心户,"
        " standard: 按目标完成比例计分, basis: 中心户名册, points: 15,")
    with app.test_request_context():
        document = parse_yaml(text.encode())
        first = document["items"][0]
        assert (first["group"], first["content"], first["standard"], first["basis"]) == (
            "阵地建设", "每村建成中心户", "按目标完成比例计分", "中心户名册")
        assert check(parse_yaml(to_yaml(document).encode())) == document


def test_the_bands_are_kept_highest_threshold_first(app):
    text = SCHEME.replace("[[0.9, 15], [0.75, 10], [0.6, 6]]", "[[0.6, 6], [0.9, 15], [0.75, 10]]")
    with app.test_request_context():
        bands = parse_yaml(text.encode())["items"][4]["rule"]["bands"]
    assert bands == [[0.9, 15], [0.75, 10], [0.6, 6]]


def test_a_refusal_speaks_the_users_language(app, tmp_path):
    bad = SCHEME.replace("kind: bonus", "kind: extra").encode()
    for language, words in (("zh", "未知的计分规则"), ("en", "unknown rule kind")):
        with app.test_request_context(headers={"Accept-Language": language}):
            with pytest.raises(SchemeError) as refused:
                parse_yaml(bad)
        assert refused.value.problems == [refused.value.problems[0]]
        assert "E1" in refused.value.problems[0] and words in refused.value.problems[0]
