"""Wall-clock times in an IANA time zone: checking the zone, and localising times to UTC.

Used when the file's timestamps are naive and the caller names the zone (``--tz``). A time that clocks skip for
daylight saving is an error; a time in the repeated hour is the earlier instant, unless the same queue already had a
row at that local time (listed before it, or after it in a queue listed newest first). A file whose timestamps
carry UTC offsets is read by them; a zone given that disagrees with one of them is warned of
(:func:`unused_zone_note`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wfm.errors import InputError
from wfm.forecast.source import Source, first_true, to_numpy
from wfm.times import SECONDS_PER_DAY, local_datetime


def check_zone(path: str, tz: str) -> None:
    """Fail unless pyarrow's time zone database knows ``tz``."""
    try:
        pc.assume_timezone(pa.array([0], pa.timestamp("s")), tz)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise InputError(
            f"{path}: unknown time zone {tz!r} (--tz, or tz= in Python); expected an IANA zone name such as "
            "America/Chicago or Europe/London"
        ) from None


def localize(source: Source, local: np.ndarray, queue: np.ndarray, tz: str, later: np.ndarray | None = None
             ) -> np.ndarray:
    """int64 UTC seconds of wall-clock times in zone ``tz``.

    A time in the hour repeated when clocks fall back is taken as the earlier instant, unless
    the same queue already had a row at that local time: the repeat is the later instant. In a queue listed
    newest first, the repeat is the row listed first. The rows ``later`` (records whose naive datetime said
    ``fold=1``) are the later instant, whatever their order."""
    earliest, latest = np.empty_like(local), np.empty_like(local)
    far = _in_years_pyarrow_gets_wrong(local, tz)
    near = np.flatnonzero(~far) if far is not None else np.arange(local.size)
    if near.size:
        clock = pa.array(local[near].view("datetime64[s]"))
        earliest[near] = _assume_zone(source, clock, tz, "earliest", near)
        latest[near] = _assume_zone(source, clock, tz, "latest", near)
    if far is not None:
        _zoneinfo_assume(source, local, far, tz, earliest, latest)
    utc = earliest.copy()
    ambiguous = np.flatnonzero(earliest != latest)
    if later is not None:
        second = np.isin(ambiguous, later)
        utc[ambiguous[second]] = latest[ambiguous[second]]
        ambiguous = ambiguous[~second]
    repeats = _repeated_rows(ambiguous, queue, local)
    utc[repeats] = latest[repeats]
    odd = first_true((local - utc) % 60 != 0)  # local mean time, before a zone's standard time
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


def _assume_zone(source: Source, clock: pa.Array, tz: str, ambiguous: str, rows: np.ndarray) -> np.ndarray:
    """int64 UTC seconds of wall-clock times in ``tz`` (the data ``rows`` of ``clock``, in order); an error names
    a time skipped by DST."""
    try:
        instants = pc.assume_timezone(clock, tz, ambiguous=ambiguous, nonexistent="raise")
    except pa.ArrowInvalid:
        before = pc.assume_timezone(clock, tz, ambiguous=ambiguous, nonexistent="earliest")
        after = pc.assume_timezone(clock, tz, ambiguous=ambiguous, nonexistent="latest")
        skipped = first_true(to_numpy(pc.not_equal(before, after)))
        raise _skipped(source, int(rows[0 if skipped is None else skipped]), tz) from None
    return to_numpy(pc.cast(instants, pa.int64()))


def _skipped(source: Source, row: int, tz: str) -> InputError:
    return source.bad_value(row, "interval_start",
                            f"a local time that exists in {tz} (clocks skip this time for daylight saving)")


# --- where pyarrow's zone database runs out ----------------------------------------------------------------
# pyarrow reads the zone files' explicit transitions and ignores the rule that continues them (the TZif footer):
# with the usual files, which list transitions to 2037, it keeps standard time all year from 2038 on (a naive
# 2040-07-01T08:00 in America/Chicago was placed at -06:00, not -05:00). Python's zoneinfo applies the rule. Each
# year a forecast touches is checked against it, twice a day; the rows of a year where the two disagree are
# placed by zoneinfo, one distinct time at a time (slower, and only there).

_PROBE_S = 12 * 3600


def utc_offsets(utc_s: np.ndarray, tz: str) -> np.ndarray:
    """int64 UTC offsets (seconds east) of zone ``tz`` at the UTC instants ``utc_s`` (int64 epoch seconds)."""
    utc_s = np.asarray(utc_s, dtype=np.int64)
    offsets = _pyarrow_offsets(utc_s, tz)
    far = _in_years_pyarrow_gets_wrong(utc_s, tz)
    if far is not None:
        zone = _zoneinfo(tz)
        assert zone is not None  # far is None without it
        distinct, which = np.unique(utc_s[far], return_inverse=True)
        offsets[far] = _zoneinfo_offsets(distinct, zone)[which]
    return offsets


def _pyarrow_offsets(utc_s: np.ndarray, tz: str) -> np.ndarray:
    aware = pa.array(utc_s, pa.timestamp("s", tz=tz))
    return to_numpy(pc.cast(pc.local_timestamp(aware), pa.int64())) - utc_s


def _zoneinfo(tz: str) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # pyarrow knows it, zoneinfo not: pyarrow's it is
        return None


def _zoneinfo_offsets(utc_s: np.ndarray, zone: Any) -> np.ndarray:
    from datetime import datetime

    return np.array([int(datetime.fromtimestamp(s, zone).utcoffset().total_seconds())  # type: ignore[union-attr]
                     for s in utc_s.tolist()], dtype=np.int64)


