"""Refusing per-process throttling counters where several processes serve the site.

With `RATELIMIT_STORAGE_URI=memory://` every worker process keeps its own counters, so three
gunicorn workers give a password guesser three times the tries. In production the app refuses
to start that way when it can tell the worker count, and says so loudly when it cannot.

How the worker count is known: under gunicorn (`sys.argv[0]` is gunicorn's script, in the
master and, by fork, in every worker) the app reads gunicorn's own configuration the way
gunicorn does: its command line, `GUNICORN_CMD_ARGS`, the config file (`-c` or
`./gunicorn.conf.py`) and `WEB_CONCURRENCY`. Anything else (uWSGI, a custom runner) is unknown.
"""

from __future__ import annotations

import logging
import os
import sys

from flask import Flask

from lawlearn.config import ConfigError

log = logging.getLogger(__name__)


def gunicorn_workers(argv: list[str] | None = None) -> int | None:
    """gunicorn's `workers` setting when this process runs under gunicorn, else None."""
    argv = sys.argv if argv is None else argv
    # `gunicorn ...` runs bin/gunicorn; `python -m gunicorn ...` runs gunicorn/__main__.py.
    script = argv[0] if argv else ""
    if "gunicorn" not in (os.path.basename(script), os.path.basename(os.path.dirname(script))):
        return None
    saved = sys.argv
    try:
        from gunicorn.app.wsgiapp import WSGIApplication

        sys.argv = list(argv)
        return int(WSGIApplication().cfg.workers)
    except (Exception, SystemExit):  # an unreadable command line: say "unknown", don't crash
        return None
    finally:
        sys.argv = saved


def check_limiter_storage(app: Flask) -> None:
    uri = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if not app.config.get("PRODUCTION") or not uri.startswith("memory://"):
        return
    workers = gunicorn_workers()
    if workers is not None and workers > 1:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI is memory:// but gunicorn runs {workers} workers: each "
            "would count failed logins on its own. Set RATELIMIT_STORAGE_URI=redis://HOST:6379 "
            "(or run one worker).")
    if workers is None:
        log.warning(
            "RATELIMIT_STORAGE_URI is memory://: login throttling counts per process. If more "
            "than one process serves this site, set RATELIMIT_STORAGE_URI=redis://HOST:6379 so "
            "they share the counters.")
