"""A queue's history as a day × slot matrix in local time, and the future's interval starts.

Rows of the matrix are local calendar days from the first day of the history, columns the slots of the day
((local seconds since midnight - the grid's phase) // interval length, the phase being where the queue's
intervals start within the interval length: 0 for a grid on the hour, 1,800 s for hours at half past). Local
time is the zone's when one is given (a history exported in UTC is slotted by the centre's clock), else the
file's own offsets. A day the history does not list at all (a holiday, an
outage, a closed weekend) is a row of NaN: missing, never zero. Within a listed day an unlisted slot holds 0.
On a fall-back day the repeated local hour's two intervals are averaged into one slot, so that the slot's
profile and baselines stay an ordinary hour's in the weeks after (their sum had counted double there); that day's
total counts the hour once.
Numpy (and pyarrow for the zone's offsets) only; no per-interval Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wfm.forecast.model import Forecast

DAY_S = 86_400


@dataclass(frozen=True)
class History:
    """One queue's history as matrices: ``volume[d, s]`` and ``aht[d, s]`` (NaN rows: days not listed; an
    ``aht`` NaN on a listed day: no row for that slot, i.e. closed, where a listed row with 0 calls is open)."""

    queue: str
    first_day: np.datetime64
    """datetime64[D]: the local date of row 0."""
    interval_s: int
    volume: np.ndarray
    aht: np.ndarray
    last_offset_s: int
    """The UTC offset of the history's last interval (used for the future when no zone is known)."""
    phase_s: int
    """Local seconds after midnight of the day's first slot (0 unless the grid is off the midnight)."""
    end_utc: np.datetime64
    """datetime64[s]: the UTC end of the history's last interval."""

    @property
    def n_days(self) -> int:
        return int(self.volume.shape[0])

    @property
    def slots(self) -> int:
        return int(self.volume.shape[1])

    def day(self, index: int) -> np.datetime64:
        return self.first_day + np.timedelta64(index, "D")


def histories(forecast: Forecast, tz: str | None = None) -> list[History]:
    """Each queue of ``forecast`` as a :class:`History` (queues in the forecast's order), in the local time of
    zone ``tz`` when given (else of the file's own offsets)."""
    out = []
    bounds = np.searchsorted(forecast.queue, np.arange(len(forecast.queue_names) + 1))
    for q, name in enumerate(forecast.queue_names):
        rows = slice(int(bounds[q]), int(bounds[q + 1]))
        interval_s = int(forecast.interval_s[rows][0])
        if DAY_S % interval_s:
            from wfm.errors import InputError

            raise InputError(f"{forecast.path}: queue {name!r}: interval of {interval_s} s does not divide a day; "
                             "cannot forecast it")
        utc = forecast.interval_start[rows]
        # the zone's offsets; the loader's when it localised the file in that very zone (or none is given)
        offset_s = (offsets(utc, tz, 0) if tz is not None and tz != forecast.tz
                    else forecast.utc_offset_s[rows].astype(np.int64))
        local = utc + offset_s.astype("timedelta64[s]")
        day = local.astype("datetime64[D]")
        since_midnight = (local - day).astype(np.int64)
        phases, counts = np.unique(since_midnight % interval_s, return_counts=True)
        phase = int(phases[np.argmax(counts)])  # the grid's, should a clock change shift a few rows off it
        slot = (since_midnight - phase) // interval_s  # -1 for a row before the first slot: the day before's last
        day = day + (slot < 0).astype("timedelta64[D]") * -1
        slot = slot % (DAY_S // interval_s)
        first = day.min()
        index = (day - first).astype(np.int64)
        n_days, n_slots = int(index.max()) + 1, DAY_S // interval_s
        volume = np.full((n_days, n_slots), np.nan)
        volume[np.unique(index)] = 0.0
        work = np.zeros((n_days, n_slots))
        listed = np.zeros((n_days, n_slots))  # rows listed for the slot: 1 (open, even with 0 calls), 2 (fall-back)
        np.add.at(listed, (index, slot), 1.0)
        np.add.at(volume, (index, slot), forecast.volume[rows])
        np.add.at(work, (index, slot), forecast.volume[rows] * forecast.aht_s[rows])
        with np.errstate(invalid="ignore", divide="ignore"):
            # handle time NaN where no row was listed: a listed day's closed slots (the model's open-slot test)
            aht = np.where(listed > 0, np.where(volume > 0, work / volume, 0.0), np.nan)
        volume = np.where(listed > 1, volume / np.maximum(listed, 1.0), volume)  # the fall-back hour: its mean
        last = int(bounds[q + 1]) - 1
        out.append(History(queue=name, first_day=first, interval_s=interval_s, volume=volume, aht=aht,
                           last_offset_s=int(offset_s[-1]), phase_s=phase,
                           end_utc=forecast.interval_start[last] + np.timedelta64(interval_s, "s")))
    return out


def offsets(instants_utc: np.ndarray, tz: str | None, fallback_s: int) -> np.ndarray:
    """int64 UTC offsets (seconds) of zone ``tz`` at the UTC ``instants_utc``; ``fallback_s`` everywhere when
    no zone is known."""
    instants = np.asarray(instants_utc, "datetime64[s]")
    if tz is None or instants.size == 0:
        return np.full(instants.shape, fallback_s, dtype=np.int64)
    from wfm.forecast.zones import utc_offsets

    return utc_offsets(instants.astype(np.int64), tz)


def future_starts(first_day: np.datetime64, n_days: int, interval_s: int, tz: str | None,
                  fallback_offset_s: int, phase_s: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The UTC starts and UTC offsets of every interval of the grid whose first start is ``phase_s`` after
    local midnight of ``first_day`` and whose last falls before ``n_days`` local dates are over: stepped in
    real time, so a spring-forward day has an hour fewer and a fall-back day an hour more."""
    first = np.asarray(first_day, "datetime64[D]")[()]
    midnights = np.array([first, first + np.timedelta64(n_days, "D")]).astype("datetime64[s]")
    # the UTC instant of a local midnight: local - offset, with the offset checked at that instant (two passes)
    guess = midnights - offsets(midnights, tz, fallback_offset_s).astype("timedelta64[s]")
    utc_bounds = midnights - offsets(guess, tz, fallback_offset_s).astype("timedelta64[s]")
    start = utc_bounds[0].astype(np.int64) + phase_s
    stop = utc_bounds[1].astype(np.int64) + phase_s
    instants = np.arange(start, stop, interval_s, dtype=np.int64).astype("datetime64[s]")
    return instants, offsets(instants, tz, fallback_offset_s)
