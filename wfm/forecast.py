"""Load a contact-volume forecast from CSV into columnar numpy arrays.

A forecast file has a header row and one row per queue and interval::

    interval_start,queue,volume,aht
    2026-12-01T08:00:00-06:00,sales,42,310
    2026-12-01T08:15:00-06:00,sales,55.5,305

* ``interval_start`` is an ISO 8601 timestamp. Either every row carries a UTC offset (``-06:00``,
  ``-0600``, ``-06`` or ``Z``) or none does, and then the caller names the IANA time zone of the
  local times (``tz="America/Chicago"``, the CLI's ``--tz``). Date and time are separated by
  ``T`` or a space; seconds are optional.
* ``volume`` is the number of contacts offered in the interval: a finite number >= 0, which may
  be fractional.
* ``aht`` is the average handle time in seconds: a finite number > 0 where volume > 0. Where
  volume is 0 it may be blank or 0 and is stored as 0.
* ``queue`` is optional; without it every row belongs to the queue ``default``.

Header names are matched case-insensitively after stripping whitespace, through the aliases in
:data:`COLUMN_ALIASES`. Other columns are ignored with a warning.

The input is read exactly once, in chunks, into memory, and hashed as it is read
(:attr:`Forecast.source_sha256`); it can be a regular file, a pipe, a FIFO, ``/dev/stdin`` or ``-``
for standard input. While reading, it is checked against :data:`MAX_INPUT_BYTES` and
:data:`MAX_LINE_BYTES` and for NUL bytes, so binary or runaway input fails before memory grows; the
header is checked against :data:`MAX_COLUMNS`. pyarrow then parses the known columns as text from
that buffer, and they are converted with vectorised pyarrow and numpy operations, so a year of
15-minute intervals for 50 queues (1.75 million rows) loads in a few seconds. Only the paths that
report a problem look at single rows, and they work from the same bytes. Every problem with the
input raises :class:`~wfm.errors.WfmError` with one line naming the file, the row (its line
number in the file, the header being line 1), the column, what was expected and what was found.
Dates must lie in the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`, and a row's offered traffic
must not exceed ``wfm.erlang.MAX_TRAFFIC_ERLANGS``.

Each queue's interval length is the smallest step between its consecutive starts, measured in
real (UTC) time, or the length the caller gives. A day with a daylight-saving change therefore
has 23 or 25 hours of intervals, and its 15-minute intervals are still 900 seconds long.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from wfm.errors import InputError, WfmError

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "interval_start": ("interval_start", "interval", "start", "datetime", "timestamp"),
    "volume": ("volume", "calls", "offered", "contacts"),
    "aht": ("aht", "handle_time", "aht_s", "aht_sec", "avg_handle_time"),
    "queue": ("queue", "skill", "split"),
}
"""Accepted header names (lower case) for each column, the column's own name first."""

REQUIRED_COLUMNS: tuple[str, ...] = ("interval_start", "volume", "aht")

DEFAULT_QUEUE = "default"
"""Queue name of every row when the file has no queue column."""

ALLOWED_INTERVAL_MINUTES: tuple[int, ...] = tuple(m for m in range(1, 1441) if 1440 % m == 0)
"""Interval lengths that tile a day exactly: the divisors of 1440 minutes."""

STDIN_PATH = "-"
"""The path that means standard input."""

STDIN_NAME = "<stdin>"
"""How standard input is named in messages and in :attr:`Forecast.path`."""

MAX_INPUT_BYTES = 2 << 30
"""Largest input read, in bytes (2 GiB, some 40 million rows). Loading takes several times the
input's size in memory, and a column's text must fit pyarrow's 32-bit string offsets."""

MAX_LINE_BYTES = 1 << 20
"""Longest line read, in bytes (1 MiB). A forecast line is under 100 bytes; a longer one is binary
data or a runaway field, reported as soon as it is seen instead of after reading it all."""

MAX_COLUMNS = 1_000
"""Most columns accepted in the header: a forecast needs three or four. Checked before any rows
are parsed, so a very wide file fails at once instead of filling memory."""

FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Years accepted in ``interval_start``: wide enough for any history or plan, and far enough from
the ends of Python's dates (years 1 to 9999) that date and week arithmetic downstream cannot
overflow. A date outside them is a typo."""

_READ_CHUNK_BYTES = 1 << 20
"""Bytes read at a time: at most MAX_LINE_BYTES, so only a line across chunks can be too long."""

_BLOCK_BYTES = 4 * MAX_LINE_BYTES
"""pyarrow's parsing block size: more than the longest line, as no row may straddle two blocks."""

