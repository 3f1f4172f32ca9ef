"""plan.xlsx (``wfm plan --xlsx``): the plan's tables as one Excel workbook, written with openpyxl.

One sheet per table: ``summary`` (the per-queue figures of summary.json), ``requirements``, ``shifts`` and
``coverage`` (the columns of the CSV files of the same names). Cells are typed: numbers are Excel numbers,
true/false Excel booleans, days Excel dates and times Excel date-times in the queue's local time (an Excel
date-time has no zone, so a column ``utc_offset`` follows ``interval_start``, as ``-06:00``); an infinite
or missing number is an empty cell; fractions (service level, occupancy, ...) are shown as percentages and
money with cents, their values unchanged. The header row is frozen. Every text cell is stored as text, never as a
formula, and one that starts with ``=``, ``+``, ``-`` or ``@`` also carries Excel's quote prefix, so a queue
named ``=HYPERLINK(...)`` stays a name even when a user edits the cell.

The workbook is returned as bytes for :func:`wfm.report.plan_files.write_plan` to put into the plan folder
with the other files (built aside and swapped in whole). It is not byte-identical between runs (the
workbook records when it was made); the CSV and JSON files are.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from wfm.report.documents import requirement_columns
from wfm.report.plan_documents import coverage_columns, queue_plan_record, shift_columns
from wfm.times import offset_text

if TYPE_CHECKING:
    from wfm.plan import Plan

FORMULA_PREFIXES = ("=", "+", "-", "@")
"""Text starting with one of these is what spreadsheets read as a formula: written with a quote prefix."""

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"

_AWARE_TIME_COLUMNS = ("interval_start",)
"""Columns of ISO 8601 times with a UTC offset: a local date-time, then ``utc_offset``."""
_LOCAL_TIME_COLUMNS = ("start", "end")
"""Columns of local ISO 8601 times without an offset."""
_DATE_COLUMNS = ("day",)
PERCENT_FORMAT = "0.0%"
MONEY_FORMAT = "#,##0.00"
_PERCENT_COLUMNS = frozenset({"service_level", "occupancy", "efficiency", "shrinkage", "part_time_share",
                              "solver_gap", "abandon_rate"})
"""Fractions: stored as they are (0.8348), shown as a percentage (83.5%)."""
_MONEY_COLUMNS = frozenset({"labour_cost", "premium_cost", "seat_cost", "overhead_cost", "total_cost",
                            "cost_per_contact", "cost_per_fte", "revenue", "bonus_or_penalty", "margin"})
"""Amounts of money: shown with thousands separators and cents (the currency is the rates')."""


def plan_workbook(plan: Plan, tables: Mapping[str, Mapping[str, Sequence[Any] | np.ndarray]] | None = None) -> bytes:
    """plan.xlsx as bytes: summary, requirements, shifts and coverage sheets, and with site rates a cost sheet.
    ``tables``: the requirements, shifts and coverage columns when the caller has built them already (the plan
    folder's CSV files); else they are built here."""
    from openpyxl import Workbook

    from wfm.report.plan_documents import cost_rows

    workbook = Workbook(write_only=True)
    sheets: list[tuple[str, Mapping[str, Sequence[Any] | np.ndarray]]] = [
        ("summary", summary_columns(plan)),
        ("requirements", tables["requirements"] if tables else requirement_columns(plan.requirement)),
        ("shifts", tables["shifts"] if tables else shift_columns(plan)),
        ("coverage", tables["coverage"] if tables else coverage_columns(plan)),
    ]
    rows = cost_rows(plan)  # with [sites.NAME] rates: the week's cost per queue, site and plan
    if rows:
        keys = list(dict.fromkeys(k for row in rows for k in row))
        sheets.append(("cost", {k: [row.get(k) for row in rows] for k in keys}))
    for title, table in sheets:
        _write_sheet(workbook, title, table, _summary_formats(plan) if title == "summary" else {})
    # the same plan gives the same bytes (a cron job's reruns compare equal): the document's created and modified
    # times are the forecast's first instant, not the clock (openpyxl's save() stamps "now"), and every member
    # of the zip is dated at the zip epoch
    from openpyxl.writer.excel import ExcelWriter

    first = plan.requirement.forecast.interval_start
    stamp = first.min().astype("datetime64[s]").astype(dt.datetime) if first.size else dt.datetime(2000, 1, 1)
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    ExcelWriter(workbook, _UndatedZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


class _UndatedZip(zipfile.ZipFile):
    """A zip whose members carry 1980-01-01 00:00 (the zip format's epoch) rather than the time of writing (or,
    for the sheets a write-only workbook streams through temporary files, their files' times), with the
    attributes ZipFile.writestr gives a member named by a string."""

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None,
              compresslevel: Any = None) -> None:
        with open(filename, "rb") as fh:
            self.writestr(arcname if arcname is not None else str(filename), fh.read(), compress_type, compresslevel)

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None,
                 compresslevel: Any = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def summary_columns(plan: Plan) -> dict[str, list[Any]]:
    """One row per queue: the week, the queue's site and the single figures of its summary.json record
    (headcount, FTE, seats, service level, ...), its shrinkage and its solver's status and gap."""
    sites = {queue: site.site for site in plan.sites for queue in site.queues}
    rows: list[dict[str, Any]] = []
    for q in plan.queues:
        record = queue_plan_record(q)
        row: dict[str, Any] = {"week": plan.week, "queue": q.queue, "site": sites.get(q.queue)}
        row |= {key: value for key, value in record.items() if key not in row and _is_scalar(value)}
        shrinkage, solver = record.get("shrinkage"), record.get("solver")
        if isinstance(shrinkage, Mapping):
            row["shrinkage"] = shrinkage.get("total")
        if isinstance(solver, Mapping):
            row |= {"solver_status": solver.get("status"), "solver_gap": solver.get("gap"),
                    "time_limit_hit": solver.get("time_limit_hit")}
        rows.append(row)
    names = list(dict.fromkeys(key for row in rows for key in row))
    return {name: [row.get(name) for row in rows] for name in names}


def _summary_formats(plan: Plan) -> dict[str, list[str | None]]:
    """The summary sheet's week service level per queue, shown with the decimals to read below its target when it
    misses it (79.997 % is "79.997%", not "80.0%"), as the table and report.html show it; the value stays exact."""
    from wfm.report.numbers import pct_against

    formats: list[str | None] = []
    for q in plan.queues:
        text = pct_against(q.evaluation.service_level_week, q.targets.service_level)
        places = len(text.rstrip("%").partition(".")[2])
        formats.append("0." + "0" * places + "%" if places else "0%")
    return {"service_level": formats}


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, np.generic))


