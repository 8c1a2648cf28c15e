"""The server-drawn SVG charts: well-formed, accessible, scaled, and safe with any area name."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from lawlearn.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def row(name: str, active: int, total: int) -> dict:
    return {"name": name, "active_units": active, "units": {"total": total}}


def test_a_bar_chart_is_well_formed_accessible_svg_that_scales():
    svg = parse(charts.coverage_chart("Active units", [row("城关镇", 3, 4)],
                                      lambda r, rate: f"{r['name']} {charts.percent(rate)}"))
    assert svg.get("role") == "img" and svg.get("aria-label") == "Active units"
    assert svg.get("viewBox").startswith("0 0 ") and svg.get("width") is None
    assert svg.find(f"{SVG}title").text == "Active units"
    assert svg.get("aria-labelledby") == svg.find(f"{SVG}title").get("id")
    group = svg.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text == "城关镇 75%"
    track, bar = [r for r in group.iter(f"{SVG}rect")]
    assert float(bar.get("width")) == pytest.approx(0.75 * float(track.get("width")), abs=0.1)


def test_an_area_without_units_gets_no_bar_and_a_dash():
    svg = parse(charts.coverage_chart("t", [row("空村", 0, 0)], lambda r, rate: "x"))
    assert len(list(svg.iter(f"{SVG}rect"))) == 1  # the track only
    assert any(t.text == "0/0 · —" for t in svg.iter(f"{SVG}text"))


def label_text(svg) -> list[str]:
    """Each bar's label, its lines joined with "|"."""
    return ["|".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]


def test_names_are_escaped_and_long_ones_wrapped_then_shortened_on_the_axis():
    name = '<script>"&钱塘江畔某某街道某某社区'
    svg = parse(charts.coverage_chart("t", [row(name, 1, 2)], lambda r, rate: r["name"]))
    assert svg.find(f"{SVG}g/{SVG}title").text == name  # the tooltip keeps the whole name
    assert label_text(svg)[0].replace("|", "") == name  # on two lines, whole
    longer = "钱塘江畔某某街道某某社区" * 3
    svg = parse(charts.coverage_chart("t", [row(longer, 1, 2)], lambda r, rate: "x"))
    first, second = label_text(svg)[0].split("|")
    assert longer.startswith(first) and second.endswith("…")
    assert "<script>" not in str(charts.coverage_chart("t", [row(name, 1, 2)],
                                                       lambda r, rate: "x"))


def test_english_law_names_wrap_between_words_instead_of_being_cut():
    """"Anti-Dr…" was all an English reader saw of the Anti-Drug Law."""
    names = ["Anti-Drug Law", "Anti-Telecom Network Fraud Law", "Civil Code"]
    scores = [{"topic": n, "mean_score": 70.0, "attempts": 5} for n in names]
    svg = parse(charts.score_chart("Scores", scores, 60, lambda t: t, lambda s: "x", "pass"))
    labels = label_text(svg)
    assert labels[0] == "Anti-Drug Law" and labels[2] == "Civil Code"
    assert labels[1] == "Anti-Telecom|Network Fraud Law"  # the most even split
    # The label area widened, so the bars start to the right of the longest line.
    track = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "track")
    assert float(track.get("x")) >= charts.text_width("Network Fraud Law") + 8


def test_the_height_grows_with_the_rows_so_forty_towns_stay_readable():
    def height(n):
        svg = parse(charts.coverage_chart("t", [row(f"镇{i}", 1, 2) for i in range(n)],
                                          lambda r, rate: "x"))
        return float(svg.get("viewBox").split()[3])

    assert height(40) - height(5) == pytest.approx(35 * charts.ROW_H)


def test_the_month_chart_draws_one_point_per_month_per_panel():
    months = [date(2026, m, 1) for m in range(1, 7)]
    svg = parse(charts.month_chart("Months", months, [
        ("sessions", "Sessions", [0, 1, 0, 0, 1, 1]),
        ("attendances", "Attendances", [0, 2, 0, 0, 0, 2])]))
    assert len(list(svg.iter(f"{SVG}circle"))) == 12
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2
    tips = [t.text for t in svg.iter(f"{SVG}title")]
    assert "2026-02 · Attendances: 2" in tips
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert labels[-6:] == ["1", "2", "3", "4", "5", "6"]


def test_months_across_two_years_are_labelled_with_the_year():
    months = [date(2025, 12, 1), date(2026, 1, 1)]
    svg = parse(charts.month_chart("m", months, [("sessions", "S", [1, 2])]))
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert labels[-2:] == ["25-12", "26-01"]


def test_the_score_chart_marks_the_pass_mark():
    svg = parse(charts.score_chart("Scores", [{"topic": "civil-code", "attempts": 2,
                                               "mean_score": 65.0, "pass_rate": 0.5}],
                                   60, lambda t: "民法典", lambda s: "tip", "pass 60"))
    reference = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "reference"]
    assert len(reference) == 1
    assert any(t.text == "民法典" for t in svg.iter(f"{SVG}text"))
    assert any(t.text == "65.0 · n=2" for t in svg.iter(f"{SVG}text"))


@pytest.mark.parametrize("value, expected", [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20),
                                             (230, 250), (1001, 2000)])
def test_axis_ends_are_round_numbers(value, expected):
    assert charts.nice_max(value) == expected
