"""Loading a forecast: from a file or standard input, from records, or from arrays.

Each entry point turns its input into CSV bytes and hands them to :func:`_parse`, which reads the
header and the known columns, converts and checks them, and sorts the rows into a
:class:`~wfm.forecast.model.Forecast`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from wfm.errors import InputError, warn_forecast
from wfm.forecast.columns import match_columns, read_header, read_rows
from wfm.forecast.intervals import (
    check_duplicates,
    check_interval_option,
    interval_lengths,
)
from wfm.forecast.model import Forecast, frozen
from wfm.forecast.reading import STDIN_NAME, STDIN_PATH, read_input
from wfm.forecast.source import Source
from wfm.forecast.timestamps import parse_starts
from wfm.forecast.values import (
    check_traffic,
    parse_aht,
    parse_channels,
    parse_queues,
    parse_volume,
    short_aht_warnings,
)
from wfm.forecast.zones import check_zone, localize, unused_zone_note


def load_forecast(
    path: str | os.PathLike[str], *, tz: str | dt.tzinfo | None = None, interval_minutes: int | None = None,
    sheet: str | None = None, names: Mapping[str, str] | None = None,
) -> Forecast:
    """Read, validate and sort the forecast CSV at ``path`` (``-`` for standard input).

    A path ending in ``.xlsx``, or any input when ``sheet`` is given, is read as an Excel workbook: its
    first worksheet, or the one named ``sheet``, checked exactly as a CSV (:mod:`wfm.forecast.xlsx`);
    messages then name the sheet (``forecast.xlsx, sheet 'Week': row 7, column 'volume': ...``).

    ``tz`` is the IANA zone of naive local timestamps (a name, or a ``zoneinfo.ZoneInfo``); it is not used when
    the file carries UTC offsets (so it can be a configured default), with a warning when one of them is not the
    zone's. ``interval_minutes`` fixes the interval length of every queue instead
    of inferring it; it must divide 1440, every local start must lie on its grid, and it must be the step a queue
    takes most often within its days (15 on a file of half hours would offer each half hour's volume in 15
    minutes). ``names`` maps a parameter to how the caller's messages name it: the commands give
    ``{"sheet": "--sheet", "interval_minutes": "--interval 15m"}`` (or ``"interval_minutes = 15 in wfm.toml
    [forecast]"``); by default ``sheet`` and ``interval_minutes=15``.
    Raises InputError, with one line naming file, row and column, for any problem with the input; warns
    (:class:`wfm.errors.ForecastWarning`) of what it read but may not be meant (``Forecast.warnings`` keeps them).
    The input is read once, so it can be a pipe; messages name standard input ``<stdin>``, and ``sheet`` as a
    parameter, or by its label in ``names`` (the command's ``--sheet``).
    """
    given = os.fspath(path)
    name = STDIN_NAME if given == STDIN_PATH else given
    interval_source = (names or {}).get("interval_minutes")
    tz, interval_minutes = _checked_options(name, tz, interval_minutes)
    if sheet is not None or _is_workbook(given):
        from wfm.forecast.xlsx import read_sheet

        label, text, sha256 = read_sheet(given, name, sheet, (names or {}).get("sheet", "sheet"))
        loaded = dataclasses.replace(_parse(label, text, sha256, tz=tz, interval_minutes=interval_minutes,
                                            interval_source=interval_source, sheet=True), path=name)
    else:
        data, sha256 = read_input(given, name)
        loaded = _parse(name, data, sha256, tz=tz, interval_minutes=interval_minutes, interval_source=interval_source)
    warn_forecast(loaded.warnings)
    return loaded


def forecast_from_csv_text(text: str, *, name: str, tz: str | dt.tzinfo | None = None,
                           interval_minutes: int | None = None) -> Forecast:
    """A forecast from CSV text already in memory (``wfm.forecast_from_history`` reads the forecast it made this
    way, exactly as ``wfm size`` reads the file ``wfm forecast`` writes), checked as a file is; messages name
    ``name``. Does not warn: the caller does."""
    data = text.encode("utf-8")
    tz, interval_minutes = _checked_options(name, tz, interval_minutes)
    return _parse(name, data, hashlib.sha256(data).hexdigest(), tz=tz, interval_minutes=interval_minutes)


def _is_workbook(path: str) -> bool:
    """A path read as an Excel workbook (without importing the reader for a CSV)."""
    return path.lower().endswith(".xlsx")


def forecast_from_records(
    records: Iterable[Mapping[str, Any]], *, tz: str | dt.tzinfo | None = None, interval_minutes: int | None = None,
    name: str = "<records>",
) -> Forecast:
    """A forecast built in code, checked exactly as a file is: ``records`` are mappings with the CSV's
    columns (``interval_start``, ``volume``, ``aht``, optionally ``queue`` and ``channel``; the same aliases), one per
    interval. ``interval_start`` may be ISO 8601 text, a ``datetime`` (aware, or naive with ``tz``) or a
    ``numpy.datetime64`` (naive: give ``tz``, e.g. ``"UTC"``); in the hour repeated when clocks fall back, a naive
    ``datetime`` with ``fold=1`` is the later instant, as ``zoneinfo`` reads it (others as in a file: the earlier,
    unless the queue already had that time). Messages name ``name`` and the record's
    position as its row (the first record is row 2, as in a file with a header). Warns
    (:class:`wfm.errors.ForecastWarning`) as :func:`load_forecast` does. The forecast's rows, and every result's, are
    sorted by (queue, UTC start): ``Forecast.input_row`` gives each one's record (0-based)."""
    built = _from_records(records, tz=tz, interval_minutes=interval_minutes, name=name)
    warn_forecast(built.warnings)
    return built


def _from_records(
    records: Iterable[Mapping[str, Any]], *, tz: str | dt.tzinfo | None, interval_minutes: int | None, name: str,
) -> Forecast:
    if hasattr(records, "to_dict") and hasattr(records, "columns"):  # a DataFrame: its rows
        records = records.to_dict("records")
    if isinstance(records, Mapping):
        raise TypeError("records must be an iterable of mappings, one per interval, got a single mapping")
    rows = []
    for i, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"records must be mappings (column name -> value), one per interval; record {i} is a "
                            f"{type(record).__name__}")
        rows.append(dict(record))
    if not rows:
        raise InputError(f"{name}: no records; expected one per queue and interval")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_record_text(row.get(column)) for column in columns] for row in rows)
    data = text.getvalue().encode("utf-8")
    tz, interval_minutes = _checked_options(name, tz, interval_minutes)
    return _parse(name, data, hashlib.sha256(data).hexdigest(), tz=tz, interval_minutes=interval_minutes,
                  from_code=True, later=_second_readings(name, columns, rows))


