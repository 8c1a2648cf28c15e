"""The county the ledger's property test plays in, and the two checks it makes after each step.

A small county with three towns, villages, communities and an enterprise, eight study units of
all three kinds, eight people and a two-question quiz, built through the app's own operations.
Every example of the property test starts from this county: it is built once per database and
then restored row by row, which costs milliseconds instead of a rebuild through the ORM.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.ledger import rebuild
from lawlearn.models import (
    Area,
    AreaMonthStats,
    AreaTopicMonthStats,
    LedgerMask,
    LedgerRange,
    StudySession,
)

# "Today" for every report of the test: the data runs from autumn 2025 to this day, never after.
TODAY = date(2026, 7, 20)

COUNTY = ("330100", "示范县")
TOWNS = [("330101", "城关镇"), ("330102", "青山镇"), ("330103", "白鹤镇")]
# (code, name, level, town)
LEAVES = [
    ("330101001", "东村", "village", "330101"),
    ("330101002", "西村", "village", "330101"),
    ("330101101", "幸福社区", "community", "330101"),
    ("330102001", "南村", "village", "330102"),
    ("330102002", "北村", "village", "330102"),
    ("330102E01", "青山机械厂", "enterprise", "330102"),
    ("330103001", "白鹤村", "village", "330103"),
    ("330103101", "白鹤社区", "community", "330103"),
]
VILLAGES = [code for code, _n, level, _t in LEAVES if level == "village"]
TOWN_CODES = [code for code, _n in TOWNS]
AREA_CODES = [COUNTY[0], *TOWN_CODES, *(code for code, *_ in LEAVES)]
KIND_OF_LEVEL = {"village": "household", "community": "building", "enterprise": "enterprise_group"}
LEVEL_OF = {code: level for code, _n, level, _t in LEAVES}

# (code, area, registered on, reach): two households in 东村, one unit registered only in
# January and one in June, so the registered-unit counts differ between periods. The codes are
# the ones register_unit gives (`<area code>-<H|B|E><nnn>`).
UNITS = [
    ("330101001-H001", "330101001", date(2025, 9, 1), 12),
    ("330101001-H002", "330101001", date(2026, 1, 10), 9),
    ("330101002-H001", "330101002", date(2025, 9, 1), 15),
    ("330101101-B001", "330101101", date(2025, 9, 1), 40),
    ("330102001-H001", "330102001", date(2025, 9, 1), 11),
    ("330102002-H001", "330102002", date(2026, 6, 15), 7),
    ("330102E01-E001", "330102E01", date(2025, 9, 1), 30),
    ("330103001-H001", "330103001", date(2025, 9, 1), 10),
]
UNIT_CODES = [code for code, *_ in UNITS]

# (name, mobile, index of the home unit): 钱七 has no home unit, so a paper result without a
# session counts nowhere, as in life.
PEOPLE = [("张三", "13900000001", 0), ("李四", "13900000002", 0), ("王五", "13900000003", 2),
          ("赵六", "13900000004", 4), ("孙八", "13900000005", 6), ("周九", "13900000006", 7),
          ("吴十", "13900000007", 3), ("钱七", "13900000008", None)]

# Days around the turns of the months and of the year, so that periods cut through them.
DAYS = [date(2025, 11, 3), date(2025, 11, 30), date(2025, 12, 1), date(2025, 12, 31),
        date(2026, 1, 1), date(2026, 1, 15), date(2026, 2, 28), date(2026, 6, 30),
        date(2026, 7, 1), date(2026, 7, 20)]


def build_county() -> None:
    """The county as its office would register it, through the app's operations."""
    from lawlearn.areas.operations import create_area
    from lawlearn.participants import identify
    from lawlearn.quiz.banks import BankSpec, QuestionSpec
    from lawlearn.quiz.sync import sync_bank
    from lawlearn.units.operations import register_unit

    county = create_area(code=COUNTY[0], name=COUNTY[1], level="county", parent=None)
    towns = {code: create_area(code=code, name=name, level="town", parent=county)
             for code, name in TOWNS}
    leaves = {code: create_area(code=code, name=name, level=level, parent=towns[town],
                                employees=80 if level == "enterprise" else None,
                                industry="制造业" if level == "enterprise" else None)
              for code, name, level, town in LEAVES}
    units = []
    for code, area_code, registered_on, reach in UNITS:
        area: Area = leaves[area_code]
        units.append(register_unit(kind=KIND_OF_LEVEL[area.level], area=area,
                                   name=f"{area.name}学法点{len(units) + 1}", leader_name="王老师",
                                   leader_phone="13800000000", reach=reach,
                                   registered_on=registered_on))
        assert units[-1].code == code
    for name, mobile, home in PEOPLE:
        identify(name, mobile, units[home] if home is not None else None)
    sync_bank(BankSpec(
        slug="minfadian", title="民法典小测", topic="civil-code", pass_score=60, draw=2,
        time_limit_minutes=10, attempts_per_day=3, questions=[
            QuestionSpec(kind="single", stem="成年人的年龄是（ ）。", options=["十六周岁", "十八周岁"],
                         answer="B", explanation="民法典第十七条。",
                         source="《中华人民共和国民法典》第十七条", key="minfadian-t1"),
            QuestionSpec(kind="true_false", stem="八周岁以上的未成年人是限制民事行为能力人。",
                         options=[], answer=True, explanation="民法典第十九条。",
                         source="《中华人民共和国民法典》第十九条", key="minfadian-t2")]),
        source_hash=None)
    db.session.commit()


