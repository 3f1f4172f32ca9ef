"""The inputs of the discrete-event simulation (:mod:`wfm.simulation.engine`) and their checks: the agents'
on-duty windows (:class:`Agents`), the real-time queue's arrivals per interval (:class:`Workload`) and each
deferred queue's per row (:class:`DeferredWorkload`), with the checks :func:`wfm.simulation.engine.simulate`
runs before drawing anything (a bad input is a ValueError or TypeError naming the field).

Units: seconds from the simulation's common origin for every time (window and interval starts and ends),
seconds for lengths, handle times, patience and response targets; volumes are expected contacts (items) per
interval (row). ``patience_s`` is the mean of an exponential patience (Erlang A: Palm 1943; Garnett, Mandelbaum
& Reiman 2002, "Designing a call center with impatient customers", MSOM 4(3)); ``inf``: nobody hangs up
(Erlang C). The model these inputs feed is described in :mod:`wfm.simulation.engine`'s docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wfm.channels import RESPONSE_CLOCKS as CLOCKS

__all__ = ["Agents", "constant_agents", "Workload", "DeferredWorkload", "CLOCKS"]


@dataclass(frozen=True)
class Agents:
    """On-duty windows of individual agents (an agent may have several windows: a shift cut by its breaks)."""

    agent: NDArray[np.int64]  # agent id per window (0..n_agents-1); one agent's windows do not overlap
    start_s: NDArray[np.float64]  # window start, seconds from the simulation origin
    end_s: NDArray[np.float64]  # window end, seconds (> start)
    absent_probability: float = 0.0  # each agent is absent for the whole run with this probability, per replication

    @property
    def n_agents(self) -> int:
        """Agents named: the largest id + 1 (0 without windows)."""
        agent = np.asarray(self.agent)
        return int(agent.max()) + 1 if agent.size else 0


def constant_agents(n: int, start_s: float, end_s: float) -> Agents:
    """``n`` agents on duty over one window [start_s, end_s), seconds."""
    if n < 0:
        raise ValueError(f"the number of agents must be >= 0, got {n}")
    return Agents(
        agent=np.arange(n, dtype=np.int64),
        start_s=np.full(n, float(start_s)),
        end_s=np.full(n, float(end_s)),
    )


@dataclass(frozen=True)
class Workload:
    """Arrivals per interval of one real-time queue."""

    interval_start_s: NDArray[np.float64]  # sorted, seconds from origin (intervals may have gaps)
    interval_s: float  # interval length, seconds
    volume: NDArray[np.float64]  # expected contacts per interval (Poisson within the interval, uniform rate)
    aht_s: NDArray[np.float64]  # mean handle time of the contacts arriving in the interval, seconds
    day: NDArray[np.int64]  # day id per interval, for the per-day forecast error
    patience_s: float = math.inf  # mean patience (exponential) for Erlang A queues; inf: nobody abandons
    concurrency: int = 1  # chat: an agent holds up to this many conversations at once


@dataclass(frozen=True)
class DeferredWorkload:
    """Arrivals of one deferred queue (email, social, back office): items wait in a backlog, nobody abandons.

    Its rows are its own (they may differ from the real-time queue's intervals), on the same clock origin."""

    interval_start_s: NDArray[np.float64]  # sorted, seconds from the simulation origin, at least interval_s apart
    interval_s: float  # row length, seconds
    volume: NDArray[np.float64]  # expected items per row (Poisson, uniform within the row)
    aht_s: NDArray[np.float64]  # mean handle time of the row's items (exponential, or lognormal with aht_cv)
    open_: NDArray[np.bool_]  # the queue's open rows: on the "open" clock only time inside them counts
    response_within_s: float  # the response target, seconds on ``clock``: finished within it counts as within
    clock: str = "elapsed"  # "elapsed" or "open" (time outside open rows, gaps and the rows' span: not counted)
    workable: NDArray[np.bool_] | None = None  # rows in which its items may be started (None: the open rows);
    # gaps between rows and the time outside the rows' span are never workable


def _check_workload(w: Workload) -> None:
    m = w.interval_start_s.shape
    if len(m) != 1 or any(np.shape(x) != m for x in (w.volume, w.aht_s, w.day)):
        raise ValueError("interval_start_s, volume, aht_s and day must be 1-D arrays of one length")
    if np.any(np.asarray(w.day) < 0):
        raise ValueError("day ids must be integers >= 0")
    if not (math.isfinite(w.interval_s) and w.interval_s > 0):
        raise ValueError(f"interval_s must be a finite number of seconds > 0, got {w.interval_s}")
    start = np.asarray(w.interval_start_s, dtype=np.float64)
    if not np.all(np.isfinite(start)) or np.any(np.diff(start) < w.interval_s):
        raise ValueError("interval_start_s must be finite, sorted and at least interval_s apart")
    volume = np.asarray(w.volume, dtype=np.float64)
    if not np.all(np.isfinite(volume) & (volume >= 0)):
        raise ValueError("volume must be finite and >= 0")
    aht = np.asarray(w.aht_s, dtype=np.float64)[volume > 0]
    if not np.all(np.isfinite(aht) & (aht > 0)):
        raise ValueError("aht_s must be finite and > 0 seconds where volume > 0")
    if not (w.patience_s > 0):
        raise ValueError(f"patience_s must be > 0 seconds (inf: nobody abandons), got {w.patience_s}")
    if int(w.concurrency) != w.concurrency or w.concurrency < 1:
        raise ValueError(f"concurrency must be an integer >= 1, got {w.concurrency}")


def _check_deferred(d: DeferredWorkload, q: int) -> None:
    name = f"deferred[{q}]"
    if not isinstance(d, DeferredWorkload):
        raise TypeError(f"{name} must be a DeferredWorkload, got {type(d).__name__}")
    m = np.shape(d.interval_start_s)
    if len(m) != 1 or any(np.shape(x) != m for x in (d.volume, d.aht_s, d.open_)):
        raise ValueError(f"{name}: interval_start_s, volume, aht_s and open_ must be 1-D arrays of one length")
    if np.asarray(d.open_).dtype != np.bool_:
        raise ValueError(f"{name}: open_ must be a bool array")
    if d.workable is not None and (np.shape(d.workable) != m or np.asarray(d.workable).dtype != np.bool_):
        raise ValueError(f"{name}: workable must be None or a bool array as long as interval_start_s")
    if not (math.isfinite(d.interval_s) and d.interval_s > 0):
        raise ValueError(f"{name}: interval_s must be a finite number of seconds > 0, got {d.interval_s}")
    start = np.asarray(d.interval_start_s, dtype=np.float64)
    if not np.all(np.isfinite(start)) or np.any(np.diff(start) < d.interval_s):
        raise ValueError(f"{name}: interval_start_s must be finite, sorted and at least interval_s apart")
    volume = np.asarray(d.volume, dtype=np.float64)
    if not np.all(np.isfinite(volume) & (volume >= 0)):
        raise ValueError(f"{name}: volume must be finite and >= 0")
    aht = np.asarray(d.aht_s, dtype=np.float64)[volume > 0]
    if not np.all(np.isfinite(aht) & (aht > 0)):
        raise ValueError(f"{name}: aht_s must be finite and > 0 seconds where volume > 0")
    if not (math.isfinite(d.response_within_s) and d.response_within_s > 0):
        raise ValueError(f"{name}: response_within_s must be a finite number of seconds > 0, "
                         f"got {d.response_within_s}")
    if d.clock not in CLOCKS:
        raise ValueError(f"{name}: clock must be one of {CLOCKS}, got {d.clock!r}")


def _windows(agents: Agents) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """(start, end, agent_first, agent_stop): the windows sorted by agent, then start, and each agent's slice."""
    agent = np.asarray(agents.agent)
    start = np.asarray(agents.start_s, dtype=np.float64)
    end = np.asarray(agents.end_s, dtype=np.float64)
    if agent.ndim != 1 or start.shape != agent.shape or end.shape != agent.shape:
        raise ValueError("agent, start_s and end_s must be 1-D arrays of one length")
    if agent.size and (not np.issubdtype(agent.dtype, np.integer) or agent.min() < 0):
        raise ValueError("agent ids must be integers >= 0")
    if not (np.all(np.isfinite(start)) and np.all(np.isfinite(end)) and np.all(end > start)):
        raise ValueError("every window needs finite times with end_s > start_s")
    if not 0.0 <= agents.absent_probability <= 1.0:
        raise ValueError(f"absent_probability must be in [0, 1], got {agents.absent_probability}")
    order = np.lexsort((start, agent))
    agent, start, end = agent[order].astype(np.int64), start[order], end[order]
    same = agent[1:] == agent[:-1]
    if np.any(same & (start[1:] < end[:-1])):
        raise ValueError("one agent's windows overlap")
    n = agents.n_agents
    first = np.searchsorted(agent, np.arange(n), side="left").astype(np.int64)
    stop = np.searchsorted(agent, np.arange(n), side="right").astype(np.int64)
    return start, end, first, stop


def _check_options(answer_within_s: float, replications: int, seed: int, aht_cv: float | None,
                   volume_cv: float) -> None:
    if not (math.isfinite(answer_within_s) and answer_within_s >= 0):
        raise ValueError(f"answer_within_s must be a finite number of seconds >= 0, got {answer_within_s}")
    if int(replications) != replications or replications < 1:
        raise ValueError(f"replications must be an integer >= 1, got {replications}")
    if int(seed) != seed or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed}")
    if aht_cv is not None and not (math.isfinite(aht_cv) and aht_cv > 0):
        raise ValueError(f"aht_cv must be a finite number > 0 (None: exponential), got {aht_cv}")
    if not (math.isfinite(volume_cv) and volume_cv >= 0):
        raise ValueError(f"volume_cv must be a finite number >= 0, got {volume_cv}")
