"""`wfm simulate` output: JSON (days and intervals, each measure as mean and 95 % interval beside the
formula's), CSV (one row per queue and interval) and the terminal table (per queue and day).

Deterministic: the same seed gives the same bytes. Measures are rounded to 4 decimals (seconds to 0.01).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from wfm.report.numbers import figures_apart, number, pct
from wfm.simulation.compare import FLAGGED_MEASURES, MEASURES, Band

if TYPE_CHECKING:
    from rich.console import Console

    from wfm.forecast import Forecast
    from wfm.simulation.compare import Check
    from wfm.simulation.run import SimulationReport

_DIGITS = {"service_level": 4, "asa_s": 2, "abandon_rate": 4, "occupancy": 4}


def _value(x: float, name: str) -> float | None:
    return round(float(x), _DIGITS[name]) if np.isfinite(x) else None


def _band_record(band: Band, i: int, name: str) -> dict[str, float | None]:
    return {"mean": _value(band.mean[i], name), "ci_low": _value(band.ci_low[i], name),
            "ci_high": _value(band.ci_high[i], name)}


def _record(check: Check, i: int, per_day: bool) -> dict[str, Any]:
    bands = check.by_day if per_day else check.intervals
    formula = check.formula_by_day if per_day else check.formula
    record: dict[str, Any] = {name: _band_record(bands[name], i, name) for name in MEASURES}
    record["formula"] = {name: _value(formula[name][i], name) for name in MEASURES}
    record["formula_outside"] = [name for name in FLAGGED_MEASURES if check.flagged(name, per_day)[i]]
    return record


def day_records(check: Check) -> list[dict[str, Any]]:
    """One queue's days: each measure as mean and 95 % interval, the formula's, and which disagree."""
    return [{"day": day} | _record(check, k, per_day=True) for k, day in enumerate(check.days)]


def deferred_day_records(report: SimulationReport) -> list[dict[str, Any]]:
    """Blended teams' deferred queues per day: each measure as mean and 95 % interval beside the plan's."""
    from wfm.simulation.blended import DEFERRED_MEASURES

    digits = {"service_level": 4, "mean_response_s": 1, "backlog": 2}
    out = []
    for check in report.deferred:
        for k, day in enumerate(check.days):
            record: dict[str, Any] = {"queue": check.queue, "team": check.team, "day": day}
            for name in DEFERRED_MEASURES:
                b = check.by_day[name]
                record[name] = {part: (round(float(getattr(b, part)[k]), digits[name])
                                       if np.isfinite(getattr(b, part)[k]) else None)
                                for part in ("mean", "ci_low", "ci_high")}
            record["formula"] = {name: (round(float(check.formula_by_day[name][k]), digits[name])
                                        if np.isfinite(check.formula_by_day[name][k]) else None)
                                 for name in DEFERRED_MEASURES}
            record["formula_outside"] = [name for name in DEFERRED_MEASURES if check.flagged(name)[k]]
            out.append(record)
    return out


def simulation_document(report: SimulationReport, forecast: Forecast) -> dict[str, Any]:
    """The JSON form: ``{"days": [...], "intervals": [...]}`` plus the run's settings and notes."""
    from wfm.forecast import format_local

    days, intervals = [], []
    for check in report.checks:
        days += [{"queue": check.queue} | record for record in day_records(check)]
        starts = format_local(forecast.interval_start[check.rows], forecast.utc_offset_s[check.rows])
        for i, start in enumerate(starts.tolist()):
            intervals.append({"queue": check.queue, "interval_start": start,
                              "volume": float(forecast.volume[check.rows[i]]),
                              "available": round(float(check.available[i]), 4)} | _record(check, i, per_day=False))
    return {
        "replications": report.replications,
        "seed": report.seed,
        "queues": [{"queue": c.queue, "overrun_s_per_replication": round(c.overrun_s, 2),
                    "unfinished_per_replication": round(c.unfinished, 2),
                    "flagged_intervals": int(c.flagged_intervals().sum())}
                   for c in report.checks],
        "notes": list(report.notes),
        "days": days,
        "intervals": intervals,
        "deferred_days": deferred_day_records(report),
    }


def simulation_columns(report: SimulationReport, forecast: Forecast) -> dict[str, np.ndarray]:
    """One row per queue and interval: ``<measure>_mean``, ``_ci_low``, ``_ci_high`` and ``formula_<measure>``."""
    from wfm.forecast import format_local

    rows = np.concatenate([c.rows for c in report.checks]) if report.checks else np.zeros(0, dtype=np.int64)
    columns: dict[str, np.ndarray] = {
        "queue": np.array([c.queue for c in report.checks for _ in c.rows], dtype=object),
        "interval_start": format_local(forecast.interval_start[rows], forecast.utc_offset_s[rows]).astype(object),
        "volume": forecast.volume[rows],
        "available": np.round(np.concatenate([c.available for c in report.checks] or [np.zeros(0)]), 4),
    }
    for name in MEASURES:
        for part in ("mean", "ci_low", "ci_high"):
            values = np.concatenate([getattr(c.intervals[name], part) for c in report.checks] or [np.zeros(0)])
            columns[f"{name}_{part}"] = _blank(np.round(values, _DIGITS[name]))
    for name in MEASURES:
        values = np.concatenate([c.formula[name] for c in report.checks] or [np.zeros(0)])
        columns[f"formula_{name}"] = _blank(np.round(values, _DIGITS[name]))
    flagged = [c.flagged_intervals() for c in report.checks]
    columns["formula_outside"] = np.concatenate(flagged or [np.zeros(0, dtype=bool)])
    return columns


