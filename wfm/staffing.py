"""From forecast to requirement: agents on the phones per interval, then staff to schedule.

    traffic_erlangs = volume x AHT / interval length           (Erlangs)
    agents          = smallest N meeting the service level, occupancy cap and ASA target
                      (wfm.erlang.required_agents), at least min_staff in every open interval
    staff           = agents / (1 - shrinkage)                 (kept unrounded where it is summed;
                                                                rounded up once, where shown)
    FTE             = staff-hours / (paid hours per FTE week x weeks covered)

An interval is *open* when the forecast lists it; leave closed hours out of the file (a listed
interval with zero volume needs zero agents, or ``min_staff`` when one is set).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wfm import erlang
from wfm.config import Settings, Targets
from wfm.forecast import Forecast

_ROUNDING_SLACK = 1e-9  # 7 agents / (1 - 0.3) is 10.000000000000002 in floats: still 10 staff


@dataclass(frozen=True)
class Requirement:
    """The per-interval requirement, one entry per forecast row, in the forecast's order."""

    forecast: Forecast
    targets: tuple[Targets, ...]  # per queue, in forecast.queue_names order
    traffic_erlangs: NDArray[np.float64]
    agents: NDArray[np.int64]  # on the phones
    service_level: NDArray[np.float64]  # fraction answered within the queue's answer time, with those agents
    asa_s: NDArray[np.float64]  # average speed of answer, seconds
    occupancy: NDArray[np.float64]  # fraction
    staff_exact: NDArray[np.float64]  # agents / (1 - shrinkage), unrounded

    @property
    def staff(self) -> NDArray[np.int64]:
        """Staff to schedule per interval, in whole people (rounded up)."""
        return np.ceil(self.staff_exact - _ROUNDING_SLACK).astype(np.int64)

    def per_row(self, name: str, missing: float = np.nan) -> NDArray[np.float64]:
        """One target (e.g. ``"shrinkage"``) as a per-row array; ``missing`` stands in for None."""
        return _per_row(self.targets, self.forecast.queue, name, missing)


def _per_row(targets: tuple[Targets, ...], queue: NDArray[np.int32], name: str, missing: float = np.nan):
    values = [missing if getattr(t, name) is None else getattr(t, name) for t in targets]
    return np.array(values, dtype=np.float64)[queue]


def size(forecast: Forecast, settings: Settings) -> Requirement:
    """Size every interval of the forecast against its queue's targets."""
    targets = tuple(settings.targets_for(q) for q in forecast.queue_names)
    per_row = lambda name, missing=np.nan: _per_row(targets, forecast.queue, name, missing)  # noqa: E731
    traffic = forecast.traffic_erlangs
    answer_within = per_row("answer_within_s")
    agents = erlang.required_agents(
        traffic,
        forecast.aht_s,
        service_level=per_row("service_level"),
        answer_within_s=answer_within,
        max_occupancy=per_row("max_occupancy"),
        max_asa_s=per_row("asa_s", missing=np.inf),
    )
    agents = np.maximum(agents, per_row("min_staff").astype(np.int64))
    delivered = erlang.measures(agents, traffic, forecast.aht_s, answer_within)
    return Requirement(
        forecast=forecast,
        targets=targets,
        traffic_erlangs=traffic,
        agents=agents,
        service_level=delivered.service_level,
        asa_s=delivered.asa_s,
        occupancy=delivered.occupancy,
        staff_exact=agents / (1.0 - per_row("shrinkage")),
    )


# --- summaries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Totals over a group of intervals: one queue's day, or one queue's whole forecast."""

    queue: str
    label: str  # the local date (YYYY-MM-DD) for a day, the date range for a queue
    intervals: int
    days: int  # local calendar days with at least one interval
    volume: float  # contacts offered
    peak_agents: int  # on the phones, in the busiest interval
    peak_staff: int  # to schedule, in the busiest interval (whole people)
    agent_hours: float  # hours on the phones
    staff_hours: float  # paid hours to schedule (unrounded staff)
    service_level: float  # volume-weighted fraction answered within the answer time
    fte: float  # staff_hours / (paid hours per FTE week x weeks covered)


