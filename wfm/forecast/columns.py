"""The CSV's columns: the header, matching its names to the known columns, and parsing them.

Header names are matched case-insensitively after stripping whitespace, a run of spaces or hyphens
inside read as an underscore (``Interval Start`` is ``interval_start``), through the aliases in
:data:`COLUMN_ALIASES`; other columns are reported as unknown. pyarrow then parses only the known
columns, as text, from the input's bytes; when it cannot, :func:`_unreadable` says why, naming the
row where it can. Rows whose every field is empty (a spreadsheet's empty rows) are skipped, as blank
lines are.
"""

from __future__ import annotations

import csv
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from wfm.errors import InputError
from wfm.forecast.lines import LINE, csv_reader
from wfm.forecast.reading import MAX_LINE_BYTES
from wfm.forecast.source import column_name, quote, to_numpy

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "interval_start": ("interval_start", "interval", "start", "datetime", "timestamp"),
    "volume": ("volume", "calls", "offered", "contacts"),
    "aht": ("aht", "handle_time", "aht_s", "aht_sec", "avg_handle_time"),
    "queue": ("queue", "skill", "split"),
    "channel": ("channel", "media", "media_type"),
}
"""Accepted header names (lower case) for each column, the column's own name first."""

REQUIRED_COLUMNS: tuple[str, ...] = ("interval_start", "volume", "aht")

PASSIVE_COLUMNS: tuple[str, ...] = ("volume_lo", "volume_hi")
"""Columns wfm writes itself (``wfm forecast``'s prediction interval) and reads past without a
warning: a forecast wfm made is read as is."""

CANONICAL: dict[str, str] = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
"""Each accepted heading (as :func:`heading_key` reads it) -> the column it gives."""

_SPACES_OR_HYPHENS = re.compile(r"[\s-]+")


def heading_key(heading: str) -> str:
    """A heading as it is looked up in :data:`CANONICAL`: lower case, surrounding whitespace stripped, and each run
    of spaces or hyphens inside read as an underscore (``Interval Start``, ``interval-start`` and ``INTERVAL_START``
    are all ``interval_start``). No two aliases differ only by those; a heading read so does not compete with one
    matched as it is (see :func:`match_columns`)."""
    return _SPACES_OR_HYPHENS.sub("_", heading.strip().lower())

DEFAULT_QUEUE = "default"
"""Queue name of every row when the file has no queue column."""

MAX_COLUMNS = 1_000
"""Most columns accepted in the header: a forecast needs three or four. Checked before any rows
are parsed, so a very wide file fails at once instead of filling memory."""

_BLOCK_BYTES = 4 * MAX_LINE_BYTES
"""pyarrow's parsing block size: more than the longest line, as no row may straddle two blocks."""


def read_header(path: str, data: bytes | bytearray) -> tuple[list[str], int]:
    """The names in the file's first row with a non-empty field (blank lines and rows of empty fields such as
    ``,,,`` before it are skipped), stripped of surrounding whitespace, and that row's line in the file."""
    line = 1
    try:
        with csv_reader(data) as reader:
            for fields in reader:
                if any(fields):
                    break
                line = reader.line_num + 1
            else:
                fields = None
    except csv.Error as error:
        raise InputError(
            f"{path}: row {line}: expected a CSV header row, got unreadable text ({error})"
        ) from None
    if fields is None:
        raise InputError(
            f"{path}: the file is empty; expected a header row naming the columns "
            + ", ".join(REQUIRED_COLUMNS)
        )
    if len(fields) > MAX_COLUMNS:
        raise InputError(
            f"{path}: row {line}: expected a header of at most {MAX_COLUMNS:,} columns, "
            f"got {len(fields):,}"
        )
    return [heading.strip() for heading in fields], line


def match_columns(path: str, header: list[str], line: int | None = 1) -> tuple[dict[str, int], list[str]]:
    """Map each known column to its position in the header (at ``line`` in the file; None: the keys of records made
    in code, which messages call keys, without a row); also return the unknown names (not the PASSIVE_COLUMNS, which
    are read past without a warning).

    A heading matches an alias as it is (case aside), or else, for a required column, read by :func:`heading_key`
    (``Interval Start``); so a file that loaded before reads as it did (a ``Media Type`` column stays unknown, not
    the channel). One read so that gives a column another heading gives as it is stays unknown (``AHT`` and
    ``Handle Time`` load, the second ignored): only two headings of the same kind that give one column are
    refused."""
    place, kind = (f"{path}: row {line}", "column") if line is not None else (path, "key")
    exact = [CANONICAL.get(heading.lower()) for heading in header]
    given = {column for column in exact if column is not None}
    positions: dict[str, int] = {}
    unknown = []
    for position, heading in enumerate(header):
        key = heading_key(heading)
        column, loose = exact[position], CANONICAL.get(key)
        if column is None and loose not in given and loose in REQUIRED_COLUMNS:
            column = loose  # only a column the file would be refused without: a loaded file reads as it did
        if column is None:
            if key not in PASSIVE_COLUMNS:
                unknown.append(heading)
        elif column in positions:
            first = header[positions[column]]
            raise InputError(f"{place}: {kind}s {first!r} and {heading!r} both give {column}; expected one of them")
        else:
            positions[column] = position
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            separator = _other_separator(header) if line is not None else None
            if separator is not None:
                raise InputError(
                    f"{path}: row {line}: the file looks {separator}-separated (header {quote(','.join(header))}); "
                    "expected comma-separated columns: save it with commas between fields and a point as the "
                    "decimal separator (300.5, not 300,5)"
                )
            aliases = ", ".join(COLUMN_ALIASES[column])
            found = ", ".join(repr(heading) for heading in header)
            names = {heading_key(heading) for heading in header}
            split = column == "interval_start" and {"date", "time"} <= names
            raise InputError(
                f"{place}: missing {kind} {column!r} (accepted names: {aliases}); "
                f"found {kind}s {found}"
                + ("; join the date and time into one interval_start, such as 2026-12-01T08:00:00-06:00" if split
                   else "")
            )
    return positions, unknown