def _blank(values: np.ndarray) -> np.ndarray:
    out = values.astype(object)
    out[~np.isfinite(values)] = None
    return out


def print_simulation(console: Console, report: SimulationReport) -> None:
    """Per queue and day: simulated service level (95 % interval) beside the formula's, the same for ASA,
    abandonment and occupancy, and how many intervals disagree."""
    from wfm.report.tables import compact_table

    for check in report.checks:
        table = compact_table(
            f"{check.queue}: simulated ({_runs(check.replications)}, 95 % intervals) vs formula",
            ["Day", "SL simulated", "SL formula", "ASA simulated", "ASA formula", "Abandon sim.", "Abandon formula",
             "Occupancy sim.", "Occupancy formula", "Intervals\nflagged"])
        flags = check.flagged_intervals()
        for k, day in enumerate(check.days):
            sl, asa, ab, occ = (check.by_day[m] for m in MEASURES)
            f = check.formula_by_day
            marks = {m: "*" if m in FLAGGED_MEASURES and check.flagged(m, per_day=True)[k] else "" for m in MEASURES}
            sl_band, sl_formula = _band_and_formula(sl.mean[k], sl.ci_low[k], sl.ci_high[k], f["service_level"][k],
                                                    bool(marks["service_level"]))
            asa_sim, asa_formula = _apart(asa.mean[k], f["asa_s"][k], bool(marks["asa_s"]), percent=False)
            ab_sim, ab_formula = _apart(ab.mean[k], f["abandon_rate"][k], bool(marks["abandon_rate"]))
            table.add_row(
                day, sl_band, sl_formula + marks["service_level"], asa_sim, asa_formula + marks["asa_s"],
                ab_sim, ab_formula + marks["abandon_rate"],
                pct(occ.mean[k]), pct(f["occupancy"][k]) + marks["occupancy"],
                f"{int(flags[check.day == k].sum())} of {int((check.day == k).sum())}",
            )
        console.print(table)
        console.print(f"  * the formula is outside the simulation's 95 % interval (service level, ASA, abandonment). "
                      f"Occupancy is of the time on duty; work past shift and break ends (the overrun): "
                      f"{check.overrun_s / 3600:,.1f} agent-h per replication. Contacts left waiting at the end: "
                      f"{check.unfinished:,.1f}.")
    if report.deferred:
        from wfm.simulation.blended import DEFERRED_MEASURES

        table = compact_table(
            f"Deferred work: simulated ({_runs(report.replications)}, 95 % intervals) vs plan",
            ["Queue", "Day", "In time simulated", "In time plan", "Mean response sim.", "Mean response plan",
             "Backlog sim.", "Backlog plan"], left=2)
        for work in report.deferred:
            for k, day in enumerate(work.days):
                sl, rt, bl = (work.by_day[m] for m in DEFERRED_MEASURES)
                f = work.formula_by_day
                mark = {m: "*" if work.flagged(m)[k] else "" for m in DEFERRED_MEASURES}
                band_text, formula_text = _band_and_formula(sl.mean[k], sl.ci_low[k], sl.ci_high[k],
                                                            f["service_level"][k], bool(mark["service_level"]))
                table.add_row(work.queue, day, band_text, formula_text + mark["service_level"], _minutes(rt.mean[k]),
                              _minutes(f["mean_response_s"][k]) + mark["mean_response_s"],
                              number(bl.mean[k], 0), number(f["backlog"][k], 0) + mark["backlog"])
        console.print(table)
    for note in report.notes:
        console.print(f"note: {note}")


def _band_and_formula(mean: float, low: float, high: float, formula: float, flagged: bool) -> tuple[str, str]:
    """``"96.0% (93.9%-98.0%)"`` and the formula's ``"94.9%"``; when the formula is flagged outside the band, the
    bound it crosses and the formula get the decimals to read apart (``"(98.9%-99.996%)"`` against ``"100.0%"``),
    so a flagged figure never reads as inside the band shown."""
    low_text, high_text, formula_text = pct(low), pct(high), pct(formula)
    if flagged and np.isfinite(formula):
        if formula > high:
            high_text, formula_text = (t + "%" for t in figures_apart(100.0 * high, 100.0 * formula))
        elif formula < low:
            low_text, formula_text = (t + "%" for t in figures_apart(100.0 * low, 100.0 * formula))
    return f"{pct(mean)} ({low_text}-{high_text})", formula_text


def _apart(simulated: float, formula: float, flagged: bool, percent: bool = True) -> tuple[str, str]:
    """A simulated mean shown without its band, and the formula's figure (percentages, or seconds); when the formula
    is flagged, with the decimals to read apart (``"0.031 s"`` against ``"0.034 s"``, not both ``"0.0 s"``)."""
    def text(value: float) -> str:
        if np.isinf(value) and not percent:  # an overloaded interval or day: the queue grows without bound
            return "∞"
        return "-" if not np.isfinite(value) else pct(value) if percent else f"{value:.1f} s"

    if not flagged or not np.isfinite(simulated) or not np.isfinite(formula):
        return text(simulated), text(formula)
    scale, unit = (100.0, "%") if percent else (1.0, " s")
    sim_text, formula_text = figures_apart(scale * simulated, scale * formula)
    return sim_text + unit, formula_text + unit


def _runs(replications: int) -> str:
    return f"{replications:,} replication{'s' if replications != 1 else ''}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:,.0f} min" if np.isfinite(seconds) else "-"
