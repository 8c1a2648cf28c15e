"""A fresh database for one benchmark run."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_app(url: str | None) -> Iterator[None]:
    """An app context on an empty schema: a temporary SQLite file, or the database at `url`,
    whose tables are dropped again afterwards."""
    from lawlearn import create_app
    from lawlearn.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI":
                          url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            try:
                yield
            finally:
                db.session.rollback()
                if url:
                    db.drop_all()
                db.engine.dispose()
