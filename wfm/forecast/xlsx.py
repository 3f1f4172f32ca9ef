"""Excel workbooks (``.xlsx``) as forecasts: one sheet, turned into the CSV text the loader checks.

A workbook forecast is read through openpyxl in read-only mode (cached values, never formulas), from its
first worksheet or the one named ``sheet`` (``--sheet``). The sheet's header row is its first non-empty row and
names the same columns as a CSV forecast (:data:`~wfm.forecast.columns.COLUMN_ALIASES`). Each sheet row
becomes one line of CSV text, empty rows included, so a data row's line number in that text is its row
number in the sheet; :func:`~wfm.forecast.loader.load_forecast` then parses and validates the text with
the CSV loader itself, under a name that adds the sheet (``forecast.xlsx, sheet 'Week'``), so every
check and every message is the CSV's, pointing at the sheet's row and column.

Cells become the text a CSV would hold: an Excel date-time its naive ISO 8601 form (``2026-12-01T08:00:00``,
then localised by ``--tz`` like any naive timestamp), a number its shortest exact form, text as it is.
Only the known columns are carried over; the other columns keep their heading (so they are reported as
ignored) but not their cells. A known cell holding a line break is an error: no CSV row can hold one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from wfm.errors import InputError
from wfm.forecast import columns, reading
from wfm.forecast.columns import CANONICAL, heading_key
from wfm.forecast.source import quote


def read_sheet(given: str, name: str, sheet: str | None, what: str = "sheet") -> tuple[str, bytes, str]:
    """The sheet ``sheet`` (default: the first worksheet) of the workbook at ``given`` as CSV text.

    Returns the name messages use for the sheet (``forecast.xlsx, sheet 'Week'``), the CSV bytes (one
    line per sheet row) and the SHA-256 of the workbook's bytes as read. Raises InputError, naming
    ``name``, when the file cannot be read as a workbook or has no such sheet (naming ``what`` gave it: the
    parameter, or the CLI's ``--sheet``).
    """
    from openpyxl import load_workbook

    data, sha256 = reading.read_input(given, name, text=False)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl reports a damaged file with many exception types
        raise InputError(
            f"{name}: cannot read the file as an Excel workbook (.xlsx): {_reason(error)}; "
            "an .xls, .ods or password-protected file must be saved as .xlsx or CSV first"
        ) from None
    try:
        worksheet = _worksheet(name, workbook, sheet, what)
        label = f"{name}, sheet {worksheet.title!r}"
        try:
            text = _sheet_text(label, worksheet)
        except InputError:
            raise
        except Exception as error:  # a damaged sheet part, found while its rows stream by
            raise InputError(f"{label}: cannot read the sheet: {_reason(error)}") from None
    finally:
        workbook.close()
    return label, text, sha256


def _worksheet(name: str, workbook: Any, sheet: str | None, what: str) -> Any:
    """The worksheet named ``sheet``, or the workbook's first worksheet."""
    names = ", ".join(repr(title) for title in workbook.sheetnames)
    if sheet is None:
        if not workbook.worksheets:
            raise InputError(f"{name}: the workbook has no worksheet; expected one with the forecast")
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        raise InputError(f"{name}: {what}: no sheet {sheet!r}; the workbook has {names}")
    chosen = workbook[sheet]
    if not hasattr(chosen, "iter_rows"):
        raise InputError(f"{name}: {what}: {sheet!r} is a chart, not a worksheet; the workbook has {names}")
    return chosen


def _sheet_text(label: str, worksheet: Any) -> bytes:
    """The sheet as CSV bytes: one line per row up to the last non-empty one, the header's width."""
    header_row, header = _header(worksheet)
    if header_row is None:
        return b""  # the loader reports an empty input
    width = len(header)
    known = [heading_key(heading) in CANONICAL for heading in header]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    out.write("\n" * (header_row - 1))
    writer.writerow(header)
    if width > columns.MAX_COLUMNS:
        return out.getvalue().encode("utf-8")  # the loader reports the header's width
    blank_run = 0  # empty rows not yet written: only rows before a non-empty one are
    for row_number, values in enumerate(
        worksheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True), start=header_row + 1
    ):
        if all(_empty(value) for value in values):
            blank_run += 1
            continue
        fields = [_cell_text(label, row_number, header[i], value) if known[i] else "" for i, value in enumerate(values)]
        out.write("\n" * blank_run)
        blank_run = 0
        line_start = out.tell()
        writer.writerow(fields)
        if out.tell() - line_start > reading.MAX_LINE_BYTES // 4 and _line_bytes(fields) > reading.MAX_LINE_BYTES:
            raise InputError(f"{label}: row {row_number}: expected a row of at most {reading.MAX_LINE_BYTES:,} bytes of "
                             "text, got a longer one")
        if out.tell() > reading.MAX_INPUT_BYTES:
            raise reading._too_large(label)
    return out.getvalue().encode("utf-8")


def _header(worksheet: Any) -> tuple[int | None, list[str]]:
    """The first non-empty row's number and its cells as text (trailing empty cells dropped)."""
    rows: Iterator[tuple[Any, ...]] = worksheet.iter_rows(max_col=columns.MAX_COLUMNS + 1, values_only=True)
    for row_number, values in enumerate(rows, start=1):
        if any(not _empty(value) for value in values):
            cells = list(values)
            while cells and _empty(cells[-1]):
                cells.pop()
            return row_number, [_heading(value) for value in cells]
    return None, []


def _line_bytes(fields: list[str]) -> int:
    return sum(len(field.encode("utf-8")) for field in fields) + len(fields)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _heading(value: Any) -> str:
    text = "" if value is None else _text(value)
    return " ".join(text.splitlines())  # one header line, so rows keep their numbers


def _cell_text(label: str, row_number: int, heading: str, value: Any) -> str:
    """The CSV text of a cell of a known column."""
    text = "" if value is None else _text(value)
    if "\n" in text or "\r" in text:
        raise InputError(f"{label}: row {row_number}, column {heading.strip()!r}: expected a value on one line, "
                         f"got one with a line break ({quote(text)})")
    return text


def _text(value: Any) -> str:
    """A cell's value as the text a CSV file would hold."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.microsecond:
            whole = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
            if abs((value - whole).total_seconds()) <= 0.001:  # Excel keeps times to a millisecond
                value = whole
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    return str(value)



def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return text or type(error).__name__
