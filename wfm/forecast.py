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

The file is read with pyarrow, every column as text, and converted with vectorised pyarrow and
numpy operations, so a year of 15-minute intervals for 50 queues (1.75 million rows) loads in a
few seconds. Only the paths that report a problem look at single rows. Every problem with the
input raises :class:`~wfm.errors.WfmError` with one line naming the file, the row (its line
number in the file, the header being line 1), the column, what was expected and what was found.

Each queue's interval length is the smallest step between its consecutive starts, measured in
real (UTC) time, or the length the caller gives. A day with a daylight-saving change therefore
has 23 or 25 hours of intervals, and its 15-minute intervals are still 900 seconds long.
"""

from __future__ import annotations

import csv
import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from wfm.errors import WfmError

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

_SECONDS_PER_DAY = 86_400

_TIMESTAMP_PATTERN = (
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<hour_minute>\d{2}:\d{2})"
    r"(?::(?P<second>\d{2})(?:\.0+)?)?\s*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_CLOCK_FORMAT = "%Y-%m-%dT%H:%M:%S"
_NUMBER_PATTERN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"

_EXPECTED_TIMESTAMP = "an ISO 8601 timestamp such as 2026-12-01T08:00:00-06:00"
_EXPECTED_VOLUME = "a finite number >= 0"
_EXPECTED_AHT = "a finite number of seconds > 0 (blank or 0 only where volume is 0)"


@dataclass(frozen=True, eq=False)
class Forecast:
    """A validated forecast, one array element per row, rows sorted by (queue, UTC start).

    Times are whole seconds; volumes are contacts; handle times and interval lengths are seconds.
    """

    path: str
    """The file as the caller named it, used in messages."""
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
    """Read, validate and sort the forecast CSV at ``path``.

    ``tz`` is the IANA zone of naive local timestamps; it is ignored when the file carries UTC
    offsets (so it can be a configured default). ``interval_minutes`` fixes the interval length of every queue instead
    of inferring it; it must divide 1440 and every local start must lie on its grid.
    Raises WfmError, with one line naming file, row and column, for any problem with the input.
    """
    name = os.fspath(path)
    if interval_minutes is not None:
        _check_interval_option(name, interval_minutes)
    if tz is not None:
        _check_zone(name, tz)
    header = _read_header(name)
    columns, unknown = _match_columns(name, header)
    source = _Source(name, tuple(header), columns, _read_rows(name, len(header)))
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
    return Forecast(
        path=name,
        queue_names=queue_names,
        queue=queue,
        interval_start=utc.view("datetime64[s]"),
        utc_offset_s=(local - utc).astype(np.int32),
        interval_s=interval_s,
        volume=volume[rows],
        aht_s=aht_s[rows],
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
    table: pa.Table
    """Every column as text, data rows only."""

    @property
    def n_rows(self) -> int:
        return self.table.num_rows

    def text(self, column: str) -> pa.Array:
        """The column's cells with surrounding whitespace removed."""
        return pc.utf8_trim_whitespace(self.table.column(self.columns[column]).combine_chunks())

    def error(self, rows: Sequence[int], column: str, problem: str) -> WfmError:
        """An error at the given data rows (first one first) of ``column``."""
        lines = _line_numbers(self.path, [row + 1 for row in rows])
        where = "row" if len(lines) == 1 else "rows"
        listed = " and ".join(str(line) for line in lines)
        heading = self.header[self.columns[column]]
        return WfmError(f"{self.path}: {where} {listed}, column {heading!r}: {problem}")

    def cell(self, row: int, column: str) -> str:
        """The text of one cell, quoted for a message."""
        return _quote(self.table.column(self.columns[column])[row].as_py())

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


def _read_header(path: str) -> list[str]:
    """The names in the file's first non-blank line, stripped of surrounding whitespace."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as file:
            for fields in csv.reader(file):
                if fields:
                    return [field.strip() for field in fields]
    except OSError as error:
        raise WfmError(f"{path}: cannot read the file: {error.strerror}") from None
    except csv.Error as error:
        raise WfmError(
            f"{path}: row 1: expected a CSV header row, got unreadable text ({error})"
        ) from None
    raise WfmError(
        f"{path}: the file is empty; expected a header row naming the columns "
        + ", ".join(REQUIRED_COLUMNS)
    )


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


def _read_rows(path: str, n_columns: int) -> pa.Table:
    """Every data row, every column as text (the header is read too, then dropped)."""
    names = [f"column_{position}" for position in range(n_columns)]
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
        )
    except pa.ArrowInvalid as error:
        raise _unreadable(path, n_columns, error) from None
    if table.num_rows < 2:
        raise WfmError(
            f"{path}: the file has a header but no data rows; expected one row per interval"
        )
    return table.slice(1)


def _unreadable(path: str, n_columns: int, error: Exception) -> WfmError:
    """Explain why pyarrow could not read the file, naming the row where possible."""
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        reader = csv.reader(file)
        first_line = 1
        for fields in reader:
            if fields and len(fields) != n_columns:
                return WfmError(
                    f"{path}: row {first_line}: expected {n_columns} fields like the header, "
                    f"got {len(fields)}"
                )
            first_line = reader.line_num + 1
    with open(path, "rb") as file:
        for line_number, line in enumerate(file, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return WfmError(
                    f"{path}: row {line_number}: expected UTF-8 text, got {line[:40]!r}"
                )
    reason = str(error).splitlines()[0]
    return WfmError(f"{path}: cannot read the file as CSV: {reason}")


def _line_numbers(path: str, records: Sequence[int]) -> list[int]:
    """Line number in the file where each record starts (record 0 is the header).

    pyarrow skips blank lines and may read quoted line breaks, so the record number alone does
    not give the line; this error-path helper re-reads the file to find it.
    """
    wanted = set(records)
    found: dict[int, int] = {}
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as file:
        reader = csv.reader(file)
        record, first_line = 0, 1
        for fields in reader:
            if fields:
                if record in wanted:
                    found[record] = first_line
                    if len(found) == len(wanted):
                        break
                record += 1
            first_line = reader.line_num + 1
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
    """float64 interval length in seconds per row, and a warning for each queue with gaps."""
    interval_s = np.empty(len(utc), dtype=np.float64)
    warnings = []
    bounds = np.searchsorted(queue, np.arange(len(queue_names) + 1))
    for q, name in enumerate(queue_names):
        span = slice(bounds[q], bounds[q + 1])
        length = _queue_interval(source, name, utc[span], local[span], rows[span], interval_minutes)
        interval_s[span] = length
        gap = _gap_warning(source.path, name, utc[span], local[span], length, tz)
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
