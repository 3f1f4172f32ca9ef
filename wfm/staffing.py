"""From forecast to requirement: agents on the phones per interval, then staff to schedule.

    traffic_erlangs = volume x AHT / interval length           (Erlangs)
    agents          = smallest N meeting the service level, occupancy cap and ASA target
                      (wfm.erlang.required_agents), at least min_staff in every open interval
    staff           = agents / (1 - shrinkage)                 (kept unrounded where it is summed;
                                                                rounded up once, where shown)
    FTE             = staff-hours / (paid hours per FTE week x weeks covered)

An interval is *open* when the forecast lists it; leave closed hours out of the file (a listed
interval with zero volume needs zero agents, or ``min_staff`` when one is set).

Limits: traffic up to wfm.erlang.MAX_TRAFFIC_ERLANGS (1,000,000 Erlangs) per interval, up to
wfm.erlang.MAX_AGENTS (10,000,000) agents and MAX_STAFF (100,000,000) staff; beyond them a WfmError names
the input.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm import erlang, exact, queueing
from wfm.config import Settings, Targets
from wfm.errors import ConfigError, InputError, expect_type, warn_unused
from wfm.times import weekday

if TYPE_CHECKING:
    from wfm.forecast import Forecast

_ROUNDING_SLACK = 1e-9  # 7 agents / (1 - 0.3) is 10.000000000000002 in floats: still 10 staff
_RELATIVE_SLACK = 4 * float(np.finfo(np.float64).eps)  # the float error of agents / (1 - s), per unit of 1 / (1 - s)


def _ceil_staff(staff_exact: Any, shrinkage: Any = 0.0) -> Any:
    """Staff rounded up to whole people, but not for float dust: ceil(x - max(1e-9, 4 eps x / (1 - s))), x =
    agents / (1 - s). The decimal shrinkage s is a binary float within eps s / 2 of itself, which 1 - s carries as
    a relative error of eps s / (2 (1 - s)), the subtraction and division add eps each, so x is within
    2 eps x / (1 - s) of its decimal value (4 eps leaves room for a sum over queues): 105,098 / (1 - 0.93) is
    1,501,400.0000000002 and 1 / (1 - 0.9999) is 10,000.0000000011, both whole; while 2,000,000 / (1 - 0.000001)
    = 2,000,002.000002 needs 2,000,003 (a slack of 1e-12 x, as before, took 2e-6 off it and gave 2,000,002)."""
    slack = np.maximum(_ROUNDING_SLACK, _RELATIVE_SLACK * np.abs(staff_exact) / (1.0 - np.asarray(shrinkage)))
    return np.ceil(staff_exact - slack)

MAX_STAFF = 10 * erlang.MAX_AGENTS
"""The most staff to schedule in one interval (agents / (1 - shrinkage)): 100,000,000."""


@dataclass(frozen=True, eq=False, repr=False)
class Requirement:
    """The per-interval requirement, one entry per forecast row, in the forecast's order."""

    forecast: Forecast
    targets: tuple[Targets, ...]  # per queue, in forecast.queue_names order
    traffic_erlangs: NDArray[np.float64]
    agents: NDArray[np.int64]  # on the phones
    service_level: NDArray[np.float64]  # fraction answered within the queue's answer time, with those agents
    asa_s: NDArray[np.float64]  # average speed of answer, seconds
    occupancy: NDArray[np.float64]  # fraction (under Erlang A: the answered contacts' load per agent)
    staff_exact: NDArray[np.float64]  # agents / (1 - shrinkage), unrounded
    abandon_rate: NDArray[np.float64]  # fraction of offered that abandon (Erlang A); NaN under Erlang C
    backlog: NDArray[np.float64]  # deferred work: items waiting at the interval's end; 0 for real-time channels
    # deferred work: cumulative seconds of work due by the interval's end and arrived by its end, both counting the
    # work the queue's week carries into its start first (wfm.deferred.DeferredRequirement); NaN else
    due_work_s: NDArray[np.float64]
    arrived_work_s: NDArray[np.float64]
    open_: NDArray[np.bool_]  # the team works in the interval (deferred work may arrive while it is closed)

    def __repr__(self) -> str:
        """A line to read in a notebook, not every array."""
        together = total_summary(self)
        return (f"<Requirement: {len(self.forecast.queue_names)} queue(s), {self.forecast.n_rows:,} queue-intervals, "
                f"at most {int(self.agents.max(initial=0)):,} agents and {int(self.staff.max(initial=0)):,} staff in "
                f"one, {together.peak_agents:,} agents and {together.peak_staff:,} staff together at the busiest "
                f"time (the 'all queues' row of wfm size), from {self.forecast.path}>")

    def peak_staff_together(self, rows: NDArray[np.int64] | None = None) -> float:
        """Staff of the queues of ``rows`` (default: every row) together at their busiest instant: the
        seats they need when they share them (whole people, each queue's staff rounded up first)."""
        rows = np.arange(self.staff.size) if rows is None else rows
        return float(_together(self.forecast, rows, self.staff[rows].astype(np.float64)).max(initial=0.0))

    @property
    def handled(self) -> NDArray[np.float64]:
        """Contacts handled per row: offered less those that abandon (all of them under Erlang C)."""
        return self.forecast.volume * (1.0 - np.nan_to_num(self.abandon_rate, nan=0.0))

    @property
    def staff(self) -> NDArray[np.int64]:
        """Staff to schedule per interval, in whole people (rounded up)."""
        return _ceil_staff(self.staff_exact, self.per_row("shrinkage")).astype(np.int64)

    def per_row(self, name: str, missing: float = np.nan) -> NDArray[np.float64]:
        """One target (e.g. ``"shrinkage"``) as a per-row array; ``missing`` stands in for None."""
        return _per_row(self.targets, self.forecast.queue, name, missing)

    def abandons(self) -> NDArray[np.bool_]:
        """Per row: the queue's model lets callers abandon (Erlang A)."""
        return _abandons(self.targets, self.forecast.queue)

    def channels(self) -> tuple[str, ...]:
        """Each queue's channel, in forecast.queue_names order."""
        return tuple(t.channel for t in self.targets)

    def columns(self) -> dict[str, np.ndarray]:
        """The columns of ``wfm size``'s CSV by name (queue, channel, interval_start, ..., staff, backlog), each a
        numpy array with the CSV's values: ``pandas.DataFrame(requirement.columns())``. Text (the queue, the channel,
        the local start with its UTC offset) is str, an empty cell NaN. Rows in the forecast's order, by queue and
        time (``forecast.input_row`` maps them to the input's)."""
        from wfm.report import documents
        from wfm.report.columns import Blanks

        return {name: values.values.copy() if isinstance(values, Blanks) else np.array(values)
                for name, values in documents.requirement_columns(self).items()}

    def write(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the requirement as ``wfm size`` does: ``"csv"`` (one row per interval) or ``"json"`` (with
        the targets and summaries), whole or not at all (see :mod:`wfm.outputs`); without ``format``, JSON for a
        path ending in ``.json`` and CSV otherwise; ``"-"`` is standard output, as ``-o -`` is for the command
        (CSV unless ``format`` says otherwise). Returns the path written. A path named as a workbook (``.xlsx``, ``.xlsm``,
        ``.xls``) without ``format`` is a ValueError: CSV text under a workbook's name is a file Excel refuses to open."""
        from wfm.outputs import is_json_name, is_workbook_name, write_file
        from wfm.report import documents

        if format is None:
            if is_workbook_name(path):
                raise ValueError(f"{os.fspath(path)}: a requirement is written as CSV or JSON, not as a workbook; name "
                                 "the file .csv (Excel opens it) or .json, or give format='csv' to keep this name")
            format = "json" if is_json_name(path) else "csv"
        text: str | bytes
        if format == "csv":
            text = documents.to_csv(documents.requirement_columns(self))
        elif format == "json":
            text = documents.to_json(documents.requirement_document(self))
        else:
            raise ValueError(f"format must be 'csv' or 'json', got {format!r}")
        if str(path) == "-":
            sys.stdout.write(text.decode("utf-8") if isinstance(text, bytes) else text)
        else:
            write_file(path, text, inputs=(self.forecast.path,))  # never over the forecast it was sized from
        return Path(path)


def _per_row(targets: tuple[Targets, ...], queue: NDArray[np.int32], name: str, missing: float = np.nan):
    values = [missing if getattr(t, name) is None else getattr(t, name) for t in targets]
    return np.array(values, dtype=np.float64)[queue]


def _abandons(targets: tuple[Targets, ...], queue: NDArray[np.int32]) -> NDArray[np.bool_]:
    return np.array([t.model == queueing.ERLANG_A for t in targets], dtype=bool)[queue]


def size(forecast: Forecast, settings: Settings, *, warn_unused_sections: bool = True) -> Requirement:
    """Size every interval of the forecast against its queue's targets.

    Real-time queues (voice, chat) by their queueing model, interval by interval; a chat agent holding
    ``concurrency`` conversations counts as that many servers (:func:`_concurrent`). Deferred queues
    (email, social, back office) by :mod:`wfm.deferred`: the least staffing that answers the target share
    of the work within its response time, first in, first out, the queue's weeks repeating (the work a week
    leaves is carried into its start: :func:`wfm.deferred_sizing.deferred_cycle_s`).

    Warns (:class:`wfm.errors.UnusedSettingWarning`) of each ``[queues.NAME]`` section of ``settings`` that
    names no queue of the forecast, unless ``warn_unused_sections`` is False (for a part of a forecast, such as
    one week, whose sections were checked against the whole). Raises WfmError, naming the queue and interval,
    for more traffic than wfm sizes, an occupancy cap or a minimum staffing that would need more than MAX_AGENTS agents, or a shrinkage that makes more than
    MAX_STAFF staff (the forecast loader refuses such traffic first; this is the backstop); ConfigError for a
    response target shorter than the handle time or one that cannot be met."""
    from wfm.forecast import Forecast

    expect_type(forecast, Forecast, "forecast")
    expect_type(settings, Settings, "settings")
    if warn_unused_sections:
        warn_unused(settings.unknown_queue_warnings(forecast.queue_names))
    targets = tuple(settings.targets_for(q, forecast.channel_of(i)) for i, q in enumerate(forecast.queue_names))
    per_row = lambda name, missing=np.nan: _per_row(targets, forecast.queue, name, missing)  # noqa: E731
    with np.errstate(over="ignore", under="ignore"):  # an overflow to inf is refused just below
        traffic = forecast.traffic_erlangs
    concurrency = per_row("concurrency")
    _check_forecast_limits(forecast, traffic, per_row("max_occupancy"), targets, settings)  # servers: agents x concurrency
    answer_within = per_row("answer_within_s")
    abandons, patience = _abandons(targets, forecast.queue), per_row("patience_s", missing=np.inf)
    deferred = np.array([t.deferred for t in targets], dtype=bool)[forecast.queue]
    live = np.flatnonzero(~deferred)
    n = forecast.n_rows
    agents = np.zeros(n, dtype=np.int64)
    servers = queueing.required_agents(
        traffic[live],
        forecast.aht_s[live],
        abandons[live],
        patience[live],
        service_level=per_row("service_level")[live],
        answer_within_s=answer_within[live],
        max_occupancy=per_row("max_occupancy")[live],
        max_asa_s=per_row("asa_s", missing=np.inf)[live],
        max_abandon_rate=per_row("max_abandon_rate")[live],
    )
    min_staff = per_row("min_staff")
    # the minimum staffing first: the measures below are those of the agents the requirement lists
    agents[live] = np.maximum(_concurrent(servers, concurrency[live]), min_staff[live].astype(np.int64))
    open_ = np.ones(n, dtype=bool)
    service_level, asa_s, occupancy = (np.zeros(n) for _ in range(3))
    abandon_rate, due, arrived = (np.full(n, np.nan) for _ in range(3))
    backlog = np.zeros(n)
    delivered = queueing.delivered(agents[live] * concurrency[live], traffic[live], forecast.aht_s[live],
                                   answer_within[live], abandons[live], patience[live])
    service_level[live], asa_s[live], occupancy[live] = delivered.service_level, delivered.asa_s, delivered.occupancy
    abandon_rate[live] = delivered.abandon_rate
    for q, queue_targets in enumerate(targets):
        if queue_targets.deferred:
            from wfm.deferred_sizing import size_deferred

            rows = np.flatnonzero(forecast.queue == q)
            work = size_deferred(forecast, rows, queue_targets, settings)
            agents[rows], open_[rows], due[rows], arrived[rows] = work.agents, work.open_, work.due_s, work.arrived_s
            m = work.measures
            service_level[rows], asa_s[rows], backlog[rows] = m.service_level, m.mean_response_s, m.backlog
            paid = work.agents * forecast.interval_s[rows]  # agent-seconds: the share of them spent working
            occupancy[rows] = np.divide(m.worked_s, paid, out=np.zeros(rows.size), where=paid > 0)
    agents = np.maximum(agents, np.where(open_, min_staff, 0).astype(np.int64))
    staff_exact = agents / (1.0 - per_row("shrinkage"))
    if staff_exact.size and staff_exact.max() > MAX_STAFF:
        i = int(np.argmax(staff_exact))
        raise ConfigError(f"{_where(forecast, i)}: shrinkage {targets[forecast.queue[i]].shrinkage!r} makes "
                       f"{int(agents[i]):,} agents {staff_exact[i]:.2g} staff; wfm plans at most {MAX_STAFF:,} "
                       f"staff per interval")
    return Requirement(
        forecast=forecast,
        targets=targets,
        traffic_erlangs=traffic,
        agents=agents,
        service_level=service_level,
        asa_s=asa_s,
        occupancy=occupancy,
        staff_exact=staff_exact,
        abandon_rate=abandon_rate,
        backlog=backlog,
        due_work_s=due,
        arrived_work_s=arrived,
        open_=open_,
    )


def _concurrent(servers: NDArray[np.int64], concurrency: NDArray[np.float64]) -> NDArray[np.int64]:
    """Agents for ``servers`` conversation slots when each agent holds ``concurrency`` conversations at once:
    ceil(servers / concurrency).

    The chat model (an approximation, checked by simulation in a later issue): an agent holding k
    conversations is k independent servers, each working one conversation at the forecast's handle time per
    conversation (which must be the elapsed time a conversation lasts at that concurrency, not the agent's
    typing time). The fewest agents meeting the targets is then the fewest servers meeting them, divided by
    k and rounded up: the measures only grow with the servers, so agents x k >= servers meets every target
    the servers do. It ignores that an agent's speed per conversation falls as conversations are added, and
    that a new conversation waits for a slot of one particular agent rather than any free slot.
    """
    k = concurrency.astype(np.int64)
    return -(-servers // k)


def _where(forecast: Forecast, row: int) -> str:
    """'forecast.csv: queue 'sales', interval 2026-12-01T08:00:00-06:00' for messages."""
    from wfm.forecast import format_local

    start = format_local(forecast.interval_start[row:row + 1], forecast.utc_offset_s[row:row + 1])[0]
    return f"{forecast.path}: queue {forecast.queue_names[forecast.queue[row]]!r}, interval {start}"


def occupancy_cap_text(cap: float, origin: str = "") -> str:
    """An occupancy cap named where it is set (:meth:`wfm.config.Settings.origin`): ``--max-occupancy 1e-07``,
    ``max_occupancy 1e-07 (from wfm.toml [targets])``, or ``max_occupancy 1e-07`` without an origin."""
    if origin.startswith("--"):
        return f"{origin} {cap!r}"
    return f"max_occupancy {cap!r}" + (f" (from {origin})" if origin else "")


def _check_forecast_limits(forecast: Forecast, traffic: NDArray[np.float64], max_occupancy: NDArray[np.float64],
                           targets: tuple[Targets, ...], settings: Settings) -> None:
    """The first row with more traffic than wfm sizes, or needing more agents than it sizes, as a WfmError (an
    occupancy cap named by where it is set: the flag, or the section of wfm.toml)."""
    too_much = ~(traffic <= erlang.MAX_TRAFFIC_ERLANGS)  # also NaN and inf
    if too_much.any():
        i = int(np.flatnonzero(too_much)[0])
        volume, aht, length = float(forecast.volume[i]), float(forecast.aht_s[i]), float(forecast.interval_s[i])
        raise InputError(
            f"{_where(forecast, i)}: {volume:,.10g} contacts x {aht:,.10g} s in {length / 60:g} min is "
            f"{erlang.offered_traffic_text(volume, aht, length)} Erlangs; "
            f"wfm sizes at most {erlang.MAX_TRAFFIC_ERLANGS:,.0f} Erlangs")
    with np.errstate(over="ignore", under="ignore"):  # a cap near 0: inf servers, refused all the same
        needed = traffic / max_occupancy  # servers (agents x concurrency) the occupancy cap alone asks for
    over = needed > erlang.MAX_AGENTS
    if over.any():
        i = int(np.flatnonzero(over)[0])
        q = int(forecast.queue[i])
        t = targets[q]
        what = "agents" if t.concurrency == 1 else f"conversation slots ({t.concurrency} per agent)"
        cap = occupancy_cap_text(t.max_occupancy, settings.origin(forecast.queue_names[q], t.channel, "max_occupancy"))
        raise ConfigError(f"{_where(forecast, i)}: {cap} with {traffic[i]:.2g} Erlangs needs {needed[i]:.2g} {what}; "
                          f"wfm sizes at most {erlang.MAX_AGENTS:,}")


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
    service_level: float  # volume-weighted fraction answered within the answer time (NaN: no contacts)
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
    slots = requirement.per_row("concurrency")[rows]  # a chat agent works that many conversations at once
    fewer = queueing.delivered(np.maximum(agents - 1.0, 0.0) * slots, requirement.traffic_erlangs[rows],
                               forecast.aht_s[rows], answer_within, requirement.abandons()[rows],
                               requirement.per_row("patience_s", missing=np.inf)[rows]).service_level
    lost = volume * np.clip(requirement.service_level[rows] - fewer, 0.0, 1.0)
    _, day = np.unique(_local_days(forecast)[rows], return_inverse=True)
    day_volume = np.bincount(day, weights=volume)[day]
    drop = np.divide(lost, day_volume, out=np.zeros_like(lost), where=day_volume > 0)
    mean = exact.dot(drop, agents) / float(agents.sum()) if agents.sum() > 0 else 0.0  # no BLAS: wfm.exact
    if not mean > 0:
        return np.ones(rows.size)
    return np.clip(drop / mean, floor, cap)


def _local_days(forecast: Forecast) -> NDArray[np.int64]:
    """Each row's local calendar day, as days since 1970-01-01."""
    return forecast.local_start.astype("datetime64[D]").astype(np.int64)


def _weeks_covered(first_day: int, last_day: int, open_weekdays: NDArray[np.bool_]) -> float:
    """Weeks spanned by the days ``first_day`` .. ``last_day`` (days since 1970-01-01, a Thursday), stretched
    over the weekdays the forecast never opens on at either end: Mon-Fri is one week, 164 weekdays over 34 weeks
    34, eight days of a 24/7 queue 8/7 and a month 31/7 (whole weeks rounded up had made an eight-day forecast's FTE
    4/7 of a week's, and a month's 31/35)."""
    def closed(day: int) -> bool:
        return not open_weekdays[weekday(day)]

    if open_weekdays.any():
        while closed(last_day + 1):  # the closed days after the last open one (a weekend) belong to its week
            last_day += 1
        while closed(first_day - 1) and (last_day - first_day + 1) % 7:  # those before, only to complete a week
            first_day -= 1
    return max(1.0, (last_day - first_day + 1) / 7)


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
        if whole_queue:
            mine = days[row:row + int(counts[k])]
            open_weekdays = np.zeros(7, dtype=bool)
            open_weekdays[weekday(mine)] = True
            weeks = _weeks_covered(int(first_day[k]), int(last_day[k]), open_weekdays)
        else:
            weeks = 1.0
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
                service_level=float(answered_in_time[k] / volume[k]) if volume[k] > 0 else math.nan,
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


def _together(forecast: Forecast, rows: NDArray[np.int64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """The sum of ``weights`` of the rows in force at each instant: on the grid of the greatest common divisor
    of the rows' interval lengths, each row counted over every step it spans (a 30-minute row overlaps the three
    10-minute rows of another queue, not only the one starting with it)."""
    if rows.size == 0:
        return np.zeros(0)
    starts = forecast.interval_start[rows].astype("datetime64[s]").astype(np.int64)
    lengths = forecast.interval_s[rows].astype(np.int64)
    step = int(np.gcd.reduce(np.unique(lengths)))
    spans = lengths // step
    owner = np.repeat(np.arange(rows.size), spans)
    offset = np.arange(owner.size) - np.repeat(np.cumsum(spans) - spans, spans)
    _, at = np.unique(starts[owner] + offset * step, return_inverse=True)
    return np.bincount(at, weights=weights[owner]).astype(np.float64)


def total_summary(requirement: Requirement) -> Summary:
    """All queues together. Peaks are of the queues' sum at the same instant (not a sum of peaks),
    staff summed unrounded before rounding once; FTE is the sum of the queues' FTE."""
    f = requirement.forecast
    by_queue = queue_summary(requirement)
    every = np.arange(f.n_rows)
    agents_at = _together(f, every, requirement.agents.astype(np.float64))
    staff_at = _together(f, every, requirement.staff_exact)
    volume = sum(s.volume for s in by_queue)
    answered_in_time = float(np.sum(f.volume * requirement.service_level))
    days = np.unique(_local_days(f))
    return Summary(
        queue="all queues",
        label=f"{np.datetime64(int(days[0]), 'D')}..{np.datetime64(int(days[-1]), 'D')}",
        intervals=int(np.unique(f.interval_start).size),
        days=int(days.size),
        volume=volume,
        peak_agents=int(round(agents_at.max())),
        peak_staff=int(_ceil_staff(staff_at.max(), requirement.per_row("shrinkage").max(initial=0.0))),
        agent_hours=sum(s.agent_hours for s in by_queue),
        staff_hours=sum(s.staff_hours for s in by_queue),
        service_level=answered_in_time / volume if volume > 0 else math.nan,
        fte=sum(s.fte for s in by_queue),
    )
