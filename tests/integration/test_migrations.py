"""The models and the migrations describe the same schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lawlearn.extensions import db


def test_models_match_the_migrated_schema(app):
    """`app`'s database was built by `upgrade`; autogenerate must find nothing to add."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "render_as_batch": True})
        assert compare_metadata(context, db.metadata) == []


def test_the_migrations_reach_one_head(app):
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
    assert len(heads) == 1
    assert set(current) == set(heads)
