"""Requests per second under gunicorn, as ratios to `GET /healthz` in the same round.

    python -m bench.http_load [--db postgresql://…] [--workers 2 4] [--rounds 3]
                              [--clients 8] [--app-path DIR]

For each database (a scratch SQLite file; with --db or BENCH_DATABASE_URL also a schema of its
own in that PostgreSQL database, dropped afterwards) it loads the demo county (`lawlearn
init-db`, `lawlearn demo-data`), logs a study session today and opens quiz attempts to submit,
then starts gunicorn with each --workers count of sync workers on 127.0.0.1 and drives it with
--clients threads (a bounded client: each thread sends its next request when the last is
answered). A round measures, one after the other, so that all see the same load on a shared
machine:

- `GET /healthz` (one `SELECT 1`: the server's floor);
- quiz submit: `POST /q/a/<token>` of an open attempt;
- QR check-in: `POST /s/<token>` by a new participant;
- the whole quiz flow: start from the session's link (POST), the quiz page, submit, the result
  (4 requests; counted as flows per second);
- the coverage page of the county (the office's account, signed in).

Printed per database and worker count: the median over --rounds of each rate and of its ratio
to /healthz's rate in the same round, and every unexpected answer (the run needs none).
`--app-path` serves another checkout of the code (a "before" figure) with the same client.
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench.concurrency import Browser, _choices, database, environment, free_port

KINDS = ("healthz", "quiz submit", "check-in", "quiz flow", "coverage")
GOALS = {"quiz submit": 0.35, "check-in": 0.25, "quiz flow": 0.10, "coverage": 0.20}
# Requests per kind and round: enough for a second or more of each at the expected rates.
COUNTS = {"healthz": 600, "quiz submit": 240, "check-in": 160, "quiz flow": 60, "coverage": 120}
ADMIN_PASSWORD = "lawlearn-demo-2026"
NO_LIMIT = "1000000 per minute"  # the clients all come from 127.0.0.1


def bench_environment(database_url: str, folder: Path, app_path: Path | None) -> dict:
    env = environment(database_url, folder)
    env.update({"LAWLEARN_CHECKIN_PERSON_LIMIT": NO_LIMIT,
                "LAWLEARN_CHECKIN_ADDRESS_LIMIT": NO_LIMIT,
                "LAWLEARN_QUIZ_START_PERSON_LIMIT": NO_LIMIT,
                "LAWLEARN_QUIZ_START_LIMIT": NO_LIMIT,
                "LAWLEARN_LOGIN_FREE_TRIES": "1000"})
    env["LAWLEARN_CODE"] = str(app_path or Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = env["LAWLEARN_CODE"]
    return env


def run_in(env: dict, *args: str) -> str:
    """A command in the served code's folder (gunicorn and `python -m` put the working folder
    first on the path, so this decides which lawlearn runs)."""
    done = subprocess.run(args, env=env, cwd=env.get("LAWLEARN_CODE", None), check=True,
                          capture_output=True, text=True)
    return done.stdout


def prepare(env: dict, attempts: int) -> dict:
    """The demo county, a study session today, and `attempts` open attempts at its quiz."""
    run_in(env, sys.executable, "-m", "flask", "--app", "lawlearn", "init-db")
    run_in(env, sys.executable, "-m", "flask", "--app", "lawlearn", "demo-data")
    # A script, not a module of this package: it imports the served code's lawlearn.
    out = run_in(env, sys.executable, str(Path(__file__).with_name("http_fixture.py")),
                 str(attempts))
    return json.loads(out.strip().splitlines()[-1])


@contextmanager
def server(env: dict, workers: int, folder: Path):
    port = free_port()
    log = open(folder / f"gunicorn-{workers}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--timeout", "90", "--log-level", "warning",
         "lawlearn:create_app()"], env=env, cwd=env["LAWLEARN_CODE"],
        stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if Browser(base, "127.0.0.1").request("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"gunicorn did not start; see {log.name}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


class Clients:
    """--clients threads, each with its own browser (cookies), reused across rounds."""

    def __init__(self, base: str, count: int, study_token: str):
        self.base, self.count, self.study = base, count, study_token
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(count)
        self.serial = iter(range(10**9))
        self.lock = threading.Lock()

    def next_number(self) -> int:
        with self.lock:
            return next(self.serial)

    def browser(self) -> Browser:
        """This thread's phone (signed in as the office for the coverage page)."""
        if not hasattr(self.local, "browser"):
            browser = Browser(self.base, "127.0.0.1")
            _page, csrf = browser.form("/login")
            status, _body, _ = browser.request("/login", {
                "csrf_token": csrf, "username": "admin", "password": ADMIN_PASSWORD})
            assert status == 302, f"login: {status}"
            # After signing in: the login starts a new cookie session, with a new CSRF secret.
            _page, browser.checkin_csrf = browser.form(f"/s/{self.study}")
            self.local.browser = browser
        return self.local.browser

    def warm_up(self) -> None:
        list(self.pool.map(lambda _i: self.browser(), range(self.count * 4)))

    def run(self, jobs: list[Callable[[Browser], list[int]]],
            expected: list[int]) -> tuple[float, Counter]:
        """Run every job on the threads; (jobs per second, unexpected statuses)."""
        errors: Counter = Counter()

        def one(job):
            statuses = job(self.browser())
            for got, want in zip(statuses, expected, strict=False):
                if got != want:
                    errors[f"{got} (expected {want})"] += 1

        start = time.perf_counter()
        list(self.pool.map(one, jobs))
        return len(jobs) / (time.perf_counter() - start), errors


def _healthz(browser: Browser) -> list[int]:
    return [browser.request("/healthz")[0]]


