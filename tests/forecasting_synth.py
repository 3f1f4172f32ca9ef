"""A synthetic history with a known truth for the forecasting tests and benchmark: weekday shape, intraday
double peak, optional weekly trend, Poisson counts, missing days (holidays); and the bank's real history as the
tests and benchmarks read it (:func:`bank_history`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

DOW = np.array([1.2, 1.05, 1.0, 0.95, 0.9, 0.6, 0.4])


def synth(weeks: int = 8, seed: int = 1, missing: tuple[str, ...] = ("2026-10-12",), trend: float = 0.0,
          hours: tuple[int, int] = (8, 20), weekend: bool = False, level: float = 4000.0,
          first: str = "2026-09-07") -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """(CSV text, true mean per (day, quarter hour of the open hours), days, listed days)."""
    rng = np.random.default_rng(seed)
    days = np.datetime64(first) + np.arange(7 * weeks).astype("timedelta64[D]")
    wd = (days.astype(np.int64) + 3) % 7
    keep = ((wd < 5) | weekend) & ~np.isin(days, np.array(missing, dtype="datetime64[D]"))
    slots = np.arange(hours[0] * 4, hours[1] * 4)
    x = (slots + 0.5) / 4
    profile = np.exp(-((x - 11) / 2) ** 2) + 0.8 * np.exp(-((x - 15) / 2.5) ** 2) + 0.2
    profile /= profile.sum()
    mean = (level * (1 + trend * np.arange(len(days)) / 7) * DOW[wd])[:, None] * profile[None, :]
    volume = rng.poisson(mean)
    starts = days[:, None].astype("datetime64[s]") + (slots * 900).astype("timedelta64[s]")[None, :]
    aht = np.broadcast_to(300 + 30 * np.sin(x / 3), volume.shape)
    sel = np.broadcast_to(keep[:, None], volume.shape)
    text = np.char.add(np.datetime_as_string(starts[sel]), "+00:00")
    rows = [f"q,{s},{v},{a:.1f}" for s, v, a in zip(text, volume[sel], aht[sel])]
    return "queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n", mean, days, keep


def bank_history(path: Path, drop_last_days: int = 0):
    """The bank's 5-minute counts (``../shared/data``, read in place, never copied) summed to quarter hours of
    07:00-21:00, a handle time of 300 s, as a forecast named "bank"; ``drop_last_days``: its last days left out."""
    from wfm.forecast import forecast_from_arrays

    raw = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    t = np.array([s.rstrip("Z") for s in raw["DateTime"]], dtype="datetime64[m]")
    minute_of_day = (t - t.astype("datetime64[D]")).astype(np.int64)
    keep = minute_of_day < 21 * 60
    if drop_last_days:
        keep &= t < t.astype("datetime64[D]").max() + np.timedelta64(1 - drop_last_days, "D")
    quarter, which = np.unique(t[keep] - minute_of_day[keep] % 15, return_inverse=True)
    volume = np.bincount(which, weights=raw["Calls"][keep].astype(float))
    starts = np.char.add(np.datetime_as_string(quarter.astype("datetime64[s]")), "+00:00")
    return forecast_from_arrays(starts, volume, np.full(len(volume), 300.0), name="bank")


def load(text: str, tz: str | None = None):
    """A forecast (or history) from CSV text, as records made in code."""
    import csv
    import io

    from wfm.forecast import forecast_from_records

    return forecast_from_records(list(csv.DictReader(io.StringIO(text))), tz=tz)