def _second_readings(name: str, columns: list[Any], rows: list[dict[Any, Any]]) -> np.ndarray | None:
    """The records whose start is a naive ``datetime`` with ``fold=1`` (PEP 495: the second reading of a time the
    clocks repeat), which the text of a file cannot say; None when there are none (or no start column, an error
    the parse then names)."""
    from wfm.forecast.columns import match_columns

    try:
        found, _ = match_columns(name, [str(column) for column in columns])
    except InputError:
        return None
    if "interval_start" not in found:
        return None
    key = columns[found["interval_start"]]
    later = [i for i, row in enumerate(rows)
             if isinstance(start := row.get(key), dt.datetime) and start.tzinfo is None and start.fold == 1]
    return np.array(later, dtype=np.int64) if later else None


def forecast_from_arrays(
    interval_start: Any, volume: Any, aht_s: Any, *, queue: Any = None, tz: str | dt.tzinfo | None = None,
    interval_minutes: int | None = None, name: str = "<arrays>",
) -> Forecast:
    """A forecast from one-dimensional arrays (or lists) of equal length: interval starts, contacts offered,
    handle times in seconds and optionally queue names; a single value of ``volume``, ``aht_s`` or ``queue``
    (``aht_s=300``, ``queue="sales"``) is that value for every interval. Checked exactly as a file is (see
    :func:`forecast_from_records`); arrays of other shapes or lengths are a ValueError naming the argument. The
    rows are sorted by (queue, UTC start): ``Forecast.input_row`` gives each one's position in the arrays."""
    if isinstance(interval_start, Iterator):  # a generator: its values (np.ndim would see one object)
        interval_start = list(interval_start)
    if np.ndim(interval_start) != 1:
        raise ValueError(f"interval_start must be one-dimensional (one start per interval), got shape "
                         f"{np.shape(interval_start)}")
    starts = list(interval_start)
    volumes, ahts = _per_interval("volume", volume, len(starts)), _per_interval("aht_s", aht_s, len(starts))
    queues = None if queue is None else _per_interval("queue", queue, len(starts))
    records = [
        {"interval_start": start, "volume": v, "aht": a} | ({} if queues is None else {"queue": queues[i]})
        for i, (start, v, a) in enumerate(zip(starts, volumes, ahts))
    ]
    built = _from_records(records, tz=tz, interval_minutes=interval_minutes, name=name)
    warn_forecast(built.warnings)
    return built


