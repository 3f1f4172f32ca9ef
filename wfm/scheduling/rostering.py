"""From a whole solution to the agent groups a planner rosters: each weekly tour's groups of
agents with their start on each working day (:func:`tour_records`), labelled ``T1``, ``T2``, ...,
and which daily shifts each group works, so that ``shifts.csv`` can name the group of every row.
Pure library code: no I/O.
"""

from __future__ import annotations

from datetime import time

import numpy as np
from numpy.typing import NDArray

from wfm.scheduling.candidates import Candidates
from wfm.scheduling.solution import Tour
from wfm.scheduling.timeline import Timeline
from wfm.times import SECONDS_PER_DAY

__all__ = ["tour_records"]

Group = tuple[int, int, tuple[int, ...], int]  # tour, week (1: a pair's alternate week), daily shift per working day, agents


def _clock(seconds: int) -> time:
    """Seconds after local midnight as a wall-clock time."""
    return time(seconds // 3600, (seconds % 3600) // 60)


def _groups(cand: Candidates, x: NDArray[np.int64], y: NDArray[np.int64]) -> list[Group]:
    """Per tour and week, the groups of agents working the same daily shifts (a tour without a
    band is one group per week; with a band, see :func:`wfm.scheduling.bands.band_groups`)."""
    alt = cand.tour_days_alt
    out: list[Group] = []
    if cand.band_steps:
        from wfm.scheduling.bands import band_groups

        shift_of = {(int(d), int(k), int(t)): j for j, (d, k, t) in
                    enumerate(zip(cand.day.tolist(), cand.type.tolist(), cand.tod_s.tolist(), strict=True))}
        for z, week, tods, count in band_groups(cand, x, y):
            days = np.flatnonzero(alt[z] if week else cand.tour_days[z]).tolist()
            k = int(cand.tour_type[z])
            out.append((z, week, tuple(shift_of[(d, k, t)] for d, t in zip(days, tods, strict=True)), count))
        return out
    assert cand.member is not None  # tours without bands have their membership matrix
    member = cand.member.tocsc()
    for z in np.flatnonzero(x > 0).tolist():
        js = member.indices[member.indptr[z]:member.indptr[z + 1]]
        shift_of_day = dict(zip(cand.day[js].tolist(), js.tolist(), strict=True))
        for week, mask in enumerate((cand.tour_days[z], alt[z])[:int(cand.tour_agents[z])]):
            out.append((z, week, tuple(shift_of_day[d] for d in np.flatnonzero(mask).tolist()), int(x[z])))
    return out


def tour_records(tl: Timeline, cand: Candidates, x: NDArray[np.int64],
                 y: NDArray[np.int64]) -> tuple[tuple[Tour, ...], dict[int, list[tuple[str, int]]]]:
    """The tours of whole tour counts ``x`` (and whole daily shifts ``y``), one record per group of
    agents working the same start on each of the same days, sorted and labelled ``T1``, ``T2``, ... (a group of a
    pair of weeks worked in turn names the other week's in ``swaps_with``);
    and per daily shift the groups working it, ``[(label, agents), ...]`` in label order (their
    agents add up to the shift's)."""
    dates = np.datetime64(tl.first_day, "D") + np.arange(7)
    alt = cand.tour_days_alt
    records = []
    for z, week, js, count in _groups(cand, x, y):
        st = cand.types[int(cand.tour_type[z])]
        mask = alt[z] if week else cand.tour_days[z]
        tour = Tour(
            start=_clock(int(cand.tour_tod_s[z])),
            # the local time the shift starts (on a spring-forward day a start in the skipped hour
            # starts at the first time after it, as the shift does)
            starts=tuple(_clock(int(tl.local_s[int(cand.start[j])] % SECONDS_PER_DAY)) for j in js),
            length_h=st.length_h,
            days=tuple(d.item() for d in dates[mask]),
            days_off=tuple(d.item() for d in dates[~mask]),
            part_time=st.part_time,
            count=count,
            paid_h_per_week=st.paid_h * int(mask.sum()),
            alternate_weeks=bool(alt[z].any()),
        )
        records.append((tour, js, z, week))
    records.sort(key=lambda r: (r[0].start, r[0].length_h, r[0].days, r[0].starts))
    labels: dict[tuple[int, int], list[str]] = {}  # (tour, week) -> its groups' labels
    for i, (_, _, z, week) in enumerate(records, start=1):
        labels.setdefault((z, week), []).append(f"T{i}")
    tours = []
    by_shift: dict[int, list[tuple[str, int]]] = {}
    for i, (tour, js, z, week) in enumerate(records, start=1):
        label = f"T{i}"
        swaps = tuple(labels.get((z, 1 - week), ())) if tour.alternate_weeks else ()
        tours.append(Tour(**{**tour.__dict__, "label": label, "swaps_with": swaps}))
        for j in js:
            by_shift.setdefault(j, []).append((label, tour.count))
    return tuple(tours), by_shift
