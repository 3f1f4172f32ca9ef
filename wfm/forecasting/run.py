"""`wfm forecast` and `wfm backtest` on a loaded history: per queue, the model of :mod:`wfm.forecasting.model`
on the matrices of :mod:`wfm.forecasting.grid`, special days applied, outliers flagged; the forecast CSV text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from wfm.errors import ConfigError, InputError
from wfm.forecast.model import Forecast, format_local
from wfm.forecasting import grid
from wfm.forecasting.model import FIT_DAYS, Params, Point, dispersion_by_week, point_forecast
from wfm.forecasting.outliers import outlier_days
from wfm.forecasting.prediction_interval import interval
from wfm.report.numbers import plural
from wfm.reprs import compact_repr

MIN_HISTORY_DAYS = FIT_DAYS
"""A weekly season needs two weeks of history (:func:`history_span`): the model's least (its ``FIT_DAYS``)."""
MAX_LEVEL = 0.999
"""The widest prediction interval: nearer 1, the upper quantile runs to infinity (:func:`check_level`)."""

_SPAN = re.compile(r"^\s*(-?\d+)\s*(w|wk|weeks?|d|days?)\s*$", re.IGNORECASE)


MAX_SPAN_DAYS = 7 * 104  # two years: a weekly model says nothing useful further out
PARTIAL_SHARE = 0.05
"""The share of a day's contacts that must usually come after the hour a history's last day stops for that day
to be taken as partial (:func:`_partial_last_day`)."""
MAX_GAP_WEEKS = 8  # the most a forecast may start after a queue's last listed day (the level needs recent weeks)
FLAGS: Mapping[str, str] = {"fallback": "--fallback baseline", "no_tz": "no --tz (or [forecast] tz)", "tz": "--tz",
                            "start": "--start", "special_days": "[forecast.special_days]"}
"""How :func:`forecast`'s messages name what the planner can give: ``wfm forecast``'s flags (the default)."""
PARAMETERS: Mapping[str, str] = {"fallback": 'fallback="baseline"', "no_tz": "no tz", "tz": "tz", "start": "start",
                                 "special_days": "special_days"}
"""The same for :func:`forecast_from_history`: its parameters, not flags a notebook has no way to give."""


def parse_span(text: str, what: str) -> int:
    """Days in a span like ``1w``, ``4w`` or ``10d`` (a flag's text, such as ``--horizon``, named by ``what``);
    ConfigError unless a positive whole number of them, at most ``MAX_SPAN_DAYS``."""
    match = _SPAN.match(text)
    days = 0 if match is None else int(match.group(1)) * (7 if match.group(2).lower().startswith("w") else 1)
    if match is None or days <= 0:
        raise ConfigError(f"{what}: expected a positive number of weeks or days such as 1w, 4w or 10d, got {text!r}")
    if days > MAX_SPAN_DAYS:
        raise ConfigError(f"{what}: at most {MAX_SPAN_DAYS // 7} weeks ({MAX_SPAN_DAYS} days), got {text!r}")
    return days


@dataclass(frozen=True, repr=False)
class QueueForecast:
    """One queue's forecast, one element per open interval in time order."""

    __repr__ = compact_repr  # fields, with arrays as their shapes

    queue: str
    interval_start: np.ndarray
    utc_offset_s: np.ndarray
    volume: np.ndarray
    aht: np.ndarray
    volume_lo: np.ndarray
    volume_hi: np.ndarray
    naive: np.ndarray
    mean4: np.ndarray
    dispersion: float
    """``c`` of the interval's first week (Var = μ + c μ²); later weeks' are larger, as their errors are
    (:func:`wfm.forecasting.model.dispersion_by_week`)."""
    channel: str | None = None
    """The history's channel for the queue (its ``channel`` column), None without one."""


@dataclass(frozen=True, repr=False)
class Result:
    __repr__ = compact_repr  # fields, with arrays as their shapes

    queues: list[QueueForecast]
    warnings: list[str] = field(default_factory=list)
    first_day: date | None = None


def check_level(level: float, what: str = "level") -> None:
    """ConfigError naming ``what`` (the parameter, or the CLI's ``--interval-level``) unless ``level`` is a coverage
    the prediction interval can have: above 0 and at most ``MAX_LEVEL`` (NaN is neither); ``wfm forecast``,
    ``wfm backtest`` and :func:`forecast_from_history` check it alike."""
    if not 0 < level <= MAX_LEVEL:
        from wfm.targets import show_value  # a flag's 2 as typed, not 2.0

        raise ConfigError(f"{what}: expected a fraction above 0 and at most {MAX_LEVEL}, got {show_value(level)}")


