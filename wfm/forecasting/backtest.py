"""Rolling-origin evaluation (`wfm backtest`): each of the history's last weeks forecast from the history
before it (``lead`` days before the week ends its look-ahead, as a weekly cron job would have), compared with
what happened: WAPE and bias per interval and per day for the model and both baselines, the prediction
interval's coverage, and the model's handle-time error weighted by the actual contacts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from wfm.errors import InputError
from wfm.forecast.model import Forecast
from wfm.forecasting.model import Params, dispersion_by_week, point_forecast
from wfm.forecasting.outliers import outlier_days
from wfm.forecasting.prediction_interval import interval
from wfm.forecasting.run import MIN_HISTORY_DAYS, _closed, _matrix, _prepare, _too_short, check_level
from wfm.report.numbers import plural

METHODS = ("model", "seasonal_naive", "mean_last4")


@dataclass(frozen=True)
class Scores:
    """Sums over the evaluated intervals, per method: |error|, error, and per-day |error| of the totals."""

    actual: float
    abs_error: dict[str, float]
    error: dict[str, float]
    day_abs_error: dict[str, float]
    covered: int
    intervals: int
    work_s: float = 0.0
    """Σ actual contacts × actual handle time over the intervals with contacts and a handle time."""
    work_abs_error_s: float = 0.0
    """Σ actual contacts × |forecast handle time - actual| over them (the model's; the baselines have none)."""
    work_error_s: float = 0.0
    """Σ actual contacts × (forecast handle time - actual) over them."""

    def record(self) -> dict[str, float | int | None]:
        out: dict[str, float | int | None] = {"actual": round(self.actual, 2), "intervals": self.intervals}
        for m in METHODS:
            out[f"{m}_wape"] = round(self.abs_error[m] / self.actual, 5) if self.actual > 0 else None
            out[f"{m}_bias"] = round(self.error[m] / self.actual, 5) if self.actual > 0 else None
            out[f"{m}_day_wape"] = round(self.day_abs_error[m] / self.actual, 5) if self.actual > 0 else None
        out["coverage"] = round(self.covered / self.intervals, 5) if self.intervals else None
        # after the volume's keys: the handle time's error, weighted by the actual contacts (workload)
        out["aht_wape"] = round(self.work_abs_error_s / self.work_s, 5) if self.work_s > 0 else None
        out["aht_bias"] = round(self.work_error_s / self.work_s, 5) if self.work_s > 0 else None
        return out


def _score(actual: np.ndarray, forecasts: dict[str, np.ndarray], lo: np.ndarray, hi: np.ndarray,
           is_open: np.ndarray, actual_aht: np.ndarray, aht: np.ndarray) -> Scores:
    listed = ~np.isnan(actual[:, 0])
    act = np.nan_to_num(actual)[listed]
    counted = (is_open[listed] | (act > 0))
    abs_error, error, day_abs = {}, {}, {}
    for m, f in forecasts.items():
        diff = np.where(counted, f[listed] - act, 0.0)
        abs_error[m] = float(np.abs(diff).sum())
        error[m] = float(diff.sum())
        day_abs[m] = float(np.abs(diff.sum(axis=1)).sum())
    # coverage over the open intervals, less those forecast at 0 that took none: [0, 0] filled by a 0 says nothing
    # about calibration (a dormant queue's took a total from 82.9 % to 91.4 %); forecast at 0 and taking contacts
    # is a miss
    inside = is_open[listed] & ((forecasts["model"][listed] > 0) | (act > 0))
    covered = int(((act >= lo[listed]) & (act <= hi[listed]) & inside).sum())
    # handle time, over the intervals that took contacts with a handle time, weighted by those contacts: the error in
    # the workload that the volume's error does not make (a slot forecast closed has a handle time of 0: all wrong)
    handle = actual_aht[listed]
    timed = (act > 0) & ~np.isnan(handle)
    weight, truth = np.where(timed, act, 0.0), np.nan_to_num(handle)
    miss = np.where(timed, aht[listed] - truth, 0.0)
    return Scores(float(act[counted].sum()), abs_error, error, day_abs, covered, int(inside.sum()),
                  float((weight * truth).sum()), float((weight * np.abs(miss)).sum()), float((weight * miss).sum()))


def _add(a: Scores | None, b: Scores) -> Scores:
    if a is None:
        return b
    return Scores(a.actual + b.actual, {m: a.abs_error[m] + b.abs_error[m] for m in METHODS},
                  {m: a.error[m] + b.error[m] for m in METHODS},
                  {m: a.day_abs_error[m] + b.day_abs_error[m] for m in METHODS},
                  a.covered + b.covered, a.intervals + b.intervals, a.work_s + b.work_s,
                  a.work_abs_error_s + b.work_abs_error_s, a.work_error_s + b.work_error_s)


@dataclass(frozen=True)
class Daily:
    """One queue's day totals over the evaluated weeks, in date order (for the chart of ``wfm backtest --html``).
    ``actual`` is NaN on a day not scored (not listed in the history, a special day, a partial last day); the
    forecasts (``model``, ``seasonal_naive``, ``mean_last4``) are what each method said for every day. No
    per-day prediction interval: the backtest's interval is per interval (a day's would need its own
    dispersion)."""

    queue: str
    days: np.ndarray
    """datetime64[D]."""
    actual: np.ndarray
    forecast: dict[str, np.ndarray]


@dataclass(frozen=True)
class Backtest:
    weeks: int
    lead_days: int
    level: float
    folds: list[tuple[str, date, Scores]]
    """(queue, first day of the evaluated week, its scores)."""
    per_queue: dict[str, Scores]
    total: Scores
    warnings: list[str]
    daily: list[Daily] = field(default_factory=list)
    """Per queue, the day totals the chart of ``--html`` draws (not in :meth:`record`)."""

    def columns(self) -> list[tuple[str, str]]:
        """(heading, record key) of the table ``wfm backtest`` prints and its HTML page shows, in order."""
        return [("WAPE", "model_wape"), ("bias", "model_bias"), ("day WAPE", "model_day_wape"),
                ("naive WAPE", "seasonal_naive_wape"), ("naive day", "seasonal_naive_day_wape"),
                ("mean-4 WAPE", "mean_last4_wape"), ("mean-4 day", "mean_last4_day_wape"),
                (f"{self.level:.0%} PI coverage", "coverage"), ("AHT WAPE", "aht_wape")]

    def total_label(self) -> str:
        """The total's name in :meth:`rows`: "all", or "(all)" (parenthesised again as often as needed) when a
        queue has that name, so that the total never reads as a queue."""
        label = "all"
        while label in self.per_queue:
            label = f"({label})"
        return label

    def rows(self) -> list[tuple[str, dict[str, float | int | None]]]:
        """(queue, its scores' record) per queue, then (:meth:`total_label`, the total's)."""
        return [*((q, s.record()) for q, s in self.per_queue.items()), (self.total_label(), self.total.record())]

    def record(self) -> dict[str, object]:
        return {"weeks": self.weeks, "lead_days": self.lead_days, "interval_level": self.level,
                "total": self.total.record(),
                "queues": {q: s.record() for q, s in self.per_queue.items()},
                "weeks_evaluated": [{"queue": q, "week_start": d.isoformat(), **s.record()} for q, d, s in self.folds]}


FLAGS: Mapping[str, str] = {"weeks": "--weeks", "lead_days": "--lead", "level": "--interval-level"}
"""``wfm backtest``'s flags for :func:`check_options`' messages (the library names its parameters)."""


def check_options(weeks: int, lead_days: int, level: float, names: Mapping[str, str] | None = None) -> None:
    """ConfigError unless ``weeks`` ≥ 1, ``lead_days`` ≥ 7 and ``level`` a coverage (:func:`check_level`), each
    named by ``names`` (:data:`FLAGS` for the command) or else as the parameter; the command checks its flags
    with it before the history is read, :func:`backtest` its parameters."""
    from wfm.errors import ConfigError

    named = names or {}
    if weeks <= 0:
        raise ConfigError(f"{named.get('weeks', 'weeks')}: expected a positive number of weeks, got {weeks}")
    if lead_days < 7:
        raise ConfigError(f"{named.get('lead_days', 'lead_days')}: expected at least a week (7 days), got "
                          f"{lead_days} days")
    check_level(level, named.get("level", "level"))


def backtest(history: Forecast, weeks: int = 4, lead_days: int = 7, level: float = 0.8,
             special_days: dict[date, float] | None = None, params: Params = Params(),
             tz: str | None = None) -> Backtest:
    """The last ``weeks`` whole weeks of each queue's history, each forecast from the history ending
    ``lead_days - 7`` days before it starts (``lead_days`` ≥ 7). ``tz`` (else ``history.tz``): the centre's zone,
    whose local days and times the history is laid out in (a history exported in UTC)."""
    check_options(weeks, lead_days, level)
    special_days = special_days or {}
    # outliers are flagged per fold, from the history before its origin (as the cron job would have), and are
    # scored like any other day; only the declared special days and a partial last day are never scored
    hists, excluded, notes = _prepare(history, special_days, flag_outliers=False, tz=tz or history.tz)
    folds: list[tuple[str, date, Scores]] = []
    per_queue: dict[str, Scores] = {}
    total: Scores | None = None
    daily: list[Daily] = []
    for h, skip in zip(hists, excluded):
        declared = _matrix(h.volume, skip, h.n_days)
        flagged_days: set[np.datetime64] = set()
        queue_scores: Scores | None = None
        day_rows: dict[str, list[np.ndarray]] = {m: [] for m in ("actual", *METHODS)}
        for k in range(weeks, 0, -1):  # one fit per evaluated week
            start = h.n_days - 7 * k
            origin = start + 7 - lead_days
            if _too_short(h, origin):  # as wfm forecast judges the history before its origin
                raise InputError(f"{history.path}: queue {h.queue!r}: {plural(h.n_days, 'day')} of history are too "
                                 f"few to backtest {plural(weeks, 'week')} at a lead of {lead_days} days (each forecast "
                                 f"needs {MIN_HISTORY_DAYS} days before it)")
            outliers = np.zeros(h.n_days, dtype=bool)
            outliers[:origin] = outlier_days(declared[:origin])
            flagged_days.update(h.day(int(d)) for d in np.flatnonzero(outliers))
            v, a = _matrix(h.volume, skip | outliers, h.n_days), _matrix(h.aht, skip | outliers, h.n_days)
            closed = _closed(h, special_days, origin, origin + lead_days)
            pt = point_forecast(v, a, origin, lead_days, params, h.first_day, closed)
            week = slice(lead_days - 7, lead_days)
            c = float(dispersion_by_week(v, a, origin, lead_days, params, h.first_day, closed)[-1])  # as forecast
            lo, hi = interval(pt.volume[week], c, level)
            actual = h.volume[start:start + 7].copy()
            actual[skip[start:start + 7]] = np.nan
            methods = {"model": pt.volume[week], "seasonal_naive": pt.naive[week], "mean_last4": pt.mean4[week]}
            actual_aht = h.aht[start:start + 7].copy()
            actual_aht[skip[start:start + 7]] = np.nan
            s = _score(actual, methods, lo, hi, pt.open[week], actual_aht, pt.aht[week])
            day_rows["actual"].append(actual.sum(axis=1))  # NaN rows: not listed or excluded
            for m, f in methods.items():
                day_rows[m].append(f.sum(axis=1))
            folds.append((h.queue, h.day(start).astype(date), s))
            queue_scores = _add(queue_scores, s)
        assert queue_scores is not None
        notes.extend(f"{history.path}: queue {h.queue!r}: {day} looks like an outlier (its total is far from the "
                     "same weekday's in the weeks before it); left out of the fits after it, scored like any other "
                     "day (list it in [forecast.special_days] to say what it was)" for day in sorted(flagged_days))
        per_queue[h.queue] = queue_scores
        first = h.day(h.n_days - 7 * weeks)
        daily.append(Daily(h.queue, first + np.arange(7 * weeks).astype("timedelta64[D]"),
                           np.concatenate(day_rows["actual"]),
                           {m: np.concatenate(day_rows[m]) for m in METHODS}))
        total = _add(total, queue_scores)
    assert total is not None
    return Backtest(weeks, lead_days, level, folds, per_queue, total, notes, daily)
