"""The lock page: the county office locks and unlocks with reasons (audited, history kept);
coordinators see their town's locks read only; leaders are kept out. The coverage report and
`lawlearn lock` show the same locks."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, PeriodLock
from tests.conftest import recorded_queries
from tests.period_locks.conftest import EN, text


def lock_rows(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(sa.select(
            PeriodLock.area_id, PeriodLock.kind, PeriodLock.first_month, PeriodLock.last_month,
            PeriodLock.reason, PeriodLock.unlocked_at.is_not(None), PeriodLock.unlock_reason)
            .order_by(PeriodLock.id)).all()


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "period_locks").order_by(AuditEvent.id)))


def test_the_office_locks_a_quarter_and_unlocks_it_with_a_reason(app, world, as_user, april):
    town = world.county["城关镇"]["town"]
    client = as_user(world.admin)
    page = text(client.get("/locks/"))
    assert 'value="2026Q1"' in page and "2026年第一季度" in page and 'value="2026-04"' in page
    assert 'value="2026-05"' not in page  # nothing in the future
    response = client.post("/locks/", data={"area_id": town.id, "period": "2026Q1",
                                            "reason": "一季度报表已上报"})
    assert response.status_code == 302
    page = text(client.get("/locks/"))
    assert "2026年第一季度 已锁定" not in page and "已锁定 城关镇 的 2026年第一季度。" in page
    assert "一季度报表已上报" in page
    lock_id = db_lock_id(app)
    rows = lock_rows(app)
    assert [r[:5] for r in rows] == [(town.id, "quarter", *quarter(2026, 1), "一季度报表已上报")]
    # A second lock over the same months is refused, with what was chosen kept.
    response = client.post("/locks/", data={"area_id": town.id, "period": "2026-02",
                                            "reason": "重复"})
    assert response.status_code == 400 and "已经锁定" in text(response) and "重复" in text(response)
    # No reason: refused next to the field.
    assert client.get(f"/locks/{lock_id}/unlock").status_code == 200
    response = client.post(f"/locks/{lock_id}/unlock", data={"reason": " "})
    assert response.status_code == 400 and "请填写原因" in text(response)
    response = client.post(f"/locks/{lock_id}/unlock", data={"reason": "补录三月活动"})
    assert response.status_code == 302
    assert lock_rows(app)[0][5:] == (True, "补录三月活动")
    page = text(client.get("/locks/"))
    assert "补录三月活动" in page and "已解锁" in page  # the history stays
    assert client.post(f"/locks/{lock_id}/unlock", data={"reason": "x"}).status_code == 409
    assert audit_actions(app) == ["lock_period", "unlock_period"]


def db_lock_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(PeriodLock.id)))


def quarter(year, q):
    from lawlearn.period_locks import quarter_months

    return quarter_months(year, q)


def test_coordinators_see_their_towns_locks_read_only_and_leaders_nothing(
        app, world, as_user, lock, april):
    lock(world.county["城关镇"]["town"], month="2026-03", reason="三月已报")
    lock(world.county["青山镇"]["town"], month="2026-02", reason="青山二月")
    lock(world.county["county"], month="2026-01", reason="全县一月")
    client = as_user(world.coordinator)
    page = text(client.get("/locks/"))
    assert "三月已报" in page and "全县一月" in page and "青山二月" not in page
    assert 'name="reason"' not in page and "/unlock" not in page
    assert client.post("/locks/", data={"area_id": world.county["城关镇"]["town"].id,
                                        "period": "2026-02", "reason": "x"}).status_code == 403
    assert as_user(world.leader).get("/locks/").status_code == 403


def test_the_list_costs_the_same_queries_for_few_and_many_locks(app, world, as_user, lock,
                                                                 april):
    towns = [world.county["城关镇"]["town"], world.county["青山镇"]["town"]]
    lock(towns[0], month="2026-01")
    client = as_user(world.admin)

    def queries() -> int:
        assert client.get("/locks/").status_code == 200
        with recorded_queries(app) as statements:
            client.get("/locks/")
        return len(statements)

    few = queries()
    for month in range(2, 5):
        for town in towns:
            lock(town, month=f"2026-{month:02d}")
    assert queries() == few


def test_the_coverage_report_names_the_locked_periods(app, world, as_user, lock, april):
    lock(world.county["城关镇"]["town"], quarter="2026Q1")
    lock(world.county["青山镇"]["town"], month="2026-04")
    client = as_user(world.admin)
    town = world.county["城关镇"]["town"].code
    page = text(client.get(f"/reports/coverage?area={town}&from=2026-01-01&to=2026-04-10"))
    assert re.search(r"已锁定：</strong>\s*2026年第一季度</p>", page)
    page = text(client.get(f"/reports/coverage?area={world.county['county'].code}"
                           "&from=2026-01-01&to=2026-04-10", headers=EN))
    assert "Q1 2026（城关镇）、April 2026（青山镇）" in page
    page = text(client.get(f"/reports/coverage?area={town}&from=2026-04-01&to=2026-04-10"))
    assert "locked-periods" not in page
    page = text(client.get(f"/reports/coverage/print?area={town}&from=2026-01-01&to=2026-04-10"))
    assert "2026年第一季度" in page


def test_the_command_line_adds_lists_and_removes_locks(app, runner, world):
    town = world.county["城关镇"]["town"].code
    result = runner.invoke(args=["lock", "add", town, "--quarter", "2026Q1", "--reason", "已上报"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["lock", "add", town, "--month", "2026-02",
                               "--reason", "x"]).exit_code == 1
    assert runner.invoke(args=["lock", "add", town, "--month", "2026-13",
                               "--reason", "x"]).exit_code == 1
    assert runner.invoke(args=["lock", "add", "nowhere", "--month", "2026-02",
                               "--reason", "x"]).exit_code == 1
    village = world.county["城关镇"]["village"].code
    listed = runner.invoke(args=["lock", "list", "--area", village])
    assert listed.exit_code == 0 and town in listed.output and "已上报" in listed.output
    other = runner.invoke(args=["lock", "list", "--area", world.county["青山镇"]["town"].code])
    assert town not in other.output
    result = runner.invoke(args=["lock", "remove", town, "--quarter", "2026Q1", "--reason", ""])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(args=["lock", "remove", town, "--month", "2026-02",
                                 "--reason", "更正"])  # a month of the locked quarter
    assert result.exit_code == 1 and "remove that one" in result.output
    result = runner.invoke(args=["lock", "remove", town, "--quarter", "2026Q1",
                                 "--reason", "更正"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["lock", "list"]).output == ""
    assert "更正" in runner.invoke(args=["lock", "list", "--all"]).output
    assert audit_actions(app) == ["lock_period", "unlock_period"]
