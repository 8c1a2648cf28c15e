"""Fixtures for the integration stories: fast password hashes, shared compiled templates,
and looking up a user's id."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from jinja2 import BytecodeCache

from tests.integration.helpers import scalar


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """scrypt costs ~0.1 s per hash and per check; these stories make hundreds of accounts.
    A cheap PBKDF2 hash keeps the suite fast and changes nothing they check (werkzeug reads
    the method back from the stored hash)."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("lawlearn.models.accounts.generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1000"))


class _SharedTemplateCache(BytecodeCache):
    """Compiled templates kept for the whole run: every test builds a new app, and compiling
    the same templates again for each one would cost more than the tests themselves. Buckets
    are keyed by the template's source checksum, so an edited template is compiled afresh."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CACHE = _SharedTemplateCache()


@pytest.fixture(autouse=True)
def shared_template_cache(request):
    if "app" in request.fixturenames:
        request.getfixturevalue("app").jinja_env.bytecode_cache = _TEMPLATE_CACHE


@pytest.fixture
def user_id(app):
    from lawlearn.models import User

    def user_id(username: str) -> int:
        return scalar(app, sa.select(User.id).where(User.username == username))

    return user_id
