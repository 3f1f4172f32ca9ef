"""The daily shifts and weekly tours a schedule may choose from: the rules' shift lengths and
breaks on the interval grid (:func:`shift_types`), every allowed start on the timeline and, with
tours, every allowed pattern of working days (:func:`generate_candidates`).

Pure library code: no I/O. A shift starts at a local wall-clock time on its own local day and
lasts its length in real time (see :mod:`wfm.scheduling.timeline`); a tour works the same start
time and length on a fixed pattern of days (default 5 days on with the 2 days off consecutive,
counted cyclically over the week; a closed day is always a day off and the run is counted over
the open days).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np
from numpy.typing import NDArray

from wfm.errors import ConfigError
from wfm.scheduling.rules import BreakRule, ShiftRules
from wfm.scheduling.timeline import Timeline
from wfm.times import SECONDS_PER_DAY, weekday

if TYPE_CHECKING:  # scipy.sparse is imported when candidates are generated, not to parse rules
    import scipy.sparse as sp

__all__ = ["ShiftType", "BreakSlots", "Candidates", "shift_types", "generate_candidates"]


@dataclass(frozen=True)
class BreakSlots:
    """A break rule on the interval grid of one shift length.

    first, last  earliest and latest break start, in intervals after the shift start
    coef         fraction of each interval from the break start that the break takes
                 (a 15-minute break on a 30-minute grid takes half of one interval)
    """

    rule: BreakRule
    first: int
    last: int
    coef: tuple[float, ...]

    @property
    def key(self) -> tuple[float, ...]:
        """Breaks with equal keys reduce coverage identically (same duration on the grid)."""
        return self.coef


@dataclass(frozen=True)
class ShiftType:
    """One shift length on the interval grid."""

    length_h: float
    slots: int
    paid_h: float
    phone_h: float
    part_time: bool
    cost_per_hour: float
    tour_days: tuple[int, ...]  # working days a week a tour of this length may have
    breaks: tuple[BreakSlots, ...]


@dataclass(frozen=True)
class Candidates:
    """The daily shifts (and, with tours, the weekly tours) a schedule may use.

    Daily shifts, one entry each (``J``): ``start`` slot on the timeline, ``type`` index into
    ``types``, local ``day``. Tours (``Z``, empty without tours): ``tour_type``, ``tour_tod_s``
    (local start time, seconds after midnight), ``tour_days`` (Z x 7 bool, day 0 = first day)
    and ``member`` (J x Z sparse 0/1: tour z works daily shift j).
    """

    types: tuple[ShiftType, ...]
    start: NDArray[np.int64]
    type: NDArray[np.int64]
    day: NDArray[np.int64]
    tod_s: NDArray[np.int64]
    tour_type: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    tour_tod_s: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    tour_days: NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 7), bool))
    member: sp.csr_array | None = None
    # Start-time bands (``ShiftRules.start_band_minutes``): a tour's start on each working day is
    # any start within ``band_steps`` start steps of its own (``member`` is None then). Positions
    # on the whole day's grid of start steps ``start_tods`` (00:00, 00:30, ...): of each daily shift
    # and each tour.
    band_steps: int = 0
    # ShiftRules.every_other_weekend_off: a tour may be a pair of weeks worked by two agents in
    # turn, ``tour_days`` (its weekend off) and ``tour_days_alt`` (its weekend worked); all False
    # for a tour of one week (always the shape of ``tour_days``)
    tour_days_alt: NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 7), bool))
    # whether some full-time daily shift fits the open hours, before the tours keep the shifts they use (a message:
    # with none of them in a tour, it is the week's days that fail the tours' rules, not the shifts' hours)
    full_time_fits: bool = False
    start_tods: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    shift_pos: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    tour_pos: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))


    @property
    def tour_agents(self) -> NDArray[np.int64]:
        """Agents per unit of each tour: 2 for a pair of alternating weeks, else 1."""
        return np.asarray(1 + self.tour_days_alt.any(axis=1), dtype=np.int64)

    @property
    def tour_day_counts(self) -> NDArray[np.int64]:
        """Shifts each tour works per day of the week (Z x 7): 0, 1, or 2 for a pair of weeks."""
        return self.tour_days.astype(np.int64) + self.tour_days_alt


def shift_types(rules: ShiftRules, interval_s: int) -> tuple[ShiftType, ...]:
    """The rules' shift lengths on an interval grid of ``interval_s`` seconds."""
    step_h = interval_s / 3600
    rules.start_step_s(interval_s)  # a set start step must be a multiple of the interval
    types = []
    for length in rules.lengths_h:
        slots = length / step_h
        if abs(slots - round(slots)) > 1e-9:
            raise ConfigError(f"{rules._source}: shift length {length:g} h is not a whole number of "
                           f"{interval_s // 60}-minute intervals")
        slots = int(round(slots))
        breaks = []
        for rule in rules.breaks_for(length):
            a, b = rule.window_in_shift_h(length)
            dur = rule.minutes / 60
            first = math.ceil(a / step_h - 1e-9)
            last = math.floor((b - dur) / step_h + 1e-9)
            if last < first:
                raise ConfigError(
                    f"break '{rule.name}' ({rule.minutes:g} min) cannot start on the {interval_s // 60}-minute "
                    f"grid inside its window {a:g}-{b:g} h of the {length:g} h shift"
                )
            n_cov = math.ceil(dur / step_h - 1e-9)
            coef = tuple(min(1.0, max(0.0, dur / step_h - i)) for i in range(n_cov))
            breaks.append(BreakSlots(rule, first, last, coef))
        types.append(
            ShiftType(
                length_h=length,
                slots=slots,
                paid_h=rules.paid_hours(length),
                phone_h=rules.phone_hours(length),
                part_time=rules.is_part_time(length),
                cost_per_hour=rules.cost_for(length),
                tour_days=rules.day_options(length),
                breaks=tuple(breaks),
            )
        )
    return tuple(types)


