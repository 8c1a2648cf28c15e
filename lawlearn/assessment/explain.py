"""Each item's arithmetic in words ("3 of 4 units active = 75 %, full marks at 80 % → 18.75 of
20"), so a town can check its score and see where points were lost. Called at render time, in
the reader's language."""

from __future__ import annotations

from decimal import Decimal

from lawlearn import codes
from lawlearn.assessment.scheme import BANDS, BONUS, DEDUCTION, MANUAL, PER_UNIT, RATE, TARGET
from lawlearn.assessment.scoring import ItemScore
from lawlearn.i18n import gettext as _
from lawlearn.i18n import ngettext

# Metrics that are a share (shown as a percentage), not a figure per unit.
SHARES = ("active_rate", "pass_rate", "budget_disbursed_rate")


def plain(value) -> str:
    """A figure without trailing zeros: 18.75, 20, 1.0675."""
    if value is None:
        return "–"
    value = Decimal(str(value))
    text = format(value.normalize(), "f")
    return text


def percent(share: Decimal | None) -> str:
    if share is None:
        return "–"
    return plain((Decimal(str(share)) * 100).quantize(Decimal("0.1"))) + " %"


def figure(share: Decimal | None) -> str:
    return "–" if share is None else plain(Decimal(str(share)).quantize(Decimal("0.01")))


def metric_label(metric: str) -> str:
    return {
        "active_rate": _("Active-unit rate"), "pass_rate": _("Quiz pass rate"),
        "budget_disbursed_rate": _("Budget execution rate"),
        "sessions": _("Sessions"), "attendances": _("Attendances"),
        "participants": _("Participants"), "quiz_attempts": _("Quiz attempts"),
        "quiz_participants": _("Quiz participants"),
        "late_returns": _("Monthly returns late or missing"),
    }.get(metric, metric)


def kind_label(kind: str) -> str:
    """A rule kind's name on the scheme editor."""
    return {
        "target": _("Target: units against the town's target"),
        "rate": _("Rate: a share, full marks at a level"),
        "per_unit": _("Per unit: a figure per registered unit"),
        "bands": _("Bands: points by level reached"),
        "deduction": _("Deduction: points off each time"),
        "bonus": _("Bonus: on top of 100"),
        "manual": _("Manual: scored by the county office"),
        "veto": _("Veto: the lowest grade, ranked last"),
    }.get(kind, kind)


def _reading(s: ItemScore) -> str:
    """The figure the rule read, in words."""
    f = s.facts
    if f["metric"] == "active_rate":
        if not f["units"]:
            return _("no registered units")
        return _("%(active)s of %(units)s units active = %(share)s", active=f["active_units"],
                 units=f["units"], share=percent(f["value"]))
    if f["metric"] == "budget_disbursed_rate":
        return _("budget execution rate (disbursed ÷ allocated) %(share)s",
                 share=percent(f["value"]))
    if f["metric"] == "pass_rate":
        if f["value"] is None:
            return _("no quiz attempts, so no pass rate")
        return _("pass rate %(share)s", share=percent(f["value"]))
    if not f["units"]:
        return _("no registered units")
    return _("%(figure)s %(metric)s for %(units)s units = %(per)s per unit",
             figure=f["figure"] or 0, metric=metric_label(f["metric"]), units=f["units"],
             per=figure(f["value"]))


def _full_at(s: ItemScore) -> str:
    f = s.facts
    if f["metric"] in SHARES:
        return percent(f["full_at"])
    return _("%(per)s per unit", per=plain(f["full_at"]))


