"""Erlang B and Erlang C, vectorised over numpy arrays: pure math, no I/O.

The model is the M/M/N queue (Erlang C): contacts arrive at random (Poisson), handle times are
exponential with mean ``aht_s`` seconds, ``agents`` identical agents answer in arrival order and
nobody hangs up. Notation, as in the textbooks:

    A = traffic_erlangs = arrival rate x AHT   (Erlangs: agent-seconds of work per second)
    N = agents                                  (may be fractional when evaluating a headcount)
    t = answer_within_s                         (seconds)

    Erlang B   B(N, A) = (A^N / N!) / sum_{k=0..N} A^k / k!             (blocking, M/M/N/N)
    Erlang C   C(N, A) = N B / (N - A + A B)            for N > A         (probability of waiting)
    service level  SL = P(wait <= t) = 1 - C exp(-(N - A) t / AHT)
    ASA        = C AHT / (N - A)                                          (average speed of answer, s)
    occupancy  = A / N

Sources: A. K. Erlang (1917); L. Kleinrock, *Queueing Systems* vol. 1 (1975), sec. 3.5;
R. B. Cooper, *Introduction to Queueing Theory* (2nd ed., 1981), sec. 3.4-3.5 (B to C relation,
waiting-time distribution); G. Koole, *Call Center Optimization* (2013), ch. 5.

Numerics. No factorials: B is the Poisson probability of N over its cumulative distribution,

    B(N, A) = P(X = N) / P(X <= N),   X ~ Poisson(A),   P(X <= N) = Q(N + 1, A),

with Q the regularised upper incomplete gamma function (scipy's ``gammaincc``, which also gives
the analytic continuation to fractional N). P(X = N) is computed in log space with Loader's
saddle-point form (C. Loader, "Fast and accurate computation of binomial probabilities", 2000):

    log P(X = N) = -1/2 log(2 pi N) - stirlerr(N) - bd0(N, A),
    bd0(N, A)    = N log(N / A) + A - N,     stirlerr(N) = log N! - log(sqrt(2 pi N) (N/e)^N),

which keeps full precision at tens of thousands of Erlangs. Deep in overload (Q below 1e-250,
where it would underflow) B comes from the Legendre continued fraction of the upper incomplete
gamma function (Numerical Recipes, 3rd ed., sec. 6.2), evaluated with the modified Lentz method.

Conventions at the edges (never a NaN, never a negative number):
  * zero traffic: nothing waits; C = 0, SL = 1, ASA = 0, occupancy = 0, and 0 agents are needed;
  * N <= A > 0 (overloaded): no steady state, the queue grows without bound: C = 1, SL = 0,
    ASA = inf, occupancy = 1.
"""

from __future__ import annotations

import math
from typing import NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm.erlang_b import _FEW, _erlang_b, _special
from wfm.queueing_inputs import (
    MAX_AGENTS,
    MAX_TRAFFIC_ERLANGS,
    TARGET_TOLERANCE,
    _as_float_arrays,
    _capped_agents,
    _check_agents,
    _check_target_ranges,
    _check_times,
    _check_traffic,
    _evaluate,
    _result,
    _underflow_is_zero,
    service_level_time,
    target_slack,
)
from wfm.queueing_inputs import (
    erlangs_text as erlangs_text,  # re-exported: wfm.erlang.erlangs_text
)
from wfm.queueing_inputs import (
    offered_traffic_text as offered_traffic_text,  # re-exported: wfm.erlang.offered_traffic_text
)

__all__ = [
    "erlang_b",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "occupancy",
    "Measures",
    "measures",
    "required_agents",
    "MAX_TRAFFIC_ERLANGS",
    "MAX_AGENTS",
]

_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal double, about 2.2e-308
_LOG_TINY = 709.0  # exp(-709) ~ 1.2e-308 < _TINY / 1.8: the margin covers rounding in the step-up recursion
_K_MAX = 1e300  # Halfin-Whitt's k = sqrt(A) t / AHT is capped here: an infinite k would make k x 0 a NaN


# --- From Erlang B (wfm.erlang_b) to Erlang C ----------------------------------------------------------


