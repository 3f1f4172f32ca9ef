"""One interface to the queueing models, per interval: Erlang C (wfm.erlang, nobody hangs up) and Erlang A
(wfm.erlang_a, callers abandon after an exponential patience). Pure vectorised math, no I/O.

Each interval names its model; the rows of each model go to its engine in one vectorised call, so a
forecast that mixes models costs no per-interval Python. The measures mean the same under both models,
with one difference a planner must know: under Erlang A the service level counts the contacts answered
within the answer time out of **all offered** (an abandoned contact is not answered), the ASA is that of
the answered contacts, and occupancy is the carried load (the answered contacts' handle time) per agent.
``abandon_rate`` is the fraction of offered contacts that abandon: NaN under Erlang C, where it has no
meaning (and is shown empty).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm import erlang, workers
from wfm.queueing_inputs import _as_float_arrays

ERLANG_C, ERLANG_A = "erlang-c", "erlang-a"


class Delivered(NamedTuple):
    """What given agents deliver in each interval (arrays of one shape)."""

    wait_probability: NDArray[np.float64]  # fraction of contacts that wait at all
    service_level: NDArray[np.float64]  # fraction of offered answered within the answer time
    asa_s: NDArray[np.float64]  # mean wait of the answered contacts, seconds (inf when overloaded)
    occupancy: NDArray[np.float64]  # fraction of the agents' time handling contacts
    abandon_rate: NDArray[np.float64]  # fraction of offered that abandon; NaN under Erlang C


CHUNK_ROWS = 262_144
"""Intervals sized or evaluated at once: a year of 200 queues (7 million intervals) in chunks of this many keeps
each engine's dozens of temporary arrays in a few MB (in one go they held 1.5 GB, and took 1.7 times as long)."""


def _arrays(*values: ArrayLike) -> list[NDArray[np.float64]]:
    """The values broadcast together, as flat float arrays."""
    return [x.reshape(-1) for x in _as_float_arrays(*values)]


def _chunks(values: tuple[ArrayLike, ...]) -> list[list[ArrayLike]] | None:
    """The values in chunks (views of one-dimensional arrays, single values as they are) when their common length
    is above CHUNK_ROWS, or at least PARALLEL_ROWS (:mod:`wfm.workers`) with more than one CPU to use; None for a
    short input, or one that is not 1-D. The callers run the chunks side by side in threads, one per CPU: a chunk
    is then at most CHUNK_ROWS / CPUs long, so the chunks being sized at once hold what one chunk did
    (:func:`wfm.workers.parts`)."""
    shapes = [np.shape(v) for v in values]
    if any(len(shape) > 1 for shape in shapes):
        return None
    n = max((shape[0] for shape in shapes if shape), default=1)
    chunks = workers.parts(n, longest=CHUNK_ROWS)
    if len(chunks) <= 1 or any(shape and shape[0] != n for shape in shapes):
        return None  # short, or mismatched: the engines name the mismatch
    return [[v[part] if np.shape(v) else v for v in values] for part in chunks]  # type: ignore[index]


def required_agents(
    traffic_erlangs: ArrayLike,
    aht_s: ArrayLike,
    abandons: ArrayLike,
    patience_s: ArrayLike,
    *,
    service_level: ArrayLike,
    answer_within_s: ArrayLike,
    max_occupancy: ArrayLike,
    max_asa_s: ArrayLike,
    max_abandon_rate: ArrayLike,
) -> NDArray[np.int64]:
    """The fewest agents meeting every target, per interval (1-D arrays). ``abandons`` is True where the
    interval's queue uses Erlang A (then ``patience_s`` is its mean patience, and ``max_abandon_rate`` a
    target, NaN for none); elsewhere Erlang C. ``max_asa_s`` is inf for no ASA target."""
    values = (traffic_erlangs, aht_s, abandons, patience_s, service_level, answer_within_s, max_occupancy, max_asa_s,
              max_abandon_rate)
    chunks = _chunks(values)
    if chunks is None:
        return _required_agents(*values)
    # chunks side by side: the same answers, in a fraction of the memory and the time
    return np.concatenate(workers.map_in_threads(_required_agents, [tuple(chunk) for chunk in chunks]))


def _required_agents(traffic_erlangs: ArrayLike, aht_s: ArrayLike, abandons: ArrayLike, patience_s: ArrayLike,
                     service_level: ArrayLike, answer_within_s: ArrayLike, max_occupancy: ArrayLike,
                     max_asa_s: ArrayLike, max_abandon_rate: ArrayLike) -> NDArray[np.int64]:
    """:func:`required_agents` of the values in one go (its parameters in order)."""
    a, aht, use_a, patience, sl, t, occ, asa, abandon = _arrays(
        traffic_erlangs, aht_s, abandons, patience_s, service_level, answer_within_s, max_occupancy, max_asa_s,
        max_abandon_rate)
    out = np.zeros(a.shape, dtype=np.int64)
    c_rows, a_rows = np.flatnonzero(use_a == 0), np.flatnonzero(use_a != 0)
    if c_rows.size:
        out[c_rows] = erlang.required_agents(a[c_rows], aht[c_rows], service_level=sl[c_rows],
                                             answer_within_s=t[c_rows], max_occupancy=occ[c_rows],
                                             max_asa_s=asa[c_rows])
    if a_rows.size:
        from wfm import erlang_a

        limit = abandon[a_rows]
        out[a_rows] = erlang_a.required_agents(
            a[a_rows], aht[a_rows], patience[a_rows], service_level=sl[a_rows], answer_within_s=t[a_rows],
            max_occupancy=occ[a_rows], max_asa_s=asa[a_rows],
            max_abandon_rate=np.where(np.isnan(limit), 1.0, limit))
    return out


def delivered(
    agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, answer_within_s: ArrayLike,
    abandons: ArrayLike, patience_s: ArrayLike,
) -> Delivered:
    """What ``agents`` (whole or fractional) deliver per interval, under each interval's model."""
    values = (agents, traffic_erlangs, aht_s, answer_within_s, abandons, patience_s)
    chunks = _chunks(values)
    if chunks is None:
        return _delivered(*values)
    answers = workers.map_in_threads(_delivered, [tuple(chunk) for chunk in chunks])  # as required_agents
    return Delivered(*(np.concatenate(columns) for columns in zip(*answers, strict=True)))


def _delivered(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, answer_within_s: ArrayLike,
               abandons: ArrayLike, patience_s: ArrayLike) -> Delivered:
    """:func:`delivered` of the values in one go."""
    n, a, aht, t, use_a, patience = _arrays(agents, traffic_erlangs, aht_s, answer_within_s, abandons, patience_s)
    wait, sl, asa, occ = (np.empty(n.shape) for _ in range(4))
    abandon = np.full(n.shape, np.nan)
    c_rows, a_rows = np.flatnonzero(use_a == 0), np.flatnonzero(use_a != 0)
    if c_rows.size:
        m = erlang.measures(n[c_rows], a[c_rows], aht[c_rows], t[c_rows])
        wait[c_rows], sl[c_rows], asa[c_rows], occ[c_rows] = (np.asarray(x) for x in m)
    if a_rows.size:
        from wfm import erlang_a

        ma = erlang_a.measures(n[a_rows], a[a_rows], aht[a_rows], patience[a_rows], t[a_rows])
        wait[a_rows], sl[a_rows], asa[a_rows] = ma.wait_probability, ma.service_level, ma.asa_s
        occ[a_rows], abandon[a_rows] = ma.occupancy, ma.abandon_probability
    return Delivered(wait, sl, asa, occ, abandon)
