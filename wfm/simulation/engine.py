"""A seeded discrete-event simulation of one real-time queue (voice or chat) worked by individual agents on
shift: what a plan delivers when the Erlang assumptions (steady state inside each interval, exponential
handle times, staff appearing and vanishing on interval boundaries) do not hold. Issue 9.

The model, per replication:
  * Arrivals: a Poisson process whose rate is constant inside each interval, ``volume / interval_s``
    contacts per second (none in the gaps between intervals). With ``volume_cv > 0`` every (replication,
    day) draws a forecast-error factor from a gamma distribution with mean 1 and that coefficient of
    variation (shape 1 / cv^2), multiplying the volume of the day's intervals (a doubly stochastic Poisson
    process; the gamma mixing is the classic model of arrival-rate uncertainty in call centres, e.g. Jongbloed
    & Koole 2001, "Managing uncertainty in call centres using Poisson mixtures", ASMBI 17; Whitt 1999, "Dynamic staffing in a telephone call centre
    aiming to immediately answer all calls", Oper. Res. Letters 24). The arrivals are drawn at once, already
    sorted: N ~ Poisson(total volume), then N sorted uniform positions on the cumulative-volume scale from
    N + 1 exponential spacings (Devroye 1986, "Non-Uniform Random Variate Generation", ch. V), mapped back to
    clock time inside each interval.
  * Handle times: exponential with the arrival interval's AHT as mean (``aht_cv`` None), or lognormal with
    that mean and coefficient of variation ``aht_cv`` (sigma^2 = ln(1 + cv^2), mu = ln(AHT) - sigma^2 / 2).
  * Patience: exponential with mean ``patience_s`` (Erlang A: Palm 1943; Garnett, Mandelbaum & Reiman 2002,
    "Designing a call center with impatient customers", MSOM 4(3)); ``inf``: nobody hangs up (Erlang C).
  * Service: one queue, first come, first served; a contact is answered by the first agent slot that is free
    and on duty (an agent holds ``concurrency`` slots: chat conversations). Agents start contacts only inside
    their on-duty windows and finish the contact in hand past a window's end: that overtime is ``overrun``.
    A contact whose wait would exceed its patience hangs up without taking a slot. The event loop is
    :mod:`wfm.simulation.kernel` (the FCFS multi-server recursion of Kiefer & Wolfowitz 1955, "On the theory
    of queues with many servers", Trans. AMS 78, through a heap of slots).
  * Absence: at the start of each replication every agent is absent for the whole run with probability
    ``absent_probability`` (the shrinkage the plan's windows do not already model).
  * Closing: the queue closes at the end of each run of consecutive intervals (where the next interval does not
    start as one ends, and at the last interval's end). Nothing is answered after closing, neither by agents
    still on duty nor by the next morning's: a contact not answered by its closing is abandoned if its patience
    runs out before then (Erlang A: it hangs up while the queue is open), else it is ``unfinished``: offered,
    never answered, not abandoned (left waiting at closing; with no agent on duty, every contact of an Erlang C
    queue). Agents still finish the contact in hand (overrun).
  * Deferred work (``deferred``: email, social, back office worked by the same agents, a blended team): each
    deferred queue's items arrive as a Poisson process per row of its own (rate ``volume / interval_s``, no
    forecast error), with handle times drawn like the real-time ones (exponential, or lognormal with
    ``aht_cv``), and nobody abandons. A queue's items are started only inside its ``workable`` rows (default:
    its ``open_`` rows; a blended team's plan works a deferred queue only in its open intervals that are the
    team's, :func:`wfm.simulation.blended.deferred_workload`): an item arriving outside them waits for the
    queue's next workable row. A slot that is free and on duty takes the oldest waiting real-time contact; only
    when no real-time contact waits does it take a deferred item: the oldest arrival among the queues workable
    at that moment (first in, first out within a queue and across the queues open together), and it finishes
    that item before its next contact (non-preemptive: a contact arriving meanwhile waits for another slot, or
    for it). An idle slot takes an item the moment it arrives or its queue's workable row begins; items are
    started only on duty, and one in hand at a window's or the queue's row end is finished like a contact
    (past a window's end, in overrun). Items never started (still waiting when the last window or the queue's
    last workable row closes) are ``unfinished``; those whose response target falls after the run's end are
    also ``censored`` (not known to be late: the week ended first) and left out of the share within.
    Chat teams (``concurrency`` k > 1), an approximation: a deferred item takes ONE of the agent's k slots and
    holds it k x its handle time (a slot works at 1/k of an agent's pace, as its conversations do), so an agent
    working k items at once does one agent's worth of deferred work, as the plan counts it; an agent may mix
    items and conversations. The response of an item worked by a chat agent includes k x its handle time.
  * Deferred records, per queue and row (the row an item arrives in): items arrived, finished, finished
    within ``response_within_s`` of arriving (response = finish - arrival, on the elapsed clock or, with
    ``clock="open"``, counting only time inside the queue's open rows), the sum of those responses, the items
    arrived and not finished at each row's end (``backlog``, by clock time) and the agent-seconds worked on the
    queue inside each row. The agents' ``busy_s`` and ``overrun_s`` include deferred work (on a grid shared
    with the real-time queue, its own busy time is ``busy_s`` minus the queues' ``worked_s``).

Randomness: every draw comes from numpy Generators seeded with ``[seed, replication, stream]``, one stream
per kind of draw (absence, forecast error, arrivals, handle times, patience; deferred queue q's arrivals and
handle times from ``[seed, replication, stream, q]``), so the same seed gives identical results, and two runs
that differ only in the staffing, the handle-time distribution, the patience or the deferred work see the same
real-time arrivals (common random numbers: their differences are not noise).

Units: seconds from a common origin for every time; agent-seconds for busy, on-duty and overrun time.
The comparison with an established simulator (Ciw, Palmer et al. 2019, J. Simulation 13; its
``ciw.create_network`` with exponential arrivals and services is the same M/M/c model in steady state) is
in ``benchmarks/bench_simulate.py``. The inputs (:class:`Agents`, :class:`Workload`, :class:`DeferredWorkload`)
and their checks are in :mod:`wfm.simulation.workload`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wfm.simulation import kernel
from wfm.simulation.workload import (
    CLOCKS,
    Agents,
    DeferredWorkload,
    Workload,
    _check_deferred,
    _check_options,
    _check_workload,
    _windows,
    constant_agents,
)

__all__ = ["Agents", "constant_agents", "Workload", "DeferredWorkload", "DeferredResult", "SimulationResult",
           "DeferredTrace", "Trace", "simulate", "simulate_trace", "closing_times", "CLOCKS"]

# The random streams of a replication; a deferred queue q draws from [seed, r, kind, q].
_ABSENCE, _VOLUME, _ARRIVALS, _HANDLE, _PATIENCE, _DEFERRED_ARRIVALS, _DEFERRED_HANDLE = range(7)


@dataclass(frozen=True)
class DeferredResult:
    """One deferred queue, per replication (axis 0) and row of the queue (axis 1): counted by the row an item
    ARRIVES in, except ``backlog`` and ``worked_s`` (by clock time). Response = finish - arrival on the
    queue's clock (the handle time included)."""

    arrived: NDArray[np.int64]
    finished: NDArray[np.int64]  # finished before the run ended (every item started is finished)
    answered_within: NDArray[np.int64]  # finished with a response <= response_within_s
    response_s: NDArray[np.float64]  # sum of the responses of the finished items, seconds on the clock
    backlog: NDArray[np.int64]  # items arrived and not finished at the row's end (waiting or in hand)
    worked_s: NDArray[np.float64]  # agent-seconds working the queue's items inside the row (overrun included)
    unfinished: NDArray[np.int64]  # per replication: items never started (no agent on duty in a workable row left)
    censored: NDArray[np.int64]  # unfinished items whose response target had not passed when the run ended:
    # neither in time nor late (the share within is of the arrived items less these)


