"""Scoping of the binder pages: another town's binder is a 404 for a coordinator, as if it did
not exist (page, download and print view alike); the office reaches every town's; leaders
have no binders."""

from __future__ import annotations

import pytest

from tests.binders.conftest import ask, build_queued, job_id_of

ROUTES = [
    ("binders.show", "GET", "/binders/{job}", None),
    ("binders.download", "GET", "/binders/{job}/download", None),
    ("binders.print_view", "GET", "/binders/{job}/print", None),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_another_towns_binder_is_not_found(app, world, as_user, route):
    client = as_user(world.coordinator)
    job = job_id_of(ask(client, world.cg))
    build_queued(app)
    url = route[2].format(job=job)
    for user, status in ((world.their_coordinator, 404), (world.coordinator, 200),
                         (world.admin, 200), (world.leader, 403)):
        response = as_user(user).get(url)
        assert response.status_code == status, (user, response.status_code)
        response.close()
    assert as_user(world.coordinator).get(route[2].format(job=job + 100)).status_code == 404
