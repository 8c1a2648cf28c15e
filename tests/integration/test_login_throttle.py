"""Password guessing is slowed per account and address, and per address across accounts, with
waits that double; nobody can lock the office out by knowing its username."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from lawlearn import create_app
from lawlearn.auth import throttle
from lawlearn.config import ConfigError
from lawlearn.extensions import db, limiter
from lawlearn.models import AuditEvent
from tests.conftest import PASSWORD, REQUIRE_ALL, _config
from tests.integration.helpers import EN, field_errors, location_path, text

HOME = {"REMOTE_ADDR": "10.1.1.1"}
ELSEWHERE = {"REMOTE_ADDR": "10.2.2.2"}
WRONG = "guess guess guess"


def attempt(client, username, password=WRONG, where=HOME):
    return client.post("/login", data={"username": username, "password": password},
                       headers=EN, environ_base=where)


def wait_is_over(app, username, address):
    """What the passing of the wait does: its key expires (the storage forgets it)."""
    with app.test_request_context():
        keys = throttle._keys(username, address)
        for key in (keys.account, keys.address):
            limiter.storage.clear(f"{key}/wait")


def test_five_failures_are_free_then_the_address_waits_while_the_owner_elsewhere_logs_in(
        app, client, make_user):
    office = make_user("admin")
    for _ in range(5):
        wrong = attempt(client, office)
        assert wrong.status_code == 200
        assert field_errors(text(wrong), "password") == ["Wrong username or password."]
    sixth = attempt(client, office)
    assert field_errors(text(sixth), "password") == [
        "Wrong username or password.",
        "Too many failed logins from here. Try again in 15 seconds."]

    # Even the right password waits from that address: the guesser learns nothing.
    refused = attempt(client, office, PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] in ("14", "15")
    assert field_errors(text(refused), "password")[0].startswith(
        "Too many failed logins from here. Try again in 1")

    # The office itself, at another address, is not locked out.
    assert location_path(attempt(app.test_client(), office, PASSWORD, ELSEWHERE)) == "/home"


def test_each_failure_after_a_wait_doubles_the_next_wait(app, client, make_user):
    name = make_user("admin")
    for _ in range(6):
        attempt(client, name)
    waits = []
    for _ in range(4):
        wait_is_over(app, name, HOME["REMOTE_ADDR"])
        page = text(attempt(client, name))
        waits.append(field_errors(page, "password")[-1])
    assert waits == [f"Too many failed logins from here. Try again in {n} seconds."
                     for n in (30, 60, 120, 240)]

    # A success clears the account's count: the next mistake is free again.
    wait_is_over(app, name, HOME["REMOTE_ADDR"])
    assert location_path(attempt(client, name, PASSWORD)) == "/home"
    client.post("/logout")
    assert field_errors(text(attempt(client, name)), "password") == [
        "Wrong username or password."]


def test_spraying_many_usernames_from_one_address_is_slowed(app, client, make_user):
    real = make_user("admin")
    for i in range(20):
        assert field_errors(text(attempt(client, f"guess{i}")), "password") == [
            "Wrong username or password."]
    slowed = attempt(client, "guess20")
    assert field_errors(text(slowed), "password")[-1] == \
        "Too many failed logins from here. Try again in 15 seconds."
    assert attempt(client, real, PASSWORD).status_code == 429
    # The same account from another address is fine.
    assert location_path(attempt(app.test_client(), real, PASSWORD, ELSEWHERE)) == "/home"


def test_a_village_office_logging_in_all_day_from_one_address_is_never_slowed(
        app, make_user, county, make_unit):
    unit = make_unit(county["城关镇"]["village"])
    leaders = [make_user("leader", units=[unit]) for _ in range(3)]
    for _ in range(10):
        for name in leaders:
            client = app.test_client()
            attempt(client, name)  # one slip each time
            assert location_path(attempt(client, name, PASSWORD)) == "/home"


def test_an_unknown_username_costs_a_password_check_like_a_known_one(app, client, make_user,
                                                                     monkeypatch):
    """Equal work, so equal time: the response time does not say which names exist."""
    import lawlearn.auth.operations as operations
    import lawlearn.models.accounts as accounts

    checked = []
    for module in (operations, accounts):
        real = module.check_password_hash
        monkeypatch.setattr(module, "check_password_hash",
                            lambda h, p, real=real: checked.append(h) or real(h, p))
    known = make_user("admin")
    attempt(client, known)
    attempt(client, "nobody-by-this-name")
    assert len(checked) == 2
    method = [h.split("$", 1)[0] for h in checked]
    assert method[0] == method[1]  # same method, same cost


def test_a_disabled_account_hears_so_only_with_its_right_password(app, client, make_user,
                                                                  user_id):
    name = make_user("admin")
    office = app.test_client()
    login_office = make_user("admin")
    attempt(office, login_office, PASSWORD)
    assert office.post(f"/accounts/{user_id(name)}/disable").status_code == 302

    assert field_errors(text(attempt(client, name)), "password") == [
        "Wrong username or password."]
    assert field_errors(text(attempt(client, name, PASSWORD)), "password") == [
        "This account is disabled. Ask the county office or your town coordinator."]


def test_logins_and_failed_logins_are_audited_with_the_address(app, client, make_user):
    name = make_user("admin")
    attempt(client, name)
    attempt(client, "no-such-user")
    attempt(client, name, PASSWORD)
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.object_code, AuditEvent.address)
            .where(AuditEvent.action.like("login%")).order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in rows] == [("login_failed", name, "10.1.1.1"),
                                        ("login_failed", "no-such-user", "10.1.1.1"),
                                        ("login", name, "10.1.1.1")]


# --- where the counters live -----------------------------------------------------------------

def _production_app(database_url, tmp_path, monkeypatch, argv, storage="memory://"):
    monkeypatch.setattr(sys, "argv", argv)
    return create_app({**_config(database_url, tmp_path), "PRODUCTION": True,
                       "RATELIMIT_STORAGE_URI": storage})


def test_production_refuses_per_process_counters_with_several_gunicorn_workers(
        database_url, tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="gunicorn runs 3 workers"):
        _production_app(database_url, tmp_path, monkeypatch,
                        ["/srv/bin/gunicorn", "-w", "3", "lawlearn:create_app()"])
    # One worker, or shared counters, is fine.
    _production_app(database_url, tmp_path, monkeypatch,
                    ["/srv/bin/gunicorn", "-w", "1", "lawlearn:create_app()"])
    _production_app(database_url, tmp_path, monkeypatch,
                    ["/srv/bin/gunicorn", "--workers=3", "lawlearn:create_app()"],
                    storage="redis://127.0.0.1:6379/8")


def test_production_warns_when_it_cannot_tell_the_worker_count(database_url, tmp_path,
                                                               monkeypatch, caplog):
    _production_app(database_url, tmp_path, monkeypatch, ["/srv/bin/uwsgi"])
    assert "login throttling counts per process" in caplog.text


REDIS_URL = os.environ.get("LAWLEARN_TEST_REDIS", "redis://127.0.0.1:6379/8")

# Another process: its own interpreter, app and connection, like a second gunicorn worker.
OTHER_WORKER = """
import json, sys
from lawlearn import create_app
config = json.loads(sys.argv[1])
app = create_app(config)
client = app.test_client()
response = client.post("/login", data={"username": sys.argv[2], "password": sys.argv[3]},
                       headers={"Accept-Language": "en"}, environ_base={"REMOTE_ADDR": "10.1.1.1"})
