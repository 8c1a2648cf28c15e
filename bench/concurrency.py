"""Meetings at once: gunicorn with 4 workers, phones checking people in and submitting
quizzes, leaders marking rosters, for four meetings in two towns on the same day.

    python -m bench.concurrency [--db URL] [--people 320] [--clients 8] [--quiz-share 0.5]
                                [--county demo|small]

Builds a database of its own (a SQLite file in a temporary folder; with --db, a schema of its
own in that PostgreSQL database, dropped afterwards), loads the demo county (`lawlearn init-db`
and `lawlearn demo-data`), logs four meetings today in two towns and gives each a leader
account. Then starts gunicorn (4 sync workers, 127.0.0.1 only) and drives --clients threads:
each phone opens the meeting's check-in page and checks in (one in ten taps twice), then
--quiz-share of them take the quiz through the meeting's link and submit it; each leader marks
the roster twice meanwhile. Every phone sends its own X-Forwarded-For address, as phones on a
village's mobile network have.

Afterwards, with the server stopped, it checks that every acknowledged write is stored and
that the live report equals a rebuild (lawlearn.ledger.check), and prints, last, one JSON line:
{"db", "workers", "clients", "writes", "seconds", "writes_per_s", "errors", "causes",
"retries", "stored", "report_equals_rebuild"}: errors by request and status, causes the
database errors behind the 500s in the server's log, retries the requests run again after a
deadlock, serialization failure or lock. Nothing is timed inside the server: writes per second are what the
clients saw, wall clock, so compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

WORKERS = 4
TOWNS = 2
MEETINGS_PER_TOWN = 2
LEADER_PASSWORD = "bench-leader-password-2026"
SECRET = "bench-concurrency-secret"
DEADLINE_S = 600  # the whole drive stops after this, whatever is left


# --- the database and the server --------------------------------------------------------------

@contextmanager
def database(url: str | None, folder: Path):
    """(DATABASE_URL for the app, dialect name). PostgreSQL: a fresh schema in that database."""
    if not url:
        yield f"sqlite:///{folder / 'bench.sqlite'}", "sqlite"
        return
    import sqlalchemy as sa

    schema = f"bench_concurrency_{os.getpid()}"
    admin_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(admin_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}", "postgresql"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


def environment(database_url: str, folder: Path) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
            "LAWLEARN_INSTANCE_PATH": str(folder / "instance"), "LAWLEARN_PROXY_COUNT": "1"}


def lawlearn(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "lawlearn", *args], env=env,
                   check=True, capture_output=True, text=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--timeout", "90", "--log-level", "warning",
         "lawlearn:create_app()"], env=env, stdout=subprocess.DEVNULL,
        stderr=open(Path(env["LAWLEARN_INSTANCE_PATH"]) / "gunicorn.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not start; see gunicorn.log in the instance folder")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


# --- the county's meetings ---------------------------------------------------------------------

def small_county() -> None:
    """Two towns of two villages with a household unit each: enough for the meetings, for a
    quick run (the tests' smoke run); the demo county gives the ledger a year of history."""
    from datetime import date

    from lawlearn.areas.operations import create_area
    from lawlearn.units.operations import register_unit

    county = create_area(code="999901", name="示范县", level="county", parent=None)
    for t in range(1, TOWNS + 1):
        town = create_area(code=f"99990{t}01", name=f"第{t}镇", level="town", parent=county)
        for v in range(1, MEETINGS_PER_TOWN + 1):
            village = create_area(code=f"99990{t}01{v:03d}", name=f"第{t}镇{v}村",
                                  level="village", parent=town)
            register_unit(kind="household", area=village, name=f"{village.name}中心户",
                          leader_name="王老师", leader_phone="13900000001", reach=10,
                          registered_on=date(2026, 1, 5))


def prepare(env: dict, people: int, county: str) -> dict:
    """Four meetings today (two towns, two units each), a leader for each; the quiz they link
    to. Returns what the clients need."""
    lawlearn(env, "init-db")
    if county == "demo":
        lawlearn(env, "demo-data")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY",
                                            "LAWLEARN_INSTANCE_PATH")})
    import sqlalchemy as sa

    from lawlearn import clock, create_app
    from lawlearn.auth.operations import create_user
    from lawlearn.extensions import db
    from lawlearn.models import Area, StudyUnit
    from lawlearn.sessions.operations import log_session

    app = create_app()
    meetings = []
    with app.test_request_context():
        if county == "small":
            small_county()
        towns = db.session.scalars(sa.select(Area).where(Area.level == "town")
                                   .order_by(Area.code).limit(TOWNS)).all()
        for town in towns:
            units = db.session.scalars(
                sa.select(StudyUnit).join(StudyUnit.area)
                .where(Area.path.startswith(town.path), StudyUnit.status == "active")
                .order_by(StudyUnit.code).limit(MEETINGS_PER_TOWN)).all()
            for unit in units:
                session = log_session(unit, held_on=clock.today(), topics=["civil-code"],
                                      format="lecture", lecturer="张老师", duration_minutes=90)
                leader = create_user(username=f"bench-{unit.code}", password=LEADER_PASSWORD,
                                     role="leader", units=[unit])
                meetings.append({"session_id": session.id, "token": session.checkin_token,
                                 "leader": leader.username, "town": town.name})
        db.session.commit()
        db.engine.dispose()
    per_meeting = people // len(meetings)
    phones = [{"meeting": m, "name": f"参会{i:04d}", "mobile": f"135{i:08d}",
               "address": f"10.{i // 250}.{i % 250}.{(i * 7) % 250 + 1}"}
              for i, m in enumerate(m for m in meetings for _ in range(per_meeting))]
    return {"app": app, "meetings": meetings, "phones": phones}