def skip_sqlite_fsync() -> None:
    """Thousands of commits per run: on SQLite, let them skip waiting for the disk (this test
    is about what is committed, not whether it survives a power cut)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _no_fsync(connection, _record):
        connection.execute("PRAGMA synchronous = OFF")

    db.session.remove()
    engine.dispose()


class SavedCounty:
    """The freshly built county's rows, put back before each example.

    Deleting and re-inserting a few dozen rows is far cheaper than building through the ORM
    or truncating every table (conftest's per-test reset); on PostgreSQL the id sequences are
    set back too, so every example sees the same ids.
    """

    def __init__(self):
        build_county()
        self.tables = list(db.metadata.sorted_tables)
        self.rows = {t.name: [dict(r) for r in db.session.execute(sa.select(t)).mappings()]
                     for t in self.tables}

    def restore(self) -> None:
        db.session.rollback()
        db.session.expunge_all()
        for table in reversed(self.tables):
            db.session.execute(table.delete())
        for table in self.tables:
            if self.rows[table.name]:
                db.session.execute(table.insert(), self.rows[table.name])
        if db.session.get_bind().dialect.name == "postgresql":
            for table in self.tables:
                if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
                    db.session.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"))
        db.session.commit()


def csv_file(header: list[str], rows: list[list]) -> bytes:
    """A spreadsheet as an office saves it: UTF-8 CSV with a BOM and Chinese headers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- the checks -----------------------------------------------------------------------------

def _numbers_zero(row: dict, columns: tuple[str, ...]) -> bool:
    return not any(row[c] for c in columns)


def summary_rows() -> dict[str, list[tuple]]:
    """Every summary row the report reads, in a comparable form. Rows whose figures are all
    zero mean the same as no row (a ledger keeping deltas may leave them), so they are left
    out; score sums are rounded because adding the same floats in another order may differ in
    the last bit. Areas are shown by code, so that a failure reads like the county."""
    code_of = dict(db.session.execute(sa.select(Area.id, Area.code)).all())

    def rows(model, figures: tuple[str, ...]) -> list[tuple]:
        table = model.__table__
        found = []
        for row in db.session.execute(sa.select(table)).mappings():
            if _numbers_zero(row, figures):
                continue
            values = {**row, "area_id": code_of[row["area_id"]]}
            found.append(tuple(round(v, 6) if isinstance(v, float) else v
                               for v in (values[c.name] for c in table.columns)))
        return sorted(found)

    return {
        "area_topic_month_stats": rows(AreaTopicMonthStats, ("quiz_attempts", "quiz_score_sum",
                                                             "quiz_passes")),
        "area_month_stats": rows(AreaMonthStats, ("sessions", "attendances", "quiz_attempts",
                                                  "quiz_score_sum", "quiz_passes")),
        "ledger_masks": rows(LedgerMask, ("months", "weight")),
        "ledger_ranges": rows(LedgerRange, ("entities", "weight")),
        "attended_count": sorted(tuple(r) for r in db.session.execute(
            sa.select(StudySession.code, StudySession.attended_count))),
    }


@dataclass
class Difference:
    table: str
    live_only: list[tuple]
    rebuilt_only: list[tuple]

    def __str__(self) -> str:
        return (f"{self.table}: kept live but not by a rebuild {self.live_only}; "
                f"rebuilt but missing live {self.rebuilt_only}")


def differences_from_rebuild() -> list[Difference]:
    """The live summary rows against a rebuild from the raw tables, made inside a savepoint
    and rolled back, so the live rows go on to the next step untouched."""
    db.session.expire_all()
    live = summary_rows()
    savepoint = db.session.begin_nested()
    try:
        rebuild(db.session)
        rebuilt = summary_rows()
    finally:
        savepoint.rollback()
    db.session.expire_all()
    found = []
    for table in live:
        a, b = set(live[table]), set(rebuilt[table])
        if a != b:
            found.append(Difference(table, sorted(a - b), sorted(b - a)))
    return found
