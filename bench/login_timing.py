"""Does the login answer as fast for an unknown username as for a known one?

    python -m bench.login_timing [--runs N]

Posts wrong passwords for an existing account and for a name that does not exist (real
password hashing, throttling out of the way) and prints the median time of each and their
ratio: near 1.0 means the response time does not tell which usernames exist. The last line is
JSON: {"known_ms", "unknown_ms", "ratio"}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from lawlearn import create_app
    from lawlearn.auth.operations import create_user
    from lawlearn.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="lawlearn-login-bench-"))
    app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "LOGIN_FREE_TRIES": 10 ** 6, "LOGIN_ADDRESS_FREE_TRIES": 10 ** 6})
    app.instance_path = str(folder)
    with app.app_context():
        upgrade()
        create_user(username="office", password="a long bench password", role="admin")
        db.session.commit()
    client = app.test_client()

    def timed(username: str) -> float:
        start = time.perf_counter()
        client.post("/login", data={"username": username, "password": "not the password!"})
        return (time.perf_counter() - start) * 1000

    timed("office"), timed("nobody")  # warm up: templates, the dummy hash
    known = statistics.median(timed("office") for _ in range(args.runs))
    unknown = statistics.median(timed("nobody") for _ in range(args.runs))
    print(f"wrong password, known name:  {known:7.1f} ms")
    print(f"wrong password, unknown name:{unknown:7.1f} ms")
    print(json.dumps({"known_ms": round(known, 1), "unknown_ms": round(unknown, 1),
                      "ratio": round(unknown / known, 3)}))


if __name__ == "__main__":
    main()
