"""What one participant's write costs, in a small county and in a big one, side by side.

    python -m bench.write_path [--county-file PATH] [--rounds N] [--per-round N]

Two databases in one process: the demo county (`lawlearn demo-data`, about 30,000 attendance
rows) and a county seeded by bench/seed.py (20 towns, 400 villages, communities and
enterprises, 4,000 units, 200,000 sessions, 5,000,000 attendance rows; `--county-file` keeps it
between runs, as `bench.coverage --sqlite-file` does: seeding takes 15-30 minutes on a small
machine). In each, one study session is held in the month the seeded data ends, in the first
village, and participants go through the Flask test client as from their phones:

- a QR check-in POST (a new participant: person, roster, attendance, audit, summaries);
- a quiz start POST from that session's link (attempt and its ten items, summaries);
- a quiz submit POST (grading, the attempt's score and pass, summaries).

Rounds alternate between the two databases so both see the same load on a shared machine.
Printed per write and scale: SQL statements per request (all, and those of the summaries'
refresh at commit) and the median milliseconds (wall clock and this process's CPU time, which
on SQLite holds all the work), then the county/demo ratios. The claim under test: a write's
statements do not depend on the county's size, and its time stays within about 10 %.
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import sqlalchemy as sa

WRITES = ("check-in", "quiz start", "quiz submit")
# The seeded county's data ends on 2026-11-27: the writes land in a month every village has
# rows in, so any read of sibling rows would show.
FROZEN_NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
QUESTIONS = 20


def make_app(url: str):
    from lawlearn import create_app

    return create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})


def build_demo_db(app) -> None:
    from lawlearn.demo import build_demo
    from lawlearn.extensions import db

    with app.app_context():
        db.create_all()
        build_demo("demo")
        db.session.commit()


def build_county_db(app, scale: str = "county") -> None:
    from bench.coverage import analyze, build, seeded_counties
    from lawlearn.extensions import db

    with app.app_context():
        if seeded_counties(db) == 1:
            print(f"reusing the seeded county at {db.engine.url!r}", flush=True)
            missing = set(db.metadata.tables) - set(sa.inspect(db.engine).get_table_names())
            if missing:  # seeded by an older version: its new summaries from scratch
                from lawlearn.ledger import rebuild

                print(f"adding {', '.join(sorted(missing))} and rebuilding the summaries",
                      flush=True)
                db.create_all()
                rebuild(db.session)
                db.session.commit()
            return
        print(f"seeding the {scale} scale: this takes a while", flush=True)
        build(db, scale, 1, 2026)
        analyze(db)


def prepare(app) -> dict:
    """A quiz of twenty questions and a study session today in the first village, for the
    participants to check in to and take the quiz from."""
    from lawlearn.extensions import db
    from lawlearn.models import Area, Question, Quiz, SessionTopic, StudySession, StudyUnit
    from lawlearn.sessions.operations import next_session_code

    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "bench-write"))
        if quiz is None:
            quiz = Quiz(slug="bench-write", title="写入基准", topic="civil-code", draw=10,
                        attempts_per_day=3, time_limit_minutes=15)
            quiz.questions = [
                Question(key=f"bench-write-{i:03d}", position=i,
                         kind=("single", "multiple", "true_false")[i % 3], stem=f"题{i}",
                         options=[] if i % 3 == 2 else ["甲", "乙", "丙", "丁"],
                         answer=(True if i % 3 == 2 else (["A", "C"] if i % 3 else "B")),
                         source="《中华人民共和国民法典》第一条")
                for i in range(1, QUESTIONS + 1)]
            db.session.add(quiz)
        village = db.session.scalar(sa.select(Area).where(Area.level == "village")
                                    .order_by(Area.id).limit(1))
        unit = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.area_id == village.id)
                                 .order_by(StudyUnit.id).limit(1))
        today = FROZEN_NOW.astimezone(_tz()).date()
        study = StudySession(unit=unit, held_on=today, format="group_study",
                             code=next_session_code(unit, today))
        study.topic_rows = [SessionTopic(topic="civil-code")]
        db.session.add(study)
        db.session.commit()
        return {"token": study.checkin_token, "slug": quiz.slug}


def _tz():
    from lawlearn.clock import TZ

    return TZ


class Meter:
    """Statements per request, and which of them ran in the summaries' refresh at commit."""

    def __init__(self):
        self.statements = 0
        self.ledger_statements = 0
        self.in_ledger = False

    def on_statement(self, *_args) -> None:
        self.statements += 1
        self.ledger_statements += self.in_ledger

    @contextmanager
    def ledger(self) -> Iterator[None]:
        self.in_ledger = True
        try:
            yield
        finally:
            self.in_ledger = False


@contextmanager
def metered(app, meter: Meter) -> Iterator[None]:
    import lawlearn.ledger as ledger
    from lawlearn.extensions import db

    apply = ledger.apply

    def counted_apply(*args, **kwargs):
        with meter.ledger():
            return apply(*args, **kwargs)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", meter.on_statement)
    try:
        with mock.patch.object(ledger, "apply", counted_apply):
            yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", meter.on_statement)


