"""The fixture of bench/http_load.py, run as a script with the served code's lawlearn first on
the path: a study session today in the demo county and open attempts at its quiz. Prints one
JSON line: {"token": the session's check-in token, "attempts": [{"token", "answers"}]}."""

from __future__ import annotations

import json
import sys


def _prepare_in_app(attempts: int) -> dict:
    """Open attempts in bulk (Core inserts, one drawn set of questions for all): an attempt
    without a score counts in no summary, and thousands started one by one through the app
    took over ten minutes on a loaded PostgreSQL."""
    import random
    import secrets
    from datetime import timedelta

    import sqlalchemy as sa

    from lawlearn import clock, create_app
    from lawlearn.extensions import db
    from lawlearn.models import Attempt, AttemptItem, Person, Quiz, StudyUnit
    from lawlearn.quiz.operations import draw_items
    from lawlearn.sessions.operations import log_session

    app = create_app()
    with app.test_request_context():
        unit = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.status == "active")
                                 .order_by(StudyUnit.code).limit(1))
        study = log_session(unit, held_on=clock.today(), topics=["civil-code"],
                            format="lecture", lecturer="张老师", duration_minutes=90)
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "civil-code"))
        people = [Person(name=f"答题{i}", home_unit_id=unit.id) for i in range(attempts)]
        db.session.add_all(people)
        db.session.flush()
        items = draw_items(quiz, random.Random(15))
        now = clock.utcnow()
        tokens = [secrets.token_urlsafe(16) for _ in people]
        ids = db.session.scalars(
            sa.insert(Attempt.__table__).returning(Attempt.__table__.c.id,
                                                   sort_by_parameter_order=True),
            [{"token": token, "quiz_id": quiz.id, "person_id": person.id,
              "session_id": study.id, "unit_id": unit.id, "method": "online",
              "taken_on": clock.today(), "started_at": now,
              "deadline_at": now + timedelta(hours=3)}
             for token, person in zip(tokens, people, strict=True)]).all()
        db.session.execute(sa.insert(AttemptItem.__table__),
                           [{**item, "attempt_id": attempt_id}
                            for attempt_id in ids for item in items])
        answers = {}
        for item in items:
            answers[f"q{item['position']}"] = {"true_false": "T", "multiple": ["A", "B"]}.get(
                item["kind"], "A")
        db.session.commit()
        token = study.checkin_token
        db.engine.dispose()
    return {"token": token, "attempts": [{"token": t, "answers": answers} for t in tokens]}


if __name__ == "__main__":
    print(json.dumps(_prepare_in_app(int(sys.argv[1]))))