def history_span(h: grid.History, origin: int) -> int:
    """The days of weekly season that ``h`` holds for a forecast from row ``origin`` (the first day forecast):
    from its first listed day to ``origin``, and on through the days from ``origin`` whose same weekday a week
    earlier was closed (not listed; up to six of them). A history that ends before a closed weekend has that
    weekend too: Monday to Friday over two weeks, forecast from the Saturday, spans 14 days, where 13 days of
    a queue open every day span 13."""
    listed = ~np.isnan(h.volume[:, 0])
    span = origin
    while span < origin + 7 and 0 <= span - 7 < min(origin, h.n_days) and not listed[span - 7]:
        span += 1
    return span


def _too_short(h: grid.History, origin: int) -> bool:
    """Whether ``h`` is too short for the model's weekly season in a forecast from row ``origin``: under
    ``MIN_HISTORY_DAYS`` of :func:`history_span`, or fewer than two days listed before ``origin``."""
    listed = int((~np.isnan(h.volume[:max(min(origin, h.n_days), 0), 0])).sum())
    return history_span(h, origin) < MIN_HISTORY_DAYS or listed < 2


def _prepare(history: Forecast, special_days: dict[date, float], allow_short: bool = False, hint: str = "",
             flag_outliers: bool = True, tz: str | None = None, names: Mapping[str, str] = FLAGS
             ) -> tuple[list[grid.History], list[np.ndarray], list[str]]:
    """The histories (in zone ``tz``'s local time when given, else the file's), and per queue the bool mask of
    days excluded from fitting (special days, a partial last day and, with ``flag_outliers``, outliers), with a
    warning per outlier day. A queue with less than two weeks of history is an InputError (its message ending
    with ``hint``) unless ``allow_short``. An outlier's warning names where special days are given by ``names``
    (:data:`FLAGS` or :data:`PARAMETERS`)."""
    hists = grid.histories(history, tz)
    special = np.array(sorted(special_days), dtype="datetime64[D]")
    excluded, notes = [], []
    for h in hists:
        days = h.first_day + np.arange(h.n_days).astype("timedelta64[D]")
        if _too_short(h, h.n_days) and not allow_short:
            raise InputError(f"{history.path}: queue {h.queue!r}: {plural(h.n_days, 'day')} of history; a weekly "
                             f"season needs at least two weeks ({MIN_HISTORY_DAYS} days){hint}")
        is_special = np.isin(days, special)
        partial = np.zeros(h.n_days, dtype=bool)
        cut = _partial_last_day(h)
        if cut is not None:
            partial[-1] = True
            notes.append(f"{history.path}: queue {h.queue!r}: the history's last day, {days[-1]}, ends at {cut[0]}, "
                         f"before its usual close at {cut[1]}: a partial day, left out of the fit")
        outliers = np.zeros(h.n_days, dtype=bool)
        if flag_outliers:
            outliers = outlier_days(np.where((is_special | partial)[:, None], np.nan, h.volume))
        for day in days[outliers]:
            notes.append(f"{history.path}: queue {h.queue!r}: {day} looks like an outlier (its total is far from "
                         "the same weekday's in the weeks around it); left out of the fit (list it in "
                         f"{names['special_days']} to say what it was)")
        notes += _silent_days(history.path, h.queue, days,
                              np.where((is_special | partial | outliers)[:, None], np.nan, h.volume))
        excluded.append(is_special | partial | outliers)
    return hists, excluded, notes


SILENT_USUAL = 20.0
"""Contacts a weekday usually takes (median of its listed days with contacts) from which a run of listed days
with none is worth a warning: too many to be a quiet spell."""