_SECONDS_PER_DAY = 86_400
_FIRST_SECOND = int(np.datetime64(f"{FIRST_YEAR}-01-01", "s").astype(np.int64))
_END_SECOND = int(np.datetime64(f"{LAST_YEAR + 1}-01-01", "s").astype(np.int64))
_LINE = re.compile(rb"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
"""A line of bytes with its line break: CR, LF or CRLF, as pyarrow and the csv module see them."""

_TIMESTAMP_PATTERN = (
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<hour_minute>\d{2}:\d{2})"
    r"(?::(?P<second>\d{2})(?:\.0+)?)?\s*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_CLOCK_FORMAT = "%Y-%m-%dT%H:%M:%S"
_NUMBER_PATTERN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"

_EXPECTED_TIMESTAMP = "an ISO 8601 timestamp such as 2026-12-01T08:00:00-06:00"
_EXPECTED_VOLUME = "a finite number >= 0"
_EXPECTED_AHT = "a finite number of seconds > 0 (blank or 0 only where volume is 0)"
_EXPECTED_DATE = f"a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"


@dataclass(frozen=True, eq=False)
class Forecast:
    """A validated forecast, one array element per row, rows sorted by (queue, UTC start).

    Times are whole seconds; volumes are contacts; handle times and interval lengths are seconds.
    """

    path: str
    """The file as the caller named it, used in messages (``<stdin>`` for ``-``)."""
    source_sha256: str
    """SHA-256 (hex) of the bytes read, hashed while reading them: the input actually loaded."""
    queue_names: tuple[str, ...]
    """Queue names, sorted."""
    queue: np.ndarray
    """int32: index into ``queue_names`` of each row."""
    interval_start: np.ndarray
    """datetime64[s]: UTC instant at which each interval starts."""
    utc_offset_s: np.ndarray
    """int32: UTC offset of local time at the start, in seconds (local = UTC + offset)."""
    interval_s: np.ndarray
    """float64: length of each row's interval in seconds of real time."""
    volume: np.ndarray
    """float64: contacts offered in the interval."""
    aht_s: np.ndarray
    """float64: average handle time in seconds (0 where volume is 0 and none was given)."""
    tz: str | None
    """The IANA zone that localised naive timestamps, or None when the file carries offsets."""
    warnings: tuple[str, ...]
    """One-line warnings for the CLI to print."""

    @property
    def n_rows(self) -> int:
        """Number of rows (queue intervals)."""
        return len(self.volume)

    @property
    def traffic_erlangs(self) -> np.ndarray:
        """float64: offered traffic in Erlangs, volume * aht_s / interval_s."""
        return self.volume * self.aht_s / self.interval_s

    @property
    def local_start(self) -> np.ndarray:
        """datetime64[s]: wall-clock local time at which each interval starts."""
        return self.interval_start + self.utc_offset_s.astype("timedelta64[s]")

    @property
    def interval_minutes(self) -> dict[str, int]:
        """Interval length of each queue in minutes."""
        first_rows = np.searchsorted(self.queue, np.arange(len(self.queue_names)))
        return {
            name: int(self.interval_s[row]) // 60 for name, row in zip(self.queue_names, first_rows)
        }


def load_forecast(
    path: str | os.PathLike[str], *, tz: str | None = None, interval_minutes: int | None = None
) -> Forecast:
    """Read, validate and sort the forecast CSV at ``path`` (``-`` for standard input).

    ``tz`` is the IANA zone of naive local timestamps; it is ignored when the file carries UTC
    offsets (so it can be a configured default). ``interval_minutes`` fixes the interval length of every queue instead
    of inferring it; it must divide 1440 and every local start must lie on its grid.
    Raises WfmError, with one line naming file, row and column, for any problem with the input.
    The input is read once, so it can be a pipe; messages name standard input ``<stdin>``.
    """
    given = os.fspath(path)
    name = STDIN_NAME if given == STDIN_PATH else given
    if interval_minutes is not None:
        _check_interval_option(name, interval_minutes)
    if tz is not None:
        _check_zone(name, tz)
    data, sha256 = _read_input(given, name)
    return _parse(name, data, sha256, tz=tz, interval_minutes=interval_minutes)


def forecast_from_records(
    records: Iterable[Mapping[str, Any]], *, tz: str | None = None, interval_minutes: int | None = None,
    name: str = "<records>",
) -> Forecast:
    """A forecast built in code, checked exactly as a file is: ``records`` are mappings with the CSV's
    columns (``interval_start``, ``volume``, ``aht``, optionally ``queue``; the same aliases), one per
    interval. ``interval_start`` may be ISO 8601 text, a ``datetime`` (aware, or naive with ``tz``) or a
    ``numpy.datetime64`` (naive: give ``tz``, e.g. ``"UTC"``). Messages name ``name`` and the record's
    position as its row (the first record is row 2, as in a file with a header)."""
    rows = [dict(record) for record in records]
    if not rows:
        raise InputError(f"{name}: no records; expected one per queue and interval")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_record_text(row.get(column)) for column in columns] for row in rows)
    data = text.getvalue().encode("utf-8")
    if interval_minutes is not None:
        _check_interval_option(name, interval_minutes)
    if tz is not None:
        _check_zone(name, tz)
    return _parse(name, data, hashlib.sha256(data).hexdigest(), tz=tz, interval_minutes=interval_minutes)


def forecast_from_arrays(
    interval_start: Any, volume: Any, aht_s: Any, *, queue: Any = None, tz: str | None = None,
    interval_minutes: int | None = None, name: str = "<arrays>",
) -> Forecast:
    """A forecast from equal-length arrays (or lists): interval starts, contacts offered, handle times in
    seconds and optionally queue names; checked exactly as a file is (see :func:`forecast_from_records`)."""
    starts, volumes, ahts = list(interval_start), list(volume), list(aht_s)
    queues = None if queue is None else list(queue)
    if not len(starts) == len(volumes) == len(ahts) == (len(starts) if queues is None else len(queues)):
        raise ValueError("interval_start, volume, aht_s (and queue) must have the same length")
    records = [
        {"interval_start": start, "volume": v, "aht": a} | ({} if queues is None else {"queue": queues[i]})
        for i, (start, v, a) in enumerate(zip(starts, volumes, ahts))
    ]
    return forecast_from_records(records, tz=tz, interval_minutes=interval_minutes, name=name)