def shortfall_priority(requirement: Requirement, rows: NDArray[np.int64],
                       floor: float = 1.0, cap: float = 4.0) -> NDArray[np.float64]:
    """How much one agent short hurts, per interval of ``rows`` (one queue), relative to the
    queue's average (dimensionless; the average is weighted by the agents required), clipped to
    ``[floor, cap]``: by default never below 1, so the weight is only raised where a shortage
    hurts more than average. The schedule multiplies its understaffing weight by it.

    One agent short of the N required in interval t loses the contacts that would have been
    answered in time, volume_t x (SL(N) - SL(N - 1)), a share of its day's volume V_d:

        m_t = volume_t x (SL(N_t) - SL(N_t - 1)) / V_d(t)        (drop in the day's service level)

    A missing agent on a quiet Saturday or in a small queue's peak costs the day's service level
    far more than one in a busy Monday's mid-morning, which a flat weight per agent-hour ignores.
    """
    agents = requirement.agents[rows].astype(np.float64)
    forecast = requirement.forecast
    volume = forecast.volume[rows]
    answer_within = requirement.per_row("answer_within_s")[rows]
    fewer = erlang.service_level(np.maximum(agents - 1.0, 0.0), requirement.traffic_erlangs[rows],
                                 forecast.aht_s[rows], answer_within)
    lost = volume * np.clip(requirement.service_level[rows] - fewer, 0.0, 1.0)
    _, day = np.unique(_local_days(forecast)[rows], return_inverse=True)
    day_volume = np.bincount(day, weights=volume)[day]
    drop = np.divide(lost, day_volume, out=np.zeros_like(lost), where=day_volume > 0)
    mean = float(drop @ agents) / float(agents.sum()) if agents.sum() > 0 else 0.0
    if not mean > 0:
        return np.ones(rows.size)
    return np.clip(drop / mean, floor, cap)


def _local_days(forecast: Forecast) -> NDArray[np.int64]:
    """Each row's local calendar day, as days since 1970-01-01."""
    return forecast.local_start.astype("datetime64[D]").astype(np.int64)


def _weeks_covered(first_day: int, last_day: int) -> int:
    """Whole weeks spanned by a date range: Mon-Fri is one week, 164 weekdays over 34 weeks is 34."""
    return max(1, math.ceil((last_day - first_day + 1) / 7))


def _summarise(requirement: Requirement, group: NDArray[np.int64], whole_queue: bool) -> list[Summary]:
    """Totals over runs of equal ``group`` keys (rows are sorted by queue, then time)."""
    f = requirement.forecast
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])  # a forecast is never empty
    hours = f.interval_s / 3600.0
    sums = lambda x: np.add.reduceat(x, starts)  # noqa: E731
    peaks = lambda x: np.maximum.reduceat(x, starts)  # noqa: E731
    volume = sums(f.volume)
    answered_in_time = sums(f.volume * requirement.service_level)
    agent_hours = sums(requirement.agents * hours)
    staff_hours = sums(requirement.staff_exact * hours)
    peak_agents, peak_staff = peaks(requirement.agents), peaks(requirement.staff)
    days = _local_days(f)
    first_day, last_day = np.minimum.reduceat(days, starts), np.maximum.reduceat(days, starts)
    counts = np.diff(np.r_[starts, f.n_rows])
    day_counts = sums(np.r_[1, (np.diff(days) != 0) | (group[1:] != group[:-1])].astype(np.int64))
    summaries = []
    for k, row in enumerate(starts.tolist()):
        q = int(f.queue[row])
        first, last = np.datetime64(int(first_day[k]), "D"), np.datetime64(int(last_day[k]), "D")
        weeks = _weeks_covered(int(first_day[k]), int(last_day[k])) if whole_queue else 1
        summaries.append(
            Summary(
                queue=f.queue_names[q],
                label=f"{first}..{last}" if whole_queue else str(first),
                intervals=int(counts[k]),
                days=int(day_counts[k]),
                volume=float(volume[k]),
                peak_agents=int(peak_agents[k]),
                peak_staff=int(peak_staff[k]),
                agent_hours=float(agent_hours[k]),
                staff_hours=float(staff_hours[k]),
                service_level=float(answered_in_time[k] / volume[k]) if volume[k] > 0 else 1.0,
                fte=float(staff_hours[k] / (requirement.targets[q].paid_hours_per_fte_week * weeks)),
            )
        )
    return summaries


