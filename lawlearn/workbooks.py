"""Reading the first sheet of an uploaded XLSX within limits, for every reader of workbooks
(the imports and the question banks).

An XLSX is a zip: 3.4 MB can unpack to 380 MB of sheet XML, and parsing that kept a worker
busy until it was killed. So before parsing: the sizes the zip declares for its members (the
zip module stops at a member's declared size and fails its checksum if the data is longer, so
they are honest bounds) must stay under a limit, and the sheet is read in streaming
(read-only) mode, row by row, stopping as soon as it holds more rows than allowed. The limits
are settings (config.py); the messages say which one was hit.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from typing import Any

from flask import current_app, has_app_context

from lawlearn.i18n import gettext as _

DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_UNPACKED_MB = 200


class WorkbookError(ValueError):
    """The workbook can't be read, or is beyond a limit; str() says which, for the user."""


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default)) if has_app_context() else default


def max_rows() -> int:
    return _limit("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def _check_zip(data: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookError(_("This is not a readable .xlsx workbook.")) from None
    unpacked = sum(m.file_size for m in members)
    limit_mb = _limit("IMPORT_MAX_UNPACKED_MB", DEFAULT_MAX_UNPACKED_MB)
    if unpacked > limit_mb * 1024 * 1024:
        raise WorkbookError(_(
            "This workbook unpacks to %(size)d MB, more than the %(limit)d MB an upload may "
            "hold. Split it into smaller files, or save it as CSV.",
            size=unpacked // (1024 * 1024), limit=limit_mb))


def cell_value(value: Any) -> Any:
    """A cell as the checks can take it: a number no arithmetic can hold (NaN, infinity, an
    integer beyond a double's exact range) becomes its text, so it is reported, not computed."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


def first_sheet_rows(data: bytes) -> list[list[Any]]:
    """The first sheet's rows of raw values; WorkbookError when unreadable or too large."""
    from openpyxl import load_workbook

    _check_zip(data)
    limit = max_rows()
    too_many = WorkbookError(_(
        "The sheet has more than %(limit)d rows, more than one upload may hold. Split it into "
        "smaller files.", limit=limit))
    rows: list[list[Any]] = []
    # openpyxl warns about cells it can't convert (a date serial beyond any calendar) and
    # reads them as errors ("#VALUE!"), which the checks then report like any bad value.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any parser failure means the same to the user
            raise WorkbookError(_("This is not a readable .xlsx workbook.")) from None
        try:
            sheet = workbook.worksheets[0]
            if (sheet.max_row or 0) > limit + 1:  # the sheet's own <dimension>, read first
                raise too_many
            for values in sheet.iter_rows(values_only=True):
                rows.append([cell_value(v) for v in values])
                if len(rows) > limit + 1:  # the header row, then at most `limit` rows
                    raise too_many
        except WorkbookError:
            raise
        except Exception:  # noqa: BLE001 - a cell openpyxl can't parse (a 5,000-digit number)
            raise WorkbookError(_("This is not a readable .xlsx workbook: a cell holds a value "
                                  "Excel could not have written.")) from None
        finally:
            workbook.close()
    return rows
