"""Fixtures for the hardening stories: an office user signed in over the small county."""

from __future__ import annotations

import pytest

from tests.conftest import login


@pytest.fixture
def office(client, county, make_user):
    """A client signed in as the county office."""
    login(client, make_user("admin", area=county["county"], username="office"))
    return client