# --- clients -----------------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A phone or a leader's computer: its own cookies and address, redirects not followed."""

    def __init__(self, base: str, address: str):
        self.base, self.address = base, address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={
            "X-Forwarded-For": self.address, "Accept-Language": "en"})
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers.get(
                "Location") or ""

    def form(self, path: str) -> tuple[str, str]:
        status, page, _ = self.request(path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        return page, token.group(1) if token else ""


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked: list[tuple] = []
        self.errors: Counter = Counter()

    def record(self, what: tuple, status: int, expected: int = 302) -> bool:
        with self.lock:
            if status == expected:
                self.acked.append(what)
            else:
                self.errors[f"{what[0]} {status}"] += 1
        return status == expected


def phone_journey(base: str, phone: dict, take_quiz: bool, taps: int, tally: Tally) -> None:
    browser = Browser(base, phone["address"])
    token = phone["meeting"]["token"]
    for _ in range(taps):
        _page, csrf = browser.form(f"/s/{token}")
        status, _body, _ = browser.request(f"/s/{token}", {
            "csrf_token": csrf, "name": phone["name"], "mobile": phone["mobile"]})
        if not tally.record(("check_in", phone["meeting"]["session_id"], phone["mobile"]),
                            status):
            return
    if not take_quiz:
        return
    _page, csrf = browser.form(f"/q/civil-code?s={token}")
    status, _body, location = browser.request(f"/q/civil-code/continue?s={token}",
                                              {"csrf_token": csrf})
    if status != 302 or "/q/a/" not in location:
        tally.record(("quiz_start", phone["mobile"]), status)
        return
    path = urllib.parse.urlsplit(location).path
    _status, page, _ = browser.request(path)
    answers = {name: random.choice(values.split()) for name, values in
               _choices(page).items()}
    status, _body, _ = browser.request(path, answers)
    tally.record(("quiz", phone["mobile"]), status)


def _choices(page: str) -> dict[str, str]:
    """The radio and checkbox values of each question, "A B C" (one is picked at random)."""
    found: dict[str, list[str]] = {}
    for name, value in re.findall(r'name="(q\d+)" type="(?:radio|checkbox)" value="([^"]+)"',
                                  page) + re.findall(
            r'type="(?:radio|checkbox)" name="(q\d+)" value="([^"]+)"', page):
        found.setdefault(name, []).append(value)
    return {name: " ".join(values) for name, values in found.items()}


def leader_journey(base: str, meeting: dict, rounds: int, tally: Tally) -> None:
    browser = Browser(base, "192.168.1.1")
    _page, csrf = browser.form("/login")
    status, _body, _ = browser.request("/login", {"csrf_token": csrf,
                                                  "username": meeting["leader"],
                                                  "password": LEADER_PASSWORD})
    if not tally.record(("login", meeting["leader"]), status):
        return
    path = f"/sessions/{meeting['session_id']}/attendance"
    for _ in range(rounds):
        page, csrf = browser.form(path)
        data = dict(re.findall(r'name="(marks-\d+-(?:person_id|initial))" type="hidden" '
                               r'value="([^"]*)"', page))
        marks = {}
        for entry in re.findall(r'name="(marks-\d+)-person_id"', page):
            marks[f"{entry}-status"] = random.choice(["present", "late", "absent"])
        status, _body, _ = browser.request(path, {**data, **marks, "csrf_token": csrf})
        tally.record(("roster", meeting["session_id"], len(marks)), status)
        time.sleep(0.5)


def drive(base: str, setup: dict, clients: int, quiz_share: float, seed: int) -> tuple:
    rng = random.Random(seed)
    random.seed(seed)
    tally = Tally()
    jobs = [(phone_journey, (base, phone, rng.random() < quiz_share,
                             2 if rng.random() < 0.1 else 1, tally))
            for phone in setup["phones"]]
    rng.shuffle(jobs)
    leaders = [threading.Thread(target=leader_journey, args=(base, m, 2, tally))
               for m in setup["meetings"]]
    started = time.perf_counter()
    for thread in leaders:
        thread.start()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(fn, *args) for fn, args in jobs]
        for future in futures:
            future.result(timeout=max(1.0, DEADLINE_S - (time.perf_counter() - started)))
    for thread in leaders:
        thread.join(timeout=120)
    return tally, time.perf_counter() - started