def _silent_days(path: str, queue: str, days: np.ndarray, volume: np.ndarray) -> list[str]:
    """A warning per run of three or more listed days in a row with no contacts on weekdays that usually take
    :data:`SILENT_USUAL` or more: more likely an export that lost them than a quiet week. Such a run at the history's
    end may be a level change to the model (:func:`wfm.forecasting.outliers.outlier_days`) and pulls the forecast down;
    a single silent day, or a run followed by days of the usual level, is outliers, warned of as such (``volume``
    has them NaN already: they are no run here)."""
    listed = ~np.isnan(volume[:, 0])
    totals = np.nansum(volume, axis=1)
    weekday = np.arange(days.size) % 7
    usual = np.zeros(7)
    for d in range(7):  # seven weekdays, not a loop over rows
        busy = totals[listed & (weekday == d) & (totals > 0)]
        usual[d] = np.median(busy) if busy.size else 0.0
    silent = listed & (totals == 0) & (usual[weekday] >= SILENT_USUAL)
    seq = np.flatnonzero(listed)
    flags = silent[seq]
    starts = np.flatnonzero(flags & ~np.r_[False, flags[:-1]])
    ends = np.flatnonzero(flags & ~np.r_[flags[1:], False])
    return [f"{path}: queue {queue!r}: {plural(int(e - b + 1), 'listed day')} in a row with no contacts, {days[seq[b]]} "
            f"to {days[seq[e]]}, where those weekdays usually take {float(np.median(usual[weekday[seq[b:e + 1]]])):,.0f}; "
            "the forecast takes them as a drop in level: if the export lost them, fix or remove those rows"
            for b, e in zip(starts, ends) if e - b + 1 >= 3]


def _partial_last_day(h: grid.History) -> tuple[str, str] | None:
    """(local end, usual close) as HH:MM when the history's last day stops before its weekday's usual close
    (actuals exported mid-day by a cron job), else None. Usual, over the same weekday in the four weeks before:
    the median of their last listed slots, and at least ``PARTIAL_SHARE`` of their contacts (median) came after
    the hour the last day stops, so that an export listing only busy intervals, whose last row moves with a
    quiet evening, is not cut; and the same weekday a week before closed later (else the hours changed). Such a
    day's total is low for no reason the model knows, so it is left out of the fit and of a backtest's score."""
    present = ~np.isnan(h.aht)  # a row listed for the slot
    last = h.n_days - 1
    before = [d for d in (last - 7 * k for k in range(1, 5)) if d >= 0 and present[d].any()]
    if not before or not present[last].any():
        return None
    end = int(np.flatnonzero(present[last])[-1]) + 1  # slots
    closes = [int(np.flatnonzero(present[d])[-1]) + 1 for d in before]
    close = int(np.median(closes))
    if end >= closes[0]:  # the same weekday a week before closed then too: the centre's hours, not an export
        return None
    totals = np.nansum(h.volume[before], axis=1)
    after = np.nansum(h.volume[before, end:], axis=1)
    share = float(np.median(np.where(totals > 0, after / np.where(totals > 0, totals, 1.0), 0.0)))
    if end >= close or share < PARTIAL_SHARE:
        return None

    def clock(slot: int) -> str:
        minutes = (slot * h.interval_s + h.phase_s) // 60  # the grid's phase: hours at half past
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    return clock(end), clock(close)


def _matrix(matrix: np.ndarray, skip: np.ndarray, until: int) -> np.ndarray:
    """``matrix`` with excluded days NaN, cut or padded (NaN) to ``until`` rows."""
    v = np.where(skip[:, None], np.nan, matrix)
    if until <= len(v):
        return v[:until]
    return np.concatenate([v, np.full((until - len(v), v.shape[1]), np.nan)])