def _record_text(value: Any) -> str:
    """One record value as the CSV text the loader reads."""
    if value is None:
        return ""
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[s]"))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def _parse(name: str, data: bytes, sha256: str, *, tz: str | None, interval_minutes: int | None) -> Forecast:
    """Validate and sort a forecast from the CSV bytes ``data`` (messages name ``name``)."""
    header = _read_header(name, data)
    columns, unknown = _match_columns(name, header)
    table = _read_rows(name, data, columns, len(header))
    source = _Source(name, tuple(header), columns, data, table)
    warnings = []
    if unknown:
        listed = ", ".join(repr(column) for column in unknown)
        warnings.append(f"{name}: ignoring unknown columns {listed}")

    queue_names, queue = _parse_queues(source)
    volume = _parse_volume(source)
    aht_s = _parse_aht(source, volume)
    local, offset = _parse_starts(source)
    if offset is not None:
        tz = None  # the offsets in the file say where each start is
        utc = local - offset
    elif tz is None:
        raise source.error(
            [0],
            "interval_start",
            f"expected a UTC offset such as -06:00, got {source.cell(0, 'interval_start')} "
            "without one; add offsets to the file or pass --tz ZONE (such as --tz America/Chicago)",
        )
    else:
        utc = _localize(source, local, queue, tz)

    rows = np.lexsort((utc, queue))
    queue, utc, local = queue[rows], utc[rows], local[rows]
    _check_duplicates(source, queue_names, queue, utc, local, rows)
    interval_s, gap_warnings = _interval_lengths(
        source, queue_names, queue, utc, local, rows, interval_minutes, tz
    )
    volume, aht_s = volume[rows], aht_s[rows]
    _check_traffic(source, volume, aht_s, interval_s, rows)
    return Forecast(
        path=name,
        source_sha256=sha256,
        queue_names=queue_names,
        queue=queue,
        interval_start=utc.view("datetime64[s]"),
        utc_offset_s=(local - utc).astype(np.int32),
        interval_s=interval_s,
        volume=volume,
        aht_s=aht_s,
        tz=tz,
        warnings=tuple(warnings + gap_warnings),
    )


def format_local(interval_start: np.ndarray, utc_offset_s: np.ndarray) -> np.ndarray:
    """Format UTC instants as local ISO 8601 text with offset, such as 2026-12-01T08:00:00-06:00.

    ``interval_start`` is datetime64 (UTC), ``utc_offset_s`` the offset of local time in seconds.
    Returns an array of str.
    """
    offsets = np.asarray(utc_offset_s)
    local = np.asarray(interval_start, "datetime64[s]") + offsets.astype("timedelta64[s]")
    distinct, which = np.unique(offsets, return_inverse=True)
    suffixes = np.array([_offset_text(int(seconds)) for seconds in distinct], dtype=str)
    return np.char.add(
        np.datetime_as_string(local, unit="s"), suffixes[which.reshape(offsets.shape)]
    )


def select(forecast: Forecast, mask: np.ndarray) -> Forecast:
    """The rows where the boolean ``mask`` is true; queues left without rows are dropped."""
    keep = np.asarray(mask, dtype=bool)
    if keep.shape != (forecast.n_rows,):
        raise ValueError(f"mask has shape {keep.shape}, expected ({forecast.n_rows},)")
    present = np.unique(forecast.queue[keep])
    renumber = np.zeros(len(forecast.queue_names), dtype=np.int32)
    renumber[present] = np.arange(len(present), dtype=np.int32)
    return dataclasses.replace(
        forecast,
        queue_names=tuple(forecast.queue_names[q] for q in present),
        queue=renumber[forecast.queue[keep]],
        interval_start=forecast.interval_start[keep],
        utc_offset_s=forecast.utc_offset_s[keep],
        interval_s=forecast.interval_s[keep],
        volume=forecast.volume[keep],
        aht_s=forecast.aht_s[keep],
    )


# --- Reading the file -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """The file's rows as text, and how to name a place in the file in a message.

    Rows are numbered from 0 for the first data row; messages show line numbers in the file.
    """

    path: str
    header: tuple[str, ...]
    columns: dict[str, int]
    """Position in the header of each known column, by canonical name."""
    data: bytes | bytearray = field(repr=False)
    """The input as read, for the error paths that need to find a line."""
    table: pa.Table = field(repr=False)
    """The known columns as text, named by :func:`_column_name` of position; data rows only."""

    @property
    def n_rows(self) -> int:
        return self.table.num_rows

    def column(self, column: str) -> pa.ChunkedArray:
        """The cells of a known column as read."""
        return self.table.column(_column_name(self.columns[column]))

    def text(self, column: str) -> pa.Array:
        """The column's cells with surrounding whitespace removed."""
        return pc.utf8_trim_whitespace(self.column(column).combine_chunks())

    def error(self, rows: Sequence[int], column: str | tuple[str, ...], problem: str) -> WfmError:
        """An error at the given data rows (first one first) of ``column`` (or of columns)."""
        lines = _line_numbers(self.data, [row + 1 for row in rows])
        where = "row" if len(lines) == 1 else "rows"
        listed = " and ".join(str(line) for line in lines)
        names = (column,) if isinstance(column, str) else column
        what = "column" if len(names) == 1 else "columns"
        headings = " and ".join(repr(self.header[self.columns[name]]) for name in names)
        return WfmError(f"{self.path}: {where} {listed}, {what} {headings}: {problem}")

    def cell(self, row: int, column: str) -> str:
        """The text of one cell, quoted for a message."""
        return _quote(self.column(column)[row].as_py())

    def bad_value(self, row: int, column: str, expected: str) -> WfmError:
        """An error saying what ``column`` should hold and quoting what row ``row`` holds."""
        return self.error([row], column, f"expected {expected}, got {self.cell(row, column)}")


