"""The loaded forecast: the :class:`Forecast` arrays, :func:`select` of rows and :func:`format_local`.

Only numpy here, no pyarrow: code that takes a Forecast or formats its times needs no CSV parser.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wfm.queueing_inputs import offered_traffic
from wfm.times import offset_text


@dataclass(frozen=True, eq=False, repr=False)
class Forecast:
    """A validated forecast, one array element per row, rows sorted by (queue, UTC start) (:attr:`input_row` says
    where each was in the input).

    Times are whole seconds; volumes are contacts; handle times and interval lengths are seconds.
    """

    path: str
    """The file as the caller named it, used in messages (``<stdin>`` for ``-``)."""
    source_sha256: str
    """SHA-256 (hex) of the bytes read, hashed while reading them: the input actually loaded."""
    queue_names: tuple[str, ...]
    """Queue names, sorted."""
    queue: NDArray[np.int32]
    """int32: index into ``queue_names`` of each row."""
    interval_start: NDArray[np.datetime64]
    """datetime64[s]: UTC instant at which each interval starts."""
    utc_offset_s: NDArray[np.int32]
    """int32: UTC offset of local time at the start, in seconds (local = UTC + offset)."""
    interval_s: NDArray[np.float64]
    """float64: length of each row's interval in seconds of real time."""
    volume: NDArray[np.float64]
    """float64: contacts offered in the interval."""
    aht_s: NDArray[np.float64]
    """float64: average handle time in seconds (0 where volume is 0 and none was given)."""
    tz: str | None
    """The IANA zone that localised naive timestamps, or None when the file carries offsets."""
    warnings: tuple[str, ...]
    """One-line warnings for the CLI to print."""
    queue_channels: tuple[str | None, ...] = ()
    """Each queue's channel from the file's ``channel`` column (wfm.channels), None where it gives none."""
    input_row: NDArray[np.int64] = None  # type: ignore[assignment]  # None: each row is its own (0, 1, 2, ...)
    """int64: where each row was in the input, 0-based: a file's data rows (its rows of empty fields skipped), the
    records or array elements of :func:`~wfm.forecast.forecast_from_records` / ``forecast_from_arrays``, in the
    order given. The rows here are sorted by (queue, UTC start), and so is every result made from them
    (``Requirement.agents``, ...); ``agents = np.empty_like(r.agents); agents[forecast.input_row] = r.agents`` puts a
    result back in the input's order."""

    def __post_init__(self) -> None:
        """The arrays are read-only and the forecast's own: a result keeps the forecast it was made from, and an
        assignment such as ``forecast.volume[:] = 0`` (or to an array the forecast was built from) would change it
        after the fact (a requirement written later would show volumes its agents were not sized for). A writeable
        array given is copied; the loader's arrays, frozen as made (:func:`frozen`), are kept as they are."""
        if self.input_row is None:
            object.__setattr__(self, "input_row", frozen(np.arange(self.n_rows, dtype=np.int64)))
        elif len(self.input_row) != self.n_rows:
            raise ValueError(f"input_row has {len(self.input_row)} values for {self.n_rows} rows")
        for name in _ARRAYS:
            values = getattr(self, name)
            if isinstance(values, np.ndarray) and values.flags.writeable:
                object.__setattr__(self, name, frozen(values.copy()))

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled (a worker process's copy, ``copy.deepcopy``): the arrays are new and the forecast's alone, so
        they are frozen in place, not copied."""
        self.__dict__.update(state)
        for name in _ARRAYS:
            values = state.get(name)
            if isinstance(values, np.ndarray):
                frozen(values)

    def __repr__(self) -> str:
        """A line to read in a notebook, not every array."""
        if not self.n_rows:
            return f"<Forecast {self.path}: no intervals>"
        ends = [int(np.argmin(self.interval_start)), int(np.argmax(self.interval_start))]
        span = format_local(self.interval_start[ends], self.utc_offset_s[ends])
        names = ", ".join(self.queue_names[:5]) + (", ..." if len(self.queue_names) > 5 else "")
        return (f"<Forecast {self.path}: {len(self.queue_names)} queue(s) ({names}), {self.n_rows:,} intervals "
                f"from {span[0]} to {span[1]}, {float(self.volume.sum()):,.0f} contacts>")

    def channel_of(self, queue: int) -> str | None:
        """The channel the forecast gives queue number ``queue``, or None."""
        return self.queue_channels[queue] if self.queue_channels else None

    @property
    def n_rows(self) -> int:
        """Number of rows (queue intervals)."""
        return len(self.volume)

    @property
    def traffic_erlangs(self) -> NDArray[np.float64]:
        """float64: offered traffic in Erlangs, volume * aht_s / interval_s (at least the smallest positive
        double where contacts are offered: a product that underflows still needs an agent)."""
        return offered_traffic(self.volume, self.aht_s, self.interval_s)

    @property
    def local_start(self) -> NDArray[np.datetime64]:
        """datetime64[s]: wall-clock local time at which each interval starts."""
        return self.interval_start + self.utc_offset_s.astype("timedelta64[s]")

    @property
    def interval_minutes(self) -> dict[str, int]:
        """Interval length of each queue in minutes."""
        first_rows = np.searchsorted(self.queue, np.arange(len(self.queue_names)))
        return {
            name: int(self.interval_s[row]) // 60 for name, row in zip(self.queue_names, first_rows)
        }


_ARRAYS = ("queue", "interval_start", "utc_offset_s", "interval_s", "volume", "aht_s", "input_row")
"""Forecast's per-row arrays."""


def frozen(values: np.ndarray) -> np.ndarray:
    """``values``, made read-only in place (for arrays that nothing else holds, as a forecast's are when made)."""
    values.flags.writeable = False
    return values


def format_local(interval_start: np.ndarray, utc_offset_s: np.ndarray) -> np.ndarray:
    """Format UTC instants as local ISO 8601 text with offset, such as 2026-12-01T08:00:00-06:00.

    ``interval_start`` is datetime64 (UTC), ``utc_offset_s`` the offset of local time in seconds.
    Returns an array of str.
    """
    text = local_text_bytes(interval_start, utc_offset_s)
    if text is not None:
        return text.view("S25").ravel().astype("U25")
    offsets = np.asarray(utc_offset_s)
    local = np.asarray(interval_start, "datetime64[s]") + offsets.astype("timedelta64[s]")
    suffixes, which_offset = _offset_suffixes(offsets)
    return np.char.add(np.datetime_as_string(local, unit="s"), suffixes[which_offset.reshape(offsets.shape)])


def _offset_suffixes(offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct UTC offsets' texts (``-06:00``) and each row's index into them."""
    distinct, which = np.unique(offsets, return_inverse=True)
    return np.array([offset_text(int(seconds)) for seconds in distinct], dtype=str), which


def local_text_bytes(interval_start: np.ndarray, utc_offset_s: np.ndarray) -> np.ndarray | None:
    """:func:`format_local` of a 1-D column as a (rows, 25) uint8 matrix of ASCII, one text per row; None when
    a text would not have 25 characters (a year outside 0001-9999, an offset with seconds) or there are no rows.

    A forecast has few distinct local days, times of day and offsets: each is formatted once and the
    texts are assembled as bytes (about 40 ms for 200,000 rows, against 150 ms for numpy's string
    concatenation, which remains the path for the rest).
    """
    offsets = np.asarray(utc_offset_s)
    local = np.asarray(interval_start, "datetime64[s]") + offsets.astype("timedelta64[s]")
    if local.ndim != 1 or not local.size:
        return None
    suffixes, which_offset = _offset_suffixes(offsets)
    day = local.astype("datetime64[D]")
    distinct_days, which_day = np.unique(day, return_inverse=True)
    day_texts = np.datetime_as_string(distinct_days)
    if np.char.str_len(day_texts).max() != 10 or np.char.str_len(suffixes).max() != 6:
        return None
    distinct_times, which_time = np.unique((local - day).astype(np.int64), return_inverse=True)
    time_texts = [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in distinct_times.tolist()]
    text = np.empty((local.size, 25), dtype=np.uint8)
    text[:, :10] = _as_bytes(day_texts, 10)[which_day.ravel()]
    text[:, 10:19] = _as_bytes(np.array(time_texts), 9)[which_time.ravel()]
    text[:, 19:] = _as_bytes(suffixes, 6)[which_offset.ravel()]
    return text


def _as_bytes(texts: np.ndarray, width: int) -> np.ndarray:
    """ASCII texts of exactly ``width`` characters as a (len, width) uint8 matrix."""
    return np.asarray(texts).astype(f"S{width}").view(np.uint8).reshape(-1, width)


def check_day_grid(forecast: Forecast) -> None:
    """InputError unless every interval starts on its length's grid of the local day (00:00, 00:15, ... for
    15 minutes), as shift schedules need: a forecast at 08:05, 08:20, ... can be sized, not scheduled."""
    problem = off_day_grid(forecast)
    if problem is not None:
        from wfm.errors import InputError

        raise InputError(problem)


def off_day_grid(forecast: Forecast) -> str | None:
    """Why :func:`check_day_grid` refuses the forecast (naming the first interval off the grid), or None."""
    local = forecast.local_start
    since_midnight = (local - local.astype("datetime64[D]")).astype(np.int64)
    off = np.flatnonzero(since_midnight % forecast.interval_s.astype(np.int64))
    if not off.size:
        return None
    i = int(off[0])
    minutes = int(forecast.interval_s[i]) // 60
    return (f"{forecast.path}: queue {forecast.queue_names[forecast.queue[i]]!r}: the interval at "
            f"{format_local(forecast.interval_start[i:i + 1], forecast.utc_offset_s[i:i + 1])[0]} is not "
            f"on the {minutes}-minute grid of the local day (00:00, then every {minutes} minutes); "
            "shift schedules need intervals that divide the day from midnight")


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
        queue_channels=tuple(forecast.queue_channels[q] for q in present) if forecast.queue_channels else (),
        queue=frozen(renumber[forecast.queue[keep]]),
        interval_start=frozen(forecast.interval_start[keep]),
        utc_offset_s=frozen(forecast.utc_offset_s[keep]),
        interval_s=frozen(forecast.interval_s[keep]),
        volume=frozen(forecast.volume[keep]),
        aht_s=frozen(forecast.aht_s[keep]),
        input_row=frozen(forecast.input_row[keep]),
    )
