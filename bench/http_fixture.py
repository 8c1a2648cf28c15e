"""The fixture of bench/http_load.py, run as a script with the served code's lawlearn first on
the path: a study session today in the demo county and open attempts at its quiz. Prints one
JSON line: {"token": the session's check-in token, "attempts": [{"token", "answers"}]}."""

from __future__ import annotations

import json
import sys


def _prepare_in_app(attempts: int) -> dict:
    import sqlalchemy as sa

    from lawlearn import clock, create_app
    from lawlearn.extensions import db
    from lawlearn.models import Person, Quiz, StudyUnit
    from lawlearn.quiz.operations import start_attempt
    from lawlearn.sessions.operations import log_session

    app = create_app()
    with app.test_request_context():
        unit = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.status == "active")
                                 .order_by(StudyUnit.code).limit(1))
        study = log_session(unit, held_on=clock.today(), topics=["civil-code"],
                            format="lecture", lecturer="张老师", duration_minutes=90)
        db.session.commit()
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "civil-code"))
        opened = []
        for i in range(attempts):
            person = Person(name=f"答题{i}", home_unit_id=unit.id)
            db.session.add(person)
            attempt = start_attempt(quiz, person, session=study)
            answers = {}
            for item in attempt.items:
                if item.kind == "true_false":
                    answers[f"q{item.position}"] = "T"
                elif item.kind == "multiple":
                    answers[f"q{item.position}"] = ["A", "B"]
                else:
                    answers[f"q{item.position}"] = "A"
            opened.append({"token": attempt.token, "answers": answers})
            if i % 100 == 99:
                db.session.commit()
        db.session.commit()
        token = study.checkin_token
        db.engine.dispose()
    return {"token": token, "attempts": opened}


if __name__ == "__main__":
    print(json.dumps(_prepare_in_app(int(sys.argv[1]))))