def _check_interval_option(path: str, minutes: int) -> None:
    """Fail unless the caller's interval length divides a day."""
    if minutes not in ALLOWED_INTERVAL_MINUTES:
        raise WfmError(
            f"{path}: --interval {minutes}: expected an interval length in minutes that divides "
            "1440, such as 5, 10, 15, 30 or 60"
        )


def _check_zone(path: str, tz: str) -> None:
    """Fail unless pyarrow's time zone database knows ``tz``."""
    try:
        pc.assume_timezone(pa.array([0], pa.timestamp("s")), tz)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise WfmError(
            f"{path}: unknown time zone {tz!r} given by --tz; expected an IANA zone name such as "
            "America/Chicago or Europe/London"
        ) from None


def _read_input(given: str, name: str) -> tuple[bytearray, str]:
    """The whole input, read once, and the SHA-256 (hex) of its bytes.

    ``given`` is the path as the caller gave it (``-`` is standard input), ``name`` how messages
    name it. Nothing seeks or reopens the input, so pipes, FIFOs, ``/dev/stdin`` and process
    substitutions such as ``/dev/fd/63`` work like regular files.
    """
    try:
        if given == STDIN_PATH:
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                raise WfmError(f"{name}: cannot read standard input: it is closed or not binary")
            return _read_stream(name, stream)
        with open(given, "rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_INPUT_BYTES:
                raise _too_large(name)
            return _read_stream(name, file)
    except OSError as error:
        raise WfmError(f"{name}: cannot read the file: {error.strerror or error}") from None


def _read_stream(name: str, stream: BinaryIO) -> tuple[bytearray, str]:
    """Read ``stream`` to its end in chunks, checking each chunk before keeping it.

    Fails as soon as the input passes MAX_INPUT_BYTES, holds a NUL byte or a line longer than
    MAX_LINE_BYTES, so /dev/zero or a large binary file fails after a chunk, not at the end.
    """
    data = bytearray()
    digest = hashlib.sha256()
    open_line = 0  # bytes of the last line of ``data``, which has no line break yet
    while chunk := stream.read(_READ_CHUNK_BYTES):
        if not data and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise WfmError(
                f"{name}: row 1: expected UTF-8 text, got UTF-16 (save the file as CSV UTF-8)"
            )
        if len(data) + len(chunk) > MAX_INPUT_BYTES:
            raise _too_large(name)
        nul = chunk.find(0)
        if nul >= 0:
            raise WfmError(
                f"{name}: row {_line_at(data, chunk, nul)}: expected UTF-8 text, got a NUL byte; "
                "is this a CSV file?"
            )
        # A line within the chunk is shorter than the chunk, so only the lines at its ends count.
        last_break = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if last_break < 0:
            open_line += len(chunk)
        else:
            first_break = min(i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0)
            if open_line + first_break > MAX_LINE_BYTES:
                raise _too_long(name, _line_at(data, chunk, 0))
            open_line = len(chunk) - last_break - 1
        if open_line > MAX_LINE_BYTES:
            raise _too_long(name, _line_at(data, chunk, last_break + 1))
        digest.update(chunk)
        data += chunk
    return data, digest.hexdigest()


def _line_at(data: bytearray, chunk: bytes, offset: int) -> int:
    """Line number in the input (from 1) of byte ``offset`` of ``chunk``, read after ``data``."""
    head = chunk[:offset]
    split_crlf = data.endswith(b"\r") and head.startswith(b"\n")
    return 1 + _line_breaks(data) + _line_breaks(head) - split_crlf


def _line_breaks(text: bytes | bytearray) -> int:
    """Number of line breaks (CR, LF or CRLF) in ``text``."""
    return text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")


def _too_large(name: str) -> WfmError:
    gib = MAX_INPUT_BYTES / 2**30
    limit = f"{gib:g} GiB" if gib >= 1 else f"{MAX_INPUT_BYTES:,} bytes"
    return WfmError(
        f"{name}: expected a file of at most {limit}, got a larger one; "
        "split the forecast by queue or by period"
    )


def _too_long(name: str, line: int) -> WfmError:
    return WfmError(
        f"{name}: row {line}: expected a line of at most {MAX_LINE_BYTES:,} bytes, got a longer "
        "one; is this a CSV file?"
    )


def _text_lines(data: bytes | bytearray) -> Iterator[str]:
    """The lines of ``data`` as text with their line breaks, for the csv module.

    Like ``open(path, encoding="utf-8-sig", errors="replace", newline="")``, without copying
    ``data``: a byte order mark is dropped and bytes that are not UTF-8 are replaced.
    """
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    for line in _LINE.finditer(data, start):
        yield line.group().decode("utf-8", errors="replace")


@contextlib.contextmanager
def _csv_reader(data: bytes | bytearray) -> Iterator[Any]:
    """A csv reader of ``data``'s lines, with the csv module's field size limit lifted meanwhile.

    The default limit (128 KiB) is below MAX_LINE_BYTES; the global limit is restored after.
    """
    previous = csv.field_size_limit(min(MAX_INPUT_BYTES, 2**31 - 1))  # a C long on Windows
    try:
        yield csv.reader(_text_lines(data))
    finally:
        csv.field_size_limit(previous)


def _read_header(path: str, data: bytes | bytearray) -> list[str]:
    """The names in the file's first non-blank line, stripped of surrounding whitespace."""
    try:
        with _csv_reader(data) as reader:
            header = next((fields for fields in reader if fields), None)
    except csv.Error as error:
        raise WfmError(
            f"{path}: row 1: expected a CSV header row, got unreadable text ({error})"
        ) from None
    if header is None:
        raise WfmError(
            f"{path}: the file is empty; expected a header row naming the columns "
            + ", ".join(REQUIRED_COLUMNS)
        )
    if len(header) > MAX_COLUMNS:
        raise WfmError(
            f"{path}: row 1: expected a header of at most {MAX_COLUMNS:,} columns, "
            f"got {len(header):,}"
        )
    return [heading.strip() for heading in header]


def _match_columns(path: str, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Map each known column to its position in the header; also return the unknown names."""
    canonical = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
    positions: dict[str, int] = {}
    unknown = []
    for position, heading in enumerate(header):
        column = canonical.get(heading.lower())
        if column is None:
            unknown.append(heading)
        elif column in positions:
            first = header[positions[column]]
            raise WfmError(
                f"{path}: row 1: columns {first!r} and {heading!r} both give {column}; "
                "expected one of them"
            )
        else:
            positions[column] = position
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            aliases = ", ".join(COLUMN_ALIASES[column])
            found = ", ".join(repr(heading) for heading in header)
            raise WfmError(
                f"{path}: row 1: missing column {column!r} (accepted names: {aliases}); "
                f"found columns {found}"
            )
    return positions, unknown


def _column_name(position: int) -> str:
    """pyarrow's name for the column at ``position`` in the header."""
    return f"column_{position}"


def _read_rows(
    path: str, data: bytes | bytearray, columns: dict[str, int], n_columns: int
) -> pa.Table:
    """The known columns of every data row as text (the header is read too, then dropped).

    The other columns are parsed, to check each row's field count, but not kept.
    """
    names = [_column_name(position) for position in range(n_columns)]
    kept = [_column_name(position) for position in sorted(columns.values())]
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
    if table.num_rows < 2:
        raise WfmError(
            f"{path}: the file has a header but no data rows; expected one row per interval"
        )
    return table.slice(1)


def _unreadable(path: str, data: bytes | bytearray, n_columns: int, error: Exception) -> WfmError:
    """Explain why pyarrow could not read the file, naming the row where possible."""
    try:
        with _csv_reader(data) as reader:
            first_line = 1
            for fields in reader:
                if fields and len(fields) != n_columns:
                    return WfmError(
                        f"{path}: row {first_line}: expected {n_columns} fields like the header, "
                        f"got {len(fields)}"
                    )
                first_line = reader.line_num + 1
    except csv.Error:
        pass  # the checks below and pyarrow's reason say more
    for line_number, line in enumerate(_LINE.finditer(data), start=1):
        try:
            line.group().decode("utf-8")
        except UnicodeDecodeError:
            return WfmError(
                f"{path}: row {line_number}: expected UTF-8 text, got {line.group()[:40]!r}"
            )
    reason = str(error).splitlines()[0]
    return WfmError(f"{path}: cannot read the file as CSV: {reason}")


def _line_numbers(data: bytes | bytearray, records: Sequence[int]) -> list[int]:
    """Line number in the file where each record starts (record 0 is the header).

    pyarrow skips blank lines and may read quoted line breaks, so the record number alone does
    not give the line; this error-path helper scans the input's bytes to find it.
    """
    wanted = set(records)
    found: dict[int, int] = {}
    try:
        with _csv_reader(data) as reader:
            record, first_line = 0, 1
            for fields in reader:
                if fields:
                    if record in wanted:
                        found[record] = first_line
                        if len(found) == len(wanted):
                            break
                    record += 1
                first_line = reader.line_num + 1
    except csv.Error:
        pass  # cannot happen with the field size limit lifted; fall back to record numbers
    return [found.get(record, record + 1) for record in records]


def _quote(text: str) -> str:
    """``text`` in quotes for a one-line message, shortened when long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


# --- Converting the columns -------------------------------------------------------------------


def _first(mask: np.ndarray) -> int | None:
    """Index of the first true element, or None."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _to_numpy(array: pa.Array) -> np.ndarray:
    """A null-free pyarrow array as numpy."""
    return array.to_numpy(zero_copy_only=False)


def _parse_queues(source: _Source) -> tuple[tuple[str, ...], np.ndarray]:
    """Sorted queue names and each row's int32 index into them."""
    if "queue" not in source.columns:
        return (DEFAULT_QUEUE,), np.zeros(source.n_rows, dtype=np.int32)
    names = source.text("queue")
    blank = _first(_to_numpy(pc.equal(names, "")))
    if blank is not None:
        raise source.bad_value(blank, "queue", "a queue name")
    encoded = pc.dictionary_encode(names)
    found = encoded.dictionary.to_pylist()
    alphabetical = sorted(range(len(found)), key=found.__getitem__)
    rank = np.empty(len(found), dtype=np.int32)
    rank[alphabetical] = np.arange(len(found), dtype=np.int32)
    return tuple(found[i] for i in alphabetical), rank[_to_numpy(encoded.indices)]


def _parse_numbers(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """float64 values of decimal numbers (NaN elsewhere), and where the text is a number."""
    is_number = pc.match_substring_regex(text, _NUMBER_PATTERN)
    values = pc.cast(pc.if_else(is_number, text, "nan"), pa.float64())
    return _to_numpy(values), _to_numpy(is_number)


def _parse_volume(source: _Source) -> np.ndarray:
    """float64 contacts offered per row."""
    volume, is_number = _parse_numbers(source.text("volume"))
    bad = _first(~is_number | ~np.isfinite(volume) | (volume < 0))
    if bad is not None:
        raise source.bad_value(bad, "volume", _EXPECTED_VOLUME)
    return volume


def _parse_aht(source: _Source, volume: np.ndarray) -> np.ndarray:
    """float64 average handle time per row in seconds; 0 where blank (allowed at volume 0)."""
    text = source.text("aht")
    given, is_number = _parse_numbers(text)
    blank = _to_numpy(pc.equal(text, ""))
    aht_s = np.where(blank, 0.0, given)
    malformed = ~blank & (~is_number | ~np.isfinite(aht_s) | (aht_s < 0))
    bad = _first(malformed | ((volume > 0) & ~(aht_s > 0)))
    if bad is not None:
        raise source.bad_value(bad, "aht", _EXPECTED_AHT)
    return aht_s


def _parse_starts(source: _Source) -> tuple[np.ndarray, np.ndarray | None]:
    """Wall-clock start times and their UTC offsets.

    Returns int64 local seconds since 1970-01-01T00:00, and int64 offsets in seconds (local =
    UTC + offset), or None instead of offsets when the timestamps are naive.
    """
    parts = pc.extract_regex(source.text("interval_start"), _TIMESTAMP_PATTERN)
    malformed = _first(~_to_numpy(pc.is_valid(parts)))
    if malformed is not None:
        raise source.bad_value(malformed, "interval_start", _EXPECTED_TIMESTAMP)
    second = parts.field("second")
    clock = pc.binary_join_element_wise(
        parts.field("date"), "T", parts.field("hour_minute"), ":",
        pc.if_else(pc.equal(second, ""), "00", second), "",
    )  # fmt: skip
    local = _wall_clock_seconds(source, clock)
    out_of_range = _first((local < _FIRST_SECOND) | (local >= _END_SECOND))
    if out_of_range is not None:
        raise source.bad_value(out_of_range, "interval_start", _EXPECTED_DATE)

    offset_text = parts.field("offset")
    has_offset = _to_numpy(pc.not_equal(offset_text, ""))
    mixed = _first(has_offset != has_offset[0])
    if mixed is not None:
        expected = "a UTC offset" if has_offset[0] else "no UTC offset"
        raise source.bad_value(
            mixed, "interval_start", f"{expected} like the first row (offsets must be all or none)"
        )
    return local, (_offset_seconds(source, offset_text) if has_offset[0] else None)


def _wall_clock_seconds(source: _Source, clock: pa.Array) -> np.ndarray:
    """int64 seconds since 1970 of ``YYYY-MM-DDTHH:MM:SS`` texts, which must be real times."""
    try:
        return _to_numpy(pc.cast(clock, pa.timestamp("s"))).view(np.int64)
    except pa.ArrowInvalid:
        # strptime rolls 2026-02-30 over to 2026-03-02; a round trip finds such rows.
        parsed = pc.strptime(clock, format=_CLOCK_FORMAT, unit="s", error_is_null=True)
        changed = pc.fill_null(pc.not_equal(pc.strftime(parsed, _CLOCK_FORMAT), clock), True)
        bad = _first(_to_numpy(changed))
        raise source.bad_value(
            0 if bad is None else bad, "interval_start", "a real calendar date and time of day"
        ) from None


def _offset_seconds(source: _Source, offset_text: pa.Array) -> np.ndarray:
    """int64 seconds of UTC offsets such as Z, +05:30, -0600 or -06."""
    encoded = pc.dictionary_encode(offset_text)
    distinct = [_parse_offset(text) for text in encoded.dictionary.to_pylist()]
    codes = _to_numpy(encoded.indices)
    invalid = [code for code, seconds in enumerate(distinct) if seconds is None]
    if invalid:
        row = _first(np.isin(codes, invalid))
        raise source.bad_value(
            row, "interval_start", "a UTC offset with hours up to 23 and minutes up to 59"
        )
    return np.array(distinct, dtype=np.int64)[codes]


def _parse_offset(text: str) -> int | None:
    """Seconds east of UTC for Z, +HH:MM, +HHMM or +HH; None when out of range."""
    if text in ("Z", "z"):
        return 0
    hours, minutes = int(text[1:3]), int(text[3:].lstrip(":") or 0)
    if hours > 23 or minutes > 59:
        return None
    sign = -1 if text[0] == "-" else 1
    return sign * (hours * 3600 + minutes * 60)


def _offset_text(seconds: int) -> str:
    """ISO 8601 offset such as -06:00 for a UTC offset in seconds."""
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


# --- Time zones -------------------------------------------------------------------------------


def _localize(source: _Source, local: np.ndarray, queue: np.ndarray, tz: str) -> np.ndarray:
    """int64 UTC seconds of wall-clock times in zone ``tz``.

    A time in the hour repeated when clocks fall back is taken as the earlier instant, unless
    the same queue already had a row at that local time: the repeat is the later instant.
    """
    clock = pa.array(local.view("datetime64[s]"))
    earliest = _assume_zone(source, clock, tz, "earliest")
    latest = _assume_zone(source, clock, tz, "latest")
    utc = earliest.copy()
    repeats = _repeated_rows(np.flatnonzero(earliest != latest), queue, local)
    utc[repeats] = latest[repeats]
    odd = _first((local - utc) % 60 != 0)  # local mean time, before a zone's standard time
    if odd is not None:
        seconds = int(local[odd] - utc[odd])
        hours, rest = divmod(abs(seconds), 3600)
        offset = f"{'-' if seconds < 0 else '+'}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        raise source.error(
            [odd],
            "interval_start",
            f"expected a time when {tz} was a whole number of minutes off UTC, got "
            f"{source.cell(odd, 'interval_start')}, when it was {offset} (local mean time); "
            "give UTC offsets in the file instead",
        )
    return utc


def _assume_zone(source: _Source, clock: pa.Array, tz: str, ambiguous: str) -> np.ndarray:
    """int64 UTC seconds of wall-clock times in ``tz``; an error names a time skipped by DST."""
    try:
        instants = pc.assume_timezone(clock, tz, ambiguous=ambiguous, nonexistent="raise")
    except pa.ArrowInvalid:
        before = pc.assume_timezone(clock, tz, nonexistent="earliest")
        after = pc.assume_timezone(clock, tz, nonexistent="latest")
        skipped = _first(_to_numpy(pc.not_equal(before, after)))
        raise source.bad_value(
            0 if skipped is None else skipped,
            "interval_start",
            f"a local time that exists in {tz} (clocks skip this time for daylight saving)",
        ) from None
    return _to_numpy(pc.cast(instants, pa.int64()))


def _repeated_rows(rows: np.ndarray, queue: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Those of ``rows`` whose queue and local time already occur in an earlier row of ``rows``."""
    by_time = rows[np.lexsort((rows, local[rows], queue[rows]))]
    key_queue, key_time = queue[by_time], local[by_time]
    repeat = np.zeros(len(by_time), dtype=bool)
    repeat[1:] = (key_queue[1:] == key_queue[:-1]) & (key_time[1:] == key_time[:-1])
    return by_time[repeat]


# --- Checks on the sorted rows ----------------------------------------------------------------
# From here on the arrays are sorted by (queue, UTC start) and rows[i] is the file row of
# sorted position i.


def _check_duplicates(
    source: _Source,
    queue_names: tuple[str, ...],
    queue: np.ndarray,
    utc: np.ndarray,
    local: np.ndarray,
    rows: np.ndarray,
) -> None:
    """Fail when a queue has two rows for the same instant."""
    i = _first((queue[1:] == queue[:-1]) & (utc[1:] == utc[:-1]))
    if i is not None:
        start = _local_text(int(utc[i]), int(local[i] - utc[i]))
        raise source.error(
            sorted((int(rows[i]), int(rows[i + 1]))),
            "interval_start",
            f"expected one row per queue and interval, got {start} twice in queue "
            f"{queue_names[queue[i]]!r}",
        )


def _check_traffic(
    source: _Source, volume: np.ndarray, aht_s: np.ndarray, interval_s: np.ndarray, rows: np.ndarray
) -> None:
    """Fail at the first row in the file whose offered traffic is more than wfm sizes."""
    from wfm.erlang import MAX_TRAFFIC_ERLANGS  # here, not at the top: wfm.erlang loads scipy

    with np.errstate(over="ignore", under="ignore"):  # an overflow to inf is too much all the same
        over = np.flatnonzero(volume * aht_s / interval_s > MAX_TRAFFIC_ERLANGS)
    if over.size == 0:
        return
    i = int(over[np.argmin(rows[over])])
    contacts, seconds, length = float(volume[i]), float(aht_s[i]), float(interval_s[i])
    traffic = contacts * seconds / length if contacts * seconds < float("inf") else None
    amount = f"{traffic:.2g}" if traffic is not None else "more than 1e+308"
    raise source.error(
        [int(rows[i])],
        ("volume", "aht"),
        f"{contacts:g} contacts x {seconds:g} s in {_duration(int(length))} is {amount} Erlangs; "
        f"wfm sizes at most {MAX_TRAFFIC_ERLANGS:,.0f} Erlangs",
    )


def _interval_lengths(
    source: _Source,
    queue_names: tuple[str, ...],
    queue: np.ndarray,
    utc: np.ndarray,
    local: np.ndarray,
    rows: np.ndarray,
    interval_minutes: int | None,
    tz: str | None,
) -> tuple[np.ndarray, list[str]]:
    """float64 interval length in seconds per row, and a warning for each queue with gaps.

    A queue with a single row takes the interval length the file's other queues agree on; it is an
    error only when there is nothing to infer it from (no other queue, or queues that disagree)."""
    interval_s = np.empty(len(utc), dtype=np.float64)
    warnings = []
    bounds = np.searchsorted(queue, np.arange(len(queue_names) + 1))
    spans = [slice(bounds[q], bounds[q + 1]) for q in range(len(queue_names))]
    lengths: dict[int, int] = {}
    single = [q for q, span in enumerate(spans) if span.stop - span.start == 1 and interval_minutes is None]
    for q, span in enumerate(spans):
        if q not in single:
            lengths[q] = _queue_interval(source, queue_names[q], utc[span], local[span], rows[span], interval_minutes)
    agreed = set(lengths.values())
    for q in single:
        span = spans[q]
        if len(agreed) != 1:
            found = ", ".join(_duration(length) for length in sorted(agreed))
            raise source.error(
                [int(rows[span][0])],
                "interval_start",
                f"queue {queue_names[q]!r} has a single row, so its interval length cannot be inferred "
                + (f"(the other queues' intervals differ: {found}); " if agreed else "")
                + "pass --interval MINUTES",
            )
        lengths[q] = _queue_interval(source, queue_names[q], utc[span], local[span], rows[span],
                                     next(iter(agreed)) // 60)
    for q, span in enumerate(spans):
        interval_s[span] = lengths[q]
        gap = _gap_warning(source.path, queue_names[q], utc[span], local[span], lengths[q], tz)
        if gap is not None:
            warnings.append(gap)
    return interval_s, warnings


def _queue_interval(
    source: _Source,
    name: str,
    utc: np.ndarray,
    local: np.ndarray,
    rows: np.ndarray,
    interval_minutes: int | None,
) -> int:
    """One queue's interval length in seconds: given, or its smallest step between starts.

    Every step must be a whole number of intervals; longer steps are gaps or closed hours.
    """
    steps = np.diff(utc)
    if interval_minutes is not None:
        length = interval_minutes * 60
        off_grid = _first(local % length != 0)
        if off_grid is not None:
            raise source.bad_value(
                int(rows[off_grid]),
                "interval_start",
                f"a start on the {interval_minutes}-minute grid of --interval {interval_minutes}",
            )
    elif steps.size == 0:
        raise source.error(
            [int(rows[0])],
            "interval_start",
            f"queue {name!r} has a single row, so its interval length cannot be inferred; "
            "pass --interval MINUTES",
        )
    else:
        shortest = int(np.argmin(steps))
        length = int(steps[shortest])
        if length % 60 or length // 60 not in ALLOWED_INTERVAL_MINUTES:
            raise source.error(
                [int(rows[shortest]), int(rows[shortest + 1])],
                "interval_start",
                f"expected consecutive starts in queue {name!r} an interval apart, with an "
                f"interval length that divides 1440 minutes (such as 15 or 30), got "
                f"{_duration(length)}",
            )
    mixed = _first(steps % length != 0)
    if mixed is not None:
        raise source.error(
            [int(rows[mixed]), int(rows[mixed + 1])],
            "interval_start",
            f"mixed interval lengths in queue {name!r}: expected starts a multiple of "
            f"{_duration(length)} apart, got {_duration(int(steps[mixed]))}",
        )
    return length


def _gap_warning(
    path: str, name: str, utc: np.ndarray, local: np.ndarray, length: int, tz: str | None
) -> str | None:
    """A warning about intervals missing between the first and last interval of a local day.

    Steps across midnight (a closed night or weekend) are not gaps. The first missing start is
    shown in local time: of zone ``tz``, or else with the offset of the row before the gap.
    """
    steps = np.diff(utc)
    day = local // _SECONDS_PER_DAY
    inside_day = (steps > length) & (day[1:] == day[:-1])
    first = _first(inside_day)
    if first is None:
        return None
    missing = int((steps[inside_day] // length - 1).sum())
    start = int(utc[first]) + length
    offset = _offset_at(start, tz) if tz else int(local[first] - utc[first])
    noun = "interval" if missing == 1 else "intervals"
    return (
        f"{path}: queue {name!r}: {missing} {noun} missing within a day, "
        f"the first at {_local_text(start, offset)}"
    )


def _offset_at(instant: int, tz: str) -> int:
    """UTC offset in seconds of zone ``tz`` at ``instant`` (seconds since 1970, UTC)."""
    aware = pa.array([instant], pa.timestamp("s", tz=tz))
    return pc.cast(pc.local_timestamp(aware), pa.int64())[0].as_py() - instant


def _local_text(instant: int, offset: int) -> str:
    """ISO 8601 local time with offset of a UTC instant (seconds since 1970) and offset (s)."""
    return str(format_local(np.array([instant], "datetime64[s]"), np.array([offset]))[0])


def _duration(seconds: int) -> str:
    """'15 minutes', '1 minute' or '90 seconds'."""
    if seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