def _coverage(browser: Browser) -> list[int]:
    return [browser.request("/reports/coverage")[0]]


def _submit(attempt: dict) -> Callable[[Browser], list[int]]:
    def job(browser: Browser) -> list[int]:
        return [browser.request(f"/q/a/{attempt['token']}", attempt["answers"])[0]]
    return job


def _check_in(clients: Clients) -> Callable[[Browser], list[int]]:
    def job(browser: Browser) -> list[int]:
        n = clients.next_number()
        return [browser.request(f"/s/{clients.study}", {
            "csrf_token": browser.checkin_csrf, "name": f"签到{n}",
            "mobile": f"137{os.getpid() % 1000:03d}{n:05d}"})[0]]
    return job


def _flow(clients: Clients) -> Callable[[Browser], list[int]]:
    def job(browser: Browser) -> list[int]:
        n = clients.next_number()
        status, _body, location = browser.request(
            f"/q/civil-code?s={clients.study}&other=1", {
                "csrf_token": browser.checkin_csrf, "name": f"流程{n}",
                "mobile": f"136{os.getpid() % 1000:03d}{n:05d}"})
        if status != 302:
            return [status]
        path = urllib.parse.urlsplit(location).path
        page_status, page, _ = browser.request(path)
        answers = {name: values.split()[0] for name, values in _choices(page).items()}
        submit_status, _body, result = browser.request(path, answers)
        result_status = browser.request(urllib.parse.urlsplit(result).path)[0] if result else 0
        return [status, page_status, submit_status, result_status]
    return job


EXPECTED = {"healthz": [200], "quiz submit": [302], "check-in": [302],
            "quiz flow": [302, 200, 302, 200], "coverage": [200]}


def measure(base: str, fixture: dict, attempts: list[dict], clients_n: int,
            rounds: int, share: float) -> dict:
    clients = Clients(base, clients_n, fixture["token"])
    clients.warm_up()
    rates: dict[str, list[float]] = {k: [] for k in KINDS}
    errors: Counter = Counter()
    # One untimed pass of every kind: compiled templates, pooled connections, caches.
    for kind, jobs in _jobs(clients, attempts, 0.1 * share).items():
        clients.run(jobs, EXPECTED[kind])
    for _ in range(rounds):
        for kind, jobs in _jobs(clients, attempts, share).items():
            rate, failed = clients.run(jobs, EXPECTED[kind])
            rates[kind].append(rate)
            errors.update({f"{kind}: {k}": v for k, v in failed.items()})
    clients.pool.shutdown()
    ratios = {k: statistics.median(r / h for r, h in zip(rates[k], rates["healthz"],
                                                          strict=True)) for k in KINDS}
    return {"rates": {k: round(statistics.median(v), 1) for k, v in rates.items()},
            "ratios": {k: round(v, 3) for k, v in ratios.items()}, "errors": dict(errors)}


def _jobs(clients: Clients, attempts: list[dict], share: float) -> dict[str, list]:
    n = {k: max(int(c * share), clients.count) for k, c in COUNTS.items()}
    submits = [attempts.pop() for _ in range(n["quiz submit"])]
    return {"healthz": [_healthz] * n["healthz"],
            "quiz submit": [_submit(a) for a in submits],
            "check-in": [_check_in(clients)] * n["check-in"],
            "quiz flow": [_flow(clients)] * n["quiz flow"],
            "coverage": [_coverage] * n["coverage"]}


def attempts_needed(workers: list[int], rounds: int, clients: int, share: float) -> int:
    def n(s: float) -> int:
        return max(int(COUNTS["quiz submit"] * s), clients)
    return (n(0.1 * share) + rounds * n(share)) * len(workers)


def run_database(url: str | None, workers: list[int], rounds: int, clients: int,
                 app_path: Path | None, share: float = 1.0) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with database(url, folder) as (database_url, dialect):
            env = bench_environment(database_url, folder, app_path)
            started = time.perf_counter()
            fixture = prepare(env, attempts_needed(workers, rounds, clients, share))
            print(f"{dialect}: demo county and {len(fixture['attempts'])} open attempts in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
            attempts = fixture["attempts"]
            found = {}
            for w in workers:
                with server(env, w, folder) as base:
                    found[w] = measure(base, fixture, attempts, clients, rounds, share)
                print_table(dialect, w, found[w])
    return {"database": dialect, "workers": found}


def print_table(dialect: str, workers: int, figures: dict) -> None:
    print(f"\n{dialect}, gunicorn -w {workers} (medians of rounds):")
    print(f"  {'request':<14} {'per s':>8} {'ratio':>7} {'goal':>6}")
    for kind in KINDS:
        goal = GOALS.get(kind)
        print(f"  {kind:<14} {figures['rates'][kind]:>8.1f} {figures['ratios'][kind]:>7.3f} "
              f"{'≥ ' + format(goal, '.2f') if goal else '':>6}")
    errors = figures["errors"]
    print(f"  errors: {sum(errors.values())}" + (f" {errors}" if errors else ""), flush=True)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL database (default $BENCH_DATABASE_URL) to run in too: "
                        "the bench works in a schema of its own there, dropped afterwards")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--share", type=float, default=1.0,
                        help="this share of the requests per kind and round (a quick check)")
    parser.add_argument("--app-path", type=Path,
                        help="serve the lawlearn package found in this folder (another checkout)")
    args = parser.parse_args(argv)
    results = []
    for url in ([None] if args.sqlite else []) + ([args.db] if args.db else []):
        results.append(run_database(url, args.workers, args.rounds, args.clients,
                                    args.app_path, args.share))
    line = {"rounds": args.rounds, "clients": args.clients, "results": results}
    print(json.dumps(line, ensure_ascii=False))
    return line


if __name__ == "__main__":
    main()
