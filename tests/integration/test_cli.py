"""The `lawlearn` command line: accounts and the schema. User mistakes end with a message and
a non-zero exit, never a traceback."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn import create_app
from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, User
from tests.conftest import PASSWORD, _config, login
from tests.integration.helpers import count, scalar

ENV = {"LAWLEARN_PASSWORD": PASSWORD, "LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}


def invoke(runner, *args: str):
    return runner.invoke(args=list(args), env=ENV)


def assert_refused(result, *words: str) -> None:
    """Exit status non-zero, a message, and no traceback (no exception escaped the command)."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def user(app, name: str) -> User:
    return scalar(app, sa.select(User).where(User.username == name))


@pytest.mark.parametrize("role, options, scope", [
    ("admin", [], None),
    ("admin", ["--area", "330100"], "330100"),
    ("coordinator", ["--area", "330101"], "330101"),
])
def test_office_creates_an_admin_or_coordinator_account(app, runner, county, role, options,
                                                        scope):
    result = invoke(runner, "create-user", "zhang", "--role", role, *options)
    assert result.exit_code == 0, result.output
    account = user(app, "zhang")
    assert account.role == role
    assert (scalar(app, sa.select(Area.code).where(Area.id == account.area_id))
            if account.area_id else None) == scope
    assert count(app, AuditEvent, AuditEvent.object_type == "users",
                 AuditEvent.action == "create") == 1


def test_office_creates_a_leader_for_two_units(app, runner, county, make_unit):
    first = make_unit(county["城关镇"]["village"])
    second = make_unit(county["城关镇"]["community"])
    result = invoke(runner, "create-user", "wang", "--role", "leader",
                    "--unit", first.code, "--unit", second.code)
    assert result.exit_code == 0, result.output
    with app.app_context():
        leader = db.session.scalar(sa.select(User).where(User.username == "wang"))
        assert sorted(u.code for u in leader.units) == sorted([first.code, second.code])


def test_the_new_account_can_log_in(app, runner, client, county):
    invoke(runner, "create-user", "li", "--role", "coordinator", "--area", "330101")
    login(client, "li")
    assert client.get("/home").status_code == 200


@pytest.mark.parametrize("args, words", [
    (["--role", "coordinator", "--area", "999999"], ["999999"]),
    (["--role", "coordinator"], ["coordinator"]),
    (["--role", "coordinator", "--area", "330101001"], ["town"]),
    (["--role", "leader"], ["--unit"]),
    (["--role", "leader", "--unit", "NO-SUCH-UNIT"], ["NO-SUCH-UNIT"]),
    (["--role", "admin", "--area", "330101"], ["county"]),
    (["--role", "mayor"], ["mayor"]),
], ids=["unknown area", "coordinator without a town", "coordinator of a village",
        "leader without a unit", "unknown unit", "admin of a town", "unknown role"])
def test_create_user_mistakes_end_with_a_message(app, runner, county, args, words):
    assert_refused(invoke(runner, "create-user", "zhao", *args), *words)
    assert user(app, "zhao") is None


def test_a_taken_username_is_refused(app, runner, county, make_user):
    make_user("admin", username="taken")
    assert_refused(invoke(runner, "create-user", "taken", "--role", "admin"), "taken")
    assert count(app, User) == 1


def test_init_db_can_run_again_and_keeps_the_data(app, runner, county):
    first = invoke(runner, "init-db")
    second = invoke(runner, "init-db")
    assert (first.exit_code, second.exit_code) == (0, 0), (first.exception, second.output)
    assert scalar(app, sa.select(Area.name).where(Area.code == "330101")) == "城关镇"


def test_init_db_builds_an_empty_database_then_leaves_it_alone(tmp_path):
    app = create_app(_config(f"sqlite:///{tmp_path / 'fresh.sqlite'}", tmp_path / "instance"))
    runner = app.test_cli_runner()
    first = invoke(runner, "init-db")
    assert first.exit_code == 0, (first.exception, first.output)
    assert invoke(runner, "create-user", "first", "--role", "admin").exit_code == 0
    again = invoke(runner, "init-db")
    assert again.exit_code == 0, again.output
    assert user(app, "first") is not None
    with app.app_context():
        db.engine.dispose()


def test_importing_a_file_that_does_not_exist_is_a_message(runner, tmp_path):
    result = invoke(runner, "import", "units", str(tmp_path / "missing.csv"))
    assert_refused(result, "missing.csv")
