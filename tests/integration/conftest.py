"""Fixtures for the integration stories: looking up a user's id."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.integration.helpers import scalar


@pytest.fixture
def user_id(app):
    from lawlearn.models import User

    def user_id(username: str) -> int:
        return scalar(app, sa.select(User.id).where(User.username == username))

    return user_id
