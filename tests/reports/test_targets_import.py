"""`lawlearn import targets FILE` and the web import: Chinese or English headers, upsert by
(area, year, kind), all or nothing with every bad row reported, idempotent."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, Target
from tests.conftest import login
from tests.reports.test_web_report import EN, page_text

HEADER = ["区域编码", "年度", "类型", "目标数"]


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def targets() -> list[tuple]:
    db.session.expire_all()
    return [tuple(r) for r in db.session.execute(
        sa.select(Target.year, Target.kind, Target.target).order_by(Target.id))]


def run(runner, tmp_path, rows, name="targets.csv"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows))
    return runner.invoke(args=["import", "targets", str(path)])


GOOD = [HEADER, ["330101", "2026", "中心户", "3"], ["330101", "2026", "楼长", "2"],
        ["330102", "2026", "enterprise_group", "1"]]


def test_importing_creates_then_changes_nothing_the_second_time(small_county, runner,
                                                                 tmp_path):
    first = run(runner, tmp_path, GOOD)
    assert first.exit_code == 0, first.output
    assert targets() == [(2026, "household", 3), (2026, "building", 2),
                         (2026, "enterprise_group", 1)]
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    again = run(runner, tmp_path, GOOD)
    assert again.exit_code == 0, again.output
    assert targets() == [(2026, "household", 3), (2026, "building", 2),
                         (2026, "enterprise_group", 1)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events


def test_importing_a_changed_number_updates_the_target(small_county, runner, tmp_path):
    run(runner, tmp_path, GOOD)
    changed = [HEADER, ["330101", 2026, "household", 5]]
    result = run(runner, tmp_path, changed, "targets.xlsx")
    assert result.exit_code == 0, result.output
    assert targets()[0] == (2026, "household", 5) and len(targets()) == 3
    audit = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "targets", AuditEvent.action == "update")).all()
    assert [(e.object_code, e.changes["target"]) for e in audit] == [
        ("330101/2026/household", [3, 5])]


def test_english_headers_work_too(small_county, runner, tmp_path):
    rows = [["area_code", "year", "kind", "target"], ["330100", "2027", "building", "10"]]
    assert run(runner, tmp_path, rows).exit_code == 0
    assert targets() == [(2027, "building", 10)]


def test_every_bad_row_is_reported_and_nothing_is_written(small_county, runner, tmp_path):
    rows = [HEADER,
            ["330101", "2026", "household", "3"],       # fine, but not written
            ["999999", "2026", "household", "3"],       # row 3: unknown area
            ["330101", "1999", "household", "3"],       # row 4: year out of range
            ["330101", "2026", "鸡舍", "3"],             # row 5: unknown kind
            ["330101", "2026", "building", "-1"],       # row 6: negative
            ["330101", "2026", "household", "4"],       # row 7: repeats row 2
            ["330102", "2026", "building", ""]]         # row 8: empty target
    result = run(runner, tmp_path, rows)
    assert result.exit_code != 0
    out = result.output
    # In the request's language (the test's request context): Chinese by default.
    for row, words in ((3, "999999"), (4, "2000"), (5, "鸡舍"), (6, "-1"), (7, "第 2 行"),
                       (8, "空")):
        assert re.search(rf"第 {row} 行.*{re.escape(words)}", out), (row, out)
    assert "targets.csv: 第 2 行" not in out
    assert targets() == []


def test_the_web_import_previews_then_writes_and_lands_on_the_targets(client, small_county,
                                                                      make_user):
    login(client, make_user("admin", area=small_county["county"]))
    preview = client.post("/imports/targets", headers=EN, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(xlsx_bytes(GOOD)), "targets.xlsx")})
    assert preview.status_code == 200, page_text(preview)[:2000]
    assert targets() == []
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page_text(preview)) or re.search(
        r'value="([^"]+)"[^>]*name="token"', page_text(preview))
    done = client.post("/imports/targets/confirm", headers=EN,
                       data={"token": token.group(1)})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/reports/targets")
    assert len(targets()) == 3


def test_a_coordinator_cannot_import_targets(client, small_county, make_user):
    login(client, make_user("coordinator", area=small_county["城关镇"]["town"]))
    response = client.post("/imports/targets", headers=EN, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(csv_bytes(GOOD)), "targets.csv")})
    assert response.status_code == 400
    assert "Only the county office sets targets." in page_text(response)
    assert targets() == []


def test_an_admin_cannot_import_targets_outside_their_county(client, small_county, make_user,
                                                             make_area):
    make_area("county", code="440100", name="别县")
    login(client, make_user("admin", area=small_county["county"]))
    rows = [HEADER, ["440100", "2026", "household", "3"]]
    response = client.post("/imports/targets", headers=EN, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(csv_bytes(rows)), "targets.csv")})
    assert response.status_code == 400
    assert "No area has the code 440100." in page_text(response)
