"""A small county whose coverage figures were worked out by hand (see test_contract.py)."""

from __future__ import annotations

from datetime import date

from lawlearn.extensions import db
from lawlearn.models import Attempt, Attendance, Person, Quiz, StudySession, StudyUnit
from lawlearn.models.people import hash_mobile, mask_mobile
from tests.snapshots import built_once


def person(name: str, mobile: str | None = None) -> Person:
    p = Person(name=name)
    if mobile:
        p.phone_hash, p.phone_masked = hash_mobile(mobile), mask_mobile(mobile)
    return p


@built_once
def small_county(ctx, county, make_unit):
    cg, qs = county["城关镇"], county["青山镇"]
    jan5 = date(2026, 1, 5)
    units = {
        "H1": make_unit(cg["village"], reach=10, registered_on=jan5),
        "B1": make_unit(cg["community"], reach=30, registered_on=jan5),
        "E1": make_unit(qs["enterprise"], reach=25, registered_on=jan5),
        "H2": make_unit(qs["village"], reach=8, registered_on=date(2026, 7, 1)),
        "H3": make_unit(cg["village"], reach=99, registered_on=jan5),
    }
    u = {k: db.session.get(StudyUnit, v.id) for k, v in units.items()}
    u["H3"].status = "retired"
    a, b, c, d = (person("甲", "13900000001"), person("乙", "13900000002"), person("丙"),
                  person("丁", "13900000004"))
    quiz = Quiz(slug="civil-code", title="民法典", topic="civil-code")

    def session(code, unit, day, marks):
        s = StudySession(code=code, unit=unit, held_on=day, format="lecture")
        for who, status in marks:
            s.attendance.append(Attendance(person=who, status=status, method="roster"))
        return s

    s1 = session("S1", u["H1"], date(2026, 3, 10),
                 [(a, "present"), (b, "late"), (c, "excused"), (d, "absent")])
    s2 = session("S2", u["E1"], date(2026, 6, 30), [(a, "present"), (c, "present")])
    s3 = session("S3", u["B1"], date(2025, 12, 31), [(b, "present")])
    s4 = session("S4", u["H2"], date(2026, 7, 1), [(d, "present")])
    s5 = session("S5", u["B1"], date(2026, 5, 5), [(d, "absent")])
    db.session.add_all([quiz, s1, s2, s3, s4, s5])
    db.session.flush()
    db.session.add_all([
        Attempt(quiz=quiz, person=a, session=s1, unit_id=u["H1"].id, taken_on=date(2026, 3, 10),
                score=80, passed=True, method="paper"),
        Attempt(quiz=quiz, person=c, unit_id=u["E1"].id, taken_on=date(2026, 6, 30), score=50,
                passed=False, method="paper"),
        Attempt(quiz=quiz, person=b, unit_id=u["H1"].id, taken_on=date(2026, 7, 2), score=100,
                passed=True, method="paper"),
    ])
    db.session.commit()
    return county