@dataclass(frozen=True)
class SimulationResult:
    """Per replication (axis 0) and interval (axis 1), counted by the interval a contact ARRIVES in."""

    offered: NDArray[np.int64]
    answered: NDArray[np.int64]
    answered_within: NDArray[np.int64]  # answered within answer_within_s of arriving
    abandoned: NDArray[np.int64]
    wait_answered_s: NDArray[np.float64]  # sum of waits of the answered contacts, seconds
    busy_s: NDArray[np.float64]  # agent-seconds handling contacts and deferred items inside each interval (by
    # clock), overrun included
    on_duty_s: NDArray[np.float64]  # agent-seconds on duty inside each interval (present agents only)
    overrun_s: NDArray[np.float64]  # per replication: agent-seconds worked outside every window (work in hand)
    unfinished: NDArray[np.int64]  # per replication: contacts still waiting at closing (their patience not out)
    overrun_by_interval_s: NDArray[np.float64]  # the overrun inside each interval, by clock (part of busy_s)
    deferred: tuple[DeferredResult, ...] = ()  # one per deferred queue given, in their order




def closing_times(interval_start_s: NDArray[np.float64], interval_s: float) -> NDArray[np.float64]:
    """Per interval, when the queue closes after it (seconds): the end of its run of consecutive intervals, where
    the next interval starts more than ``interval_s`` after this one (a gap of a microsecond per second of
    interval is float noise, not a closing)."""
    start = np.asarray(interval_start_s, dtype=np.float64)
    if start.size == 0:
        return np.zeros(0)
    gap = np.diff(start) > interval_s * (1.0 + 1e-6)
    last = np.flatnonzero(np.append(gap, True))  # the last interval of each run
    return start[last][np.concatenate(([0], np.cumsum(gap)))] + interval_s


