"""Each rule kind's arithmetic, item by item, without a database: the edges a county's office
would argue about (exact thresholds, caps, floors, nothing to divide, half-up cents)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lawlearn.assessment.scoring import TownScore, grade_of, item_score, rank

GRADES = [{"name": "优秀", "min": 90}, {"name": "良好", "min": 80}, {"name": "合格", "min": 60},
          {"name": "不合格", "min": 0}]


def row(total=4, active=3, **figures):
    return {"code": "T", "name": "T", "level": "town",
            "units": {"household": total, "enterprise_group": 0, "building": 0, "total": total},
            "active_units": active, "sessions": 0, "attendances": 0, "participants": 0,
            "quiz_attempts": 0, "quiz_participants": 0, "mean_score": None, "pass_rate": None,
            **figures}


def score(rule, points=20, r=None, targets=None, entry=None):
    item = {"code": "X", "name": "X", "points": points, "rule": rule}
    return item_score(item, r or row(), targets or {}, entry).score


@pytest.mark.parametrize("units, target, expected", [
    (3, 4, "15.00"), (4, 4, "20.00"), (9, 4, "20.00"), (0, 4, "0.00"), (2, 3, "13.33"),
    (3, None, "0.00"), (0, 0, "20.00")])
def test_target_is_the_share_of_the_towns_target_capped_at_full_marks(units, target, expected):
    targets = {} if target is None else {"household": target}
    assert score({"kind": "target", "unit_kind": "household"}, r=row(total=units),
                 targets=targets) == Decimal(expected)


def test_active_rate_reaches_full_marks_at_full_at():
    rule = {"kind": "rate", "metric": "active_rate", "full_at": 0.8}
    assert score(rule, r=row(total=4, active=3)) == Decimal("18.75")
    assert score(rule, r=row(total=5, active=4)) == Decimal("20.00")
    assert score(rule, r=row(total=0, active=0)) == Decimal("0.00")


def test_a_null_pass_rate_scores_zero():
    rule = {"kind": "rate", "metric": "pass_rate", "full_at": 0.9}
    assert score(rule, r=row(pass_rate=None)) == 0
    assert score(rule, r=row(pass_rate=0.45)) == Decimal("10.00")


def test_per_unit_divides_by_registered_units_and_is_zero_without_units():
    rule = {"kind": "per_unit", "metric": "sessions", "full_at": 1.5}
    assert score(rule, r=row(total=4, sessions=4)) == Decimal("13.33")
    assert score(rule, r=row(total=4, sessions=60)) == Decimal("20.00")
    assert score(rule, r=row(total=0, sessions=3)) == 0


@pytest.mark.parametrize("rate, expected", [(0.95, 15), (0.9, 15), (0.8999, 10), (0.75, 10),
                                            (0.6, 6), (0.5999, 0), (None, 0)])
def test_bands_give_the_first_band_reached(rate, expected):
    rule = {"kind": "bands", "metric": "pass_rate", "bands": [[0.9, 15], [0.75, 10], [0.6, 6]]}
    assert score(rule, points=15, r=row(pass_rate=rate)) == expected


def test_bands_can_read_a_figure_per_unit():
    rule = {"kind": "bands", "metric": "attendances", "bands": [[10, 10], [5, 6]]}
    assert score(rule, points=10, r=row(total=4, attendances=24)) == 6


def test_deductions_stop_at_zero():
    rule = {"kind": "deduction", "per": 2}
    assert score(rule, points=10, entry=None) == 10
    assert score(rule, points=10, entry=Decimal(3)) == 4
    assert score(rule, points=10, entry=Decimal(6)) == 0


def test_bonus_and_manual_are_capped_at_their_points():
    assert score({"kind": "bonus"}, points=5, entry=Decimal(7)) == 5
    assert score({"kind": "manual"}, points=10, entry=Decimal("8.5")) == Decimal("8.50")
    assert score({"kind": "manual"}, points=10, entry=None) == 0


@pytest.mark.parametrize("entry, expected", [("2.345", "2.35"), ("2.355", "2.36"),
                                             ("0.125", "0.13"), ("2.3449", "2.34")])
def test_cents_are_rounded_half_up(entry, expected):
    assert score({"kind": "manual"}, points=10, entry=Decimal(entry)) == Decimal(expected)


def test_an_exact_half_cent_from_division_rounds_up():
    # 10 × (13 / 16) = 8.125 exactly: 8.13 half-up (8.12 half-even, and 8.12 through floats).
    rule = {"kind": "rate", "metric": "active_rate", "full_at": 1}
    assert score(rule, points=10, r=row(total=16, active=13)) == Decimal("8.13")


def town(code, total, vetoed=False):
    return TownScore(code, code, {}, Decimal(total), vetoed)


def test_equal_totals_share_a_rank_and_vetoed_towns_come_last():
    towns = rank([town("D", "70"), town("A", "90"), town("V", "99", True), town("C", "80"),
                  town("B", "80"), town("W", "50", True)], GRADES)
    assert [(t.code, t.rank, t.grade) for t in towns] == [
        ("A", 1, "优秀"), ("B", 2, "良好"), ("C", 2, "良好"), ("D", 4, "合格"),
        ("V", 5, "不合格"), ("W", 6, "不合格")]


def test_the_grade_is_the_first_whose_minimum_the_total_reaches():
    assert grade_of(GRADES, Decimal("89.99"), False) == "良好"
    assert grade_of(GRADES, Decimal("90"), False) == "优秀"
    assert grade_of([{"name": "合格", "min": 60}], Decimal("10"), False) is None
