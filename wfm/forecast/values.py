"""The ``queue``, ``volume`` and ``aht`` columns as arrays, and the offered traffic they make.

Each column is converted with vectorised pyarrow and numpy operations; the first row that does not
hold what the column should is reported.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wfm.forecast.columns import DEFAULT_QUEUE
from wfm.forecast.intervals import duration_text
from wfm.forecast.source import Source, first_true, to_numpy

_NUMBER_PATTERN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"

_EXPECTED_VOLUME = "a finite number >= 0"
_EXPECTED_AHT = "a finite number of seconds > 0 (blank or 0 only where volume is 0)"


def parse_queues(source: Source) -> tuple[tuple[str, ...], np.ndarray]:
    """Sorted queue names and each row's int32 index into them."""
    if "queue" not in source.columns:
        return (DEFAULT_QUEUE,), np.zeros(source.n_rows, dtype=np.int32)
    names = source.text("queue")
    blank = first_true(to_numpy(pc.equal(names, "")))
    if blank is not None:
        raise source.bad_value(blank, "queue", "a queue name")
    encoded = pc.dictionary_encode(names)
    found = encoded.dictionary.to_pylist()
    control = [i for i, name in enumerate(found) if any(c < " " or "\x7f" <= c <= "\x9f" for c in name)]
    if control:  # a tab, line break or escape code in a name would split or colour every table it reaches
        row = first_true(np.isin(to_numpy(encoded.indices), control))
        assert row is not None
        raise source.bad_value(row, "queue", "a queue name without control characters (tabs, line breaks, "
                                             "escape codes)")
    alphabetical = sorted(range(len(found)), key=found.__getitem__)
    rank = np.empty(len(found), dtype=np.int32)
    rank[alphabetical] = np.arange(len(found), dtype=np.int32)
    return tuple(found[i] for i in alphabetical), rank[to_numpy(encoded.indices)]


def parse_channels(source: Source, queue_names: tuple[str, ...], queue: np.ndarray) -> tuple[str | None, ...]:
    """Each queue's channel from the optional ``channel`` column (None without it, or where a queue's cells are
    all blank): one of wfm.channels.CHANNELS, case-insensitive, the same on every row of a queue."""
    from wfm.channels import CHANNELS

    if "channel" not in source.columns:
        return (None,) * len(queue_names)
    text = pc.ascii_lower(pc.utf8_trim_whitespace(source.text("channel")))
    encoded = pc.dictionary_encode(text)
    found = encoded.dictionary.to_pylist()
    code = to_numpy(encoded.indices).astype(np.int64)
    known = np.array([value in CHANNELS or value == "" for value in found], dtype=bool)
    bad = first_true(~known[code])
    if bad is not None:
        raise source.bad_value(bad, "channel", "one of " + ", ".join(CHANNELS) + " (or blank)")
    channels: list[str | None] = []
    for q, name in enumerate(queue_names):
        rows = np.flatnonzero(queue == q)
        codes = code[rows]
        first = int(rows[0])
        differ = first_true(codes != codes[0])
        if differ is not None:
            raise source.error([first, int(rows[differ])], "channel",
                               f"queue {name!r} is {found[int(codes[0])] or 'blank'!r} in the first and "
                               f"{found[int(codes[differ])] or 'blank'!r} in the second; one queue has one channel")
        channels.append(found[int(codes[0])] or None)
    return tuple(channels)


def _parse_numbers(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """float64 values of decimal numbers (NaN elsewhere), and where the text is a number."""
    is_number = pc.match_substring_regex(text, _NUMBER_PATTERN)
    values = pc.cast(pc.if_else(is_number, text, "nan"), pa.float64())
    return to_numpy(values), to_numpy(is_number)


def parse_volume(source: Source) -> np.ndarray:
    """float64 contacts offered per row."""
    volume, is_number = _parse_numbers(source.text("volume"))
    bad = first_true(~is_number | ~np.isfinite(volume) | (volume < 0))
    if bad is not None:
        raise source.bad_value(bad, "volume", _EXPECTED_VOLUME)
    return volume + 0.0  # "-0" is 0 contacts: never echoed as -0


def parse_aht(source: Source, volume: np.ndarray) -> np.ndarray:
    """float64 average handle time per row in seconds; 0 where blank (allowed at volume 0)."""
    text = source.text("aht")
    given, is_number = _parse_numbers(text)
    blank = to_numpy(pc.equal(text, ""))
    aht_s = np.where(blank, 0.0, given)
    malformed = ~blank & (~is_number | ~np.isfinite(aht_s) | (aht_s < 0))
    bad = first_true(malformed | ((volume > 0) & ~(aht_s > 0)))
    if bad is not None:
        raise source.bad_value(bad, "aht", _EXPECTED_AHT)
    return aht_s + 0.0  # "-0" (allowed at volume 0) is 0 s


SHORTEST_PLAUSIBLE_AHT_S = 15.0
"""A queue whose handle time, averaged over its contacts, is below this many seconds is warned of as likely given
in minutes (as pyworkforce takes it): no contact a person handles averages under 15 s (a switchboard transfer or a
directory-assistance call takes 20 to 40), while handle times in minutes are nearly all below 15 (voice 3 to 10,
chat, email and social 5 to 15). Back-office work in minutes (often 20 or more) is not caught."""


def short_aht_warnings(path: str, queue_names: tuple[str, ...], queue: np.ndarray, volume: np.ndarray,
                       aht_s: np.ndarray) -> list[str]:
    """A warning for each queue whose volume-weighted mean handle time is below :data:`SHORTEST_PLAUSIBLE_AHT_S`:
    the retail sample with its AHT divided by 60 was sized at a peak of 2 agents, without a word."""
    if not np.any((aht_s < SHORTEST_PLAUSIBLE_AHT_S) & (volume > 0)):  # the usual file: no mean can be that short
        return []
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # inf contact-seconds is long all the same
        contacts = np.bincount(queue, weights=volume, minlength=len(queue_names))
        work = np.bincount(queue, weights=volume * aht_s, minlength=len(queue_names))
        mean = work / contacts  # NaN for a queue without contacts: not warned of
    return [f"{path}: queue {queue_names[q]!r}: a mean handle time of {mean[q]:.3g} s (weighted by volume) is "
            f"implausibly short; aht is in seconds: if the file gives minutes, multiply it by 60"
            for q in np.flatnonzero(mean < SHORTEST_PLAUSIBLE_AHT_S).tolist()]


def check_traffic(
    source: Source, volume: np.ndarray, aht_s: np.ndarray, interval_s: np.ndarray, rows: np.ndarray
) -> None:
    """Fail at the first row in the file whose offered traffic is more than wfm sizes."""
    # Imported here, not at the top: wfm.erlang loads scipy.
    from wfm.erlang import MAX_TRAFFIC_ERLANGS, offered_traffic_text

    with np.errstate(over="ignore", under="ignore"):  # an overflow to inf is too much all the same
        over = np.flatnonzero(volume * aht_s / interval_s > MAX_TRAFFIC_ERLANGS)
    if over.size == 0:
        return
    i = int(over[np.argmin(rows[over])])
    contacts, seconds, length = float(volume[i]), float(aht_s[i]), float(interval_s[i])
    amount = offered_traffic_text(contacts, seconds, length)
    raise source.error(
        [int(rows[i])],
        ("volume", "aht"),
        f"{contacts:,.10g} contacts x {seconds:,.10g} s in {duration_text(int(length))} is {amount} Erlangs; "
        f"wfm sizes at most {MAX_TRAFFIC_ERLANGS:,.0f} Erlangs",
    )