def _per_interval(name: str, value: Any, n: int) -> list[Any]:
    """``value`` as a list of ``n``: a single value repeated, or a one-dimensional array or list (or the values of a
    generator) of length ``n``."""
    if isinstance(value, Iterator):
        value = list(value)
    if isinstance(value, (str, bytes)) or np.ndim(value) == 0:
        return [value] * n
    if np.ndim(value) != 1:
        raise ValueError(f"{name} must be one value, or one-dimensional (one per interval), got shape "
                         f"{np.shape(value)}")
    values = list(value)
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} values for {n} interval starts; give one per interval, or one "
                         "value for all")
    return values


def _checked_options(name: str, tz: Any, interval_minutes: Any) -> tuple[str | None, int | None]:
    """The zone's name (a ``zoneinfo.ZoneInfo`` is taken by its key) and the interval in whole minutes after
    checking both options: TypeError for the wrong kind of value, InputError for an unknown zone or an interval
    that does not divide a day."""
    if isinstance(interval_minutes, float) and interval_minutes.is_integer():  # 15.0, as Settings takes it
        interval_minutes = int(interval_minutes)
    if interval_minutes is not None:
        if isinstance(interval_minutes, bool) or not isinstance(interval_minutes, int):
            raise TypeError(f"interval_minutes must be a whole number of minutes, got {interval_minutes!r}")
        check_interval_option(name, interval_minutes)
    if tz is None:
        return None, interval_minutes
    if not isinstance(tz, str):
        key = getattr(tz, "key", None) or ("UTC" if tz is dt.UTC else None)
        if not isinstance(key, str):
            raise TypeError(f"tz must be an IANA zone name such as 'America/Chicago' (or a zoneinfo.ZoneInfo), "
                            f"got {tz!r}")
        tz = key
    check_zone(name, tz)
    return tz, interval_minutes


