"""The breaks of the integer program (:mod:`wfm.scheduling.model`), in the implicit formulation of
Bechtold & Jacobs (1990): the break families and durations (:class:`BreakFamily`,
:class:`BreakGroup`), their columns (:func:`break_columns`) and their backlog and total rows
(:func:`add_break_rows`). Pure library code: no I/O.

Per family f (breaks of one duration whose windows have one width) and start position q::

    s_f,q - s_f,q-1 + b_f,q - sum_{j in f: e_j = q} y_j = 0        break backlog of family f
    s_f,q - sum_{j in f: e_j <= q < l_j} y_j <= 0                  (opened, not yet closed)

and per break duration g: ``a_g,q - sum_{f in g} b_f,q = 0`` (``a_g,q`` integer). What a break
takes off coverage is part of the coverage rows, built with the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wfm.scheduling.candidates import Candidates

if TYPE_CHECKING:
    from wfm.scheduling.model import _Triplets

__all__ = ["BreakFamily", "BreakGroup", "add_break_rows", "break_columns"]


@dataclass
class BreakFamily:
    """Breaks of one duration whose windows have one width: translates of each other in time,
    so they can be matched to their shifts first-in first-out (one backlog chain). Break 1 of
    the 8 h, 9 h and 4 h shifts form one family; so do the lunches of the 8 h and 9 h shifts."""

    coef: tuple[float, ...]
    width: int  # latest - earliest break start, intervals
    shifts: NDArray[np.int64]  # daily shift of each member
    brk: NDArray[np.int64]  # index of the break within its shift type, per member
    earliest: NDArray[np.int64]  # earliest break start (unrolled slot), per member
    latest: NDArray[np.int64]  # latest break start
    qmin: int
    b_col: int = 0
    s_col: int = 0

    @property
    def size(self) -> int:
        return int(self.latest.max()) - self.qmin + 1


@dataclass
class BreakGroup:
    """All families of one break duration: their total per start position is an integer."""

    coef: tuple[float, ...]
    families: list[int]
    qmin: int
    qmax: int
    a_col: int = 0

    @property
    def size(self) -> int:
        return self.qmax - self.qmin + 1


def break_columns(cand: Candidates, col: int) -> tuple[list[BreakFamily], list[BreakGroup], int]:
    """The break families and durations of ``cand`` with their columns placed from column ``col``
    on: per family its placements b and backlog s, then per duration its totals a. Returns them
    and the first column after them."""
    members: dict[tuple[tuple[float, ...], int], list[tuple[NDArray[np.int64], int]]] = {}
    for k, st in enumerate(cand.types):
        js = np.flatnonzero(cand.type == k)
        if js.size == 0:
            continue
        for bi, bs in enumerate(st.breaks):
            members.setdefault((bs.coef, bs.last - bs.first), []).append((js, bi))
    families: list[BreakFamily] = []
    for (coef, width), parts in members.items():
        js = np.concatenate([p[0] for p in parts])
        brk = np.concatenate([np.full(p[0].size, p[1], dtype=np.int64) for p in parts])
        first = np.concatenate(
            [np.full(p[0].size, cand.types[int(cand.type[p[0][0]])].breaks[p[1]].first) for p in parts]
        )
        e = cand.start[js] + first
        fam = BreakFamily(coef, width, js, brk, e, e + width, int(e.min()))
        fam.b_col = col
        col += fam.size
        fam.s_col = col
        col += fam.size
        families.append(fam)
    groups: dict[tuple[float, ...], BreakGroup] = {}
    for fi, fam in enumerate(families):
        qmax = int(fam.latest.max())
        if fam.coef in groups:
            g = groups[fam.coef]
            g.families.append(fi)
            g.qmin, g.qmax = min(g.qmin, fam.qmin), max(g.qmax, qmax)
        else:
            groups[fam.coef] = BreakGroup(fam.coef, [fi], fam.qmin, qmax)
    group_list = list(groups.values())
    for g in group_list:
        g.a_col = col
        col += g.size
    return families, group_list, col


def add_break_rows(m: _Triplets, families: list[BreakFamily], groups: list[BreakGroup], y_col: int) -> None:
    """The rows of the module docstring, in place: per family its backlog flow and cap, then per
    duration its totals. ``y_col``: the first daily-shift column."""
    # Break families: s_q = s_q-1 + opened at q - b_q, and s_q <= windows still open at q
    for fam in families:
        size = fam.size
        idx = np.arange(size)
        r_flow = m.block(size, 0.0, 0.0)
        m.add(r_flow + idx, fam.s_col + idx, 1.0)
        m.add(r_flow + idx[1:], fam.s_col + idx[:-1], -1.0)
        m.add(r_flow + idx, fam.b_col + idx, 1.0)
        m.add(r_flow + (fam.earliest - fam.qmin), y_col + fam.shifts, -1.0)
        r_cap = m.block(size, -np.inf, 0.0)
        m.add(r_cap + idx, fam.s_col + idx, 1.0)
        if fam.width > 0:
            rows = (fam.earliest - fam.qmin)[:, None] + np.arange(fam.width)[None, :]
            m.add(r_cap + rows, np.broadcast_to(y_col + fam.shifts[:, None], rows.shape), -1.0)

    # Breaks of one duration: a_g,q = sum_f b_f,q
    for g in groups:
        r_agg = m.block(g.size, 0.0, 0.0)
        m.add(r_agg + np.arange(g.size), g.a_col + np.arange(g.size), 1.0)
        for fi in g.families:
            fam = families[fi]
            idx = np.arange(fam.size)
            m.add(r_agg + (fam.qmin - g.qmin) + idx, fam.b_col + idx, -1.0)