def _arrivals(rng: np.random.Generator, volume: NDArray[np.float64], interval_start: NDArray[np.float64],
              interval_s: float) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Sorted Poisson arrival times (seconds) with the rate volume / interval_s inside each interval, and each
    arrival's interval. Exact: N ~ Poisson(sum), positions on the cumulative-volume scale from exponential
    spacings (the order statistics of N uniforms), no sort needed."""
    cumulative = np.concatenate(([0.0], np.cumsum(volume)))
    total = float(cumulative[-1])
    n = int(rng.poisson(total)) if total > 0 else 0
    if n == 0:
        return np.empty(0), np.empty(0, dtype=np.int64)
    spacing = np.cumsum(rng.standard_exponential(n + 1))
    position = spacing[:n] * (total / spacing[n])
    # The first interval whose cumulative end exceeds the position: it has volume > 0.
    where = np.searchsorted(cumulative[1:], position, side="right")
    np.minimum(where, int(np.flatnonzero(volume > 0)[-1]), out=where)
    fraction = (position - cumulative[where]) / volume[where]
    np.clip(fraction, 0.0, np.nextafter(1.0, 0.0), out=fraction)
    return interval_start[where] + fraction * interval_s, where.astype(np.int64)


def _handle_times(rng: np.random.Generator, aht: NDArray[np.float64], aht_cv: float | None) -> NDArray[np.float64]:
    """Handle times with the given means: exponential, or lognormal with coefficient of variation aht_cv."""
    if aht_cv is None:
        return rng.standard_exponential(aht.size) * aht
    sigma2 = math.log1p(aht_cv * aht_cv)
    return np.exp(rng.standard_normal(aht.size) * math.sqrt(sigma2) - sigma2 / 2.0) * aht


@dataclass(frozen=True)
class DeferredTrace:
    """Every deferred item of one replication, all queues merged in arrival order (the order they are taken)."""

    arrival_s: NDArray[np.float64]  # arrival time, seconds from origin
    queue: NDArray[np.int64]  # its deferred queue (position in ``deferred``)
    row: NDArray[np.int64]  # the row of its queue it arrives in
    handle_s: NDArray[np.float64]  # its handle time as drawn, seconds (the slot is held concurrency x as long)
    start_s: NDArray[np.float64]  # when an agent took it, seconds (NaN: never)
    finish_s: NDArray[np.float64]  # when it was finished, seconds (NaN: never)
    agent: NDArray[np.int64]  # the agent who worked it (-1: nobody)


@dataclass(frozen=True)
class Trace:
    """Every contact of one replication, in arrival order (what :func:`simulate_trace` returns)."""

    arrival_s: NDArray[np.float64]  # arrival time, seconds from origin
    interval: NDArray[np.int64]  # the interval it arrives in
    handle_s: NDArray[np.float64]  # its handle time, seconds (drawn for every contact, used if answered)
    patience_s: NDArray[np.float64]  # its patience, seconds (inf: never hangs up)
    answer_s: NDArray[np.float64]  # answer time, seconds (NaN: not answered)
    agent: NDArray[np.int64]  # the agent who answered it (-1: not answered)
    present: NDArray[np.bool_]  # per agent: at work in this replication
    overrun_s: float  # agent-seconds worked outside every window
    unfinished: int  # contacts still waiting at closing (module docstring)
    deferred: DeferredTrace | None = None  # the deferred items, if deferred work was given


def _open_clock(starts: NDArray[np.float64], length: NDArray[np.float64],
                t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Open seconds before each time t: rows of the given ``length`` (0 when closed) from ``starts``; gaps
    between rows and the time before the first and after the last row are closed."""
    before = np.concatenate(([0.0], np.cumsum(length)[:-1]))
    j = np.searchsorted(starts, t, side="right") - 1
    jc = np.maximum(j, 0)
    return np.where(j >= 0, before[jc] + np.clip(t - starts[jc], 0.0, length[jc]), 0.0)


