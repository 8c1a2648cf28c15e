"""Settings from the environment.

Development keeps a generated SECRET_KEY in the instance folder so sessions and phone hashes
survive restarts; production (LAWLEARN_ENV=production) refuses to start without one, because a
fresh random key would silently make every stored phone hash unmatchable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """The environment cannot produce a working configuration."""


def _instance_secret(instance_path: Path) -> str:
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'lawlearn.sqlite'}"
    # Heroku-style URLs and plain postgresql:// both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_environment(instance_path: Path, given: dict | None = None) -> dict:
    """The settings, leaving out what `given` (a test's config) already decides, so a test
    never writes a key file or a database into the instance folder."""
    given = given or {}
    production = os.environ.get("LAWLEARN_ENV", "development") == "production"
    secret = given.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY must be set when LAWLEARN_ENV=production.")
        secret = _instance_secret(instance_path)
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": given.get("SQLALCHEMY_DATABASE_URI")
        or _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PRODUCTION": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or os.environ.get("LAWLEARN_HTTPS") == "1",
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        # werkzeug's method for new password hashes (lawlearn/auth/passwords.py). Not read from
        # the environment: only a test suite, which makes hundreds of accounts, sets a cheap one.
        "PASSWORD_HASH_METHOD": "scrypt",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Explicit: Flask-Limiter keeps this flag on its one shared instance and defaults it to
        # the last app's value, so an app made with limits off (a test's) would otherwise turn
        # them off for every app created after it in the same process.
        "RATELIMIT_ENABLED": True,
        "MAX_CONTENT_LENGTH": int(os.environ.get("LAWLEARN_MAX_UPLOAD_MB", "40")) * 1024 * 1024,
        # The study session form alone may carry 6 photos of up to 20 MB each straight from a
        # phone (lawlearn/sessions/photos.py), so its requests may be larger than the rest.
        "PHOTO_REQUEST_MAX_MB": int(os.environ.get("LAWLEARN_PHOTO_REQUEST_MB", "128")),
        "BABEL_DEFAULT_LOCALE": "zh_Hans",
        "LANGUAGES": ["zh_Hans", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
        # Login throttling (lawlearn/auth/throttle.py): free failures per account and address,
        # free failures per address across accounts, then waits doubling from LOGIN_DELAY
        # seconds up to LOGIN_MAX_DELAY; the counts are forgotten after LOGIN_WINDOW_HOURS.
        "LOGIN_FREE_TRIES": int(os.environ.get("LAWLEARN_LOGIN_FREE_TRIES", "5")),
        "LOGIN_ADDRESS_FREE_TRIES": int(os.environ.get("LAWLEARN_LOGIN_ADDRESS_FREE_TRIES", "20")),
        "LOGIN_DELAY": int(os.environ.get("LAWLEARN_LOGIN_DELAY", "15")),
        "LOGIN_MAX_DELAY": int(os.environ.get("LAWLEARN_LOGIN_MAX_DELAY", "900")),
        "LOGIN_WINDOW_HOURS": float(os.environ.get("LAWLEARN_LOGIN_WINDOW_HOURS", "24")),
        "PER_PAGE": 25,
        # A checked import file (with participants' full mobiles) waits this long for "Import
        # now", then is deleted (lawlearn/imports/pending.py).
        "IMPORT_PENDING_SECONDS": int(os.environ.get("LAWLEARN_IMPORT_PENDING_SECONDS", "3600")),
        # `lawlearn purge` deletes audit events older than this (China's Cybersecurity Law
        # asks for at least six months of logs: keep 180 or more).
        "AUDIT_RETENTION_DAYS": int(os.environ.get("LAWLEARN_AUDIT_RETENTION_DAYS", "365")),
        # Dashboards: a unit with no session for this many days is dormant; a leader's next
        # session is due this many days after the last.
        "DORMANT_DAYS": int(os.environ.get("LAWLEARN_DORMANT_DAYS", "60")),
        "SESSION_DUE_DAYS": int(os.environ.get("LAWLEARN_SESSION_DUE_DAYS", "30")),
        # Plans: a milestone overdue for more than this many days is escalated on the
        # dashboards (shown first, marked for the county's attention).
        "PLAN_ESCALATION_DAYS": int(os.environ.get("LAWLEARN_PLAN_ESCALATION_DAYS", "14")),
        # Monthly returns (月报) are due by this day of the month (the month's last day when
        # the month is shorter).
        "RETURN_DUE_DAY": int(os.environ.get("LAWLEARN_RETURN_DUE_DAY", "28")),
        # Participants' pages (lawlearn/public_limits.py): per person (study session and mobile)
        # and a per-address ceiling for a village hall of 60 people a minute on one Wi-Fi.
        "CHECKIN_PERSON_LIMIT": os.environ.get("LAWLEARN_CHECKIN_PERSON_LIMIT", "10 per minute"),
        "CHECKIN_ADDRESS_LIMIT": os.environ.get("LAWLEARN_CHECKIN_ADDRESS_LIMIT",
                                                "180 per minute"),
        "QUIZ_START_PERSON_LIMIT": os.environ.get("LAWLEARN_QUIZ_START_PERSON_LIMIT",
                                                  "10 per 10 minutes"),
        "QUIZ_START_LIMIT": os.environ.get("LAWLEARN_QUIZ_START_LIMIT", "180 per minute"),
        # The public page a recognised unit's plaque QR code opens (per address).
        "RECOGNITION_VERIFY_LIMIT": os.environ.get("LAWLEARN_RECOGNITION_VERIFY_LIMIT",
                                                   "60 per minute"),
        # Who a recognition plaque names as its issuer; empty: "<county> law-popularisation office".
        "RECOGNITION_ISSUER": os.environ.get("LAWLEARN_RECOGNITION_ISSUER", ""),
        # How many reverse proxies (nginx, the county gateway) stand in front and set
        # X-Forwarded-For/-Proto; 0 trusts none of those headers.
        "PROXY_COUNT": int(os.environ.get("LAWLEARN_PROXY_COUNT", "0")),
        # A session's check-in link works all of its day (Beijing time) and this many hours
        # after that day ends: evening meetings, and sheets typed in the next morning.
        "SESSION_CHECKIN_HOURS": int(os.environ.get("LAWLEARN_CHECKIN_HOURS", "12")),
        # Concurrent writers (lawlearn.transactions): how long a SQLite writer waits for the
        # lock, and how many times a request meeting a deadlock or lock is run in all.
        "DB_BUSY_TIMEOUT": float(os.environ.get("LAWLEARN_DB_BUSY_TIMEOUT", "30")),
        "TRANSACTION_ATTEMPTS": int(os.environ.get("LAWLEARN_TRANSACTION_ATTEMPTS", "4")),
        # Uploaded spreadsheets (imports, question banks): at most this many rows, and an XLSX
        # may unpack to at most this many MB (a zip bomb is refused before it is parsed).
        "IMPORT_MAX_ROWS": int(os.environ.get("LAWLEARN_IMPORT_MAX_ROWS", "200000")),
        "IMPORT_MAX_UNPACKED_MB": int(os.environ.get("LAWLEARN_IMPORT_MAX_UNPACKED_MB", "200")),
        # Evidence binders (lawlearn/binders/jobs.py): built by a thread of the web process
        # (`thread`, one server) or by `lawlearn binder work` (`worker`, several processes);
        # kept this many days; a build running longer than the stale hours is taken as dead.
        "BINDER_RUNNER": os.environ.get("LAWLEARN_BINDER_RUNNER", "thread"),
        "BINDER_KEEP_DAYS": int(os.environ.get("LAWLEARN_BINDER_KEEP_DAYS", "7")),
        "BINDER_STALE_HOURS": int(os.environ.get("LAWLEARN_BINDER_STALE_HOURS", "6")),
        "BINDER_THREADS": int(os.environ.get("LAWLEARN_BINDER_THREADS", "2")),
    }