def _clock_notes(history: Forecast, zone: str | None, names: Mapping[str, str] = FLAGS) -> list[str]:
    """Warnings about the clock a queue is forecast on. Without a zone: a queue whose offsets change crossed a clock
    change, and holding its last offset is a guess; one whose offsets never change (and are not UTC) keeps that
    offset on every future day, an hour off after a clock change the history did not see. With one: a queue whose
    file offsets are not the zone's (a second site's queue in one file) is laid out on the zone's clock. ``names``:
    :data:`FLAGS` or :data:`PARAMETERS`."""
    from wfm.times import offset_text

    notes = []
    bounds = np.searchsorted(history.queue, np.arange(len(history.queue_names) + 1))  # rows by queue
    for q, name in enumerate(history.queue_names):
        rows = slice(int(bounds[q]), int(bounds[q + 1]))
        given = history.utc_offset_s[rows]
        seen = np.unique(given)
        if zone is None and seen.size > 1:
            notes.append(f"{history.path}: queue {name!r}: its UTC offsets change "
                         f"({', '.join(offset_text(int(o)) for o in seen[:4])}) but {names['no_tz']} "
                         "names the zone: the forecast keeps its last offset on every day, wrong after a clock "
                         f"change; give {names['tz']} (such as America/Chicago) to follow daylight saving time")
        elif zone is None and seen.size == 1 and seen[0] != 0:
            notes.append(f"{history.path}: queue {name!r}: its times carry the UTC offset {offset_text(int(seen[0]))} "
                         f"and {names['no_tz']} names the zone: the forecast keeps that offset on every "
                         f"day; give {names['tz']} (such as America/Chicago) if the centre's clock changes for "
                         "daylight saving time")
        elif zone is None and seen.size == 1 and seen[0] == 0:
            from wfm.forecast.intervals import day_boundary

            start = day_boundary(history.interval_start[rows].astype("datetime64[s]").astype(np.int64))
            if start:  # open across midnight UTC with a daily closure elsewhere: a local clock, exported in UTC
                notes.append(f"{history.path}: queue {name!r}: its times are UTC (+00:00) and {names['no_tz']} names "
                             f"the zone, and its days run across midnight UTC (from {start // 3600:02d}:"
                             f"{start % 3600 // 60:02d} UTC): the forecast lays it out on UTC days and hours; give "
                             f"{names['tz']} (such as America/New_York) to forecast on the centre's clock")
        elif zone is not None and seen.size and not (seen.size == 1 and seen[0] == 0):  # a UTC export is converted
            differ = int(np.count_nonzero(given != grid.offsets(history.interval_start[rows], zone, 0)))
            if differ:
                notes.append(f"{history.path}: queue {name!r}: {plural(differ, 'interval')} carry UTC offsets that are "
                             f"not {zone}'s: the queue is forecast on {zone}'s clock (a queue in another zone needs "
                             f"its own file and {names['tz']})")
    return notes


def _weekdays_unlisted_lately(h: grid.History, origin: int, is_open: np.ndarray, first: np.datetime64,
                              special_days: dict[date, float]) -> list[str]:
    """Short names of the weekdays the forecast opens (``is_open``: days x slots from ``first``) whose last two
    occurrences before ``origin`` the history does not list, and no special day closed: the model keeps a weekday
    open for four weeks after it was last listed (two holidays in a row, Christmas and New Year, are not a
    closure), so a centre that stopped opening on it is forecast open until then, which the planner is told."""
    from wfm.times import WEEKDAYS

    shut = {d for d, f in special_days.items() if f == 0}
    names = []
    for j in np.flatnonzero(is_open[:7].any(axis=1)):
        day = first + np.timedelta64(int(j), "D")
        rows = [int((day - h.first_day).astype(np.int64)) - 7 * k for k in (1, 2)]
        gone = [0 <= r < min(origin, h.n_days) and np.isnan(h.volume[r, 0])
                and (h.first_day + np.timedelta64(r, "D")).astype(date) not in shut for r in rows]
        if all(gone):
            names.append(WEEKDAYS[day.astype(date).weekday()])
    return names


def _closed(h: grid.History, special_days: dict[date, float], known: int, until: int) -> np.ndarray:
    """bool (until,) per row of ``h`` from its first day: closed, i.e. not listed in the history (rows before
    ``known`` only: later ones are the future, not known when forecasting) or a special day marked closed."""
    out = np.zeros(until, dtype=bool)
    n = min(known, h.n_days, until)
    out[:n] = np.isnan(h.volume[:n, 0])
    shut = [d for d, f in special_days.items() if f == 0]
    if shut:
        rows = (np.array(shut, dtype="datetime64[D]") - h.first_day).astype(np.int64)
        out[rows[(rows >= 0) & (rows < until)]] = True
    return out