class _Deferred:
    """One deferred queue's checked rows and output arrays."""

    def __init__(self, d: DeferredWorkload, q: int, replications: int) -> None:
        _check_deferred(d, q)
        self.q, self.interval_s = q, float(d.interval_s)
        self.start = np.ascontiguousarray(d.interval_start_s, dtype=np.float64)
        self.volume = np.asarray(d.volume, dtype=np.float64)
        self.aht = np.asarray(d.aht_s, dtype=np.float64)
        self.open_length = np.where(np.asarray(d.open_), self.interval_s, 0.0)
        workable = np.asarray(d.open_ if d.workable is None else d.workable)
        self.work_start = self.start[workable]  # where its items may be started: these rows, seconds
        self.response_within_s, self.open_clock = float(d.response_within_s), d.clock == "open"
        self.end_clock = float(self._clock(np.array([self.start[-1] + self.interval_s]))[0])  # the run's end
        shape = (replications, self.start.size)
        self.counts = {name: np.zeros(shape, dtype=np.int64)
                       for name in ("arrived", "finished", "within", "backlog", "censored")}
        self.response = np.zeros(shape)
        self.unfinished = np.zeros(replications, dtype=np.int64)

    def _clock(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        """Times ``t`` on the queue's response clock: seconds as they are, or open seconds before them."""
        return _open_clock(self.start, self.open_length, t) if self.open_clock else t

    def record(self, row: int, arrival: NDArray[np.float64], row_of: NDArray[np.int64],
               finish: NDArray[np.float64]) -> None:
        """Count one replication's items (sorted by arrival; finish NaN for items never started)."""
        m, c = self.start.size, self.counts
        done = np.isfinite(finish)
        c["arrived"][row] = np.bincount(row_of, minlength=m)
        c["finished"][row] = np.bincount(row_of[done], minlength=m)
        f, j = finish[done], row_of[done]
        arrived_at = self._clock(arrival)
        response = self._clock(f) - arrived_at[done]
        c["within"][row] = np.bincount(j[response <= self.response_within_s], minlength=m)
        # an item not finished when the run ends whose target falls after that end: its outcome is not known
        censored = ~done & (self.end_clock - arrived_at < self.response_within_s)
        c["censored"][row] = np.bincount(row_of[censored], minlength=m)
        self.response[row] = np.bincount(j, response, minlength=m)
        end = self.start + self.interval_s
        c["backlog"][row] = np.searchsorted(arrival, end, side="left") - np.searchsorted(np.sort(f), end, side="right")
        self.unfinished[row] = int(arrival.size - done.sum())

    def result(self, worked: NDArray[np.float64]) -> DeferredResult:
        c = self.counts
        return DeferredResult(arrived=c["arrived"], finished=c["finished"], answered_within=c["within"],
                              response_s=self.response, backlog=c["backlog"], worked_s=worked,
                              unfinished=self.unfinished, censored=c["censored"])


class _Run:
    """The parts of a simulation shared by every replication: checked inputs, windows, outputs."""

    def __init__(self, workload: Workload, agents: Agents, answer_within_s: float, replications: int, seed: int,
                 aht_cv: float | None, volume_cv: float, deferred: Sequence[DeferredWorkload] = (),
                 volume_seed: int | None = None) -> None:
        _check_workload(workload)
        _check_options(answer_within_s, replications, seed, aht_cv, volume_cv)
        self.deferred = [_Deferred(d, q, int(replications)) for q, d in enumerate(deferred)]
        rows = [d.start.size for d in self.deferred]
        self.d_row_first = np.concatenate(([0], np.cumsum(rows, dtype=np.int64))).astype(np.int64)
        self.d_row_start = np.concatenate([d.start for d in self.deferred] + [np.empty(0)])
        self.d_interval_s = np.array([d.interval_s for d in self.deferred], dtype=np.float64)
        work = [d.work_start.size for d in self.deferred]
        self.d_work_first = np.concatenate(([0], np.cumsum(work, dtype=np.int64))).astype(np.int64)
        self.d_work_start = np.concatenate([d.work_start for d in self.deferred] + [np.empty(0)])
        self.d_worked = np.zeros((int(replications), int(self.d_row_first[-1])))
        self.workload, self.agents, self.seed = workload, agents, int(seed)
        self.volume_seed = int(seed if volume_seed is None else volume_seed)
        self.answer_within_s, self.aht_cv, self.volume_cv = float(answer_within_s), aht_cv, float(volume_cv)
        self.win_start, self.win_end, self.agent_first, self.agent_stop = _windows(agents)
        self.interval_start = np.ascontiguousarray(workload.interval_start_s, dtype=np.float64)
        self.volume = np.asarray(workload.volume, dtype=np.float64)
        self.aht = np.asarray(workload.aht_s, dtype=np.float64)
        self.days, self.day_of = np.unique(np.asarray(workload.day), return_inverse=True)
        self.close_at = closing_times(self.interval_start, float(workload.interval_s))
        r, m = int(replications), self.interval_start.size
        self.counts = {name: np.zeros((r, m), dtype=np.int64) for name in ("offered", "answered", "within", "abandoned")}
        self.seconds = {name: np.zeros((r, m)) for name in ("wait", "busy", "on_duty", "overrun")}

    def replication(self, r: int, row: int) -> Trace:
        """Draw replication ``r``, run it into output row ``row`` and return its contacts."""
        w = self.workload

        def stream(kind: int) -> np.random.Generator:
            return np.random.default_rng([self.seed, r, kind])

        present = stream(_ABSENCE).random(self.agents.n_agents) >= self.agents.absent_probability
        rate = self.volume
        if self.volume_cv > 0:
            cv2 = self.volume_cv**2
            # one factor per (replication, day id), from a stream of the day's own: the stretches of one day
            # simulated apart (a queue closed over lunch) share it, given the same volume_seed
            factor = np.array([np.random.default_rng([self.volume_seed, r, _VOLUME, int(d)]).gamma(1.0 / cv2, cv2)
                               for d in self.days])
            rate = self.volume * factor[self.day_of]
        arrival, interval_of = _arrivals(stream(_ARRIVALS), rate, self.interval_start, w.interval_s)
        handle = _handle_times(stream(_HANDLE), self.aht[interval_of], self.aht_cv)
        if math.isinf(w.patience_s):
            patience = np.full(arrival.size, math.inf)
        else:
            patience = stream(_PATIENCE).standard_exponential(arrival.size) * float(w.patience_s)
        working = np.flatnonzero(present & (self.agent_stop > self.agent_first))
        answer_at = np.full(arrival.size, math.nan)
        answered_by = np.full(arrival.size, -1, dtype=np.int64)
        d_arrival, d_queue, d_row, d_handle = self._deferred_items(r)
        # each queue's items, in arrival order (the merged line is sorted by arrival; a stable sort keeps it)
        d_by_queue = np.argsort(d_queue, kind="stable").astype(np.int64)
        d_item_first = np.searchsorted(d_queue[d_by_queue], np.arange(len(self.deferred) + 1)).astype(np.int64)
        d_start = np.full(d_arrival.size, math.nan)
        d_agent = np.full(d_arrival.size, -1, dtype=np.int64)
        c, sec = self.counts, self.seconds
        overrun, unfinished = kernel.run_replication(
            arrival, interval_of, handle, patience, self.answer_within_s,
            self.win_start, self.win_end, self.agent_first, self.agent_stop, working, int(w.concurrency),
            self.interval_start, float(w.interval_s), self.close_at,
            c["offered"][row], c["answered"][row], c["within"][row], c["abandoned"][row],
            sec["wait"][row], sec["busy"][row], sec["on_duty"][row], sec["overrun"][row],
            answer_at, answered_by,
            d_arrival, d_handle * float(w.concurrency), d_by_queue, d_item_first, self.d_work_start,
            self.d_work_first, self.d_row_start, self.d_row_first, self.d_interval_s, self.d_worked[row], d_start,
            d_agent,
        )
        if not self.deferred:
            return Trace(arrival, interval_of, handle, patience, answer_at, answered_by, present, overrun, unfinished)
        d_finish = d_start + d_handle * float(w.concurrency)
        for d in self.deferred:
            mine = d_queue == d.q
            d.record(row, d_arrival[mine], d_row[mine], d_finish[mine])
        items = DeferredTrace(d_arrival, d_queue, d_row, d_handle, d_start, d_finish, d_agent)
        return Trace(arrival, interval_of, handle, patience, answer_at, answered_by, present, overrun, unfinished,
                     items)

    def _deferred_items(self, r: int) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64],
                                               NDArray[np.float64]]:
        """Replication r's deferred items of every queue merged in arrival order: (arrival, queue, row, handle
        time as drawn). Each queue draws from its own streams [seed, r, kind, q]."""
        if not self.deferred:
            return np.empty(0), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0)
        parts = []
        for d in self.deferred:
            arrival, row_of = _arrivals(np.random.default_rng([self.seed, r, _DEFERRED_ARRIVALS, d.q]), d.volume,
                                        d.start, d.interval_s)
            handle = _handle_times(np.random.default_rng([self.seed, r, _DEFERRED_HANDLE, d.q]), d.aht[row_of],
                                   self.aht_cv)
            parts.append((arrival, np.full(arrival.size, d.q, dtype=np.int64), row_of, handle))
        arrival, queue, row_of, handle = (np.concatenate(x) for x in zip(*parts))
        order = np.argsort(arrival, kind="stable")  # first in, first out over every queue (ties: queue order)
        return arrival[order], queue[order], row_of[order], handle[order]

    def deferred_results(self) -> tuple[DeferredResult, ...]:
        first = self.d_row_first
        return tuple(d.result(self.d_worked[:, first[d.q]:first[d.q + 1]].copy()) for d in self.deferred)