class Participant:
    """One phone: check in, start the quiz from the session's link, submit it."""

    def __init__(self, app, fixture: dict, number: int):
        self.client = app.test_client()
        self.fixture = fixture
        self.mobile = f"166{number:08d}"
        self.name = f"基准{number}"

    def check_in(self):
        response = self.client.post(f"/s/{self.fixture['token']}",
                                    data={"name": self.name, "mobile": self.mobile})
        assert response.status_code == 302, (response.status_code, response.get_data(as_text=True)[-3000:])
        return response

    def start(self):
        response = self.client.post(
            f"/q/{self.fixture['slug']}?s={self.fixture['token']}&other=1",
            data={"name": self.name, "mobile": self.mobile})
        assert response.status_code == 302, (response.status_code, response.get_data()[:300])
        self.attempt_url = response.headers["Location"]
        return response

    def read_quiz(self) -> None:
        """The attempt page, as the phone shows it (not measured): the first option of each
        question is the answer given."""
        page = self.client.get(self.attempt_url).get_data(as_text=True)
        self.answers = {}
        for name, value in re.findall(r'name="(q\d+)"[^>]*value="([^"]+)"', page):
            self.answers.setdefault(name, value)
        assert len(self.answers) == 10, page[-2000:]

    def submit(self):
        response = self.client.post(self.attempt_url, data=self.answers)
        assert response.status_code == 302, response.status_code
        return response


def run_round(app, fixture: dict, first: int, count: int, samples: dict) -> None:
    """`count` participants through the three writes; each write measured on its own."""
    meter = Meter()
    with metered(app, meter):
        for n in range(first, first + count):
            phone = Participant(app, fixture, n)
            for write, step in zip(WRITES, (phone.check_in, phone.start, phone.submit),
                                   strict=True):
                meter.statements = meter.ledger_statements = 0
                wall, cpu = time.perf_counter(), time.process_time()
                step()
                samples[write]["ms"].append((time.perf_counter() - wall) * 1000)
                samples[write]["cpu_ms"].append((time.process_time() - cpu) * 1000)
                samples[write]["statements"].append(meter.statements)
                samples[write]["ledger_statements"].append(meter.ledger_statements)
                if write == "quiz start":
                    phone.read_quiz()


def attendance_rows(app) -> int:
    from lawlearn.extensions import db

    with app.app_context():
        return db.session.scalar(sa.text("SELECT count(*) FROM attendance"))


def summarise(samples: dict) -> dict:
    out = {}
    for write, figures in samples.items():
        statements = sorted(set(figures["statements"]))
        out[write] = {"statements": statements,
                      "ledger_statements": sorted(set(figures["ledger_statements"])),
                      "ms": round(statistics.median(figures["ms"]), 2),
                      "cpu_ms": round(statistics.median(figures["cpu_ms"]), 2)}
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--county-file", type=Path,
                        help="the seeded county's SQLite file, kept and reused (default: a "
                        "temporary file, seeded each run)")
    parser.add_argument("--county-scale", choices=("county", "small"), default="county",
                        help="small: a quick check of the benchmark itself")
    # Small rounds, many of them: the two databases alternate every few participants, so a
    # burst of load from elsewhere on the machine falls on both.
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--per-round", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp, \
            mock.patch("lawlearn.clock._system_now", lambda: FROZEN_NOW):
        county_file = args.county_file or Path(tmp) / "county.sqlite"
        apps = {"demo": make_app(f"sqlite:///{Path(tmp) / 'demo.sqlite'}"),
                "county": make_app(f"sqlite:///{county_file}")}
        build_demo_db(apps["demo"])
        build_county_db(apps["county"], args.county_scale)
        fixtures = {scale: prepare(app) for scale, app in apps.items()}
        rows = {scale: attendance_rows(app) for scale, app in apps.items()}
        # New mobiles on a reused county file (three attempts a day each at most).
        base = int(time.time()) % 10_000 * 1000
        # A warm-up round each (imports, compiled statements, the page cache) not counted.
        for scale, app in apps.items():
            run_round(app, fixtures[scale], base, 3, defaultdict(lambda: defaultdict(list)))
        samples = {scale: defaultdict(lambda: defaultdict(list)) for scale in apps}
        for r in range(args.rounds):
            for scale, app in apps.items():
                run_round(app, fixtures[scale], base + 100 + r * args.per_round,
                          args.per_round, samples[scale])
        figures = {scale: summarise(samples[scale]) for scale in apps}
        for app in apps.values():
            with app.app_context():
                from lawlearn.extensions import db

                db.engine.dispose()

    print(f"attendance rows: demo {rows['demo']:,}, county {rows['county']:,}")
    print(f"{'write':<12} {'statements (summaries)':>24} {'demo ms':>9} {'county ms':>10} "
          f"{'ratio':>6} {'CPU ratio':>9}")
    line = {"attendance_rows": rows, "writes": {}}
    for write in WRITES:
        demo, county = figures["demo"][write], figures["county"][write]
        same = demo["statements"] == county["statements"]
        statements = "/".join(map(str, demo["statements"])) + (
            "" if same else " vs " + "/".join(map(str, county["statements"])))
        ledger = "/".join(map(str, demo["ledger_statements"]))
        ratio = county["ms"] / demo["ms"]
        cpu_ratio = county["cpu_ms"] / demo["cpu_ms"]
        print(f"{write:<12} {statements + ' (' + ledger + ')':>24} {demo['ms']:>9.2f} "
              f"{county['ms']:>10.2f} {ratio:>6.3f} {cpu_ratio:>9.3f}")
        line["writes"][write] = {"demo": demo, "county": county, "same_statements": same,
                                 "ratio": round(ratio, 3), "cpu_ratio": round(cpu_ratio, 3)}
    print(json.dumps(line, ensure_ascii=False))
    return line


if __name__ == "__main__":
    main()