print(response.status_code)
"""


@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        if REQUIRE_ALL:
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}/"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


def test_two_workers_sharing_redis_see_the_same_counters(database_url, tmp_path, make_user,
                                                         redis_prefix):
    name = make_user("admin")
    config = {**_config(database_url, tmp_path / "one"), "RATELIMIT_STORAGE_URI": REDIS_URL,
              "RATELIMIT_KEY_PREFIX": redis_prefix}
    first = create_app(config)
    client = first.test_client()
    for _ in range(6):  # five free failures and one that starts a wait, all in this worker
        attempt(client, name)
    with first.app_context():
        db.engine.dispose()

    other = subprocess.run(
        [sys.executable, "-c", OTHER_WORKER, json.dumps({**config, "LAWLEARN_INSTANCE": str(
            tmp_path / "two")}), name, PASSWORD],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2],
        env={**os.environ, "LAWLEARN_INSTANCE_PATH": str(tmp_path / "two")})
    assert other.stdout.split()[-1] == "429", other.stderr  # the other worker makes it wait


def test_a_burst_of_simultaneous_guesses_gets_no_more_through_than_one_at_a_time(app):
    """Each attempt is counted before its password is checked, and only one request can claim
    the slot after the free ones: thirty guesses at once let at most six through."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    barrier = Barrier(30)

    def guess(_):
        with app.test_request_context():
            barrier.wait()
            return throttle.begin("office", "10.1.1.1")

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = list(pool.map(guess, range(30)))
    let_through = [o for o in outcomes if isinstance(o, throttle.Attempt)]
    assert 1 <= len(let_through) <= 6
    assert all(isinstance(o, throttle.Wait) and o.seconds > 0 for o in outcomes
               if o not in let_through)


def test_a_disabled_account_is_told_so_in_chinese_and_wrong_guesses_still_slow_down(
        app, client, make_user, user_id):
    """The Chinese login page says 已停用 with the right password, and only then: a wrong
    guess at a disabled account is "wrong username or password" and counts towards the
    wait like any other, so guessing learns nothing about which accounts exist."""
    name = make_user("admin")
    office = app.test_client()
    attempt(office, make_user("admin"), PASSWORD)
    assert office.post(f"/accounts/{user_id(name)}/disable").status_code == 302
    client.get("/lang/zh_Hans")
    assert field_errors(text(attempt(client, name, PASSWORD)), "password") == [
        "此账户已停用，请联系县普法办或镇（街道）协调员。"]
    assert field_errors(text(attempt(client, name)), "password")[0] == "用户名或密码错误。"
    statuses = [attempt(client, name).status_code for _ in range(12)]
    assert 429 in statuses
