"""The county of tests/plans, whose sessions the returns count."""

from tests.plans.conftest import plan_county  # noqa: F401 (a fixture)