def _baseline(volume: np.ndarray, aht: np.ndarray, origin: int, horizon: int, params: Params, who: str,
              first: np.datetime64) -> tuple[Point, str]:
    """A short queue's forecast (``volume``, ``aht``: its rows before ``origin``, excluded days NaN): with a
    week or more from its first listed day, the seasonal-naive baseline (each weekday as the last listed same
    weekday, closed where that was closed; handle time as the model's, from the same days), and so with six days
    (a Monday-to-Saturday queue's first week: the seventh weekday, not yet seen, closed); with under six days, the
    last listed day's intervals repeated on every day (its weekday pattern cannot be known yet).
    InputError when no day is listed before ``origin``. Returns the point forecast and the method's name."""
    listed = np.flatnonzero(~np.isnan(volume[:, 0])) if origin > 0 else np.array([], dtype=np.int64)
    if not listed.size:
        raise InputError(f"{who}: no history before {first}; nothing to forecast it from")
    if origin - int(listed[0]) >= 6:  # six days from the first listed one: each weekday seen but (maybe) one
        pt = point_forecast(volume, aht, origin, horizon, params)
        unseen = "" if origin - int(listed[0]) >= 7 else \
            f"; {first.astype('datetime64[D]').astype(date):%A}s not yet seen, closed"
        return (Point(volume=pt.naive, aht=pt.aht, open=pt.open, naive=pt.naive, mean4=pt.mean4),
                f"the seasonal-naive baseline (each weekday as it was a week earlier{unseen})")
    last = int(listed[-1])
    day_open = ~np.isnan(aht[last])  # a row listed, even with 0 contacts: open
    shape = (horizon, volume.shape[1])
    is_open = np.broadcast_to(day_open, shape).copy()
    vol = np.where(is_open, volume[last], 0.0)
    day_total = float(volume[last].sum())
    day_aht = float((volume[last] * np.nan_to_num(aht[last])).sum() / day_total) if day_total > 0 else 0.0
    handle = np.where(is_open, np.where(np.nan_to_num(aht[last]) > 0, np.nan_to_num(aht[last]), day_aht), 0.0)
    return (Point(volume=vol, aht=handle, open=is_open, naive=vol, mean4=vol),
            f"the last day's intervals ({np.datetime_as_string(first - np.timedelta64(origin - last, 'D'))}) "
            "repeated on every day (under a week of history)")