def _in_years_pyarrow_gets_wrong(seconds: np.ndarray, tz: str) -> np.ndarray | None:
    """Which of ``seconds`` (UTC or local epoch seconds) fall in a year where pyarrow's offsets for ``tz`` differ
    from zoneinfo's (:func:`_pyarrow_gets_wrong`); None when none does (nearly always: until 2037)."""
    if not seconds.size:
        return None
    years = seconds.astype("datetime64[s]").astype("datetime64[Y]")
    wrong = [year for year in np.unique(years) if _pyarrow_gets_wrong(tz, int(year.astype(np.int64)) + 1970)]
    return np.isin(years, wrong) if wrong else None


@functools.lru_cache(maxsize=1024)
def _pyarrow_gets_wrong(tz: str, year: int) -> bool:
    """Whether pyarrow's UTC offset of ``tz`` differs from zoneinfo's at some probe of ``year``: every 12 hours,
    from a day before the year to a day after it (a local year reaches a day into the UTC years either side)."""
    zone = _zoneinfo(tz)
    if zone is None:
        return False
    start = int(np.datetime64(f"{year:04d}-01-01", "s").astype(np.int64))
    end = int(np.datetime64(f"{year + 1:04d}-01-01", "s").astype(np.int64))
    probes = np.arange(start - SECONDS_PER_DAY, end + SECONDS_PER_DAY, _PROBE_S, dtype=np.int64)
    return not np.array_equal(_pyarrow_offsets(probes, tz), _zoneinfo_offsets(probes, zone))


def _zoneinfo_assume(source: Source, local: np.ndarray, rows: np.ndarray, tz: str, earliest: np.ndarray,
                     latest: np.ndarray) -> None:
    """:func:`_assume_zone` by zoneinfo for the data ``rows`` (a mask) of ``local``, into ``earliest`` and
    ``latest``; an error names a time skipped by DST."""
    from datetime import datetime

    zone = _zoneinfo(tz)
    where = np.flatnonzero(rows)
    distinct, first, which = np.unique(local[where], return_index=True, return_inverse=True)
    low, high = np.empty(distinct.size, np.int64), np.empty(distinct.size, np.int64)
    for k, local_s in enumerate(distinct.tolist()):
        clock = local_datetime(local_s)
        candidates = []
        for fold in (0, 1):  # the earlier and the later reading of a repeated time
            offset = clock.replace(tzinfo=zone, fold=fold).utcoffset()
            utc = local_s - int(offset.total_seconds())  # type: ignore[union-attr]
            if datetime.fromtimestamp(utc, zone).replace(tzinfo=None) == clock:  # the time exists
                candidates.append(utc)
        if not candidates:
            raise _skipped(source, int(where[first[k]]), tz)
        low[k], high[k] = min(candidates), max(candidates)
    earliest[where], latest[where] = low[which], high[which]


def _repeated_rows(rows: np.ndarray, queue: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Those of ``rows`` whose queue and local time already occur in an earlier row of ``rows``, in the order of
    time the queue is listed in: a later row in a file listed oldest first, an earlier one in a queue listed newest
    first (the winter-time 01:30 comes before the summer-time one there)."""
    if rows.size == 0:
        return rows
    listed = np.where(_newest_first(queue, local)[queue[rows]], -rows, rows)  # each row's place in time order
    by_time = rows[np.lexsort((listed, local[rows], queue[rows]))]
    key_queue, key_time = queue[by_time], local[by_time]
    repeat = np.zeros(len(by_time), dtype=bool)
    repeat[1:] = (key_queue[1:] == key_queue[:-1]) & (key_time[1:] == key_time[:-1])
    return by_time[repeat]


def _newest_first(queue: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Per queue, whether its rows are listed newest first: more of its consecutive rows (in file order) step back
    in local time than forward."""
    order = np.lexsort((np.arange(queue.size), queue))  # each queue's rows in file order
    same = queue[order][1:] == queue[order][:-1]
    steps = np.sign(np.diff(local[order]))[same]
    return np.bincount(queue[order][1:][same], weights=steps, minlength=int(queue.max()) + 1) < 0


class UnusedZoneNote(str):
    """The warning that the zone given for naive times was not used, the file's times carrying UTC offsets
    (:func:`unused_zone_note`): a str, printed and warned of as any other; ``wfm forecast`` and ``wfm backtest``,
    which lay a history out on the zone's clock all the same, leave it out."""

    __slots__ = ()


def unused_zone_note(source: Source, tz: str, utc: np.ndarray, offset: np.ndarray) -> UnusedZoneNote | None:
    """A warning when the file's UTC offsets (which place its times, so that ``tz`` is not used) are not the
    zone's at every row's instant, naming the first row that differs; None when they all agree (a zone that
    agrees changes nothing)."""
    from wfm.times import offset_text

    zone = utc_offsets(utc, tz)
    differ = first_true(zone != offset)
    if differ is None:
        return None
    count = int(np.count_nonzero(zone != offset))
    return UnusedZoneNote(
        f"{source.place([differ], 'interval_start')}: {source.cell(differ, 'interval_start')} carries the UTC offset "
        f"{offset_text(int(offset[differ]))}, not {tz}'s {offset_text(int(zone[differ]))} ({count:,} of "
        f"{offset.size:,} rows differ from {tz}): the file's offsets place its times, so the time zone {tz} (--tz, "
        f"tz in wfm.toml, or tz= in Python) is not used; give the times in {tz}'s local time (naive, or with its "
        "offsets) to plan on its clock"
    )


def offset_at(instant: int, tz: str) -> int:
    """UTC offset in seconds of zone ``tz`` at ``instant`` (seconds since 1970, UTC)."""
    return int(utc_offsets(np.array([instant], dtype=np.int64), tz)[0])
