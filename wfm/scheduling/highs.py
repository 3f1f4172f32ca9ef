"""One HiGHS solve with deterministic stopping rules (the ``highspy`` bindings), or an LP dive (a
sequence of warm-started LP solves, :func:`dive`), its native output kept off the process's
standard output.

Why ``highspy`` rather than ``scipy.optimize.milp``: the schedule's last stage starts HiGHS from
the plan the earlier stages found (``milp`` takes no starting solution: from the plan, the whole
MIP of a 30-minute business-hours week proves its gap in 0.2 s instead of 5-8 s), and a stage must
tell a node limit (deterministic: the same on every machine) from the time limit (not), which
``milp`` reports only in its message text. HiGHS itself is deterministic: the same model, options and version give the same
search whatever the machine's speed or number of threads (HiGHS 1.15 searches a MIP with one
worker whatever its ``threads``; the same plan with 1 to 8 was checked), so a solve that stops on
its gap or on its node limit gives the same answer everywhere. Only the time limit depends on the
clock. ``threads`` is left alone: HiGHS's thread pool is per process, and a solve asking for
another count than the pool's fails.

HiGHS can print a stray debug line to file descriptor 1 whatever its log settings, and a
library must not write there (the CLI may be writing CSV or JSON to stdout).
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
import threading
import time as _time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

__all__ = ["DiveResult", "HighsResult", "dive", "native_stdout_silenced", "solve"]


_STDOUT_LOCK = threading.Lock()
_STDOUT_STATE: dict[str, Any] = {"depth": 0, "saved": None}


def _c_fflush() -> Any:
    try:
        return ctypes.CDLL(None).fflush
    except (OSError, AttributeError, TypeError):
        return None


_FFLUSH = _c_fflush()


@contextmanager
def native_stdout_silenced() -> Iterator[None]:
    """Point file descriptor 1 at the null device while HiGHS runs.

    HiGHS 1.12 can print a stray debug line ("HighsMipSolverData::transformNewIntegerFeasible
    Solution tmpSolver.run();") to the process's standard output whatever its log settings, and a
    library must not write there (the CLI may be writing JSON to stdout). C stdio is flushed
    before the descriptor is restored, so nothing buffered leaks out later. Reference-counted
    under a lock, so concurrent solves restore the real descriptor exactly once. Does nothing
    where C stdio cannot be flushed (then redirecting could leak buffered output later).
    """
    if _FFLUSH is None:
        yield
        return
    with _STDOUT_LOCK:
        if _STDOUT_STATE["depth"] == 0:
            try:
                sys.stdout.flush()
            except (AttributeError, ValueError, OSError):
                pass
            try:
                _FFLUSH(None)
                saved = os.dup(1)
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.close(null)
                _STDOUT_STATE["saved"] = saved
            except OSError:
                _STDOUT_STATE["saved"] = None
        _STDOUT_STATE["depth"] += 1
    try:
        yield
    finally:
        with _STDOUT_LOCK:
            _STDOUT_STATE["depth"] -= 1
            saved = _STDOUT_STATE["saved"]
            if _STDOUT_STATE["depth"] == 0 and saved is not None:
                _FFLUSH(None)
                os.dup2(saved, 1)
                os.close(saved)
                _STDOUT_STATE["saved"] = None


# --- One solve -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HighsResult:
    """What one HiGHS solve returned.

    ``x`` the best solution found (None when there is none), ``objective`` its objective value
    (inf when there is none), ``dual_bound`` the best proven lower bound (a MIP's dual bound, valid
    however the search stopped; an LP's optimum; -inf when unknown), ``nodes`` branch-and-bound
    nodes, and ``stop`` why HiGHS stopped: ``"optimal"`` (an LP's optimum, or a MIP within its gap),
    ``"node limit"``, ``"time limit"``, ``"infeasible"``, or HiGHS's own words for anything else.
    """

    x: NDArray[np.float64] | None
    objective: float
    dual_bound: float
    stop: str
    nodes: int

    @property
    def time_limit_hit(self) -> bool:
        """The clock stopped this solve: its answer may differ on a faster or slower machine."""
        return self.stop == "time limit"


_STOPS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time limit",
    # mip_max_nodes (and mip_max_leaves, mip_max_improving_sols) end as a "solution limit"
    highspy.HighsModelStatus.kSolutionLimit: "node limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
}
_FEASIBLE = 2  # HiGHS's kSolutionStatusFeasible


def _highs(c: NDArray[np.float64], a: sp.csr_array, row_lb: NDArray[np.float64], row_ub: NDArray[np.float64],
           lb: NDArray[np.float64], ub: NDArray[np.float64], integer: NDArray[np.int32]) -> highspy.Highs:
    """A silent HiGHS instance holding the model (``a`` in canonical CSR form)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(int(c.size), int(a.shape[0]), int(a.nnz), int(highspy.MatrixFormat.kRowwise),
                int(highspy.ObjSense.kMinimize), 0.0, np.asarray(c, np.float64), np.asarray(lb, np.float64),
                np.asarray(ub, np.float64), np.asarray(row_lb, np.float64), np.asarray(row_ub, np.float64),
                a.indptr.astype(np.int32), a.indices.astype(np.int32), a.data.astype(np.float64), integer)
    return h


def _canonical(a: sp.csr_array) -> sp.csr_array:
    a = sp.csr_array(a)
    if not a.has_canonical_format:  # HiGHS rejects repeated entries in a row
        a = a.copy()
        a.sum_duplicates()
    return a


def solve(
    c: NDArray[np.float64],
    a: sp.csr_array,
    row_lb: NDArray[np.float64],
    row_ub: NDArray[np.float64],
    lb: NDArray[np.float64],
    ub: NDArray[np.float64],
    integrality: NDArray[np.int8] | None = None,
    *,
    time_limit_s: float,
    mip_gap: float = 0.0,
    node_limit: int | None = None,
    start: NDArray[np.float64] | None = None,
    lp_method: str = "choose",
) -> HighsResult:
    """Minimise ``c @ x`` subject to ``row_lb <= a @ x <= row_ub``, ``lb <= x <= ub`` and ``x_j``
    integer where ``integrality[j] == 1``, by HiGHS.

    A MIP stops when its plan is proven within ``mip_gap`` (a fraction) of its bound, after
    ``node_limit`` branch-and-bound nodes (deterministic), or after ``time_limit_s`` seconds of
    wall clock (a safety net: ``HighsResult.time_limit_hit``). ``start`` (a MIP only): values of
    the integer columns to start from (NaN or an absent value: none); HiGHS fixes them, solves the
    LP that is left for the other columns and keeps the result as its first incumbent.
    ``lp_method``: HiGHS's ``solver`` option for an LP ("choose", "simplex", "ipm").
    """
    n = int(c.size)
    integer = np.zeros(n, dtype=np.int32) if integrality is None else np.asarray(integrality, dtype=np.int32)
    is_mip = bool(integer.any())
    h = _highs(c, _canonical(a), row_lb, row_ub, lb, ub, integer)
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.01)))
    if is_mip:
        h.setOptionValue("mip_rel_gap", float(mip_gap))
        if node_limit is not None:
            h.setOptionValue("mip_max_nodes", int(node_limit))
    else:
        h.setOptionValue("solver", lp_method)
    if is_mip and start is not None:
        cols = np.flatnonzero((integer == 1) & np.isfinite(start)).astype(np.int32)
        h.setSolution(int(cols.size), cols, np.asarray(start, np.float64)[cols])
    with native_stdout_silenced():
        h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    stop = _STOPS.get(status) or h.modelStatusToString(status)
    has_x = info.primal_solution_status == _FEASIBLE if is_mip else stop == "optimal"
    x = np.array(h.getSolution().col_value, dtype=np.float64) if has_x else None
    objective = float(info.objective_function_value) if x is not None else math.inf
    if is_mip:
        bound = float(info.mip_dual_bound)
        bound = bound if math.isfinite(bound) else -math.inf
    else:
        bound = objective if x is not None else -math.inf
    return HighsResult(x, objective, bound, stop, int(max(info.mip_node_count, 0)) if is_mip else 0)