def forecast(history: Forecast, horizon_days: int, start: date | None = None, level: float = 0.8,
             special_days: dict[date, float] | None = None, tz: str | None = None,
             params: Params = Params(), fallback: str | None = None,
             special_days_where: str = "[forecast.special_days]", names: Mapping[str, str] = FLAGS) -> Result:
    """Forecast every queue of ``history`` for ``horizon_days`` local days from ``start`` (default: the day
    after the history's last). ``special_days``: a factor per date (0: closed), applied to the forecast and
    excluded from fitting. ``tz`` (else ``history.tz``) gives the future's UTC offsets; without one, the
    history's last offset holds. A queue with less than two weeks of history before ``start`` is an InputError,
    or with ``fallback="baseline"`` forecast by :func:`_baseline` (with a warning naming the queue and the
    method) while the other queues use the model. A special day in the horizon on which every queue is closed anyway
    is warned of (a date typed wrong), named by ``special_days_where`` (the section of wfm.toml). Messages name
    what to give by ``names``: ``wfm forecast``'s flags (:data:`FLAGS`) or the library's parameters
    (:data:`PARAMETERS`)."""
    if horizon_days <= 0:
        raise ConfigError(f"horizon_days: expected a positive number of days, got {horizon_days}")
    check_level(level)
    special_days = special_days or {}
    if fallback not in (None, "baseline"):
        raise ConfigError(f"fallback: expected None or 'baseline', got {fallback!r}")
    hint = f"; {names['fallback']} forecasts it with a baseline instead" if fallback is None else ""
    zone = tz or history.tz  # the centre's clock: the history is slotted and the future stepped by it
    hists, excluded, notes = _prepare(history, special_days, allow_short=fallback is not None, hint=hint, tz=zone,
                                      names=names)
    notes += _clock_notes(history, zone, names)
    last_day = max(h.first_day + np.timedelta64(h.n_days - 1, "D") for h in hists)
    first = np.datetime64(start, "D") if start is not None else last_day + np.timedelta64(1, "D")
    days = first + np.arange(horizon_days).astype("timedelta64[D]")
    factor = np.array([special_days.get(d, 1.0) for d in days.astype(date)], dtype=float)  # per day, all queues
    channels = {name: history.channel_of(q) for q, name in enumerate(history.queue_names)}
    out = []
    opened = np.zeros(horizon_days, dtype=bool)  # the days some queue is forecast open, special days aside
    for h, skip in zip(hists, excluded):
        origin = int((first - h.first_day).astype(np.int64))
        short = _too_short(h, origin) or _too_short(h, h.n_days)
        if short and fallback is None:
            raise InputError(f"{history.path}: queue {h.queue!r}: {plural(max(origin, 0), 'day')} of history before "
                             f"{first}; a weekly season needs at least two weeks ({MIN_HISTORY_DAYS} days){hint}")
        gap = origin - h.n_days  # days between the queue's last listed day and the forecast's first
        if gap >= 7 * MAX_GAP_WEEKS:
            raise InputError(f"{history.path}: queue {h.queue!r}: its history ends {gap + 1} days before {first}; "
                             f"a forecast starts at most {MAX_GAP_WEEKS} weeks after the history (update the "
                             f"history, or give {names['start']} nearer its end)")
        if gap >= 7:
            notes.append(f"{history.path}: queue {h.queue!r}: its history ends {gap + 1} days before {first}; "
                         "the forecast carries its last level forward that far")
        v, a = _matrix(h.volume, skip, max(origin, 0)), _matrix(h.aht, skip, max(origin, 0))
        if short:
            pt, method = _baseline(v, a, origin, horizon_days, params, f"{history.path}: queue {h.queue!r}", first)
            notes.append(f"{history.path}: queue {h.queue!r}: {plural(max(origin, 0), 'day')} of history before "
                         f"{first}, fewer than two weeks: forecast with {method}, not the model (Poisson interval)")
            c = np.zeros(-(-horizon_days // 7))
        else:
            closed = _closed(h, special_days, origin, origin + horizon_days)
            pt = point_forecast(v, a, origin, horizon_days, params, h.first_day, closed)
            c = dispersion_by_week(v, a, origin, horizon_days, params, h.first_day, closed)
            if pt.aht_step is not None:
                step = pt.aht_step
                notes.append(f"{history.path}: queue {h.queue!r}: handle time stepped from {step.before_s:,.0f} s to "
                             f"{step.after_s:,.0f} s on {first + np.timedelta64(step.day, 'D')} and has stayed there: "
                             "forecast at the level since")
        opened |= pt.open.any(axis=1)
        is_open = pt.open & (factor > 0)[:, None]
        gone = _weekdays_unlisted_lately(h, origin, is_open, first, special_days)
        if gone:
            notes.append(f"{history.path}: queue {h.queue!r}: forecast open on {', '.join(gone)} as within the last "
                         "four weeks, though the history lists neither of the last two; if the centre no longer "
                         f"opens then, mark those dates closed in {names['special_days']}")
        mean = pt.volume * factor[:, None]
        lo, hi = np.zeros_like(mean), np.zeros_like(mean)
        for k, c_week in enumerate(c.tolist()):  # each week's width from errors that far ahead
            lo[7 * k:7 * k + 7], hi[7 * k:7 * k + 7] = interval(mean[7 * k:7 * k + 7], c_week, level)
        starts, offs = grid.future_starts(first, horizon_days, h.interval_s, zone, h.last_offset_s, h.phase_s)
        local = starts + offs.astype("timedelta64[s]") - np.timedelta64(h.phase_s, "s")  # slot 0 at midnight
        day_index = (local.astype("datetime64[D]") - first).astype(np.int64)
        slot = (local - local.astype("datetime64[D]")).astype(np.int64) // h.interval_s
        inside = (day_index >= 0) & (day_index < horizon_days)
        day_index, slot = np.clip(day_index, 0, horizon_days - 1), np.clip(slot, 0, h.slots - 1)
        keep = inside & is_open[day_index, slot]
        d, s = day_index[keep], slot[keep]
        out.append(QueueForecast(queue=h.queue, interval_start=starts[keep], utc_offset_s=offs[keep],
                                 volume=mean[d, s], aht=np.where(mean[d, s] > 0, pt.aht[d, s], 0.0),
                                 volume_lo=lo[d, s], volume_hi=hi[d, s], naive=pt.naive[d, s] * factor[d],
                                 mean4=pt.mean4[d, s] * factor[d], dispersion=float(c[0]),
                                 channel=channels.get(h.queue)))
    notes += [f"{special_days_where}: {day} ({day:%A}) is a day the forecast has every queue closed anyway, so "
              "its factor changes nothing; check the date" for day, f, o in zip(days.astype(date), factor, opened)
              if f != 1.0 and not o]
    return Result(queues=out, warnings=notes, first_day=first.astype(date))


def forecast_from_history(history: Forecast, horizon_days: int = 7, *, start: date | None = None,
                          level: float = 0.8, special_days: Mapping[date, float] | None = None,
                          tz: str | None = None, fallback: str | None = None) -> Forecast:
    """The forecast ``wfm forecast`` makes, as a :class:`~wfm.forecast.Forecast` to size and plan: every queue of
    ``history`` (actual volume and handle time per interval, e.g. from :func:`wfm.load_forecast`) for
    ``horizon_days`` local days from ``start`` (default: the day after the history's last). The same forecast as
    ``wfm forecast HISTORY -o next.csv`` read back with ``load_forecast("next.csv")``; the prediction interval
    (volume_lo, volume_hi, at ``level``) is in that CSV only (``wfm.forecasting.run.forecast`` and
    ``forecast_csv`` give it).
    ``special_days``: a factor per date (0: closed), as ``[forecast.special_days]`` (``Settings.special_days``);
    ``tz``: the centre's zone (else the history's); ``fallback="baseline"``: a queue with under two weeks of
    history is forecast by a seasonal-naive baseline instead of refused. Warns
    (:class:`wfm.errors.ForecastWarning`) of what ``wfm forecast`` warns of. ConfigError for an argument out of
    range, InputError for a history that cannot be forecast (naming the queue)."""
    import numbers

    from wfm.config import check_tz
    from wfm.errors import warn_forecast
    from wfm.forecast.loader import forecast_from_csv_text
    from wfm.forecasting.special import parse_special_days

    if isinstance(horizon_days, bool) or not isinstance(horizon_days, numbers.Integral) or not (
            0 < horizon_days <= MAX_SPAN_DAYS):
        raise ConfigError(f"horizon_days: expected a whole number of days from 1 to {MAX_SPAN_DAYS} (two years), "
                          f"got {horizon_days!r}")
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise ConfigError(f"level: expected a fraction above 0 and at most {MAX_LEVEL}, got {level!r}")
    check_level(float(level), "level")
    if fallback not in (None, "baseline"):
        raise ConfigError(f"fallback: expected None or 'baseline', got {fallback!r}")
    if tz is not None:
        check_tz(tz, "tz")
    days = parse_special_days(dict(special_days or {}), "special_days")  # as wfm.toml's: 0-100 or "closed"
    result = forecast(history, int(horizon_days), start, float(level), days, tz, fallback=fallback,
                      special_days_where="special_days", names=PARAMETERS)
    warn_forecast(result.warnings)
    return forecast_from_csv_text(forecast_csv(result), name=f"<forecast from {history.path}>")


def csv_field(text: str) -> str:
    """``text`` as one CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break."""
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n\r') else text


def forecast_csv(result: Result) -> str:
    """The forecast CSV (``queue,interval_start,volume,aht,volume_lo,volume_hi``), which ``wfm size`` and
    ``wfm plan`` read as is: local times with their offsets; volume to 0.01, handle time to 0.1 s (or four
    significant digits, for one under 0.05 s, which would read 0 and be refused where there are contacts). When the
    history gave a queue its channel, a ``channel`` column after ``queue`` carries it (blank for a queue
    without one), so an email queue is sized as email."""
    with_channel = any(q.channel is not None for q in result.queues)
    parts = [f"queue,{'channel,' if with_channel else ''}interval_start,volume,aht,volume_lo,volume_hi\n"]
    for q in result.queues:
        if not len(q.volume):
            continue
        starts = format_local(q.interval_start, q.utc_offset_s)
        queue = csv_field(q.queue) + ("," + csv_field(q.channel or "") if with_channel else "")
        columns = [np.full(len(starts), queue), starts,
                   np.char.mod("%.2f", np.round(q.volume, 2)), _aht_text(q.aht),
                   np.char.mod("%d", q.volume_lo.astype(np.int64)), np.char.mod("%d", q.volume_hi.astype(np.int64))]
        rows = columns[0]
        for column in columns[1:]:
            rows = np.char.add(np.char.add(rows, ","), column)
        parts.append("\n".join(rows.tolist()) + "\n")
    return "".join(parts)


def _aht_text(aht: np.ndarray) -> np.ndarray:
    """Handle times to 0.1 s; one that would round to 0 though it is not, to four significant digits."""
    tenths = np.round(aht, 1)
    return np.where((tenths == 0) & (aht > 0), np.char.mod("%.4g", aht), np.char.mod("%.1f", tenths))
