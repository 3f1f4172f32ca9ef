"""Start-time bands (``ShiftRules.start_band_minutes``): a tour's start may differ from day to day
within a band around its own start. The tours a band allows (:func:`band_tours`), their rows in the
integer program (:func:`add_band_rows`) and, from a whole solution, each agent group's start on
each day (:func:`band_groups`).

The formulation is the implicit start-time float of Jacobs & Brusco (1996) and Brusco & Jacobs
(2000), built like the implicit breaks of Bechtold & Jacobs (1990): a tour is a start, a shift
length and a pattern of days; on each of its days it takes one of that day's daily shifts whose
start lies in its band, and the model only checks that such a matching exists, so it needs no
column per combination of daily starts. Pure library code: no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm.scheduling.candidates import Candidates, ShiftType, no_tour_error, patterns_for, tour_weeks
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.timeline import Timeline
from wfm.times import SECONDS_PER_DAY

if TYPE_CHECKING:
    from wfm.scheduling.model import _Triplets

__all__ = ["add_band_rows", "band_groups", "band_tours"]


def band_tours(cand: dict[str, Any], rules: ShiftRules, tl: Timeline, types: tuple[ShiftType, ...],
                tods: NDArray[np.int64], grids: list[NDArray[np.int64]], band: int) -> Candidates:
    """Tours with start-time bands: tour (type, start, pattern) is allowed when on each working
    day some start within ``band`` start steps of its own fits, and its own start fits on at
    least one of them. Every daily shift is kept; the model matches them to tours day by day
    (:mod:`wfm.scheduling.model`)."""
    off_sets = rules.days_off_sets(tl.first_day) if rules.fixed_days_off else None
    # Positions in time on the whole day's grid of start steps (not in the list of allowed starts:
    # with a window that wraps midnight, 20:00-04:00, 04:00 and 20:00 are neighbours in the list)
    step = rules.start_step_s(tl.interval_s)
    n_grid = SECONDS_PER_DAY // step
    pos = tods // step
    t_type, t_pos, t_days, t_alt = [], [], [], []
    for k, st in enumerate(types):
        fits = np.zeros((grids[k].shape[0], n_grid), dtype=bool)  # (days, positions)
        fits[:, pos] = grids[k] >= 0
        padded = np.pad(fits, ((0, 0), (band, band)))
        in_band = np.zeros_like(fits)
        for o in range(2 * band + 1):  # any start within the band fits (loops over the band's steps)
            in_band |= padded[:, o:o + n_grid]
        weeks, alts = tour_weeks(patterns_for(st, rules, np.any(fits, axis=1), off_sets), rules, tl.first_day)
        for pat, alt in zip(weeks, alts, strict=True):
            valid = np.all(in_band[pat | alt][:, pos], axis=0) & np.any(fits[pat | alt][:, pos], axis=0)
            nv = int(valid.sum())
            t_type.append(np.full(nv, k, dtype=np.int64))
            t_pos.append(pos[valid].astype(np.int64))
            t_days.append(np.repeat(pat[None, :], nv, axis=0))
            t_alt.append(np.repeat(alt[None, :], nv, axis=0))
    if not t_type or sum(a.size for a in t_type) == 0:
        no_tour_error(rules)
    tour_pos = np.concatenate(t_pos)
    return Candidates(
        **cand,
        tour_type=np.concatenate(t_type),
        tour_tod_s=tour_pos * step,
        tour_days=np.concatenate(t_days, axis=0),
        tour_days_alt=np.concatenate(t_alt, axis=0),
        band_steps=band,
        start_tods=np.arange(n_grid, dtype=np.int64) * step,
        shift_pos=(cand["tod_s"] // step).astype(np.int64),
        tour_pos=tour_pos,
    )


def add_band_rows(m: _Triplets, cand: Candidates, x_col: int, y_col: int, s_col: int, band: int,
                   chain_len: int) -> None:
    """Start-time bands, in place: on each day, the tours of one shift type working it are matched
    to that day's daily shifts, each tour to a start within ``band`` start steps of its own.

    The implicit start-time float of Jacobs & Brusco (1996), written like the break families
    (Bechtold & Jacobs, 1990): per (day, type) one chain over the positions p of the day's
    start grid, widened by the band on both sides, the window of a tour at position i being
    [i - band, i + band] (on the widened grid [i, i + 2 band]). The windows are translates of each
    other, so tours can be matched to starts first-in first-out, which is possible exactly when
    the backlog S_p of tours whose window has opened but which have no start yet stays between 0
    and the number of windows still open::

        S_p - S_p-1 + y_p - sum_{z opening at p} x_z = 0     (S_-1 = 0)
        S_p - sum_{z: window open at p, not at its end} x_z <= 0,   S >= 0

    so the last position leaves no tour unmatched and every daily shift serves one tour-day. With
    whole tours and whole daily shifts the matching itself is whole (a transportation problem on
    an interval graph); :func:`band_groups` and :func:`wfm.scheduling.rostering.tour_records` find it. Rows: 2 per position,
    7 x types x (starts + 2 band) in all; a tour adds 2 band + 1 non-zeros per working day.
    """
    n_types = len(cand.types)
    n_chain = 7 * n_types * chain_len
    idx = np.arange(n_chain)
    r_flow = m.block(n_chain, 0.0, 0.0)
    m.add(r_flow + idx, s_col + idx, 1.0)
    later = idx[idx % chain_len > 0]
    m.add(r_flow + later, s_col + later - 1, -1.0)
    chain_j = (cand.day * n_types + cand.type) * chain_len + band + cand.shift_pos
    m.add(r_flow + chain_j, y_col + np.arange(cand.start.size), 1.0)
    counts = cand.tour_day_counts  # shifts each tour works per day (2: both weeks of a pair)
    tz, td = np.nonzero(counts)
    chain_z = (td * n_types + cand.tour_type[tz]) * chain_len + cand.tour_pos[tz]
    m.add(r_flow + chain_z, x_col + tz, -counts[tz, td])
    r_cap = m.block(n_chain, -np.inf, 0.0)
    m.add(r_cap + idx, s_col + idx, 1.0)
    rows = chain_z[:, None] + np.arange(2 * band)[None, :]
    m.add(r_cap + rows, np.broadcast_to(x_col + tz[:, None], rows.shape),
          np.broadcast_to(-counts[tz, td][:, None], rows.shape).ravel())


def band_groups(cand: Candidates, x: NDArray[np.int64],
                y: NDArray[np.int64]) -> list[tuple[int, int, tuple[int, ...], int]]:
    """Tours with start-time bands as groups ``(tour, week, start on each working day, agents)``
    (``week`` 1: the alternate week of a pair, see ``Candidates.tour_days_alt``; else 0).

    Day by day and per shift type, the agents of the tours working that day, in the order of their
    tours' own starts, take that day's daily shifts in the order of their starts: the k-th agent
    the k-th start. The windows (a tour's start +- the band) are translates of each other, so
    whenever the model's matching conditions hold this matching is one too (exchange argument: two
    agents whose starts cross can swap them and both stay in their windows). Agents of one tour
    and week with the same start on every day form one group. Loops over days and shift types."""
    zs = np.flatnonzero(x > 0)
    agents_of = cand.tour_agents[zs]  # weeks per tour: 1, or 2 for a pair
    agent_tour = np.repeat(np.repeat(zs, agents_of), np.repeat(x[zs], agents_of))
    agent_week = np.concatenate([np.repeat(np.arange(a), x[z]) for z, a in zip(zs, agents_of, strict=True)]
                                or [np.zeros(0, np.int64)]).astype(np.int64)
    days = np.where(agent_week[:, None] == 1, cand.tour_days_alt[agent_tour], cand.tour_days[agent_tour])  # (agents, 7)
    starts = np.full((agent_tour.size, 7), -1, dtype=np.int64)
    order = np.lexsort((agent_week, agent_tour, cand.tour_pos[agent_tour]))  # by the tour's own start
    for k in range(len(cand.types)):
        for d in range(7):
            agents = order[(cand.tour_type[agent_tour[order]] == k) & days[order, d]]
            js = np.flatnonzero((cand.day == d) & (cand.type == k) & (y > 0))
            js = js[np.argsort(cand.tod_s[js], kind="stable")]
            supply = np.repeat(cand.tod_s[js], y[js])
            if supply.size != agents.size:
                raise AssertionError(f"day {d}, shift type {k}: {supply.size} daily starts for {agents.size} tour agents")
            starts[agents, d] = supply
    keys: dict[tuple[int, int, tuple[int, ...]], int] = {}
    for a, (z, week) in enumerate(zip(agent_tour.tolist(), agent_week.tolist(), strict=True)):
        key = (z, week, tuple(int(t) for t in starts[a][days[a]]))
        keys[key] = keys.get(key, 0) + 1
    return [(z, week, tods, count) for (z, week, tods), count in keys.items()]