def _write_sheet(workbook: Any, title: str, table: Mapping[str, Sequence[Any] | np.ndarray],
                 cell_formats: Mapping[str, Sequence[str | None]] | None = None) -> None:
    """One sheet: the header row (frozen), then the table's rows as typed cells; ``cell_formats``: a column's
    number format row by row, where one format for the whole column does not do."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    columns = _typed_columns(table)
    for position, (name, values) in enumerate(columns.items(), start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _width(name, values)
    sheet.append([_cell(sheet, name) for name in columns])
    formats = [PERCENT_FORMAT if name in _PERCENT_COLUMNS else MONEY_FORMAT if name in _MONEY_COLUMNS else None
               for name in columns]
    own = {list(columns).index(name): given for name, given in (cell_formats or {}).items() if name in columns}
    for r, row in enumerate(zip(*columns.values())):
        sheet.append([_formatted(_cell(sheet, value), sheet, own[c][r] if c in own else number_format)
                      for c, (value, number_format) in enumerate(zip(row, formats))])


def _formatted(cell: Any, sheet: Any, number_format: str | None) -> Any:
    """A number ``cell`` shown with ``number_format`` (a fraction as a percentage, money with cents)."""
    from openpyxl.cell import WriteOnlyCell

    if number_format is None or isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return cell
    out = WriteOnlyCell(sheet, value=cell)
    out.number_format = number_format
    return out


def _typed_columns(table: Mapping[str, Sequence[Any] | np.ndarray]) -> dict[str, list[Any]]:
    """The table's columns as Python values for cells: ISO times as date-times, days as dates."""
    out: dict[str, list[Any]] = {}
    for name, column in table.items():
        values = np.asarray(column).tolist()
        if name in _AWARE_TIME_COLUMNS:
            times = [_parse_time(v) for v in values]
            if all(t is not None for t in times):
                out[name] = [t.replace(tzinfo=None) if t else None for t in times]
                out["utc_offset"] = [_offset_text(t) for t in times]
                continue
        elif name in _LOCAL_TIME_COLUMNS:
            times = [_parse_time(v) for v in values]
            if all(t is not None and t.tzinfo is None for t in times):
                out[name] = times
                continue
        elif name in _DATE_COLUMNS:
            days = [_parse_date(v) for v in values]
            if all(d is not None for d in days):
                out[name] = days
                continue
        out[name] = values
    return out


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _offset_text(time: dt.datetime | None) -> str | None:
    offset = time.utcoffset() if time is not None else None
    return None if offset is None else offset_text(int(offset.total_seconds()))


def _cell(sheet: Any, value: Any) -> Any:
    """A write-only cell of the right type: text never becomes a formula, infinities and NaN are empty."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return _text_cell(sheet, str(value))


def _text_cell(sheet: Any, text: str) -> Any:
    """A cell holding ``text`` as text: data type string, with the quote prefix where a spreadsheet would
    otherwise read a formula; characters XML cannot hold are replaced by U+FFFD."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = text
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def _width(name: str, values: Sequence[Any]) -> float:
    """A column width that shows the heading and a typical value."""
    sample = values[:200]
    longest = max((len(_shown(v)) for v in sample), default=0)
    return float(min(max(len(name), longest, 8) + 2, 60))


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return "2026-12-01 08:00"
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)
