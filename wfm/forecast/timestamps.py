"""The ``interval_start`` column: ISO 8601 text to wall-clock seconds and UTC offsets.

Either every row carries a UTC offset (``-06:00``, ``-0600``, ``-06`` or ``Z``) or none does. Date
and time are separated by ``T`` or a space; seconds are optional. Dates must be real and lie in
the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wfm.forecast.source import Source, first_true, to_numpy
from wfm.times import offset_seconds

FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Years accepted in ``interval_start``: wide enough for any history or plan, and far enough from
the ends of Python's dates (years 1 to 9999) that date and week arithmetic downstream cannot
overflow. A date outside them is a typo."""

_FIRST_SECOND = int(np.datetime64(f"{FIRST_YEAR}-01-01", "s").astype(np.int64))
_END_SECOND = int(np.datetime64(f"{LAST_YEAR + 1}-01-01", "s").astype(np.int64))

_TIMESTAMP_PATTERN = (
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<hour_minute>\d{2}:\d{2})"
    r"(?::(?P<second>\d{2})(?:\.0+)?)?\s*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_CLOCK_FORMAT = "%Y-%m-%dT%H:%M:%S"

_EXPECTED_TIMESTAMP = "an ISO 8601 timestamp such as 2026-12-01T08:00:00-06:00"
_EXPECTED_DATE = f"a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"


def parse_starts(source: Source) -> tuple[np.ndarray, np.ndarray | None]:
    """Wall-clock start times and their UTC offsets.

    Returns int64 local seconds since 1970-01-01T00:00, and int64 offsets in seconds (local =
    UTC + offset), or None instead of offsets when the timestamps are naive.
    """
    canonical = _canonical_starts(source)
    if canonical is not None:
        return canonical
    parts = pc.extract_regex(source.text("interval_start"), _TIMESTAMP_PATTERN)
    malformed = first_true(~to_numpy(pc.is_valid(parts)))
    if malformed is not None:
        raise source.bad_value(malformed, "interval_start", _EXPECTED_TIMESTAMP)
    second = parts.field("second")
    clock = pc.binary_join_element_wise(
        parts.field("date"), "T", parts.field("hour_minute"), ":",
        pc.if_else(pc.equal(second, ""), "00", second), "",
    )  # fmt: skip
    local = _wall_clock_seconds(source, clock)
    out_of_range = first_true((local < _FIRST_SECOND) | (local >= _END_SECOND))
    if out_of_range is not None:
        raise source.bad_value(out_of_range, "interval_start", _EXPECTED_DATE)

    offset_text = parts.field("offset")
    has_offset = to_numpy(pc.not_equal(offset_text, ""))
    mixed = first_true(has_offset != has_offset[0])
    if mixed is not None:
        expected = "a UTC offset" if has_offset[0] else "no UTC offset"
        raise source.bad_value(
            mixed, "interval_start", f"{expected} like the first row (offsets must be all or none)"
        )
    return local, (_offset_seconds(source, offset_text) if has_offset[0] else None)


_CANONICAL_LAYOUT = "0000-00-00T00:00:00+00:00"
"""The layout wfm writes and most exports carry (0 for a digit, + for a sign): 25 characters with a UTC offset,
the first 19 without one."""


def _canonical_starts(source: Source) -> tuple[np.ndarray, np.ndarray | None] | None:
    """:func:`parse_starts` for a column whose every cell has exactly the canonical layout, read from the
    cells' bytes at fixed places (a fifth of the time of the pattern match, on 200,000 rows); None when any cell
    departs from it (another spelling, whitespace, a bad date or time, a year or offset out of range), and
    the general path then parses the column, or names the row that is wrong."""
    raw = source.column("interval_start").combine_chunks()
    n = len(raw)
    if not n or raw.null_count or raw.type != pa.string():
        return None
    ends = np.frombuffer(raw.buffers()[1], dtype=np.int32, count=n + 1, offset=4 * raw.offset)
    width = int(ends[1] - ends[0])
    if width not in (19, 25) or not np.array_equal(ends, ends[0] + width * np.arange(n + 1, dtype=np.int32)):
        return None
    cells = np.frombuffer(raw.buffers()[2], dtype=np.uint8, count=n * width, offset=int(ends[0])).reshape(n, width)
    layout = np.frombuffer(_CANONICAL_LAYOUT[:width].encode(), dtype=np.uint8)
    digit, sign = layout == ord("0"), layout == ord("+")
    if not (np.all(cells[:, ~(digit | sign)] == layout[~(digit | sign)])
            and np.all((cells[:, digit] >= ord("0")) & (cells[:, digit] <= ord("9")))
            and np.all((cells[:, sign] == ord("+")) | (cells[:, sign] == ord("-")))):
        return None
    try:
        local = to_numpy(pc.cast(pc.utf8_slice_codeunits(raw, 0, 19), pa.timestamp("s"))).view(np.int64)
    except pa.ArrowInvalid:  # not a real date or time of day
        return None
    if np.any((local < _FIRST_SECOND) | (local >= _END_SECOND)):
        return None
    if width == 19:
        return local, None
    offset_text = pc.utf8_slice_codeunits(raw, 19, 25)
    if any(offset_seconds(text) is None for text in pc.unique(offset_text).to_pylist()):
        return None
    return local, _offset_seconds(source, offset_text)


def _wall_clock_seconds(source: Source, clock: pa.Array) -> np.ndarray:
    """int64 seconds since 1970 of ``YYYY-MM-DDTHH:MM:SS`` texts, which must be real times."""
    try:
        return to_numpy(pc.cast(clock, pa.timestamp("s"))).view(np.int64)
    except pa.ArrowInvalid:
        # strptime rolls 2026-02-30 over to 2026-03-02; a round trip finds such rows.
        parsed = pc.strptime(clock, format=_CLOCK_FORMAT, unit="s", error_is_null=True)
        changed = pc.fill_null(pc.not_equal(pc.strftime(parsed, _CLOCK_FORMAT), clock), True)
        bad = first_true(to_numpy(changed))
        raise source.bad_value(
            0 if bad is None else bad, "interval_start", "a real calendar date and time of day"
        ) from None


def _offset_seconds(source: Source, offset_text: pa.Array) -> np.ndarray:
    """int64 seconds of UTC offsets such as Z, +05:30, -0600 or -06."""
    encoded = pc.dictionary_encode(offset_text)
    distinct = [offset_seconds(text) for text in encoded.dictionary.to_pylist()]
    codes = to_numpy(encoded.indices)
    invalid = [code for code, seconds in enumerate(distinct) if seconds is None]
    if invalid:
        row = first_true(np.isin(codes, invalid))
        assert row is not None  # some code is invalid
        raise source.bad_value(
            row, "interval_start", "a UTC offset from -18:00 to +18:00 (real zones lie within -12:00 and +14:00)"
        )
    return np.array(distinct, dtype=np.int64)[codes]