def _record_text(value: Any) -> str:
    """One record value as the CSV text the loader reads: None, NaN and pandas' NA and NaT are a blank cell."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, (float, np.floating)) and value != value:
        return ""
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[s]"))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def _parse(name: str, data: bytes | bytearray, sha256: str, *, tz: str | None, interval_minutes: int | None,
           from_code: bool = False, interval_source: str | None = None, sheet: bool = False,
           later: np.ndarray | None = None) -> Forecast:
    """:func:`_parsed`, then the memory pyarrow's allocator keeps after parsing (the text columns, freed with the
    table) handed back to the system: the Forecast holds numpy arrays only, and a year of 200 queues otherwise
    kept about 1 GB resident for the rest of the run. Every entry point (a file, a sheet, records) goes through
    here."""
    import pyarrow as pa

    loaded = _parsed(name, data, sha256, tz=tz, interval_minutes=interval_minutes, from_code=from_code,
                     interval_source=interval_source, sheet=sheet, later=later)
    pa.default_memory_pool().release_unused()
    return loaded


def _parsed(name: str, data: bytes | bytearray, sha256: str, *, tz: str | None, interval_minutes: int | None,
            from_code: bool = False, interval_source: str | None = None, sheet: bool = False,
            later: np.ndarray | None = None) -> Forecast:
    """Validate and sort a forecast from the CSV bytes ``data`` (messages name ``name``; ``from_code``: records
    made in code, whose blank cells were None or NaN; ``sheet``: a workbook's sheet as text; ``later``: data rows
    whose naive start is the second reading of a repeated time, see :func:`localize`). A file's rows of
    empty fields are skipped; a record in code is not (its values were all None or NaN), nor is a sheet's row
    written empty (:mod:`wfm.forecast.xlsx` skips the sheet's empty rows itself, and blanks the cells of columns
    it does not know)."""
    header, line = read_header(name, data)
    columns, unknown = match_columns(name, header, None if from_code else line)  # records: their keys
    table, records = read_rows(name, data, columns, len(header), skip_empty=not (from_code or sheet))
    source = Source(name, tuple(header), columns, data, table, from_code, records)
    warnings = []
    if unknown:
        listed = ", ".join(repr(column) for column in unknown)
        warnings.append(f"{name}: ignoring unknown columns {listed}")

    queue_names, queue = parse_queues(source)
    warnings += _case_twins(name, queue_names)
    queue_channels = parse_channels(source, queue_names, queue)
    volume = parse_volume(source)
    aht_s = parse_aht(source, volume)
    warnings += short_aht_warnings(name, queue_names, queue, volume, aht_s)
    local, offset = parse_starts(source)
    if offset is not None:
        utc = local - offset
        note = unused_zone_note(source, tz, utc, offset) if tz is not None else None
        if note is not None:  # a zone that disagrees with the file: the user may think it was applied
            warnings.append(note)
        tz = None  # the offsets in the file say where each start is
    elif tz is None:
        raise source.error(
            [0],
            "interval_start",
            f"expected a UTC offset such as -06:00, got {source.cell(0, 'interval_start')} "
            "without one; add offsets to the file or pass --tz ZONE (such as --tz America/Chicago; tz= in Python)",
        )
    else:
        utc = localize(source, local, queue, tz, later)

    rows = np.lexsort((utc, queue))
    queue, utc, local = queue[rows], utc[rows], local[rows]
    check_duplicates(source, queue_names, queue, utc, local, rows)
    interval_s, gap_warnings = interval_lengths(
        source, queue_names, queue, utc, local, rows, interval_minutes, tz, interval_source
    )
    volume, aht_s = volume[rows], aht_s[rows]
    check_traffic(source, volume, aht_s, interval_s, rows)
    return Forecast(
        path=name,
        source_sha256=sha256,
        queue_names=queue_names,
        queue=frozen(queue),  # the arrays are the forecast's alone: read-only as they are, not copied
        interval_start=frozen(utc.view("datetime64[s]")),
        utc_offset_s=frozen((local - utc).astype(np.int32)),
        interval_s=frozen(interval_s),
        volume=frozen(volume),
        aht_s=frozen(aht_s),
        tz=tz,
        warnings=tuple(warnings + gap_warnings),
        queue_channels=queue_channels,
        input_row=frozen(rows.astype(np.int64)),
    )


def _case_twins(name: str, queue_names: tuple[str, ...]) -> list[str]:
    """A warning for each set of queue names that differ only in case ('Sales' and 'sales'): two queues to wfm,
    and a ``[queues.NAME]`` section applies to one of them, which is rarely what a file with both meant."""
    groups: dict[str, list[str]] = {}
    for queue in queue_names:
        groups.setdefault(queue.casefold(), []).append(queue)
    return [f"{name}: queues {' and '.join(map(repr, twins))} differ only in case: they are sized and planned as "
            "separate queues, and a [queues.NAME] section applies to the one it names exactly"
            for twins in groups.values() if len(twins) > 1]