def simulate(workload: Workload, agents: Agents, *, answer_within_s: float, replications: int, seed: int,
             aht_cv: float | None = None, volume_cv: float = 0.0,
             deferred: Sequence[DeferredWorkload] = (), volume_seed: int | None = None) -> SimulationResult:
    """Simulate ``replications`` independent runs of the queue (see the module docstring for the model).

    answer_within_s: the service-level answer time, seconds (answered with wait <= it counts as within).
    aht_cv: None for exponential handle times, else the coefficient of variation of lognormal ones (> 0).
    volume_cv: coefficient of variation of the per-day forecast-error factor (0: none; real-time only).
    deferred: deferred queues worked by the same agents when no real-time contact waits (module docstring).
    volume_seed: the seed of the forecast-error factors (default ``seed``): runs of parts of one day given the
    same one draw the same factor for it.
    The same ``seed`` gives identical results; replication r uses the streams ``[seed, r, k]`` (and
    ``[seed, r, k, q]`` for deferred queue q; ``[volume_seed, r, k, day]`` for the day factors).
    """
    run = _Run(workload, agents, answer_within_s, replications, seed, aht_cv, volume_cv, deferred, volume_seed)
    overrun = np.zeros(replications)
    unfinished = np.zeros(replications, dtype=np.int64)
    for r in range(replications):
        trace = run.replication(r, r)
        overrun[r], unfinished[r] = trace.overrun_s, trace.unfinished
    c, sec = run.counts, run.seconds
    return SimulationResult(
        offered=c["offered"], answered=c["answered"], answered_within=c["within"], abandoned=c["abandoned"],
        wait_answered_s=sec["wait"], busy_s=sec["busy"], on_duty_s=sec["on_duty"], overrun_s=overrun,
        unfinished=unfinished, overrun_by_interval_s=sec["overrun"], deferred=run.deferred_results(),
    )


