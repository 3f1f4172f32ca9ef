"""Which targets a queue's plan misses: one line per target for the week and for each local day it misses
on (the lines ``wfm plan`` prints to stderr and that make it exit 1; :attr:`wfm.plan.Plan.misses`).

Every comparison allows the sizing's slack (wfm.erlang.target_slack for fractions, TARGET_TOLERANCE for the
ASA), so a target met exactly in decimal is met, and a headcount sized to a target is never reported as missing it.

- service level: the volume-weighted service level of the week and of each day with contacts;
- ASA (``asa_s``): the volume-weighted average speed of answer (infinite when an interval with contacts has
  fewer available agents than its traffic);
- abandonment (``max_abandon_rate``, Erlang A): the volume-weighted share of offered contacts that abandon;
- minimum staff (``min_staff``): agents available in every open interval, with or without contacts
  (counted per day: the intervals below it and the fewest agents available in them).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from wfm.config import Targets
from wfm.scheduling.evaluation import Evaluation


def target_misses(queue: str, targets: Targets, evaluation: Evaluation,
                  local_start: NDArray[np.datetime64] | None = None) -> tuple[str, ...]:
    """The lines for every target of ``targets`` that ``evaluation`` misses (module docstring), in the order
    service level, ASA, abandonment, minimum staff. ``local_start``: the intervals' local starts, for the
    times of a day's intervals below the minimum staff."""
    return (_service_level_misses(queue, targets, evaluation) + _asa_misses(queue, targets, evaluation)
            + _abandon_misses(queue, targets, evaluation)
            + _min_staff_misses(queue, targets, evaluation, local_start))


def _periods(evaluation: Evaluation) -> list[tuple[str, NDArray[np.bool_]]]:
    """("week", all intervals), then ("Mon 2026-11-30", that day's intervals) per local day."""
    week = np.ones(evaluation.volume.size, dtype=bool)
    return [("week", week), *((f"{d:%a %Y-%m-%d}", evaluation.day == np.datetime64(d, "D"))
                              for d in evaluation.days.tolist())]


def _volume_weighted(evaluation: Evaluation, values: NDArray[np.float64],
                     usable: NDArray[np.bool_]) -> Iterator[tuple[str, float]]:
    """(period label, mean of ``values`` weighted by volume over its ``usable`` intervals) for the week and each
    day with any; infinite when a usable interval's value is (an overloaded interval's ASA)."""
    for label, mask in _periods(evaluation):
        rows = mask & usable
        if rows.any():
            weights = evaluation.volume[rows]
            yield label, float((values[rows] * weights).sum() / weights.sum())


def _service_level_misses(queue: str, targets: Targets, evaluation: Evaluation) -> tuple[str, ...]:
    from wfm.erlang import target_slack
    from wfm.report.numbers import pct_apart, target_pct

    target = targets.service_level - float(target_slack(targets.service_level))
    goal = f"{target_pct(targets.service_level)} in {targets.answer_within_s:g} s"
    lines = []
    if evaluation.service_level_week < target:
        lines.append(f"{queue}: week service level {pct_apart(evaluation.service_level_week, targets.service_level)} "
                     f"is below the target {goal}")
    for day, level, volume in zip(evaluation.days.tolist(), evaluation.service_level_by_day.tolist(),
                                  evaluation.volume_by_day.tolist()):
        if volume > 0 and level < target:
            lines.append(f"{queue}: {day:%a %Y-%m-%d} service level {pct_apart(level, targets.service_level)} is "
                         f"below the target {goal}")
    return tuple(lines)


def _asa_misses(queue: str, targets: Targets, evaluation: Evaluation) -> tuple[str, ...]:
    from wfm.erlang import TARGET_TOLERANCE
    from wfm.report.numbers import figure_apart

    if targets.asa_s is None:
        return ()
    limit = targets.asa_s * (1.0 + TARGET_TOLERANCE)
    lines = []
    asa = np.where(np.isfinite(evaluation.asa_s), evaluation.asa_s, np.inf)  # not a number: unbounded
    for label, mean in _volume_weighted(evaluation, asa, evaluation.volume > 0):
        if mean > limit:
            got = (f"{figure_apart(mean, targets.asa_s)} s" if np.isfinite(mean)
                   else "unbounded (an interval has fewer agents than its traffic)")
            lines.append(f"{queue}: {label} ASA {got} is above the target {targets.asa_s:g} s")
    return tuple(lines)


def _abandon_misses(queue: str, targets: Targets, evaluation: Evaluation) -> tuple[str, ...]:
    from wfm.erlang import target_slack
    from wfm.report.numbers import pct_apart, target_pct

    if targets.max_abandon_rate is None or evaluation.abandon_rate is None:
        return ()
    limit = targets.max_abandon_rate + float(target_slack(targets.max_abandon_rate))
    usable = (evaluation.volume > 0) & ~np.isnan(evaluation.abandon_rate)
    lines = []
    for label, rate in _volume_weighted(evaluation, evaluation.abandon_rate, usable):
        if rate > limit:
            lines.append(f"{queue}: {label} abandonment {pct_apart(rate, targets.max_abandon_rate)} is above the "
                         f"target {target_pct(targets.max_abandon_rate)}")
    return tuple(lines)


def _min_staff_misses(queue: str, targets: Targets, evaluation: Evaluation,
                      local_start: NDArray[np.datetime64] | None) -> tuple[str, ...]:
    if targets.min_staff <= 0:
        return ()
    short = evaluation.available < targets.min_staff - 1e-9
    lines = []
    for label, mask in _periods(evaluation)[1:]:
        rows = mask & short
        if rows.any():
            fewest = float(evaluation.available[rows].min())
            count = int(rows.sum())
            when = ""
            if local_start is not None:  # the first and the last of them, local wall clock
                first, last = (str(t)[11:16] for t in local_start[rows][[0, -1]].astype("datetime64[m]"))
                when = f" at {first}" if count == 1 else f" from {first} to {last}"
            lines.append(f"{queue}: {label} {count} interval{'s' if count != 1 else ''}{when} below the minimum "
                         f"staff of {targets.min_staff} (as few as {fewest:.4g} agents available)")
    return tuple(lines)
