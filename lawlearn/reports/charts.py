"""Charts as inline SVG, drawn on the server.

No JavaScript: a chart is markup that prints like text and works on the oldest phone. Every
chart has role="img", an aria-label and a <title>; each bar or point carries its own <title>
with the exact figure, and the page shows the same numbers in a table. Colours come from
app.css classes, so print styles and the page's palette apply. Sizes are in viewBox units and
the SVG scales with its box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import count

from markupsafe import Markup, escape

# Narrow on purpose: on a 360 px phone the chart shrinks to ~0.8 of these units, so 13-unit
# text stays readable; on a wide screen the box caps its width (app.css).
WIDTH = 380
LABEL_W = 112          # the narrowest label area: eight CJK characters
LABEL_MAX_W = 150      # the widest: "Anti-Telecom Fraud" on two lines; longer names are cut
LABEL_FONT = 13        # .chart text in app.css
VALUE_W = 88           # room for "123/456 · 100%" after a bar
ROW_H = 26
ROW_H_TWO_LINES = 36   # a row whose label wraps
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None      # 0..1 of the bar's full length; None: nothing to draw
    value_text: str          # printed after the bar
    detail: str              # the bar's tooltip and accessible text


def _attrs(attrs: dict) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"'
                   for k, v in attrs.items() if v is not None)


def _el(tag: str, text: str | None = None, **attrs) -> str:
    if text is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{escape(text)}</{tag}>"


def _svg(title: str, width: int, height: int, body: list[str], css: str) -> Markup:
    title_id = f"chart-{next(_ids)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img"'
            f' viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet"'
            f' aria-labelledby="{title_id}"{_attrs({"aria_label": title})}>')
    return Markup(head + _el("title", title, id=title_id) + "".join(body) + "</svg>")


def _char_em(char: str) -> float:
    """A generous width estimate in em, so the label never runs into the bars: the server
    cannot measure text, and CJK characters are a full em where Latin letters are about half."""
    if ord(char) >= 0x2E80:
        return 1.0
    if char in " .,:;'’·-()":
        return 0.32
    if char.isupper() or char in "mwMW":
        return 0.72
    return 0.56


def text_width(text: str) -> float:
    return sum(_char_em(c) for c in text) * LABEL_FONT


def _cut(text: str, width: float) -> str:
    """`text` ending in "…" so that it fits `width`."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def label_lines(label: str, width: float = LABEL_MAX_W - 8) -> list[str]:
    """The label on one line, or two if it is wider than `width`: Latin names break between
    words (so "Anti-Drug Law" is never cut to "Anti-Dr…"), CJK names between characters; what
    does not fit two lines ends in "…" (the tooltip and the table keep the whole name)."""
    if text_width(label) <= width:
        return [label]
    words = label.split(" ")
    if len(words) > 1:  # the most even split: "Road Traffic / Safety Law"
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        first, second = min(splits, key=lambda pair: max(map(text_width, pair)))
        return [_cut(first, width), _cut(second, width)]
    first = _cut(label, width)[:-1]
    return [first, _cut(label[len(first):], width)]


def bar_chart(title: str, bars: list[Bar], *, ticks: list[tuple[float, str]],
              reference: tuple[float, str] | None = None, css: str = "") -> Markup:
    """Horizontal bars, one row each: a label, a track (the whole), the bar (the share), the
    value. `reference` draws a dashed line (a pass mark) across every row."""
    lines = [label_lines(bar.label) for bar in bars]
    label_w = max([LABEL_W] + [min(LABEL_MAX_W, text_width(line) + 10)
                               for ls in lines for line in ls])
    row_h = ROW_H_TWO_LINES if any(len(ls) > 1 for ls in lines) else ROW_H
    track_w = WIDTH - label_w - VALUE_W
    top = 20 if reference else 6  # a line above the rows for the reference's label
    height = top + len(bars) * row_h + 22
    body = []
    for share, text in ticks:
        x = label_w + share * track_w
        body.append(_el("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=top, y2=height - 18,
                        class_="grid"))
        body.append(_el("text", text, x=f"{x:.1f}", y=height - 4, class_="tick",
                        text_anchor="middle"))
    for i, (bar, label) in enumerate(zip(bars, lines, strict=True)):
        y = top + i * row_h
        bar_y, bar_h = y + (row_h - 18) / 2, 18
        parts = [_el("title", bar.detail), _label(label, label_w - 8, y + row_h / 2),
                 _el("rect", x=label_w, y=bar_y, width=track_w, height=bar_h,
                     class_="track")]
        if bar.share:
            parts.append(_el("rect", x=label_w, y=bar_y,
                             width=f"{min(bar.share, 1.0) * track_w:.1f}",
                             height=bar_h, class_="bar"))
        parts.append(_el("text", bar.value_text, x=label_w + track_w + 6,
                         y=y + row_h / 2 + 4.5, class_="value"))
        body.append("<g>" + "".join(parts) + "</g>")
    if reference is not None:
        x = label_w + reference[0] * track_w
        body.append(_el("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=top, y2=height - 18,
                        class_="reference"))
        body.append(_el("text", reference[1], x=f"{x:.1f}", y=top - 6,
                        class_="reference-label", text_anchor="middle"))
    return _svg(title, WIDTH, height, body, f"bar-chart {css}".strip())


