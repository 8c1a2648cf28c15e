"""Fixtures for the hardening stories: an office user signed in over the small county."""

from __future__ import annotations

import pytest

from tests.conftest import login


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """Cheap PBKDF2 hashes instead of scrypt: these stories sign in for every test."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("lawlearn.models.accounts.generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1000"))


@pytest.fixture
def office(client, county, make_user):
    """A client signed in as the county office."""
    login(client, make_user("admin", area=county["county"], username="office"))
    return client
