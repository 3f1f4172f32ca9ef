"""Wall-clock times in an IANA time zone: checking the zone, and localising times to UTC.

Used when the file's timestamps are naive and the caller names the zone (``--tz``). A time that
clocks skip for daylight saving is an error; a time in the repeated hour is the earlier instant,
unless the same queue already had a row at that local time. A file whose timestamps carry UTC offsets
is read by them; a zone given that disagrees with one of them is warned of (:func:`unused_zone_note`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wfm.errors import InputError
from wfm.forecast.source import Source, first_true, to_numpy


def check_zone(path: str, tz: str) -> None:
    """Fail unless pyarrow's time zone database knows ``tz``."""
    try:
        pc.assume_timezone(pa.array([0], pa.timestamp("s")), tz)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise InputError(
            f"{path}: unknown time zone {tz!r} (--tz, or tz= in Python); expected an IANA zone name such as "
            "America/Chicago or Europe/London"
        ) from None


def localize(source: Source, local: np.ndarray, queue: np.ndarray, tz: str) -> np.ndarray:
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


def _assume_zone(source: Source, clock: pa.Array, tz: str, ambiguous: str) -> np.ndarray:
    """int64 UTC seconds of wall-clock times in ``tz``; an error names a time skipped by DST."""
    try:
        instants = pc.assume_timezone(clock, tz, ambiguous=ambiguous, nonexistent="raise")
    except pa.ArrowInvalid:
        before = pc.assume_timezone(clock, tz, nonexistent="earliest")
        after = pc.assume_timezone(clock, tz, nonexistent="latest")
        skipped = first_true(to_numpy(pc.not_equal(before, after)))
        raise source.bad_value(
            0 if skipped is None else skipped,
            "interval_start",
            f"a local time that exists in {tz} (clocks skip this time for daylight saving)",
        ) from None
    return to_numpy(pc.cast(instants, pa.int64()))


def _repeated_rows(rows: np.ndarray, queue: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Those of ``rows`` whose queue and local time already occur in an earlier row of ``rows``."""
    by_time = rows[np.lexsort((rows, local[rows], queue[rows]))]
    key_queue, key_time = queue[by_time], local[by_time]
    repeat = np.zeros(len(by_time), dtype=bool)
    repeat[1:] = (key_queue[1:] == key_queue[:-1]) & (key_time[1:] == key_time[:-1])
    return by_time[repeat]


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

    aware = pa.array(utc, pa.timestamp("s", tz=tz))
    zone = to_numpy(pc.cast(pc.local_timestamp(aware), pa.int64())) - utc
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
    aware = pa.array([instant], pa.timestamp("s", tz=tz))
    return pc.cast(pc.local_timestamp(aware), pa.int64())[0].as_py() - instant
