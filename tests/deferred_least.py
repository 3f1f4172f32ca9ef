"""The least one-level-per-day staffing of a deferred queue for a share target, by exhaustive search over the
levels, reading nothing but wfm.deferred.measures: the reference for wfm.deferred_search's tests."""

from __future__ import annotations

import numpy as np

from wfm import deferred


class Exhaustive:
    """The least one-level-per-day staffing by exhaustive search, from the measures alone."""

    def __init__(self, case: dict) -> None:
        self.case = case
        self.rows = [case["open_"] & (case["day"] == d) for d in np.unique(case["day"][case["open_"]])]
        self.work = float(np.sum(case["volume"] * case["aht"]))

    def agents(self, levels) -> np.ndarray:
        """Agents per row: each day's level in its open rows, at least the minimum staffing ("all": all the work
        there is in every open row of that day, more than any level does)."""
        c = self.case
        out = np.zeros(c["start"].size)
        for rows, level in zip(self.rows, levels):
            out[rows] = self.work if level == "all" else max(level, c["min_staff"])
        return out

    def meets(self, levels) -> bool:
        """Every day's share within R at least the target, in a steady state (the capacity does the cycle's work)."""
        c = self.case
        capacity = self.agents(levels) * c["interval"] * c["occupancy"]
        if capacity.sum() < self.work * (1.0 - 1e-12):
            return False
        m = deferred.measures(c["start"], c["interval"], c["volume"], c["aht"], c["open_"], capacity,
                              response_within_s=c["r"], clock=c["clock"], cycle_s=c["cycle_s"])
        return bool(np.all(deferred.share_within(m, c["volume"], c["day"]) >= c["level"] - 1e-12))

    def cost(self, levels) -> int:
        return int(self.agents(levels).sum())

    def bounds(self) -> list[int]:
        """Each day's least level with every other day doing all its work as it arrives: no staffing that meets the
        target has less on that day (every share only grows with any day's capacity)."""
        out = []
        for d in range(len(self.rows)):
            level = 0
            while not self.meets(["all"] * d + [level] + ["all"] * (len(self.rows) - d - 1)):
                level += 1
            out.append(level)
        return out

    def least(self, start: list[int]) -> tuple[int, list[int], bool]:
        """The fewest agent-intervals of any levels (and those levels), given levels ``start`` that meet the target,
        and whether the bounds meet it together. Every level from each day's bound up to the most that day can take
        within ``start``'s agent-intervals is tried, days in order, a prefix dropped as soon as it misses with the
        later days at their most (monotone: it misses with any less)."""
        lower = self.bounds()
        best = [self.cost(start), list(start)]
        days = len(self.rows)

        def most(d: int) -> int:
            level = lower[d]
            while self.cost(lower[:d] + [level + 1] + lower[d + 1:]) <= best[0]:
                level += 1
            return level

        upper = [max(most(d), start[d]) for d in range(days)]

        def walk(prefix: list[int]) -> None:
            d = len(prefix)
            if self.cost(prefix + lower[d:]) >= best[0]:
                return
            if d == days:
                best[:] = [self.cost(prefix), list(prefix)]
                return
            for level in range(lower[d], upper[d] + 1):
                if self.cost(prefix + [level] + lower[d + 1:]) >= best[0]:
                    break
                if self.meets(prefix + [level] + upper[d + 1:]):
                    walk(prefix + [level])

        walk([])
        return best[0], best[1], self.meets(lower)
