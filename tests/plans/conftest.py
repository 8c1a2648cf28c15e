"""A county whose plan progress was worked out by hand (see test_contract.py).

城关镇 (330101): households H1, H2, H3 registered in January; H4 registered only on 15 June
(after M3 is due: not one of the units its share is taken over) and H5 retired (its
group-study session must not count); a building group B1. 青山镇 (330102): an enterprise group E1 and a building group B2, and no
household at all (M3 is not applicable there).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lawlearn.extensions import db
from lawlearn.models import SessionTopic, StudySession, StudyUnit
from tests.snapshots import built_once

HERE = Path(__file__).parent
PLAN_FILE = HERE / "cc2026.yaml"


@built_once
def plan_county(app, county, make_unit):
    # An app context, not `ctx`'s request context: the command line's messages then follow
    # the shell's language (LC_ALL in the tests' env), as they do outside the tests.
    with app.app_context():
        return _build(county, make_unit)


def _build(county, make_unit):
    cg, qs = county["城关镇"], county["青山镇"]
    jan5 = date(2026, 1, 5)
    made = {
        "H1": make_unit(cg["village"], registered_on=jan5),
        "H2": make_unit(cg["village"], registered_on=jan5),
        "H3": make_unit(cg["village"], registered_on=jan5),
        "H4": make_unit(cg["village"], registered_on=date(2026, 6, 15)),
        "H5": make_unit(cg["village"], registered_on=jan5),
        "B1": make_unit(cg["community"], registered_on=jan5),
        "E1": make_unit(qs["enterprise"], registered_on=jan5),
        "B2": make_unit(qs["community"], registered_on=jan5),
    }
    u = {k: db.session.get(StudyUnit, v.id) for k, v in made.items()}
    u["H5"].status = "retired"
    sessions = [
        # (code, unit, day, format, topics)
        ("S01", "H1", date(2026, 2, 20), "group_study", ["civil-code"]),   # before the stage
        ("S02", "H1", date(2026, 3, 10), "group_study", ["civil-code"]),
        ("S03", "B1", date(2026, 3, 20), "lecture", ["civil-code", "constitution"]),
        ("S04", "H2", date(2026, 4, 15), "group_study", ["anti-fraud"]),
        ("S05", "H1", date(2026, 5, 1), "lecture", ["civil-code"]),        # after M1's due
        ("S06", "B1", date(2026, 7, 5), "touring_talk", []),               # after M2's due
        ("S07", "H3", date(2026, 7, 20), "lecture", []),
        ("S08", "E1", date(2026, 3, 5), "lecture", ["civil-code"]),
        ("S09", "E1", date(2026, 4, 30), "case_based", ["civil-code"]),    # on M1's due day
        ("S10", "B2", date(2026, 6, 18), "touring_talk", []),
        ("S11", "B2", date(2026, 6, 25), "exhibition", ["civil-code"]),
        ("S13", "H5", date(2026, 4, 20), "group_study", []),               # H5 retired
        ("S14", "H3", date(2026, 5, 20), "lecture", ["civil-code"]),       # not group study
    ]
    for code, unit, day, fmt, topics in sessions:
        session = StudySession(code=code, unit=u[unit], held_on=day, format=fmt)
        session.topic_rows = [SessionTopic(topic=t) for t in topics]
        db.session.add(session)
    db.session.commit()
    return county