def simulate_trace(workload: Workload, agents: Agents, *, answer_within_s: float, seed: int, replication: int = 0,
                   aht_cv: float | None = None, volume_cv: float = 0.0, deferred: Sequence[DeferredWorkload] = (),
                   volume_seed: int | None = None) -> tuple[Trace, SimulationResult]:
    """Replication ``replication`` of :func:`simulate` with the same arguments, contact by contact: its trace,
    and its counts as a one-replication result (equal to that row of ``simulate``'s)."""
    if int(replication) != replication or replication < 0:
        raise ValueError(f"replication must be an integer >= 0, got {replication}")
    run = _Run(workload, agents, answer_within_s, 1, seed, aht_cv, volume_cv, deferred, volume_seed)
    trace = run.replication(int(replication), 0)
    c, sec = run.counts, run.seconds
    return trace, SimulationResult(
        offered=c["offered"], answered=c["answered"], answered_within=c["within"], abandoned=c["abandoned"],
        wait_answered_s=sec["wait"], busy_s=sec["busy"], on_duty_s=sec["on_duty"],
        overrun_s=np.array([trace.overrun_s]), unfinished=np.array([trace.unfinished], dtype=np.int64),
        overrun_by_interval_s=sec["overrun"], deferred=run.deferred_results(),
    )
