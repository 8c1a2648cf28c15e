"""`lawlearn import assessment-entries FILE` and the web import: Chinese or English headers,
upsert by (area, year, item), all or nothing with every bad row reported, only the items of the
year's scheme that take entries."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AssessmentEntry, AuditEvent
from tests.assessment.helpers import ENTRIES, ENTRIES_HEADER, csv_bytes, import_entries, load_scheme
from tests.conftest import login


@pytest.fixture
def with_scheme(assessed_county, runner, tmp_path):
    assert load_scheme(runner, tmp_path).exit_code == 0
    return assessed_county


def entries() -> list[tuple]:
    db.session.expire_all()
    return [(e.area.code, e.year, e.item, str(e.value), e.note) for e in db.session.scalars(
        sa.select(AssessmentEntry).order_by(AssessmentEntry.id))]


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.object_type == "assessment_entries"))


def test_importing_creates_entries_then_changes_nothing_the_second_time(with_scheme, runner,
                                                                        tmp_path):
    first = import_entries(runner, tmp_path, ENTRIES)
    assert first.exit_code == 0, first.output
    assert "7 created" in first.output
    assert entries()[:2] == [("330101", 2026, "D1", "1.0675", "月报迟报一次，另有一份缺页"),
                             ("330101", 2026, "E1", "7", "省级表彰")]
    # An item may be named as the scheme names it, not only by its code.
    assert ("330104", 2026, "D1", "2.5", None) in entries()
    events = audit_count()
    assert events == 7
    again = import_entries(runner, tmp_path, ENTRIES, "entries.xlsx")
    assert again.exit_code == 0, again.output
    assert "7 unchanged" in again.output and audit_count() == events


def test_importing_a_changed_value_replaces_it(with_scheme, runner, tmp_path):
    import_entries(runner, tmp_path, ENTRIES)
    result = import_entries(runner, tmp_path, [ENTRIES_HEADER, ["330101", "2026", "D1", "3", "改"]])
    assert result.exit_code == 0, result.output
    assert entries()[0] == ("330101", 2026, "D1", "3", "改") and len(entries()) == 7
    change = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "assessment_entries", AuditEvent.action == "update")).one()
    assert change.object_code == "330101/2026/D1" and change.changes["value"] == ["1.0675", "3"]


def test_english_headers_and_no_note_column_work_too(with_scheme, runner, tmp_path):
    rows = [["area_code", "year", "item", "value"], ["330103", 2026, "E1", 2]]
    result = import_entries(runner, tmp_path, rows, "entries.xlsx")
    assert result.exit_code == 0, result.output
    assert entries() == [("330103", 2026, "E1", "2", None)]


def test_every_bad_row_is_reported_and_nothing_is_written(with_scheme, runner, tmp_path):
    rows = [ENTRIES_HEADER,
            ["330101", "2026", "D1", "1", ""],            # fine, but not written
            ["999999", "2026", "D1", "1", ""],            # row 3: no such area
            ["330101", "2026", "B1", "1", ""],            # row 4: scored from the report
            ["330101", "2026", "Z9", "1", ""],            # row 5: not in the scheme
            ["330101", "2031", "D1", "1", ""],            # row 6: no scheme that year
            ["330101", "2026", "E1", "-1", ""],           # row 7: negative
            ["330101", "2026", "E1", "很多", ""],          # row 8: not a number
            ["330101", "2026", "E1", "", ""]]             # row 9: empty
    result = import_entries(runner, tmp_path, rows)
    assert result.exit_code != 0
    out = result.output
    # In the request's language (the test's request context): Chinese by default.
    for row, words in ((3, "999999"), (4, "B1"), (5, "Z9"), (6, "2031"), (7, "-1"),
                       (8, "很多"), (9, "空")):
        assert re.search(rf"第 {row} 行.*{re.escape(words)}", out), (row, out)
    assert "entries.csv: 第 2 行" not in out
    assert entries() == []


def test_a_file_without_the_value_column_is_refused(with_scheme, runner, tmp_path):
    result = import_entries(runner, tmp_path, [["区域编码", "年度", "考核项目"],
                                               ["330101", "2026", "D1"]])
    assert result.exit_code != 0 and "数值" in result.output


def test_the_office_imports_entries_on_the_web(with_scheme, client, make_user, app):
    login(client, make_user("admin", area=with_scheme["county"]))
    page = client.get("/imports/assessment-entries")
    assert page.status_code == 200
    preview = client.post("/imports/assessment-entries", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(csv_bytes(ENTRIES)), "entries.csv")})
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    token = preview.get_data(as_text=True).split('name="token" type="hidden" value="')[1]
    done = client.post("/imports/assessment-entries/confirm", data={"token": token.split('"')[0]})
    assert done.status_code == 302
    with app.app_context():
        assert len(entries()) == 7


def test_a_coordinator_cannot_import_entries(with_scheme, client, make_user, app):
    login(client, make_user("coordinator", area=with_scheme["towns"]["330101"]))
    preview = client.post("/imports/assessment-entries", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(csv_bytes(ENTRIES[:2])), "entries.csv")})
    assert preview.status_code == 400
    with app.app_context():
        assert entries() == []


def test_rows_for_the_same_town_and_item_are_incidents_that_add_up(with_scheme, runner,
                                                                   tmp_path):
    rows = [ENTRIES_HEADER, ["330102", "2026", "D1", "1", "3月迟报"],
            ["330102", "2026", "D1", "1", "5月迟报"], ["330102", "2026", "D1", "0.5", ""]]
    assert import_entries(runner, tmp_path, rows).exit_code == 0
    assert entries() == [("330102", 2026, "D1", "2.5", "3月迟报；5月迟报")]
    again = import_entries(runner, tmp_path, rows)
    assert "1 unchanged" in again.output
    scored = runner.invoke(args=["assess", "score", "--year", "2026", "--format", "json"])
    assert '"D1": 5.0' in scored.output  # 10 − 2 × 2.5