_OTHER_SEPARATORS = {";": "semicolon", "\t": "tab"}
"""Separators a spreadsheet may export with (a semicolon where the decimal separator is a comma), named."""


def _other_separator(header: list[str]) -> str | None:
    """For a header that lacks a required column, the name of a separator that splits it into more known columns
    (two at least) than commas do: such a file is refused as such, not as missing columns. It is not read with
    that separator: its numbers may have decimal commas, which a guess would misread."""
    line = ",".join(header)
    with_commas = sum(heading_key(heading) in CANONICAL for heading in header)
    for separator, name in _OTHER_SEPARATORS.items():
        known = {CANONICAL.get(heading_key(part)) for part in line.split(separator)} - {None}
        if len(known) >= max(2, with_commas + 1):
            return name
    return None


def read_rows(
    path: str, data: bytes | bytearray, columns: dict[str, int], n_columns: int, skip_empty: bool = True
) -> tuple[pa.Table, np.ndarray | None]:
    """The known columns of every data row as text (the header is read too, then dropped), and the CSV record of
    each row (0: the file's first; None: the header is record 0 and row i is record i + 1).

    The other columns are parsed, to check each row's field count, but not kept. With ``skip_empty``, rows whose
    every field is empty (``,,,``: a spreadsheet's empty rows, often trailing an export) are skipped wherever they
    are, as blank lines are, and so are any before the header.
    """
    names = [column_name(position) for position in range(n_columns)]
    kept = [column_name(position) for position in sorted(columns.values())]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=_BLOCK_BYTES),
            convert_options=pacsv.ConvertOptions(
                include_columns=kept, column_types=dict.fromkeys(kept, pa.string())
            ),
        )
    except pa.ArrowInvalid as error:
        raise _unreadable(path, data, n_columns, error) from None
    first = column_name(columns["interval_start"])  # a row without a start may be empty; the usual file has none
    if skip_empty and pc.min(pc.binary_length(table.column(first))).as_py() == 0:
        table, records = _without_empty_rows(data, table, names, kept)
    else:
        table, records = table.slice(1), None
    if table.num_rows < 1:
        raise InputError(
            f"{path}: the file has a header but no data rows; expected one row per interval"
        )
    return table, records


def _without_empty_rows(data: bytes | bytearray, table: pa.Table, names: list[str],
                        kept: list[str]) -> tuple[pa.Table, np.ndarray | None]:
    """The data rows of ``table`` (every record, the header among them) without those whose every field is empty,
    and the record of each row kept (None: the header is record 0 and nothing after it is skipped). The known
    columns say which rows may be empty; only those rows' other fields are then read, when the file has others."""
    blank = None
    for name in kept:
        empty = pc.equal(table.column(name), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is None or not pc.any(blank).as_py():
        return table.slice(1), None
    skip = to_numpy(blank.combine_chunks()).astype(bool)
    header = int(np.argmin(skip))  # the first row with a non-empty field: its known columns are named
    skip[:header + 1] = True
    others = [name for name in names if name not in kept]
    if others:  # a row empty in the known columns may still hold something in another: it is kept, and refused
        candidates = np.flatnonzero(skip[header + 1:]) + header + 1
        skip[candidates] = _other_fields_empty(data, names, others, candidates)
    records = np.flatnonzero(~skip)
    return table.take(pa.array(records)), records


def _other_fields_empty(data: bytes | bytearray, names: list[str], others: list[str],
                        rows: np.ndarray) -> np.ndarray:
    """For each record in ``rows``, whether its fields in the columns ``others`` are all empty: the file is parsed
    again for those columns, only when some row is empty in the known ones."""
    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(data)),
        read_options=pacsv.ReadOptions(column_names=names, block_size=_BLOCK_BYTES),
        convert_options=pacsv.ConvertOptions(include_columns=others, column_types=dict.fromkeys(others, pa.string())),
    ).take(pa.array(rows))
    empty = np.ones(rows.size, dtype=bool)
    for name in others:
        empty &= to_numpy(pc.equal(table.column(name), "").combine_chunks()).astype(bool)
    return empty


def _unreadable(path: str, data: bytes | bytearray, n_columns: int, error: Exception) -> InputError:
    """Explain why pyarrow could not read the file, naming the row where possible."""
    try:
        with csv_reader(data) as reader:
            first_line = 1
            for fields in reader:
                if fields and len(fields) != n_columns:
                    return InputError(
                        f"{path}: row {first_line}: expected {n_columns} fields like the header, "
                        f"got {len(fields)}"
                    )
                first_line = reader.line_num + 1
    except csv.Error:
        pass  # the checks below and pyarrow's reason say more
    for line_number, line in enumerate(LINE.finditer(data), start=1):
        try:
            line.group().decode("utf-8")
        except UnicodeDecodeError:
            return InputError(
                f"{path}: row {line_number}: expected UTF-8 text, got {line.group()[:40]!r}"
            )
    reason = str(error).splitlines()[0]
    return InputError(f"{path}: cannot read the file as CSV: {reason}")
