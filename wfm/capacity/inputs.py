"""VOLUMES.csv: a monthly or weekly volume and handle-time forecast, read and checked.

One header row, then one row per queue and period::

    period,volume,aht
    2027-01,182000,372
    2027-02,171500,368

| column   | meaning                                                        | also accepted as        |
|----------|----------------------------------------------------------------|-------------------------|
| period   | ``2027-01`` (a calendar month) or ``2027-W05`` (an ISO week)   | ``month``, ``week``     |
| volume   | contacts offered in the whole period, a number >= 0            | calls, offered, contacts|
| aht      | average handle time, seconds, > 0 where volume > 0             | handle_time, aht_s, ... |
| queue    | optional; every row is queue ``default`` without it            | skill, split            |

Header names are matched case-insensitively, ignoring surrounding spaces; other columns are ignored. Every
queue lists the same periods, all months or all ISO weeks, consecutive (no gap), each once. A problem is an
:class:`~wfm.errors.InputError` naming the file, row (line number, header = 1), column and value.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from wfm.errors import InputError

__all__ = ["Volumes", "read_volumes", "parse_period", "period_containing", "MAX_WEEKS"]

ALIASES: dict[str, tuple[str, ...]] = {
    "period": ("period", "month", "week"),
    "volume": ("volume", "calls", "offered", "contacts"),
    "aht": ("aht", "handle_time", "aht_s", "aht_sec", "avg_handle_time"),
    "queue": ("queue", "skill", "split"),
}
REQUIRED = ("period", "volume", "aht")
DEFAULT_QUEUE = "default"
MAX_WEEKS = 5 * 53
"""The longest horizon wfm plans: five years of weeks (60 months)."""
MAX_BYTES = 16 * 1024 * 1024  # a volume file has at most a few thousand rows

MONTH, WEEK = "month", "week"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Volumes:
    """The checked forecast: ``volume`` and ``aht_s`` have one row per queue and one column per period."""

    path: str
    source_sha256: str
    kind: str  # "month" or "week"
    periods: tuple[str, ...]  # labels in time order: "2027-01" or "2027-W05"
    start_day: NDArray[np.int64]  # first day of each period, days since 1970-01-01
    end_day: NDArray[np.int64]  # the day after each period's last, days since 1970-01-01
    queues: tuple[str, ...]  # in the order first met in the file
    volume: NDArray[np.float64]  # (queues, periods): contacts offered in the period
    aht_s: NDArray[np.float64]  # (queues, periods): seconds; 0 where the volume is 0 and none was given

    @property
    def days(self) -> NDArray[np.int64]:
        """Calendar days in each period (28-31 for a month, 7 for a week)."""
        return self.end_day - self.start_day


def parse_period(text: str) -> tuple[str, int, int, str]:
    """``"2027-01"`` or ``"2027-W05"`` -> (kind, first day, day after the last (days since 1970-01-01), label);
    ValueError with what was expected otherwise."""
    value = text.strip()
    month = _MONTH.match(value)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not (1900 <= year <= 2199 and 1 <= number <= 12):
            raise ValueError("a month from 1900-01 to 2199-12")
        first = dt.date(year, number, 1)
        after = dt.date(year + (number == 12), number % 12 + 1, 1)
        label = f"{year:04d}-{number:02d}"
    else:
        week = _WEEK.match(value)
        if not week:
            raise ValueError("a period such as 2027-01 (a month) or 2027-W05 (an ISO week)")
        year, number = int(week.group(1)), int(week.group(2))
        try:
            if not 1900 <= year <= 2199:
                raise ValueError
            first = dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError("an ISO week that exists (week 01 to 52, or 53 in long years) from 1900 to 2199"
                             ) from None
        after = first + dt.timedelta(days=7)
        label = f"{year:04d}-W{number:02d}"
    epoch = dt.date(1970, 1, 1)
    return (MONTH if month else WEEK), (first - epoch).days, (after - epoch).days, label


def _number(path: str, line: int, column: str, text: str, *, positive: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    ok = math.isfinite(value) and (value > 0 if positive else value >= 0)
    if not ok:
        expected = "a finite number > 0" if positive else "a finite number >= 0"
        raise InputError(f"{path}: row {line}, column {column!r}: expected {expected}, got {text!r}")
    return value


def read_volumes(path: str | Path) -> Volumes:
    """Read and check VOLUMES.csv (see the module docstring); InputError on the first problem."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder; expected a CSV file of periods") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 2**20} MiB; a volume forecast has one row per queue "
                         "and period")
    if b"\0" in data:
        raise InputError(f"{name}: binary data (a NUL byte); expected CSV text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    rows = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    rows = [(line, fields) for line, fields in rows if any(f.strip() for f in fields)]
    if not rows:
        raise InputError(f"{name}: the file is empty; expected a header row naming the columns period, volume, aht")
    header_line, header = rows[0]
    where: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = raw.strip().lower()
        for column, aliases in ALIASES.items():
            if key in aliases:
                if column in where:
                    raise InputError(f"{name}: row {header_line}: two columns for {column!r} "
                                     f"({header[where[column]].strip()!r} and {raw.strip()!r})")
                where[column] = index
    missing = [c for c in REQUIRED if c not in where]
    if missing:
        raise InputError(f"{name}: row {header_line}: missing column {missing[0]!r}; expected the columns "
                         f"period, volume, aht (and optionally queue), got {', '.join(h.strip() for h in header)}")
    if len(rows) == 1:
        raise InputError(f"{name}: no rows after the header; expected one row per period")

    kind: str | None = None
    cells: dict[tuple[str, int], tuple[float, float]] = {}
    bounds: dict[int, tuple[int, str]] = {}
    queues: dict[str, None] = {}
    for line, fields in rows[1:]:
        def field(column: str, line: int = line, fields: list[str] = fields) -> str:
            index = where[column]
            if index >= len(fields):
                raise InputError(f"{name}: row {line}, column {column!r}: missing value (the row has {len(fields)} "
                                 f"fields, the header {len(header)})")
            return fields[index].strip()

        queue = field("queue") if "queue" in where else DEFAULT_QUEUE
        if not queue:
            raise InputError(f"{name}: row {line}, column 'queue': expected a queue name, got ''")
        period_text = field("period")
        try:
            this_kind, first, after, label = parse_period(period_text)
        except ValueError as exc:
            raise InputError(f"{name}: row {line}, column 'period': expected {exc}, got {period_text!r}") from None
        if kind is None:
            kind = this_kind
        elif this_kind != kind:
            raise InputError(f"{name}: row {line}, column 'period': expected {'a month such as 2027-01' if kind == MONTH else 'an ISO week such as 2027-W05'} "
                             f"like the rows above (one kind of period per file), got {period_text!r}")
        volume = _number(name, line, "volume", field("volume"))
        aht_text = field("aht")
        if volume > 0:
            aht = _number(name, line, "aht", aht_text, positive=True)
        else:
            aht = 0.0 if aht_text in ("", "0") else _number(name, line, "aht", aht_text)
        if (queue, first) in cells:
            raise InputError(f"{name}: row {line}, column 'period': {label} is listed twice for queue {queue!r}")
        cells[(queue, first)] = (volume, aht)
        bounds[first] = (after, label)
        queues.setdefault(queue, None)

    starts = sorted(bounds)
    for before, after_start in itertools.pairwise(starts):
        if bounds[before][0] != after_start:
            raise InputError(f"{name}: periods missing between {bounds[before][1]} and {bounds[after_start][1]}; "
                             "expected consecutive periods")
    if len(starts) > (MAX_WEEKS if kind == WEEK else 60):
        raise InputError(f"{name}: {len(starts)} periods; wfm plans at most five years "
                         f"({MAX_WEEKS} weeks or 60 months)")
    names = tuple(queues)
    for queue in names:
        for first in starts:
            if (queue, first) not in cells:
                raise InputError(f"{name}: queue {queue!r} has no row for {bounds[first][1]}; expected every queue "
                                 "to list the same periods")
    volume_array = np.array([[cells[(q, s)][0] for s in starts] for q in names], dtype=np.float64)
    aht_array = np.array([[cells[(q, s)][1] for s in starts] for q in names], dtype=np.float64)
    return Volumes(
        path=name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        kind=str(kind),
        periods=tuple(bounds[s][1] for s in starts),
        start_day=np.array(starts, dtype=np.int64),
        end_day=np.array([bounds[s][0] for s in starts], dtype=np.int64),
        queues=names,
        volume=volume_array,
        aht_s=aht_array,
    )


def period_containing(kind: str, day: int) -> tuple[int, int, str]:
    """The month or ISO week holding ``day`` (days since 1970-01-01): (first day, day after the last, label)."""
    date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
    if kind == MONTH:
        text = f"{date.year:04d}-{date.month:02d}"
    else:
        year, week, _ = date.isocalendar()
        text = f"{year:04d}-W{week:02d}"
    _, first, after, label = parse_period(text)
    return first, after, label