def explain(s: ItemScore) -> str:
    out_of = _("%(score)s of %(points)s", score=plain(s.score), points=plain(s.points))
    f = s.facts
    if s.kind == TARGET:
        kind = codes.KINDS.label(f["unit_kind"])
        if f["target"] is None:
            return _("No target set for %(kind)s this year (未设定目标) → %(result)s",
                     kind=kind, result=out_of)
        return _("%(units)s %(kind)s of a target of %(target)s, full marks at the target → "
                 "%(result)s", units=f["units"], kind=kind, target=f["target"], result=out_of)
    if s.kind in (RATE, PER_UNIT):
        return _("%(reading)s, full marks at %(full)s → %(result)s", reading=_reading(s),
                 full=_full_at(s), result=out_of)
    if s.kind == BANDS:
        if f["band"] is None:
            return _("%(reading)s, below every band → %(result)s", reading=_reading(s),
                     result=out_of)
        threshold = percent(f["band"]) if f["metric"] in SHARES \
            else plain(f["band"])
        return _("%(reading)s, reaches the band at %(band)s → %(result)s", reading=_reading(s),
                 band=threshold, result=out_of)
    if s.kind == DEDUCTION:
        if f.get("metric"):
            return _counted_deduction(s, out_of)
        if not f["entry"]:
            return _("Nothing deducted → %(result)s", result=out_of)
        return _("%(per)s × %(count)s deducted, down to 0 at most → %(result)s",
                 per=plain(f["per"]), count=plain(f["entry"]), result=out_of)
    if s.kind == BONUS:
        return _("Bonus %(entry)s, at most %(points)s → %(score)s", entry=plain(f["entry"] or 0),
                 points=plain(s.points), score=plain(s.score))
    if s.kind == MANUAL:
        return _("Scored %(entry)s, at most %(points)s → %(score)s",
                 entry=plain(f["entry"] or 0), points=plain(s.points), score=plain(s.score))
    return _("Vetoed (一票否决)") if f.get("vetoed") else _("Not vetoed")


def _counted_deduction(s: ItemScore, out_of: str) -> str:
    """A deduction that counts late monthly returns, and any entries on top of them: "3
    returns late × 2 = 6 points deducted → 4 of 10"."""
    f = s.facts
    counted, entry = f["counted"] or Decimal(0), f["entry"] or Decimal(0)
    total = counted + entry
    if not total:
        return _("No return late, nothing deducted → %(result)s", result=out_of)
    lateness = ngettext("%(num)d return late", "%(num)d returns late", int(counted))
    if entry:
        lateness = _("%(late)s + %(entry)s by entry", late=lateness, entry=plain(entry))
    return _("%(count)s × %(per)s = %(off)s points deducted, down to 0 at most → %(result)s",
             count=lateness, per=plain(f["per"]), off=plain(total * f["per"]), result=out_of)


def lost(s: ItemScore) -> Decimal:
    """Points the town could still gain on this item (none for bonus and veto items)."""
    if s.points is None or s.kind == BONUS:
        return Decimal(0)
    return s.points - s.score


def rule_words(item: dict) -> str:
    """A rule as a scoring standard (评分标准) in words, for a scheme that writes none."""
    rule, points = item["rule"], plain(item.get("points"))
    kind = rule["kind"]
    if kind == TARGET:
        return _("%(kind)s registered against the town's target for the year; full marks at "
                 "the target, none without a target.", kind=codes.KINDS.label(rule["unit_kind"]))
    shares = SHARES
    if kind == RATE:
        return _("%(metric)s; full marks at %(full)s.", metric=metric_label(rule["metric"]),
                 full=percent(rule["full_at"]))
    if kind == PER_UNIT:
        return _("%(metric)s per registered unit; full marks at %(full)s.",
                 metric=metric_label(rule["metric"]), full=plain(rule["full_at"]))
    if kind == BANDS:
        steps = "; ".join(
            f"≥ {percent(t) if rule['metric'] in shares else plain(t)} → {plain(p)}"
            for t, p in rule["bands"])
        return f"{metric_label(rule['metric'])}: {steps}"
    if kind == DEDUCTION and rule.get("metric"):
        return _("%(per)s points off for each monthly return late or missing (and each time "
                 "recorded), down to 0.", per=plain(rule["per"]))
    if kind == DEDUCTION:
        return _("%(per)s points off each time, down to 0.", per=plain(rule["per"]))
    if kind == BONUS:
        return _("Bonus points on top of 100, at most %(points)s.", points=points)
    if kind == MANUAL:
        return _("Scored by the county office, at most %(points)s.", points=points)
    return _("A veto: the town gets the lowest grade and ranks after every other town.")