def _start_times(rules: ShiftRules, interval_s: int) -> NDArray[np.int64]:
    """Allowed local start times, seconds after midnight, on the start-step grid."""
    step = rules.start_step_s(interval_s)
    tod = np.arange(0, SECONDS_PER_DAY, step, dtype=np.int64)
    e = rules.earliest_start
    lt = rules.latest_start
    lo = e.hour * 3600 + e.minute * 60 + e.second
    hi = lt.hour * 3600 + lt.minute * 60 + lt.second
    keep = (tod >= lo) & (tod <= hi) if lo <= hi else (tod >= lo) | (tod <= hi)
    return tod[keep]


def _start_slots(tl: Timeline, days: NDArray[np.int64], tod: NDArray[np.int64]) -> NDArray[np.int64]:
    """The timeline slot where a shift starting at local ``tod`` on ``day`` starts (-1: none).

    First slot whose local time is the target; for a time skipped by a spring-forward change, the
    offset before the change applies (zoneinfo's fold=0 reading).
    """
    target = (tl.first_day + days) * SECONDS_PER_DAY + tod
    running = np.maximum.accumulate(tl.local_s)
    s = np.searchsorted(running, target, side="left")
    inside = s < tl.n
    s_c = np.minimum(s, tl.n - 1)
    exact = inside & (tl.local_s[s_c] == target)
    # Not found exactly: either in a spring-forward gap or off the end of the timeline.
    before = np.maximum(s_c - 1, 0)
    guess_utc = target - tl.offset_s[before]
    rel = guess_utc - tl.start_s
    g = rel // tl.interval_s
    ok_guess = (rel % tl.interval_s == 0) & (g >= 0) & (g < tl.n) & inside & (s > 0)
    out = np.where(exact, s_c, np.where(ok_guess, g, -1))
    valid = out >= 0
    out[valid & (tl.day[np.maximum(out, 0)] != days)] = -1  # must start on its own local day
    return out.astype(np.int64)


def _shift_fits(tl: Timeline, start: NDArray[np.int64], slots: int, rules: ShiftRules) -> NDArray[np.bool_]:
    """Whether shifts starting at ``start`` and ``slots`` intervals long are allowed."""
    n = tl.n
    end = start + slots  # exclusive, unrolled
    fits = start >= 0
    if not rules.cyclic:
        fits &= end <= n
    if slots > n:
        return np.zeros_like(fits)
    open2 = np.concatenate([tl.open, tl.open]).astype(np.int64)
    csum = np.concatenate([[0], np.cumsum(open2)])
    s = np.maximum(start, 0)
    n_open = csum[np.minimum(end, 2 * n)] - csum[s]
    if rules.allow_closed_time:
        fits &= n_open > 0
    else:
        fits &= n_open == slots
    return fits