def _erlang_c_from_b(n: NDArray[np.float64], a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """C = N B / (N - A + A B), for N > A (Cooper 1981, eq. 3.5.11)."""
    return n * b / (n - a + a * b)


def _service_level_from_b(
    n: NDArray[np.float64],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    aht_s: NDArray[np.float64],
    answer_within_s: NDArray[np.float64],
) -> NDArray[np.float64]:
    """SL = 1 - C exp(-(N - A) t / AHT) for N > A, written as a sum of two non-negative terms,

        SL = (N - A)(1 - B) / (N - A + A B)  -  C expm1(-(N - A) t / AHT),

    so that a service level near 0 or near 1 keeps its relative precision.
    """
    spare = n - a
    denominator = spare + a * b
    c = n * b / denominator
    with np.errstate(over="ignore"):  # a tiny AHT or a huge answer time: the exponent is -inf, exp 0, exactly
        decay = np.expm1(-spare * answer_within_s / aht_s)
    level = spare * (1.0 - b) / denominator - c * decay
    return np.minimum(level, 1.0)  # the two terms may round to a hair above 1


def _asa_from_c(c: NDArray[np.float64], spare: NDArray[np.float64], aht_s: NDArray[np.float64]) -> NDArray[np.float64]:
    """ASA = C AHT / (N - A), seconds; +inf where that exceeds the largest double (a huge AHT)."""
    with np.errstate(over="ignore"):
        return c * aht_s / spare


@_underflow_is_zero
def erlang_b(agents: ArrayLike, traffic_erlangs: ArrayLike) -> NDArray[np.float64] | float:
    """Erlang B: the probability that a contact finds all ``agents`` busy in a loss system
    (no queue) offered ``traffic_erlangs`` Erlangs. Fraction 0-1; 1 with no agents, 0 with no traffic."""
    n, a = _as_float_arrays(agents, traffic_erlangs, names=("agents", "traffic_erlangs"))
    _check_agents(n)
    _check_traffic(a)
    out = np.where(n == 0.0, 1.0, 0.0)
    busy = a > 0.0
    out[busy] = _erlang_b(_capped_agents(n, busy), a[busy])
    return _result(out)


@overload
def erlang_c(agents: float, traffic_erlangs: float) -> float: ...
@overload
def erlang_c(agents: ArrayLike, traffic_erlangs: ArrayLike) -> NDArray[np.float64] | float: ...


@_underflow_is_zero
def erlang_c(agents: ArrayLike, traffic_erlangs: ArrayLike) -> NDArray[np.float64] | float:
    """Erlang C: the probability that a contact has to wait (fraction 0-1). 1 when overloaded."""
    n, a, _, _idle, overloaded, stable = _evaluate(agents, traffic_erlangs)
    out = np.where(overloaded, 1.0, 0.0)
    ns, as_ = _capped_agents(n, stable), a[stable]
    out[stable] = _erlang_c_from_b(ns, as_, _erlang_b(ns, as_))
    return _result(out)


@overload
def service_level(agents: float, traffic_erlangs: float, aht_s: float, answer_within_s: float) -> float: ...
@overload
def service_level(
    agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, answer_within_s: ArrayLike
) -> NDArray[np.float64] | float: ...


@_underflow_is_zero
def service_level(
    agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, answer_within_s: ArrayLike
) -> NDArray[np.float64] | float:
    """Fraction (0-1) of contacts answered within ``answer_within_s`` seconds (AHT in seconds).

    P(wait <= t) = 1 - C(N, A) exp(-(N - A) t / AHT). 0 when overloaded, 1 with no traffic.
    """
    n, a, (aht, t), idle, _overloaded, stable = _evaluate(
        agents, traffic_erlangs, aht_s, answer_within_s, names=("aht_s", "answer_within_s"))
    _check_times(idle, aht, t)
    out = np.where(idle, 1.0, 0.0)
    ns, as_ = _capped_agents(n, stable), a[stable]
    out[stable] = _service_level_from_b(ns, as_, _erlang_b(ns, as_), aht[stable], t[stable])
    return _result(out)


@overload
def average_speed_of_answer(agents: float, traffic_erlangs: float, aht_s: float) -> float: ...
@overload
def average_speed_of_answer(
    agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike
) -> NDArray[np.float64] | float: ...


@_underflow_is_zero
def average_speed_of_answer(
    agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike
) -> NDArray[np.float64] | float:
    """Average speed of answer in seconds over all contacts: ASA = C(N, A) AHT / (N - A).

    0 with no traffic; ``inf`` when overloaded (the queue grows without bound).
    """
    n, a, (aht,), idle, overloaded, stable = _evaluate(agents, traffic_erlangs, aht_s, names=("aht_s",))
    _check_times(idle, aht)
    out = np.where(overloaded, np.inf, 0.0)
    ns, as_ = _capped_agents(n, stable), a[stable]
    out[stable] = _asa_from_c(_erlang_c_from_b(ns, as_, _erlang_b(ns, as_)), ns - as_, aht[stable])
    return _result(out)


@overload
def occupancy(agents: float, traffic_erlangs: float) -> float: ...
@overload
def occupancy(agents: ArrayLike, traffic_erlangs: ArrayLike) -> NDArray[np.float64] | float: ...


@_underflow_is_zero
def occupancy(agents: ArrayLike, traffic_erlangs: ArrayLike) -> NDArray[np.float64] | float:
    """Fraction (0-1) of the agents' time spent handling contacts: A / N, capped at 1 when overloaded."""
    n, a, _, _idle, overloaded, stable = _evaluate(agents, traffic_erlangs)
    out = np.where(overloaded, 1.0, 0.0)
    out[stable] = a[stable] / n[stable]
    return _result(out)


class Measures(NamedTuple):
    """Everything a headcount delivers, from one Erlang B evaluation (arrays, or floats for scalars)."""

    wait_probability: NDArray[np.float64] | float  # Erlang C, fraction
    service_level: NDArray[np.float64] | float  # fraction answered within the answer time
    asa_s: NDArray[np.float64] | float  # average speed of answer, seconds (inf when overloaded)
    occupancy: NDArray[np.float64] | float  # fraction


@_underflow_is_zero
def measures(
    agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, answer_within_s: ArrayLike
) -> Measures:
    """Probability of waiting, service level, ASA and occupancy together: what ``erlang_c``,
    ``service_level``, ``average_speed_of_answer`` and ``occupancy`` give one by one, at the cost of one."""
    n, a, (aht, t), idle, overloaded, stable = _evaluate(
        agents, traffic_erlangs, aht_s, answer_within_s, names=("aht_s", "answer_within_s"))
    _check_times(idle, aht, t)
    ns, as_, ahts = _capped_agents(n, stable), a[stable], aht[stable]
    b = _erlang_b(ns, as_)
    wait = np.where(overloaded, 1.0, 0.0)
    wait[stable] = c = _erlang_c_from_b(ns, as_, b)
    level = np.where(idle, 1.0, 0.0)
    level[stable] = _service_level_from_b(ns, as_, b, ahts, t[stable])
    asa = np.where(overloaded, np.inf, 0.0)
    asa[stable] = _asa_from_c(c, ns - as_, ahts)
    busy = np.where(overloaded, 1.0, 0.0)
    busy[stable] = as_ / n[stable]  # with the N given, however large
    return Measures(*(_result(x) for x in (wait, level, asa, busy)))


# --- The smallest headcount that meets every target ----------------------------------------------


def _square_root_staffing_beta(
    sqrt_a: NDArray[np.float64], aht_s: NDArray[np.float64], answer_within_s: NDArray[np.float64],
    service_level_target: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Approximate safety staffing beta, N ~ A + beta sqrt(A), from the Halfin-Whitt limit.

    Halfin & Whitt (1981): with N = A + beta sqrt(A), C -> alpha(beta) = 1 / (1 + beta Phi(beta) / phi(beta)),
    so the target reads log(1 + beta R(beta)) + k beta = -log(1 - SL) with R = Phi / phi and
    k = sqrt(A) t / AHT. A few Newton steps from above; only a starting guess for the exact search.
    """
    with np.errstate(over="ignore"):  # a huge answer time or a tiny AHT
        k = np.minimum(sqrt_a * answer_within_s / aht_s, _K_MAX)
    target = -np.log1p(-service_level_target)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        from_wait = np.where(k > 0.0, target / k, np.inf)
    beta = np.clip(np.minimum(from_wait, np.expm1(target) / np.sqrt(np.pi / 2.0)), 0.0, 8.0)
    for _ in range(3):
        r = np.sqrt(np.pi / 2.0) * _erfcx(-beta / np.sqrt(2.0))
        one_plus = 1.0 + beta * r
        g = np.log(one_plus) + k * beta - target
        slope = (r + beta * one_plus) / one_plus + k
        beta = np.clip(beta - g / slope, 0.0, 8.0)
    return beta


def _erfcx(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The scaled complementary error function exp(x^2) erfc(x), for x in [-6, 0] (the staffing guess):
    the standard library's for a few values, scipy's for many."""
    if x.size <= _FEW:
        return np.array([math.exp(v * v) * math.erfc(v) for v in x.ravel().tolist()]).reshape(x.shape)
    return _special().erfcx(x)


@overload
def required_agents(
    traffic_erlangs: float, aht_s: float, *, service_level: float | None = None,
    answer_within_s: float | None = None, max_occupancy: float | None = None, max_asa_s: float | None = None,
) -> int: ...
@overload
def required_agents(
    traffic_erlangs: ArrayLike, aht_s: ArrayLike, *, service_level: ArrayLike | None = None,
    answer_within_s: ArrayLike | None = None, max_occupancy: ArrayLike | None = None,
    max_asa_s: ArrayLike | None = None,
) -> NDArray[np.int64] | int: ...


@_underflow_is_zero
def required_agents(
    traffic_erlangs: ArrayLike,
    aht_s: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    answer_within_s: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    max_asa_s: ArrayLike | None = None,
) -> NDArray[np.int64] | int:
    """The smallest whole number of agents N that meets every given target at once.

    Targets (each broadcast against the traffic; ``None`` means no such target):
      service_level    fraction 0-1 (< 1) answered within ``answer_within_s`` seconds (required with it);
      max_occupancy    fraction in (0, 1]: A / N must not exceed it;
      max_asa_s        average speed of answer, seconds (> 0).
    A queue needs N > A agents to be stable at all; zero traffic needs zero agents.
    Raises ValueError for traffic above MAX_TRAFFIC_ERLANGS, and for an occupancy cap so low that the
    answer would exceed MAX_AGENTS.

    Exact search: a Halfin-Whitt guess, one exact Erlang B there, steps down (exactly) while the
    guess already meets the targets, then steps up with the stable forward recursion
    B(N + 1) = A B(N) / (N + 1 + A B(N)) until every target is met.
    """
    a, aht, sl, t, occ, asa = _as_float_arrays(
        traffic_erlangs,
        aht_s,
        0.0 if service_level is None else service_level,
        service_level_time(service_level, answer_within_s),
        1.0 if max_occupancy is None else max_occupancy,
        np.inf if max_asa_s is None else max_asa_s,
        names=("traffic_erlangs", "aht_s", "service_level", "answer_within_s", "max_occupancy", "max_asa_s"),
    )
    _check_targets(a, aht, sl, t, occ, asa)
    agents = np.zeros(a.shape, dtype=np.int64)
    busy = np.flatnonzero(a > 0.0)
    if busy.size:
        agents.flat[busy] = _search(a.flat[busy], aht.flat[busy], sl.flat[busy], t.flat[busy],
                                    occ.flat[busy], asa.flat[busy])
    return agents if agents.ndim else int(agents)


def _check_targets(a, aht, sl, t, occ, asa) -> None:
    _check_traffic(a)
    if not np.all((aht > 0.0) | (a == 0.0)) or not np.all(np.isfinite(aht) | (a == 0.0)):
        raise ValueError("aht_s must be finite and > 0 where there is traffic")
    _check_target_ranges(sl, t, occ, asa)


def _lower_bound(a: NDArray[np.float64], occ: NDArray[np.float64],
                 occ_cap: NDArray[np.float64]) -> NDArray[np.float64]:
    """The fewest agents that keep the queue stable (N > A) and within the occupancy cap ``occ`` (A / N <= cap),
    tested against ``occ_cap`` (the cap with its target_slack) exactly as ``_meets`` tests it."""
    with np.errstate(over="ignore"):  # a cap near 0: inf, refused by the caller
        by_occupancy = np.ceil(a / occ)
    by_occupancy -= (by_occupancy > 1.0) & (a / np.maximum(by_occupancy - 1.0, 1.0) <= occ_cap)
    # N > A, with A taken as the whole number it is within a few ulps of: 2226.24 contacts x 625 s in 15 min are
    # 1546 Erlangs in decimal, 1545.9999999999998 in binary, and 1546 agents cannot keep up with them
    return np.maximum(np.floor(a + 8.0 * np.spacing(a)) + 1.0, by_occupancy)


def _meets(n, a, b, aht, sl_floor, t, occ_cap, asa) -> NDArray[np.bool_]:
    """Whether N agents (N > A, Erlang B value b) meet every target: the service level at least ``sl_floor`` and
    the occupancy at most ``occ_cap`` (the targets, each with its target_slack, from :func:`_search`), the ASA
    within TARGET_TOLERANCE of its target."""
    ok = _service_level_from_b(n, a, b, aht, t) >= sl_floor
    ok &= a / n <= occ_cap
    finite_asa = np.isfinite(asa)
    if finite_asa.any():
        ok &= ~finite_asa | (_asa_from_c(_erlang_c_from_b(n, a, b), n - a, aht) <= asa * (1.0 + TARGET_TOLERANCE))
    return ok


def _step_limit(a_max: float) -> int:
    """Steps up from N > A after which Erlang B is below the smallest normal double for every traffic up to
    ``a_max``: the smallest j with j^2 / (2 (A + j)) >= 709 (see _search), plus one."""
    return int(np.ceil(_LOG_TINY + np.sqrt(_LOG_TINY * _LOG_TINY + 2.0 * _LOG_TINY * a_max))) + 1


def _search(a, aht, sl, t, occ, asa) -> NDArray[np.int64]:
    """Exact smallest N for intervals with traffic (1-D arrays, 0 < a <= MAX_TRAFFIC_ERLANGS)."""
    sl_floor, occ_cap = sl - target_slack(sl), occ + target_slack(occ)  # the thresholds _meets compares with
    lower = _lower_bound(a, occ, occ_cap)
    if lower.max() > MAX_AGENTS:
        k = int(np.argmax(lower))
        raise ValueError(f"max_occupancy {occ[k]:g} at {a[k]:g} Erlangs needs more than MAX_AGENTS = "
                         f"{MAX_AGENTS:,} agents")
    sqrt_a = np.sqrt(a)
    guess = np.floor(a + _square_root_staffing_beta(sqrt_a, aht, t, sl) * sqrt_a)  # beta in [0, 8]
    sl, occ = sl_floor, occ_cap  # from here on
    n = np.fmax(lower, guess)  # fmax: a NaN guess, should one ever arise, falls back to the bound
    b = _erlang_b(n, a)
    met = _meets(n, a, b, aht, sl, t, occ, asa)

    # The guess may already be enough: step down, exactly, until it is not (or we reach the bound). The drop
    # doubles each round and the guess is at most 8 sqrt(A) above the bound, so this takes at most
    # log2(8 sqrt(A)) + 1 rounds: 14 at A = MAX_TRAFFIC_ERLANGS.
    drop = 2.0
    while True:
        high = np.flatnonzero(met & (n > lower))
        if high.size == 0:
            break
        n[high] = np.maximum(lower[high], n[high] - drop)
        b[high] = _erlang_b(n[high], a[high])
        met[high] = _meets(n[high], a[high], b[high], aht[high], sl[high], t[high], occ[high], asa[high])
        drop *= 2.0

    # Step up, one agent at a time, on the intervals still short. This ends, and soon. It starts at
    # N0 >= floor(A) + 1 > A with B <= 1; step j multiplies B by A / (N0 + j + A B) < A / (A + j), so after
    # j steps B < prod A / (A + i) <= exp(-sum i / (A + i)) <= exp(-j^2 / (2 (A + j))), which is below
    # exp(-709), under half the smallest normal double, once j >= 709 + sqrt(709^2 + 2 x 709 A) (rounding in
    # the recursion moves this by a factor 1 + 1e-11 at most). B below the smallest normal is flushed to 0:
    # a subnormal B can round back to itself step after step while A / (N + 1) > 1/2 (a million steps at
    # A = 1e6, seen with an ASA target of 5e-324 s). And at B = 0 every target is met: SL = 1 > target,
    # ASA = 0 < target, and A / N <= cap from the lower bound on. So at most _step_limit(A) steps: 38,374 at
    # A = MAX_TRAFFIC_ERLANGS, where N stays below MAX_AGENTS + 38,375 << 2**53 and N + 1 is exact. The guard
    # below turns a broken invariant (a NaN, say) into an error instead of a hang.
    result = n.copy()
    todo = np.flatnonzero(~met)
    n, b = n[todo], b[todo]
    a, aht, sl, t, occ, asa = (x[todo] for x in (a, aht, sl, t, occ, asa))
    limit = _step_limit(float(a.max())) if todo.size else 0
    steps = 0
    while todo.size:
        steps += 1
        if steps > limit:
            raise RuntimeError(
                f"wfm.erlang.required_agents: no headcount met the targets within {limit:,} steps above the "
                f"estimate for {todo.size:,} interval(s) (e.g. {a[0]:g} Erlangs, AHT {aht[0]:g} s, stopped at "
                f"N = {n[0]:g}); this is a bug, please report it with these figures")
        n += 1.0
        ab = a * b
        b = ab / (n + ab)
        b[b < _TINY] = 0.0
        met = _meets(n, a, b, aht, sl, t, occ, asa)
        result[todo[met]] = n[met]
        keep = ~met
        todo, n, b = todo[keep], n[keep], b[keep]
        a, aht, sl, t, occ, asa = (x[keep] for x in (a, aht, sl, t, occ, asa))
    return result.astype(np.int64)
