"""The plan as planners read it: shifts with their breaks, weekly tours, and the coverage they
give per interval (:class:`Schedule`); and the solver's answer read into them.

Pure library code: no I/O.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm.scheduling.candidates import Candidates
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.timeline import Timeline
from wfm.times import WEEKDAYS, local_datetime

if TYPE_CHECKING:  # the model (and scipy) are not needed to read a Schedule
    from wfm.scheduling.model import Model

__all__ = [
    "BreakPlacement",
    "Shift",
    "Tour",
    "ModelSize",
    "Schedule",
]


# --- Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakPlacement:
    """``count`` agents of one shift take break ``name`` starting at ``start_local`` (local wall clock)."""

    name: str
    start_local: datetime
    start_utc: np.datetime64
    minutes: float
    paid: bool
    count: int


@dataclass(frozen=True)
class Shift:
    """``count`` agents work from ``start_local`` to ``end_local`` on local day ``day``.

    ``length_h`` is real time from start to end (breaks included), ``paid_h`` per agent excludes
    unpaid breaks. ``breaks`` says how many of the agents take each break when.
    """

    day: date
    start_local: datetime
    end_local: datetime
    start_utc: np.datetime64
    end_utc: np.datetime64
    length_h: float
    paid_h: float
    part_time: bool
    count: int
    breaks: tuple[BreakPlacement, ...] = ()
    tour: str = ""  # the label of the tour (agent group) working it; "" for daily shifts


@dataclass(frozen=True)
class Tour:
    """``count`` agents work ``length_h``-hour shifts starting at local ``start`` on ``days``
    (``starts``: the start on each of ``days``; it differs from ``start`` only on a day the usual
    start does not fit the open hours, see ``ShiftRules.start_flex_minutes``)."""

    start: time
    length_h: float
    days: tuple[date, ...]
    days_off: tuple[date, ...]
    part_time: bool
    count: int
    paid_h_per_week: float
    starts: tuple[time, ...] = ()
    label: str = ""  # "T1", "T2", ... in the order of the tours: the ``tour`` column of shifts.csv
    # every_other_weekend_off: agents who swap weeks with the group of the same start and length
    # whose weekend is the other way round (this week's weekend off, or worked)
    alternate_weeks: bool = False
    swaps_with: tuple[str, ...] = ()  # alternate_weeks: the labels of the groups of the other week of the pair

    @property
    def day_starts(self) -> tuple[tuple[date, time], ...]:
        """(day, start) for each working day."""
        return tuple(zip(self.days, self.starts or (self.start,) * len(self.days)))

    @property
    def pattern(self) -> str:
        """Working weekdays, e.g. ``"Mon Tue Wed Thu Fri"``, with a day's own start where it
        differs: ``"Tue Wed Thu Fri Sat 09:00"``."""
        return " ".join(WEEKDAYS[d.weekday()] + ("" if t == self.start else f" {t:%H:%M}")
                        for d, t in self.day_starts)


@dataclass(frozen=True)
class ModelSize:
    """Size of the integer program: columns (and how many integer), rows, non-zeros, and the number
    of tour and daily-shift candidates it chose from."""

    variables: int
    integer_variables: int
    constraints: int
    nonzeros: int
    tour_candidates: int
    shift_candidates: int


@dataclass(frozen=True)
class Schedule:
    """A plan and how well it covers the requirement.

    Per requirement interval (input order; agents, whole or fractional):
      required    the requirement as given (agents on shift and not on break)
      on_shift    agents on shift (scheduled), break or not
      on_break    agents on break (a 15-minute break on a 30-minute interval counts 0.5)
      on_phones   on_shift - on_break
      short       max(required - on_phones, 0)

    The plan: ``tours`` (empty for daily shifts), ``shifts`` (one entry per distinct daily shift,
    with break placements), ``headcount`` (agents to roster: the number of tours; for daily
    shifts the peak number of shifts on one day), ``shifts_per_day`` per local date in ``days``,
    ``paid_hours`` (week total), ``cost`` (paid hours at their cost per hour).

    The solve (objective units: paid hours, or cost when costs are given): ``objective`` (cost +
    understaffing penalty), ``lower_bound`` (best proven bound: the LP relaxation, raised by
    HiGHS's dual bound when the whole MIP ran), ``gap`` = (objective - lower_bound) / objective,
    ``optimal`` (proven within ``mip_gap`` of the optimum), ``status`` (the stages that ran),
    ``time_limit_hit`` (the time limit, a safety net, stopped a stage or left one out: the plan
    may then differ between runs and on another machine; the status says which),
    ``solve_seconds`` (building and solving, wall clock), ``lp_relaxation`` (the LP relaxation's
    objective; None for :func:`wfm.scheduling.solve.roster`), ``model`` (size of the integer program).

    ``timeline`` and ``timeline_on_shift`` / ``timeline_on_phones`` cover every interval of the
    week, open or closed (for seats and reports).

    Deferred work (a blended team, see :mod:`wfm.scheduling.deferred_load`), one entry per load in
    the order given to :func:`wfm.scheduling.solve.schedule` (empty without deferred loads, and for
    :func:`wfm.scheduling.solve.roster`):
      deferred_worked  agents working on the load per requirement interval (taken from on_phones;
                       ``required``, ``short`` and ``coverage`` are about the real-time queue alone)
      deferred_late    the most work of the load due but not done at the end of any interval,
                       agent-intervals (0 up to float dust when every deadline holds)

    ``unworkable_days``: local dates and hours (``Sat 2026-12-05 08:00-09:00 and 17:00-18:00``) with intervals
    that need agents but that no shift or tour the rules allow can work (``every_other_weekend_off`` with days in a row capped, ``fixed_days_off``, a day open
    too briefly for any shift); empty for :func:`wfm.scheduling.solve.roster`.
    """

    interval_start: NDArray[np.datetime64]
    utc_offset_s: NDArray[np.int64]
    interval_s: int
    required: NDArray[np.float64]
    on_shift: NDArray[np.float64]
    on_break: NDArray[np.float64]
    on_phones: NDArray[np.float64]
    short: NDArray[np.float64]
    tours: tuple[Tour, ...]
    shifts: tuple[Shift, ...]
    headcount: int
    days: NDArray[np.datetime64]
    shifts_per_day: NDArray[np.int64]
    paid_hours: float
    cost: float
    objective: float
    lower_bound: float
    gap: float
    optimal: bool
    status: str
    time_limit_hit: bool
    solve_seconds: float
    lp_relaxation: float | None
    model: ModelSize | None
    rules: ShiftRules
    timeline: Timeline
    timeline_on_shift: NDArray[np.float64]
    timeline_on_phones: NDArray[np.float64]
    deferred_worked: tuple[NDArray[np.float64], ...] = ()
    deferred_late: tuple[float, ...] = ()
    unworkable_days: tuple[str, ...] = ()

    def __repr__(self) -> str:
        """A line to read in a notebook, not every array and shift of the week."""
        kind = f"{len(self.tours):,} tours" if self.tours else "daily shifts"
        return (f"<Schedule: {self.interval_start.size:,} intervals, headcount {self.headcount:,} ({kind}, "
                f"{len(self.shifts):,} shift types), paid {self.paid_hours:,.1f} h, coverage {self.coverage:.1%}, "
                f"gap {self.gap:.2%}, {self.status}>")

    @property
    def required_hours(self) -> float:
        """Requirement in agent-hours, as given."""
        return float(self.required.sum()) * self.interval_s / 3600

    @property
    def coverage(self) -> float:
        """Fraction of the required agent-intervals covered: sum min(on_phones, required) / sum required."""
        total = float(self.required.sum())
        if total == 0:
            return 1.0
        return float(np.minimum(self.on_phones, self.required).sum()) / total

    @property
    def efficiency(self) -> float:
        """Required agent-hours (as given) / paid hours. With remaining shrinkage 0 this is the
        schedule efficiency of :func:`wfm.scheduling.evaluation.evaluate`; otherwise see
        ``wfm.scheduling.evaluation.Evaluation.efficiency``."""
        return self.required_hours / self.paid_hours if self.paid_hours > 0 else 0.0

    @property
    def headcount_for_tours(self) -> int:
        """Agents needed if each works the most ``rules.days_per_week`` of the shifts (daily mode: at least
        the total shifts of the week over days per week; the tour count with tours)."""
        if self.tours:
            return self.headcount
        return max(self.headcount, math.ceil(int(self.shifts_per_day.sum()) / self.rules.most_days_per_week))


# --- Reading the solution ------------------------------------------------------------------------


def assign_breaks(model: Model, cand: Candidates, y: NDArray[np.int64],
                  x: NDArray[np.float64]) -> list[tuple[int, int, int, int]]:
    """Integer break placements (shift, break index, start slot unrolled, count) matching the
    solver's integer totals per duration, by earliest-deadline-first matching per duration.

    Any shift left without a break (only possible if the solution violates its own constraints
    beyond tolerance) gets it at its latest position, so the reported coverage is always that of a
    real, rule-abiding plan.
    """
    out: list[tuple[int, int, int, int]] = []
    for g in model.groups:
        avail = np.rint(x[g.a_col:g.a_col + g.size]).astype(np.int64)
        items_e, items_l, items_j, items_b = [], [], [], []
        for fi in g.families:
            fam = model.families[fi]
            used = y[fam.shifts] > 0
            items_e.append(fam.earliest[used])
            items_l.append(fam.latest[used])
            items_j.append(fam.shifts[used])
            items_b.append(fam.brk[used])
        earliest = np.concatenate(items_e)
        latest = np.concatenate(items_l)
        js = np.concatenate(items_j)
        bs = np.concatenate(items_b)
        order = np.argsort(earliest, kind="stable")
        earliest, latest, js, bs = earliest[order], latest[order], js[order], bs[order]
        remaining = y[js].copy()
        heap: list[tuple[int, int]] = []
        ptr = 0
        busy = np.flatnonzero(avail > 0) + g.qmin
        # Only positions where breaks start or windows open matter.
        events = np.union1d(busy, earliest)
        for q in events.tolist():
            while ptr < earliest.size and earliest[ptr] <= q:
                heapq.heappush(heap, (int(latest[ptr]), ptr))
                ptr += 1
            need = int(avail[q - g.qmin]) if g.qmin <= q <= g.qmax else 0
            while heap and heap[0][0] < q:  # overdue (should not happen)
                _, it = heapq.heappop(heap)
                out.append((int(js[it]), int(bs[it]), int(latest[it]), int(remaining[it])))
                remaining[it] = 0
            while need > 0 and heap:
                _, it = heap[0]
                take = int(min(need, remaining[it]))
                out.append((int(js[it]), int(bs[it]), q, take))
                remaining[it] -= take
                need -= take
                if remaining[it] == 0:
                    heapq.heappop(heap)
        for it in np.flatnonzero(remaining > 0).tolist():
            out.append((int(js[it]), int(bs[it]), int(latest[it]), int(remaining[it])))
    return out


def _share(placed: list[tuple[int, int, int]], groups: list[tuple[str, int]] | None,
           total: int) -> list[tuple[str, int, list[tuple[int, int, int]]]]:
    """A daily shift's break placements ``(break, start, agents)`` shared out over its groups
    ``(label, agents)`` in order: each group takes its agents' worth of each break, earliest
    first. Without groups, one group ("") of ``total`` agents takes them all."""
    if not groups:
        return [("", total, placed)]
    left = [[bi, q, cnt] for bi, q, cnt in placed]
    out = []
    for label, count in groups:
        taken: list[tuple[int, int, int]] = []
        need: dict[int, int] = {}
        for item in left:
            bi = item[0]
            want = need.setdefault(bi, count)
            take = min(want, item[2])
            if take > 0:
                taken.append((bi, item[1], take))
                item[2] -= take
                need[bi] = want - take
        out.append((label, count, taken))
    return out


def _offset_at(tl: Timeline, slot: int) -> int:
    return int(tl.offset_s[min(max(slot, 0), tl.n - 1)])


def shift_records(tl: Timeline, cand: Candidates, y: NDArray[np.int64], placements: list[tuple[int, int, int, int]],
                  groups: dict[int, list[tuple[str, int]]] | None = None) -> tuple[Shift, ...]:
    """One record per daily shift worked (``y``), with its breaks; with ``groups`` (per daily
    shift, the tours working it and their agents) one record per tour working it, the breaks
    shared out in order (the first group takes the earliest of each break)."""
    by_shift: dict[int, list[tuple[int, int, int]]] = {}
    for j, bi, q, cnt in placements:
        if cnt > 0:
            by_shift.setdefault(j, []).append((bi, q, cnt))
    dates = tl.dates
    out = []
    for j in np.flatnonzero(y > 0).tolist():
        st = cand.types[int(cand.type[j])]
        s = int(cand.start[j])
        start_utc = tl.start_s + s * tl.interval_s
        end_slot = s + st.slots
        end_utc = start_utc + st.slots * tl.interval_s
        placed = sorted(by_shift.get(j, []), key=lambda t: (t[1], t[0]))
        for tour, count, taken in _share(placed, groups.get(j) if groups else None, int(y[j])):
            brs = []
            for bi, q, cnt in taken:
                rule = st.breaks[bi].rule
                b_utc = tl.start_s + q * tl.interval_s
                brs.append(
                    BreakPlacement(
                        name=rule.name,
                        start_local=local_datetime(b_utc + _offset_at(tl, q)),
                        start_utc=np.datetime64(b_utc, "s"),
                        minutes=rule.minutes,
                        paid=rule.paid,
                        count=cnt,
                    )
                )
            out.append(
                Shift(
                    day=dates[int(cand.day[j])].item(),
                    start_local=local_datetime(start_utc + _offset_at(tl, s)),
                    end_local=local_datetime(end_utc + _offset_at(tl, end_slot if end_slot < tl.n else tl.n - 1)),
                    start_utc=np.datetime64(start_utc, "s"),
                    end_utc=np.datetime64(end_utc, "s"),
                    length_h=st.length_h,
                    paid_h=st.paid_h,
                    part_time=st.part_time,
                    count=count,
                    breaks=tuple(brs),
                    tour=tour,
                )
            )
    out.sort(key=lambda sh: (sh.start_utc, sh.length_h, sh.tour))
    return tuple(out)


def _coverage(tl: Timeline, shifts: Sequence[Shift], cyclic: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Agents on shift and agents on break per timeline slot, from shift records (vectorised).

    Each agent-interval counts the fraction of the interval the shift (or break) overlaps; time
    past the end of the timeline wraps to its start when ``cyclic``, else it is dropped.
    """
    n, step = tl.n, tl.interval_s

    def spread(start: NDArray[np.int64], end: NDArray[np.int64], weight: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.zeros(n)
        if start.size == 0:
            return out
        rel_s = start - tl.start_s
        rel_e = end - tl.start_s
        first = rel_s // step
        last = -(-rel_e // step)  # exclusive
        count = np.maximum(last - first, 0)
        owner = np.repeat(np.arange(start.size), count)
        slot = first[owner] + (np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count))
        lo = np.maximum(rel_s[owner], slot * step)
        hi = np.minimum(rel_e[owner], (slot + 1) * step)
        frac = (hi - lo) / step * weight[owner]
        if cyclic:
            slot = slot % n
            keep = np.ones(slot.size, dtype=bool)
        else:
            keep = (slot >= 0) & (slot < n)
        np.add.at(out, slot[keep], frac[keep])
        return out

    def secs(v: np.datetime64) -> int:
        return int(np.asarray(v, dtype="datetime64[s]").astype(np.int64))

    s_start = np.array([secs(sh.start_utc) for sh in shifts], dtype=np.int64)
    s_end = np.array([secs(sh.end_utc) for sh in shifts], dtype=np.int64)
    s_w = np.array([sh.count for sh in shifts], dtype=np.float64)
    brs = [b for sh in shifts for b in sh.breaks]
    b_start = np.array([secs(b.start_utc) for b in brs], dtype=np.int64)
    b_end = b_start + np.array([round(b.minutes * 60) for b in brs], dtype=np.int64)
    b_w = np.array([b.count for b in brs], dtype=np.float64)
    return spread(s_start, s_end, s_w), spread(b_start, b_end, b_w)


def most_on_phones(schedule: Schedule) -> NDArray[np.float64]:
    """Per timeline slot, the most agents on shift and not on break at any instant within it (agents on the
    phones, ``timeline_on_phones``, are the slot's average: with 15-minute breaks in a 30-minute slot, everyone
    on shift may be in a seat during the other quarter hour). Counted on the grid of the greatest common divisor
    of the slot length and every shift's and break's start and length, then the largest sub-slot of each slot."""
    tl, shifts = schedule.timeline, schedule.shifts

    def secs(v: np.datetime64) -> int:
        return int(np.asarray(v, dtype="datetime64[s]").astype(np.int64))

    edges = [tl.interval_s] + [secs(sh.start_utc) - tl.start_s for sh in shifts] \
        + [secs(sh.end_utc) - secs(sh.start_utc) for sh in shifts] \
        + [secs(b.start_utc) - tl.start_s for sh in shifts for b in sh.breaks] \
        + [round(b.minutes * 60) for sh in shifts for b in sh.breaks]
    step = int(np.gcd.reduce(np.abs(np.array(edges, dtype=np.int64))))
    k = tl.interval_s // step if step > 0 else 1
    if k <= 1:
        return np.asarray(schedule.timeline_on_phones, dtype=np.float64)
    fine = dataclasses.replace(tl, interval_s=step, utc_s=np.zeros(tl.n * k, dtype=np.int64))
    on_shift, on_break = _coverage(fine, shifts, schedule.rules.cyclic)
    on_phones = np.rint((on_shift - on_break) * 1e9) / 1e9  # whole agents; drop float dust
    return on_phones.reshape(tl.n, k).max(axis=1)


def fields_from_shifts(tl: Timeline, req: NDArray[np.float64], shifts: tuple[Shift, ...],
                       rules: ShiftRules) -> dict[str, Any]:
    """The :class:`Schedule` fields that follow from the shifts alone: coverage per interval
    (agents on shift, on break, on the phones, short), paid hours and cost."""
    on_shift_tl, on_break_tl = _coverage(tl, shifts, rules.cyclic)
    on_shift_tl = np.rint(on_shift_tl * 1e9) / 1e9  # whole agents; drop float dust
    on_break_tl = np.rint(on_break_tl * 1e9) / 1e9
    on_phones_tl = on_shift_tl - on_break_tl
    idx = tl.index
    return dict(
        interval_start=tl.utc_s[idx].astype("datetime64[s]"),
        utc_offset_s=tl.offset_s[idx].copy(),
        interval_s=tl.interval_s,
        required=req,
        on_shift=on_shift_tl[idx],
        on_break=on_break_tl[idx],
        on_phones=on_phones_tl[idx],
        short=np.maximum(req - on_phones_tl[idx], 0.0),
        shifts=shifts,
        days=tl.dates,
        paid_hours=float(sum(sh.paid_h * sh.count for sh in shifts)),
        cost=float(sum(sh.paid_h * sh.count * rules.cost_for(sh.length_h) for sh in shifts)),
        rules=rules,
        timeline=tl,
        timeline_on_shift=on_shift_tl,
        timeline_on_phones=on_phones_tl,
    )

