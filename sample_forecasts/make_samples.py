"""Write the sample forecast CSVs in this directory (deterministic: fixed seeds, numpy only).

Regenerate with::

    python sample_forecasts/make_samples.py

The files use the wfm forecast CSV format: header ``interval_start,volume,aht`` (or
``queue,interval_start,volume,aht`` for multi-queue files). ``interval_start`` is ISO 8601
with the UTC offset in force at that instant (taken from zoneinfo), ``volume`` is the number
of contacts offered in the interval (integer, Poisson noise around a smooth profile) and
``aht`` is the average handle time in whole seconds. Only open intervals are listed and they
are contiguous within each local day.

``retail_voice_week_15min.csv``
    One retail voice queue (no queue column), ISO week 2026-W49 (Mon 2026-11-30 .. Sun
    2026-12-06), America/Chicago, 15-minute intervals. Open 08:00-22:00 Mon-Sat and
    10:00-18:00 Sun. Double intraday peak (about 10:30-11:30 and 13:30-14:30) with a smaller
    evening shoulder; Monday is the busiest day (peak about 220 calls per 15 minutes),
    tapering to Friday, Saturday about 60 % and Sunday about 35 % of Monday. AHT 300-380 s.

``multi_queue_30min.csv``
    Queues ``sales``, ``support`` and ``billing`` (rows grouped by queue, then time), same
    week 2026-W49, America/New_York, 30-minute intervals. Open Mon-Fri 08:00-20:00 and Sat
    09:00-17:00, closed Sunday. Sales peaks in the evening (about 600 calls per 30 minutes,
    AHT about 420 s), support has a midday double peak (about 350, AHT about 540 s) and
    billing peaks on Monday morning (about 120, AHT about 300 s).

``program_week_15min.csv``
    An outsourced program's week 2026-W49, America/New_York, 15-minute intervals, with a
    ``channel`` column: ``care_voice`` (voice, about 3,600 calls on Monday, AHT about 360 s)
    and ``care_chat`` (chat, about 1,800 conversations, about 540 s each) listed 08:00-20:00
    every day; ``care_email`` (email, about 1,500 a Monday, AHT about 420 s) and
    ``care_social`` (social, about 700, AHT about 240 s) arriving around the clock, so the
    24 hours are listed. Monday is the busiest day, Sunday about 40 % of it. The channel mix
    by contacts is about 48 % voice, 24 % chat, 20 % email and 9 % social. Planned with
    ``program_week.toml`` (teams, response targets) in this folder.

``dst_247_week_15min.csv``
    A 24/7 queue (no queue column), America/New_York, 15-minute intervals from Mon
    2026-10-26 00:00 local through Sun 2026-11-01 23:45 local. It crosses the fall-back
    change on 2026-11-01: that local day has 25 hours (100 intervals) and 01:00-01:45 appears
    twice, first with offset -04:00 and then with -05:00. A few calls overnight, daytime peak
    about 150 calls per 15 minutes, AHT about 420 s.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

HERE = Path(__file__).resolve().parent
WEEK_49_MONDAY = date(2026, 11, 30)


def _bump(hour: np.ndarray, centre: float, width: float) -> np.ndarray:
    """A Gaussian bump over the local time of day (hours)."""
    return np.exp(-0.5 * ((hour - centre) / width) ** 2)


def _local_intervals(day: date, open_h: float, close_h: float, minutes: int, tz: ZoneInfo) -> list[datetime]:
    """Aware starts of the intervals from open_h to close_h local on `day` (no DST change inside)."""
    start = datetime.combine(day, time(0), tzinfo=tz) + timedelta(hours=open_h)
    n = round((close_h - open_h) * 60 / minutes)
    out = [start + timedelta(minutes=minutes * i) for i in range(n)]
    # Wall-clock arithmetic is only safe when the offset does not change during the day.
    if len({t.utcoffset() for t in out}) != 1:
        raise RuntimeError(f"DST change inside {day}; build the intervals in UTC instead")
    return out


def _hour_of_day(starts: Iterable[datetime], minutes: int) -> np.ndarray:
    """Local wall-clock time of the middle of each interval, in hours."""
    return np.array([t.hour + (t.minute + minutes / 2) / 60 for t in starts])


def _aht(
    rng: np.random.Generator, base: np.ndarray, volume: np.ndarray, lo: float, hi: float, spread: float
) -> np.ndarray:
    """Integer AHT: a smooth profile plus noise that shrinks as the interval gets busier."""
    noise = rng.normal(0.0, 1.0, size=base.shape) * spread / np.sqrt(np.maximum(volume, 1))
    return np.clip(np.rint(base + noise), lo, hi).astype(np.int64)


def _write(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


# --------------------------------------------------------------------------------------------
# 1. retail voice, one queue, 15-minute intervals, America/Chicago
# --------------------------------------------------------------------------------------------


def make_retail(path: Path) -> None:
    rng = np.random.default_rng(20261130)
    tz = ZoneInfo("America/Chicago")
    minutes = 15
    peak_monday = 210.0  # mean at the Monday peak; Poisson noise puts the busiest interval near 220
    day_factor = [1.00, 0.92, 0.86, 0.81, 0.76, 0.60, 0.35]  # Mon..Sun

    def shape(h: np.ndarray) -> np.ndarray:
        return (
            0.22
            + 0.88 * _bump(h, 11.0, 0.75)
            + 0.80 * _bump(h, 14.0, 0.75)
            + 0.36 * _bump(h, 19.0, 1.3)
            + 0.35 * _bump(h, 12.5, 2.5)  # fill between the peaks
        )

    grid = np.arange(0.0, 24.0, 1 / 60)
    norm = shape(grid).max()

    rows = []
    for d in range(7):
        day = WEEK_49_MONDAY + timedelta(days=d)
        open_h, close_h = (10.0, 18.0) if d == 6 else (8.0, 22.0)
        starts = _local_intervals(day, open_h, close_h, minutes, tz)
        h = _hour_of_day(starts, minutes)
        mean = peak_monday * day_factor[d] * shape(h) / norm
        volume = rng.poisson(mean)
        # Calls run longer in the early morning and evening, shortest at the lunchtime rush.
        base = 338 + 18 * _bump(h, 8.0, 1.5) + 22 * _bump(h, 20.5, 1.5) - 12 * _bump(h, 12.5, 2.0)
        aht = _aht(rng, base, volume, 300, 380, 60.0)
        rows += [(t.isoformat(), int(v), int(a)) for t, v, a in zip(starts, volume, aht)]
    _write(path, ["interval_start", "volume", "aht"], rows)


# --------------------------------------------------------------------------------------------
# 2. three queues, 30-minute intervals, America/New_York
# --------------------------------------------------------------------------------------------


def make_multi_queue(path: Path) -> None:
    rng = np.random.default_rng(20261201)
    tz = ZoneInfo("America/New_York")
    minutes = 30

    # name -> (peak volume per 30 min, mean AHT, AHT half-range, day factors Mon..Sat, shape(h, d))
    Shape = Callable[[np.ndarray, int], np.ndarray]

    def sales(h: np.ndarray, d: int) -> np.ndarray:
        return 0.18 + 0.25 * _bump(h, 12.5, 2.0) + 0.85 * _bump(h, 18.25, 1.3)

    def support(h: np.ndarray, d: int) -> np.ndarray:
        return 0.15 + 0.85 * _bump(h, 10.5, 1.2) + 0.75 * _bump(h, 14.5, 1.4) + 0.2 * _bump(h, 18.0, 1.0)

    def billing(h: np.ndarray, d: int) -> np.ndarray:
        morning = 1.0 if d == 0 else 0.55  # the Monday-morning statement rush
        return 0.2 + morning * _bump(h, 9.5, 1.0) + 0.35 * _bump(h, 14.0, 2.0)

    queues: dict[str, tuple[float, float, float, list[float], Shape]] = {
        "sales": (600.0, 420.0, 30.0, [0.90, 0.93, 0.95, 0.97, 1.00, 0.80], sales),
        "support": (350.0, 540.0, 40.0, [1.00, 0.95, 0.90, 0.88, 0.85, 0.45], support),
        "billing": (112.0, 300.0, 20.0, [1.00, 0.70, 0.62, 0.60, 0.58, 0.35], billing),
    }

    rows = []
    for name, (peak, aht_mean, aht_half, day_factor, fn) in queues.items():
        # Normalise over the whole week so the busiest interval averages `peak`.
        best = 0.0
        days = []
        for d in range(6):  # Sunday closed
            day = WEEK_49_MONDAY + timedelta(days=d)
            open_h, close_h = (9.0, 17.0) if d == 5 else (8.0, 20.0)
            starts = _local_intervals(day, open_h, close_h, minutes, tz)
            h = _hour_of_day(starts, minutes)
            raw = day_factor[d] * fn(h, d)
            best = max(best, float(raw.max()))
            days.append((starts, h, raw))
        for starts, h, raw in days:
            volume = rng.poisson(peak * raw / best)
            # AHT a little higher at the edges of the day (harder calls, fewer experienced agents).
            base = aht_mean + aht_half * (0.6 * _bump(h, 8.0, 1.2) + 0.8 * _bump(h, 19.5, 1.2) - 0.4)
            aht = _aht(rng, base, volume, aht_mean - 2 * aht_half, aht_mean + 2 * aht_half, 120.0)
            rows += [(name, t.isoformat(), int(v), int(a)) for t, v, a in zip(starts, volume, aht)]
    _write(path, ["queue", "interval_start", "volume", "aht"], rows)


# --------------------------------------------------------------------------------------------
# 3. 24/7 queue over the fall-back change, 15-minute intervals, America/New_York
# --------------------------------------------------------------------------------------------


def make_dst_247(path: Path) -> None:
    rng = np.random.default_rng(20261101)
    tz = ZoneInfo("America/New_York")
    minutes = 15
    first = datetime(2026, 10, 26, 0, 0, tzinfo=tz)
    last = datetime(2026, 11, 1, 23, 45, tzinfo=tz)

    # Step in UTC so the repeated 01:00-01:45 hour comes out twice, with the right offsets.
    step = timedelta(minutes=minutes)
    t = first.astimezone(UTC)
    end = last.astimezone(UTC)
    starts: list[datetime] = []
    while t <= end:
        starts.append(t.astimezone(tz))
        t += step

    h = _hour_of_day(starts, minutes)  # local wall-clock hour: the repeated hour is quiet twice
    weekday = np.array([s.weekday() for s in starts])
    day_factor = np.array([1.00, 0.97, 0.95, 0.93, 0.90, 0.70, 0.60])[weekday]

    def shape(x: np.ndarray) -> np.ndarray:
        return 0.015 + 0.55 * _bump(x, 11.0, 2.2) + 0.50 * _bump(x, 15.5, 2.5) + 0.30 * _bump(x, 20.0, 1.8)

    norm = shape(np.arange(0.0, 24.0, 1 / 60)).max()
    mean = 140.0 * day_factor * shape(h) / norm
    volume = rng.poisson(mean)
    # Overnight calls are fewer but longer (escalations, fewer self-service options).
    base = 410 + 45 * _bump(h, 3.0, 2.5) + 15 * _bump(h, 22.5, 1.5)
    aht = _aht(rng, base, volume, 330, 540, 60.0)
    rows = [(s.isoformat(), int(v), int(a)) for s, v, a in zip(starts, volume, aht)]
    _write(path, ["interval_start", "volume", "aht"], rows)


# --------------------------------------------------------------------------------------------
# 4. an outsourced program's week: voice, chat, email and social, 15-minute intervals
# --------------------------------------------------------------------------------------------


def make_program(path: Path) -> None:
    rng = np.random.default_rng(20261207)
    tz = ZoneInfo("America/New_York")
    minutes = 15
    day_factor = [1.15, 1.05, 1.00, 0.98, 0.95, 0.60, 0.45]  # Mon..Sun
    # channel -> (queue, contacts on Monday, mean AHT s, AHT half-range, hours listed, intraday shape)
    live = lambda h: 0.25 + _bump(h, 10.5, 1.4) + 0.85 * _bump(h, 14.5, 1.6) + 0.35 * _bump(h, 18.5, 1.2)  # noqa: E731
    evening = lambda h: 0.35 + 0.7 * _bump(h, 12.0, 2.0) + _bump(h, 19.0, 1.5)  # noqa: E731
    inbox = lambda h: 0.15 + _bump(h, 9.5, 2.0) + 0.8 * _bump(h, 15.0, 2.5)  # noqa: E731 (arrives around the clock)
    queues = [
        ("care_voice", "voice", 3600.0, 360.0, 40.0, (8.0, 20.0), live),
        ("care_chat", "chat", 1800.0, 540.0, 60.0, (8.0, 20.0), evening),
        ("care_email", "email", 1500.0, 420.0, 60.0, (0.0, 24.0), inbox),
        ("care_social", "social", 700.0, 240.0, 40.0, (0.0, 24.0), inbox),
    ]
    rows = []
    for queue, channel, daily, aht_mean, half, (open_h, close_h), shape in queues:
        grid = np.arange(open_h, close_h, minutes / 60) + minutes / 120
        weight = shape(grid) / shape(grid).sum()
        for d in range(7):
            day = WEEK_49_MONDAY + timedelta(days=d)
            starts = _local_intervals(day, open_h, close_h, minutes, tz)
            volume = rng.poisson(daily * day_factor[d] * weight)
            aht = _aht(rng, np.full(len(starts), aht_mean), volume, aht_mean - half, aht_mean + half, 3 * half)
            rows += [(queue, channel, t.isoformat(), int(v), int(a)) for t, v, a in zip(starts, volume, aht)]
    _write(path, ["queue", "channel", "interval_start", "volume", "aht"], rows)


def main() -> None:
    outputs = {
        "program_week_15min.csv": make_program,
        "retail_voice_week_15min.csv": make_retail,
        "multi_queue_30min.csv": make_multi_queue,
        "dst_247_week_15min.csv": make_dst_247,
    }
    for name, make in outputs.items():
        path = HERE / name
        make(path)
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()


def make_capacity_2027(path: Path) -> None:
    """``capacity_2027.csv``: a monthly volume forecast for ``wfm capacity``, 2027-01 .. 2027-12, one queue (no
    queue column). About 135,000 contacts in an ordinary month, a summer dip, a peak season ramping from
    October to about 1.5 times the ordinary month in December; AHT about 350 s, a little longer in the peak.
    Synthetic (a seasonal curve with 2 % noise, seed 20270101); no real data."""
    rng = np.random.default_rng(20270101)
    season = np.array([1.02, 0.97, 1.0, 0.98, 0.95, 0.92, 0.9, 0.94, 1.02, 1.15, 1.35, 1.5])
    volume = np.round(135_000 * season * rng.normal(1.0, 0.02, 12), -2).astype(int)
    aht = np.round(352 + 14 * (season - 1.0) + rng.normal(0.0, 2.0, 12)).astype(int)
    _write(path, ["period", "volume", "aht"], ([f"2027-{m + 1:02d}", int(volume[m]), int(aht[m])] for m in range(12)))


if __name__ == "__main__":  # appended with capacity_2027.csv: main() above writes the other samples
    _capacity = HERE / "capacity_2027.csv"
    make_capacity_2027(_capacity)
    print(f"wrote {_capacity} ({_capacity.stat().st_size:,} bytes)")


def make_history_8w(path: Path) -> None:
    """``history_8w_15min.csv``: eight weeks of actuals for ``wfm forecast`` (2026-10-05 .. 2026-11-28), 15-minute
    intervals, America/Chicago with offsets (the DST change of 2026-11-01 inside): ``sales`` Mon-Sat 08-20 (Sat
    09-17), ``support`` Mon-Fri 08-18, a Monday-heavy week, a double intraday peak, +1 % a week, Poisson counts;
    Thanksgiving (2026-11-26) missing, as a closed holiday is. Synthetic (seed 20261005); no real data."""
    rng = np.random.default_rng(20261005)
    tz = ZoneInfo("America/Chicago")
    dow = np.array([1.2, 1.05, 1.0, 0.97, 0.9, 0.45, 0.0])
    queues = {"sales": (2600.0, {5: (9, 17)}, 8, 20, 300.0), "support": (1500.0, {5: None}, 8, 18, 420.0)}
    rows = []
    for name, (daily, special_hours, open_h, close_h, aht_base) in queues.items():
        for k in range(56):
            day = date(2026, 10, 5) + timedelta(days=k)
            wd = day.weekday()
            if wd == 6 or day == date(2026, 11, 26):
                continue
            hours = special_hours.get(wd, (open_h, close_h))
            if hours is None:
                continue
            starts = _local_intervals(day, hours[0], hours[1], 15, tz)
            hour = _hour_of_day(starts, 15)
            shape = _bump(hour, 10.5, 1.5) + 0.8 * _bump(hour, 14.5, 2.0) + 0.15
            mean = daily * dow[wd] * (1 + 0.01 * k / 7) * shape / shape.sum()
            volume = rng.poisson(mean)
            aht = _aht(rng, aht_base + 20 * np.cos(hour / 4), volume, 120, 900, 60)
            rows.extend((name, t.isoformat(), int(v), int(a)) for t, v, a in zip(starts, volume, aht))
    _write(path, ["queue", "interval_start", "volume", "aht"], rows)


if __name__ == "__main__":  # appended with history_8w_15min.csv (issue 12)
    _history = HERE / "history_8w_15min.csv"
    make_history_8w(_history)
    print(f"wrote {_history} ({_history.stat().st_size:,} bytes)")