# --- LP diving -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiveResult:
    """What :func:`dive` found: ``z`` the whole values of its integer columns (None when an LP had
    no solution), ``stop`` why it ended (``"integral"``, ``"iteration limit"`` or ``"time limit"``:
    then the columns still fractional were rounded up), ``rounds`` LP solves after the first and
    ``iterations`` their simplex iterations (all of them, the first included)."""

    z: NDArray[np.float64] | None
    stop: str
    rounds: int
    iterations: int

    @property
    def time_limit_hit(self) -> bool:
        return self.stop == "time limit"


def dive(
    c: NDArray[np.float64],
    a: sp.csr_array,
    row_lb: NDArray[np.float64],
    row_ub: NDArray[np.float64],
    lb: NDArray[np.float64],
    ub: NDArray[np.float64],
    integer_cols: NDArray[np.int64],
    *,
    time_limit_s: float,
    iteration_limit: int,
) -> DiveResult:
    """LP diving: whole values for ``integer_cols`` by rounding up one column at a time.

    Solve the LP; while one of ``integer_cols`` is fractional, raise the lower bound of the one
    nearest its ceiling (the first such column on a tie) to that ceiling and solve again from the
    last basis (dual simplex: a few hundred iterations where a solve from scratch takes thousands).
    For a covering model (more of a column never breaks a row) every LP stays feasible and the dive
    ends with every integer column whole. Deterministic: the same model gives the same LPs and the
    same choices on every machine. It also stops once the LPs together took ``iteration_limit``
    simplex iterations, or at ``time_limit_s`` seconds (a safety net); the columns still fractional
    in the last LP solved are then rounded up.
    """
    cols = np.asarray(integer_cols, dtype=np.int64)
    h = _highs(c, _canonical(a), row_lb, row_ub, lb, ub, np.zeros(int(c.size), dtype=np.int32))
    h.setOptionValue("solver", "simplex")
    t0 = _time.perf_counter()
    rounds, iterations = 0, 0
    tol = 1e-6
    z: NDArray[np.float64] | None = None
    while True:
        h.setOptionValue("time_limit", float(max(time_limit_s - (_time.perf_counter() - t0), 0.01)))
        with native_stdout_silenced():
            h.run()
        iterations += max(int(h.getInfo().simplex_iteration_count), 0)
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kTimeLimit:
            stop = "time limit"  # the last whole LP's values, rounded up
            break
        if status != highspy.HighsModelStatus.kOptimal:
            return DiveResult(None, h.modelStatusToString(status), rounds, iterations)
        z = np.array(h.getSolution().col_value, dtype=np.float64)[cols]
        frac = z - np.floor(z)
        open_ = np.flatnonzero((frac > tol) & (frac < 1.0 - tol))
        if open_.size == 0:
            stop = "integral"
            break
        if iterations >= iteration_limit:
            stop = "iteration limit"
            break
        k = int(open_[np.argmax(frac[open_])])
        h.changeColBounds(int(cols[k]), float(math.ceil(z[k])), float(ub[cols[k]]))
        rounds += 1
    if z is None:
        return DiveResult(None, stop, rounds, iterations)
    return DiveResult(np.ceil(z - tol), stop, rounds, iterations)
