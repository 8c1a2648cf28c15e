"""A county of five towns whose 2026 assessment was scored by hand (see test_contract.py).

城关镇 330101: households H1 H2 H3 (a village) and building B1 (a community); 4 sessions in
  2026 (H1 twice, H2, B1), 10 attendances, 4 quiz attempts of which 3 pass; H3 met only on
  31 Dec 2025, so it is not active in 2026. Targets for 2026: 4 households, 1 building.
青山镇 330102: household H4, 2 sessions, 3 attendances, no quiz; a target only for 2025.
东湖镇 330103, 西岭镇 330104, 南山镇 330105: no units (东湖镇 has a 2026 target of 2 households).
"""

from __future__ import annotations

from datetime import date

from lawlearn.extensions import db
from lawlearn.models import Attempt, Attendance, Quiz, StudySession, StudyUnit, Target
from tests.reports.conftest import person
from tests.snapshots import built_once

TOWNS = {"330101": "城关镇", "330102": "青山镇", "330103": "东湖镇", "330104": "西岭镇",
         "330105": "南山镇"}


@built_once
def assessed_county(ctx, make_area, make_unit):
    county = make_area("county", code="330100", name="示范县")
    towns = {code: make_area("town", parent=county, code=code, name=name)
             for code, name in TOWNS.items()}
    village = make_area("village", parent=towns["330101"], code="330101001", name="东风村")
    community = make_area("community", parent=towns["330101"], code="330101101",
                          name="幸福社区")
    qs_village = make_area("village", parent=towns["330102"], code="330102001", name="青山村")
    jan5 = date(2026, 1, 5)
    made = {
        "H1": make_unit(village, registered_on=jan5), "H2": make_unit(village, registered_on=jan5),
        "H3": make_unit(village, registered_on=date(2025, 6, 1)),
        "B1": make_unit(community, registered_on=jan5),
        "H4": make_unit(qs_village, registered_on=jan5),
    }
    u = {k: db.session.get(StudyUnit, v.id) for k, v in made.items()}
    people = [person(f"学员{i}", f"1390000{i:04d}") for i in range(1, 8)]

    def session(code, unit, day, present, late=(), absent=()):
        s = StudySession(code=code, unit=unit, held_on=day, format="group_study")
        for group, status in ((present, "present"), (late, "late"), (absent, "absent")):
            for who in group:
                s.attendance.append(Attendance(person=people[who], status=status,
                                               method="roster"))
        return s

    sessions = [
        session("S1", u["H1"], date(2026, 3, 1), [0, 1, 2]),
        session("S2", u["H1"], date(2026, 4, 1), [0, 1], late=[3]),
        session("S3", u["H2"], date(2026, 5, 1), [4, 5]),
        session("S4", u["B1"], date(2026, 6, 1), [5, 6], absent=[0]),
        session("S0", u["H3"], date(2025, 12, 31), [0, 1, 2, 3]),
        session("S5", u["H4"], date(2026, 3, 15), [0, 1]),
        session("S6", u["H4"], date(2026, 9, 15), [2]),
    ]
    quiz = Quiz(slug="civil-code", title="民法典", topic="civil-code")
    db.session.add_all([quiz, *sessions])
    db.session.flush()
    for who, score in ((0, 80), (1, 60), (2, 90), (3, 40)):
        db.session.add(Attempt(quiz=quiz, person=people[who], session=sessions[0],
                               unit_id=u["H1"].id, taken_on=date(2026, 3, 1), score=score,
                               passed=score >= 60, method="paper"))
    ids = {code: town.id for code, town in towns.items()}
    db.session.add_all([
        Target(area_id=ids["330101"], year=2026, kind="household", target=4),
        Target(area_id=ids["330101"], year=2026, kind="building", target=1),
        Target(area_id=ids["330102"], year=2025, kind="household", target=1),
        Target(area_id=ids["330103"], year=2026, kind="household", target=2),
    ])
    db.session.commit()
    return {"county": county, "towns": towns}