def daily_summary(requirement: Requirement) -> list[Summary]:
    """One summary per queue and local calendar day."""
    f = requirement.forecast
    return _summarise(requirement, f.queue.astype(np.int64) * 1_000_000 + _local_days(f), whole_queue=False)


def queue_summary(requirement: Requirement) -> list[Summary]:
    """One summary per queue over the whole forecast; FTE counts the weeks the forecast covers."""
    return _summarise(requirement, requirement.forecast.queue.astype(np.int64), whole_queue=True)


def total_summary(requirement: Requirement) -> Summary:
    """All queues together. Peaks are of the queues' sum at the same instant (not a sum of peaks),
    staff summed unrounded before rounding once; FTE is the sum of the queues' FTE."""
    f = requirement.forecast
    by_queue = queue_summary(requirement)
    _, instant = np.unique(f.interval_start, return_inverse=True)
    agents_at = np.bincount(instant, weights=requirement.agents)
    staff_at = np.bincount(instant, weights=requirement.staff_exact)
    volume = sum(s.volume for s in by_queue)
    answered_in_time = float(np.sum(f.volume * requirement.service_level))
    days = np.unique(_local_days(f))
    return Summary(
        queue="all queues",
        label=f"{np.datetime64(int(days[0]), 'D')}..{np.datetime64(int(days[-1]), 'D')}",
        intervals=int(agents_at.size),
        days=int(days.size),
        volume=volume,
        peak_agents=int(round(agents_at.max())),
        peak_staff=int(np.ceil(staff_at.max() - _ROUNDING_SLACK)),
        agent_hours=sum(s.agent_hours for s in by_queue),
        staff_hours=sum(s.staff_hours for s in by_queue),
        service_level=answered_in_time / volume if volume > 0 else 1.0,
        fte=sum(s.fte for s in by_queue),
    )


# --- the one-interval calculator -----------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """What one headcount delivers for one interval."""

    agents: int
    service_level: float  # fraction answered within the answer time
    asa_s: float  # seconds; inf when overloaded
    occupancy: float  # fraction
    wait_probability: float  # Erlang C, fraction
    staff: int  # agents / (1 - shrinkage), rounded up
    meets_targets: bool


@dataclass(frozen=True)
class Calculation:
    """The Erlang calculator's answer for one interval: the requirement and the headcounts around it."""

    volume: float  # contacts offered
    aht_s: float  # seconds
    interval_s: float  # seconds
    targets: Targets
    traffic_erlangs: float
    required_agents: int
    required_staff: int  # required_agents / (1 - shrinkage), rounded up
    options: tuple[Option, ...]


def calculate(volume: float, aht_s: float, interval_s: float, targets: Targets,
              agents: int | None = None, below: int = 5, above: int = 3) -> Calculation:
    """Size one interval, and tabulate the headcounts from ``below`` under the answer to ``above`` over
    it (or just ``agents`` when given: the reverse question, what a headcount delivers)."""
    traffic = volume * aht_s / interval_s
    required = max(
        erlang.required_agents(traffic, aht_s, service_level=targets.service_level,
                               answer_within_s=targets.answer_within_s, max_occupancy=targets.max_occupancy,
                               max_asa_s=targets.asa_s),
        targets.min_staff,
    )
    counts = np.array([agents] if agents is not None else range(max(1, required - below), required + above + 1))
    delivered = erlang.measures(counts, traffic, aht_s, targets.answer_within_s)
    options = tuple(
        Option(
            agents=n,
            service_level=sl,
            asa_s=asa,
            occupancy=occ,
            wait_probability=wait,
            staff=_whole_staff(n, targets.shrinkage),
            meets_targets=n >= required,
        )
        for n, wait, sl, asa, occ in zip(counts.tolist(), *(x.tolist() for x in delivered))
    )
    return Calculation(volume, aht_s, interval_s, targets, traffic, int(required),
                       _whole_staff(required, targets.shrinkage), options)


def _whole_staff(agents: int, shrinkage: float) -> int:
    return math.ceil(agents / (1.0 - shrinkage) - _ROUNDING_SLACK)