# --- checking afterwards -----------------------------------------------------------------------

def stored(app, tally: Tally) -> bool:
    """Every acknowledged check-in has its attendance row, every acknowledged quiz a score."""
    import sqlalchemy as sa

    from lawlearn.extensions import db
    from lawlearn.models import Attempt, Attendance, Person
    from lawlearn.models.people import hash_mobile

    with app.app_context():
        rows = set(db.session.execute(sa.select(Attendance.session_id, Person.phone_hash)
                                      .join(Attendance.person)).all())
        scored = set(db.session.scalars(sa.select(Person.phone_hash).join(Attempt.person)
                                        .where(Attempt.score.is_not(None))))
        for what in tally.acked:
            if what[0] == "check_in" and (what[1], hash_mobile(what[2])) not in rows:
                return False
            if what[0] == "quiz" and hash_mobile(what[1]) not in scored:
                return False
    return True


def server_log(path: Path) -> tuple[dict, int]:
    """The causes of the server's 500s ({"UniqueViolation pk_area_month_stats": n, ...}, from
    the tracebacks' last lines) and how many times a request was run again
    (lawlearn.transactions)."""
    text = path.read_text(errors="replace")
    causes = Counter(
        f"{error} {constraint}".strip() for error, constraint in re.findall(
            r'^sqlalchemy\.exc\.\w+: \((?:[\w.]+\.)?(\w+)\)(?:[^\n]*?constraint "(\w+)")?',
            text, re.M))
    return dict(sorted(causes.items())), len(re.findall(r"attempt \d+ of \d+ met", text))


def report_equals_rebuild(app) -> bool:
    from lawlearn.extensions import db
    from lawlearn.ledger import check as ledger_check

    with app.app_context():
        off = ledger_check.differences(db.session)
        for table, rows in off.items():
            print(f"  {table}: {len(rows['live_only'])} live rows differ from the rebuild",
                  file=sys.stderr)
        db.engine.dispose()
        return not off


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--people", type=int, default=320)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--quiz-share", type=float, default=0.5)
    parser.add_argument("--county", choices=["demo", "small"], default="demo",
                        help="the demo county with a year of history, or a bare small one")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or not 1 <= args.people <= 5000:
        parser.error("--clients 1..64 and --people 1..5000: this runs on one machine")
    with tempfile.TemporaryDirectory() as tmp, database(args.db, Path(tmp)) as (url, dialect):
        env = environment(url, Path(tmp))
        (Path(tmp) / "instance").mkdir()
        setup = prepare(env, args.people, args.county)
        with server(env) as base:
            tally, seconds = drive(base, setup, args.clients, args.quiz_share, args.seed)
        writes = sum(1 for what in tally.acked if what[0] in ("check_in", "quiz", "roster"))
        causes, retries = server_log(Path(env["LAWLEARN_INSTANCE_PATH"]) / "gunicorn.log")
        line = {"db": dialect, "workers": WORKERS, "clients": args.clients, "writes": writes,
                "seconds": round(seconds, 1), "writes_per_s": round(writes / seconds, 1),
                "errors": dict(sorted(tally.errors.items())), "causes": causes,
                "retries": retries,
                "stored": stored(setup["app"], tally),
                "report_equals_rebuild": report_equals_rebuild(setup["app"])}
    print(f"{dialect}: {writes} acknowledged writes in {seconds:.1f} s "
          f"({line['writes_per_s']}/s) by {args.clients} clients against {WORKERS} workers; "
          f"errors: {line['errors'] or 'none'} (causes: {causes or 'none'}; requests run "
          f"again: {retries}); stored: {line['stored']}; "
          f"report equals a rebuild: {line['report_equals_rebuild']}")
    print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
