"""Small readers for pages and the database, so the tests read like the user's story."""

from __future__ import annotations

import csv
import html
import io
import re

import sqlalchemy as sa

from lawlearn.extensions import db

EN = {"Accept-Language": "en"}


# --- pages ----------------------------------------------------------------------------------

def text(response) -> str:
    return response.get_data(as_text=True)


def field_errors(page: str, field_id: str) -> list[str]:
    """The error messages render_field shows next to one field (ids `<field>-error`, then
    `<field>-error-2`, … so each is its own aria-describedby target)."""
    return [html.unescape(m) for m in re.findall(
        rf'<p class="error" id="{re.escape(field_id)}-error(?:-\d+)?">(.*?)</p>', page, re.S)]


def input_value(page: str, name: str) -> str | None:
    """What an <input name=...> holds: the user's typing kept after an error."""
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def selected_value(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    if select is None:
        return None
    option = re.search(r'<option selected value="([^"]*)"', select.group(1)) or re.search(
        r'<option value="([^"]*)" selected', select.group(1))
    return option.group(1) if option else None


def select_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no <select name={name}> on the page"
    return re.findall(r'value="([^"]*)"', select.group(1))


def table_rows(page: str, table_class: str | None = None) -> list[list[str]]:
    """The cells of every body row of the first table (or the first of that class)."""
    pattern = rf'<table[^>]*class="[^"]*{table_class}[^"]*"[^>]*>(.*?)</table>' if table_class \
        else r"<table[^>]*>(.*?)</table>"
    table = re.search(pattern, page, re.S)
    assert table, "no table on the page"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S)
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def card_figures(page: str) -> dict[str, int]:
    """The big numbers on a page's cards, by their label."""
    return {html.unescape(label).strip(): int(figure.replace(",", "")) for figure, label in
            re.findall(r'<div class="figure">([\d,]+)</div><div class="label">([^<]+)</div>', page)}


def flashes(page: str) -> list[str]:
    return [html.unescape(m).strip() for m in re.findall(
        r'<div class="flash flash-\w+" role="\w+">(.*?)</div>', page, re.S)]


def location_path(response) -> str:
    """The path a redirect points at (relative or absolute Location alike)."""
    from urllib.parse import urlsplit

    parts = urlsplit(response.headers["Location"])
    assert parts.netloc in ("", "localhost"), response.headers["Location"]
    return parts.path


# --- the database ---------------------------------------------------------------------------

def scalar(app, stmt):
    with app.app_context():
        return db.session.scalar(stmt)


def scalars(app, stmt) -> list:
    with app.app_context():
        return list(db.session.scalars(stmt))


def rows(app, stmt) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(stmt)]


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit_actions(app, object_type: str, object_id: int | None = None) -> list[str]:
    from lawlearn.models import AuditEvent

    stmt = sa.select(AuditEvent.action).where(AuditEvent.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    return scalars(app, stmt.order_by(AuditEvent.id))


def every_stored_value(app) -> str:
    """Every value in every table, as one string: for proving something is stored nowhere."""
    with app.app_context():
        parts = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)):
                parts.append(repr(tuple(row)))
        return "\n".join(parts)


# --- files ----------------------------------------------------------------------------------

def csv_file(rows: list[list], *, bom: bool = True, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    body = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + body) if bom and encoding == "utf-8" else body


def xlsx_file(rows: list[list], *, numbers_as_floats: bool = False) -> bytes:
    """An .xlsx of `rows`. openpyxl writes 12.0 as <v>12</v>, which reads back as an int; with
    `numbers_as_floats` every number cell is written as <v>12.0</v> and reads back as a float,
    as files from some exporters do (13900000011.0 for a phone, 330101001.0 for a code)."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    if not numbers_as_floats:
        return out.getvalue()
    rewritten = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'(t="n"><v>)(-?\d+)(</v>)', rb"\1\2.0\3", data)
            target.writestr(item, data)
    return rewritten.getvalue()