def _tour_patterns(day_options: tuple[int, ...], consecutive_off: bool, available: NDArray[np.bool_],
                   days_off_sets: NDArray[np.bool_] | None = None) -> NDArray[np.bool_]:
    """Weekly patterns of working days (P x 7 bool, distinct) for every number of working days in
    ``day_options`` (:func:`_patterns_of`). With ``days_off_sets`` (S x 7 bool, the rules'
    ``fixed_days_off`` on the week's days) a pattern is kept only if it has every day of one of
    the sets off."""
    pats = np.concatenate([_patterns_of(d, consecutive_off, available) for d in day_options] or
                          [np.zeros((0, 7), dtype=bool)])
    if pats.size:  # distinct, in the order generated
        _, first = np.unique(pats, axis=0, return_index=True)
        pats = pats[np.sort(first)]
    if days_off_sets is not None and pats.size:
        keep = np.any(~np.any(pats[:, None, :] & days_off_sets[None, :, :], axis=2), axis=1)
        pats = pats[keep]
    return pats


def _patterns_of(days_on: int, consecutive_off: bool, available: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Weekly patterns of ``days_on`` working days (P x 7 bool), day 0 = first day of the week.

    ``available[d]`` says whether the shift can be worked on day ``d`` at all (a day the centre
    is closed, or open too briefly for the shift, is not). Unavailable days are always days off,
    and a tour works ``min(days_on, available days)`` days. With ``consecutive_off`` the days off
    taken on available days form one run, counted cyclically over the available days: in a week
    open Monday to Saturday, 5-day tours have Sunday off and one more day, any of Monday to
    Saturday; in a 24/7 week, two consecutive days (Sunday + Monday counts).
    """
    days = np.flatnonzero(available)
    work = min(days_on, days.size)
    if work == 0:
        return np.zeros((0, 7), dtype=bool)
    off = days.size - work
    if off == 0:
        chosen = [tuple(range(days.size))]
    elif consecutive_off:
        chosen = [tuple(i for i in range(days.size) if (i - first) % days.size >= off) for first in range(days.size)]
    else:
        chosen = list(combinations(range(days.size), work))
    pats = np.zeros((len(chosen), 7), dtype=bool)
    for i, c in enumerate(chosen):
        pats[i, days[list(c)]] = True
    return pats


def _flex_starts(shift_idx: NDArray[np.int64], tods: NDArray[np.int64], flex_s: int) -> NDArray[np.int64]:
    """``shift_idx`` (days x start times; -1 where the shift does not fit) with each -1 replaced by
    the day's nearest fitting start within ``flex_s`` seconds (the later one on a tie), so a tour
    can start an hour later on the day the centre opens late. Loops over 7 days only."""
    out = shift_idx.copy()
    for d in range(shift_idx.shape[0]):
        fits = np.flatnonzero(shift_idx[d] >= 0)
        holes = np.flatnonzero(shift_idx[d] < 0)
        if fits.size == 0 or holes.size == 0:
            continue
        later = np.minimum(np.searchsorted(tods[fits], tods[holes]), fits.size - 1)
        earlier = np.maximum(later - 1, 0)
        dist_later = np.abs(tods[fits[later]] - tods[holes])
        dist_earlier = np.abs(tods[fits[earlier]] - tods[holes])
        pick = np.where(dist_later <= dist_earlier, later, earlier)
        dist = np.minimum(dist_later, dist_earlier)
        ok = dist <= flex_s
        out[d, holes[ok]] = shift_idx[d, fits[pick[ok]]]
    return out


def generate_candidates(tl: Timeline, rules: ShiftRules, tours: bool) -> Candidates:
    """Every allowed daily shift and, with ``tours``, every allowed weekly tour.

    A tour (start time, length, pattern of days) is allowed when its shift is allowed on every
    working day; days of the week beyond the requirement are closed. Loops run over shift
    lengths and patterns only; days and start times are vectorised.
    """
    import scipy.sparse as sp

    types = shift_types(rules, tl.interval_s)
    tods = _start_times(rules, tl.interval_s)
    n_days = 7 if tours else tl.n_days
    if tours and tl.n_days > 7:
        raise ConfigError(
            f"weekly tours need at most one week of intervals, got {tl.n_days} local days; "
            "schedule each week separately or use daily shifts (tours = false)"
        )
    days = np.arange(n_days, dtype=np.int64)
    dd, tt = np.meshgrid(days, tods, indexing="ij")  # (days, tods)
    dd, tt = dd.ravel(), tt.ravel()  # type: ignore[assignment]  # 2-D grids, flattened
    in_horizon = dd < tl.n_days
    base_slot = np.full(dd.shape, -1, dtype=np.int64)
    base_slot[in_horizon] = _start_slots(tl, dd[in_horizon], tt[in_horizon])

    starts, tys, dys, tds = [], [], [], []
    grids = []  # per type: slot per (day, tod) or -1
    for k, st in enumerate(types):
        ok = _shift_fits(tl, base_slot, st.slots, rules)
        slot = np.where(ok, base_slot, -1)
        grids.append(slot.reshape(n_days, tods.size))
        starts.append(slot[ok])
        tys.append(np.full(int(ok.sum()), k, dtype=np.int64))
        dys.append(dd[ok])
        tds.append(tt[ok])
    start = np.concatenate(starts)
    typ = np.concatenate(tys)
    day = np.concatenate(dys)
    tod = np.concatenate(tds)
    # One daily shift per (start slot, type): a start time skipped by a DST change maps onto
    # the next one's slot.
    key = start * len(types) + typ
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    cand: dict[str, Any] = dict(types=types, start=start[first], type=typ[first], day=day[first], tod_s=tod[first],
                                full_time_fits=bool(np.any(~np.array([st.part_time for st in types])[typ])))
    if not tours:
        return Candidates(**cand)

    band = rules.start_band_steps(tl.interval_s)
    if band:
        from wfm.scheduling.bands import band_tours  # it imports this module

        return band_tours(cand, rules, tl, types, tods, grids, band)

    # Tours: the shift index per (type, day, tod) grid cell, then every pattern over 7 days.
    index_of = np.full(key.shape, -1, dtype=np.int64)
    index_of[:] = inverse
    offs = np.cumsum([0] + [int((g >= 0).sum()) for g in grids])
    off_sets = rules.days_off_sets(tl.first_day) if rules.fixed_days_off else None
    t_type, t_tod, t_days, t_alt, rows, cols = [], [], [], [], [], []
    z = 0
    for k, st in enumerate(types):
        g = grids[k]
        shift_idx = np.full(g.shape, -1, dtype=np.int64)
        shift_idx[g >= 0] = index_of[offs[k]:offs[k + 1]]  # same (day, tod) order as above
        flexed = _flex_starts(shift_idx, tods, rules.start_flex_minutes * 60) if rules.start_flex_minutes else shift_idx
        weeks, alts = tour_weeks(patterns_for(st, rules, np.any(g >= 0, axis=1), off_sets), rules, tl.first_day)
        for pat, alt in zip(weeks, alts, strict=True):
            works = np.concatenate([flexed[pat], flexed[alt]])  # (shifts a week, tods); a pair: both weeks
            # every working day covered, and at its own start on at least one (else it is another tour)
            valid = np.all(works >= 0, axis=0) & np.any(shift_idx[pat | alt] >= 0, axis=0)
            nv = int(valid.sum())
            if nv == 0:
                continue
            t_type.append(np.full(nv, k, dtype=np.int64))
            t_tod.append(tods[valid])
            t_days.append(np.repeat(pat[None, :], nv, axis=0))
            t_alt.append(np.repeat(alt[None, :], nv, axis=0))
            rows.append(works[:, valid].T.ravel())
            cols.append(np.repeat(np.arange(z, z + nv, dtype=np.int64), works.shape[0]))
            z += nv
    if z == 0:
        no_tour_error(rules)
    rows_a = np.concatenate(rows)
    cols_a = np.concatenate(cols)
    # Keep only the daily shifts some tour uses.
    used = np.unique(rows_a)
    remap = np.full(uniq.size, -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    member = sp.csr_array(
        (np.ones(rows_a.size), (remap[rows_a], cols_a)), shape=(used.size, z)
    )
    return Candidates(
        full_time_fits=cand["full_time_fits"],
        types=types,
        start=cand["start"][used],
        type=cand["type"][used],
        day=cand["day"][used],
        tod_s=cand["tod_s"][used],
        tour_type=np.concatenate(t_type),
        tour_tod_s=np.concatenate(t_tod),
        tour_days=np.concatenate(t_days, axis=0),
        tour_days_alt=np.concatenate(t_alt, axis=0),
        member=member,
    )


def no_tour_error(rules: ShiftRules) -> NoReturn:
    raise ConfigError(
        f"{rules._source}: no weekly tour fits the open hours"
        + (", the weekly hours and the fixed days off" if rules.fixed_days_off else
           " and the weekly hours" if rules.weekly_hours else "")
        + ": every tour needs its shift on each of its working days; set allow_closed_time = true, change the "
        "shift lengths (full_time_hours, part_time_hours) or start times (earliest_start, latest_start), or use "
        "daily shifts (tours = false)"
        + ("" if rules._source != "[schedule]" else " (the [schedule] table of a wfm.toml given with --config, or "
           "ShiftRules in Python)")
    )


def tour_weeks(pats: NDArray[np.bool_], rules: ShiftRules, first_day: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """The weeks a tour may work: each pattern alone, or with ``every_other_weekend_off`` each
    pattern with Saturday and Sunday off alone and each such pattern paired with each pattern
    that works a weekend day (two agents, who swap every week, so each has every other weekend
    off). Returns (week, alternate week) rows, the alternate all False for a week alone."""
    if not rules.every_other_weekend_off or pats.size == 0:
        return pats, np.zeros_like(pats)
    weekend = weekday(first_day + np.arange(7)) >= 5
    off = ~np.any(pats & weekend, axis=1)
    free, worked = pats[off], pats[~off]
    first, second = np.repeat(free, worked.shape[0], axis=0), np.tile(worked, (free.shape[0], 1))
    fair = _fair_fortnights(first, second, np.any(pats, axis=0), rules.consecutive_days_off)
    weeks = np.concatenate([free, first[fair]])
    alts = np.concatenate([np.zeros_like(free), second[fair]])
    return weeks, alts


MAX_DAYS_IN_A_ROW = 6
"""Working days in a row an agent of a pair of weeks worked in turn may have across the swap (a day of rest in
every seven, as working-time rules commonly require)."""


def _fair_fortnights(first: NDArray[np.bool_], second: NDArray[np.bool_], open_day: NDArray[np.bool_],
                     consecutive_off: bool) -> NDArray[np.bool_]:
    """bool (P,): which pairs of weeks (P x 7 each), worked in turn (first, second, first, ...), keep each
    agent's fortnight humane: at most ``MAX_DAYS_IN_A_ROW`` working days in a row across the swap (Mon-Fri
    then Wed-Sun would be ten), and, with ``consecutive_off``, no lone day off among the days the shift can be
    worked (``open_day``, 7 bool) when each week has two or more off (Mon-Fri then Tue-Sat leaves Sunday
    alone: its Monday joins the weekend before)."""
    cycle = np.concatenate([first, second], axis=1)  # (P, 14), repeating
    twice = np.concatenate([cycle, cycle], axis=1)
    windows = np.lib.stride_tricks.sliding_window_view(twice, MAX_DAYS_IN_A_ROW + 1, axis=1)
    ok = ~np.any(np.all(windows, axis=2), axis=1)
    if not consecutive_off:
        return ok
    days = np.flatnonzero(np.concatenate([open_day, open_day]))  # the days that can be worked, in order
    off = ~cycle[:, days]
    alone = off & ~np.roll(off, 1, axis=1) & ~np.roll(off, -1, axis=1)
    several = ((~first[:, open_day]).sum(axis=1) >= 2) & ((~second[:, open_day]).sum(axis=1) >= 2)
    return ok & ~(several & np.any(alone, axis=1))


def patterns_for(st: ShiftType, rules: ShiftRules, available: NDArray[np.bool_],
                  off_sets: NDArray[np.bool_] | None) -> NDArray[np.bool_]:
    """The working-day patterns a tour of shift type ``st`` may have, weekly hours met."""
    pats = _tour_patterns(st.tour_days, rules.consecutive_days_off, available, off_sets)
    return pats[[rules.meets_weekly_hours(st.length_h, int(p.sum())) for p in pats]] if pats.size else pats