def _label(lines: list[str], x: float, middle: float) -> str:
    """A right-aligned label of one or two lines, centred on its row."""
    if len(lines) == 1:
        return _el("text", lines[0], x=x, y=f"{middle + 4.5:g}", class_="label",
                   text_anchor="end")
    spans = "".join(f'<tspan x="{x:g}" y="{middle + dy:g}">{escape(line)}</tspan>'
                    for line, dy in zip(lines, (-2.5, 11.5), strict=True))
    return f'<text class="label" text-anchor="end">{spans}</text>'


def percent(share: float | None, digits: int = 0) -> str:
    return "—" if share is None else f"{share * 100:.{digits}f}%"


PERCENT_TICKS = [(0.0, "0"), (0.25, "25%"), (0.5, "50%"), (0.75, "75%"), (1.0, "100%")]


def coverage_chart(title: str, rows: list[dict], detail) -> Markup:
    """Active units as a share of registered units, per child area. `detail(row, rate)` words
    the tooltip in the user's language."""
    bars = []
    for row in rows:
        registered, active = row["units"]["total"], row["active_units"]
        rate = active / registered if registered else None
        bars.append(Bar(row["name"], rate, f"{active}/{registered} · {percent(rate)}",
                        detail(row, rate)))
    return bar_chart(title, bars, ticks=PERCENT_TICKS, css="coverage")


def score_chart(title: str, scores: list[dict], pass_mark: int, label, detail,
                pass_text: str) -> Markup:
    """Mean quiz score (0–100) per law topic, with the pass mark as a dashed line."""
    bars = [Bar(label(s["topic"]), s["mean_score"] / 100,
                f"{s['mean_score']:.1f} · n={s['attempts']}", detail(s)) for s in scores]
    ticks = [(v / 100, str(v)) for v in (0, 20, 40, 60, 80, 100)]
    return bar_chart(title, bars, ticks=ticks, reference=(pass_mark / 100, pass_text),
                     css="scores")


def nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above `value`: round axis ends."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover  (the loop always returns)


def month_label(month: date, spans_years: bool) -> str:
    return f"{month.year % 100:02d}-{month.month:02d}" if spans_years else str(month.month)


def month_chart(title: str, months: list[date], panels: list[tuple[str, str, list[int]]]
                ) -> Markup:
    """Stacked line panels over the same months, each on its own scale: sessions and
    person-times differ by two orders of magnitude, so one axis would flatten the first.
    `panels`: (css class, panel title, values)."""
    left, right, panel_h, gap = 40, 12, 100, 34
    plot_w = WIDTH - left - right
    height = gap + len(panels) * (panel_h + gap)
    n = len(months)
    step = plot_w / (n - 1) if n > 1 else 0
    xs = [left + (i * step if n > 1 else plot_w / 2) for i in range(n)]
    every = max(1, math.ceil(n / 12))
    spans_years = n > 0 and months[0].year != months[-1].year
    body = []
    for p, (css, panel_title, values) in enumerate(panels):
        top = gap + p * (panel_h + gap)
        body += _panel(css, panel_title, values, xs, top, panel_h, left, plot_w, months)
    base = gap + len(panels) * (panel_h + gap) - gap + 16
    for i, month in enumerate(months):
        if i % every == 0:
            body.append(_el("text", month_label(month, spans_years), x=f"{xs[i]:.1f}",
                            y=base, class_="tick", text_anchor="middle"))
    return _svg(title, WIDTH, height + 4, body, "month-chart")


def _panel(css: str, title: str, values: list[int], xs: list[float], top: float,
           height: float, left: float, plot_w: float, months: list[date]) -> list[str]:
    top_value = nice_max(max(values, default=0))
    ys = [top + height - (v / top_value) * height for v in values]
    out = [_el("text", title, x=left, y=top - 8, class_="panel-title")]
    for fraction in (0, 0.5, 1):
        y = top + height - fraction * height
        out.append(_el("line", x1=left, x2=left + plot_w, y1=f"{y:.1f}", y2=f"{y:.1f}",
                       class_="grid"))
        tick = top_value * fraction
        if tick == int(tick):  # counts: "2.5 sessions" on an axis reads as nonsense
            out.append(_el("text", f"{tick:,.0f}", x=left - 6, y=f"{y + 4:.1f}",
                           class_="tick", text_anchor="end"))
    if len(values) > 1:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
        out.append(_el("polyline", points=points, class_=f"line {css}"))
    for x, y, value, month in zip(xs, ys, values, months, strict=True):
        out.append("<g>" + _el("title", f"{month:%Y-%m} · {title}: {value:,}")
                   + _el("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=3.5, class_=f"point {css}")
                   + "</g>")
    return out
