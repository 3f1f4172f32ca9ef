"""Erlang A (the Palm queue, M/M/N+M), vectorised over numpy arrays: pure math, no I/O.

The model: contacts arrive at random (Poisson, rate lambda), handle times are exponential with mean
``aht_s`` (mu = 1 / AHT), ``agents`` identical agents answer in arrival order, and every waiting contact
hangs up after an exponential patience with mean ``patience_s`` (theta = 1 / patience) unless answered
first. The queue is stable for any headcount: abandonment drains it. Notation:

    A = traffic_erlangs = lambda AHT       N = agents       t = answer_within_s
    x = N mu / theta = N patience / AHT    y = lambda / theta = A patience / AHT    b = x + 1
    E = E(N, A)                            Erlang B (wfm.erlang._erlang_b)
    P(s, z), Q(s, z)                       regularised lower / upper incomplete gamma (scipy gammainc / gammaincc)
    p(s; z) = e^-z z^s / Gamma(s + 1)      the Poisson probability continued to real s (Loader's form)
    A(s, z) = s e^z z^-s gamma(s, z) = P(s, z) / p(s; z) = sum_{j>=0} z^j / ((s + 1)(s + 2)...(s + j))

The birth-death chain has pi_n = pi_0 A^n / n! for n <= N and pi_{N+k} = pi_N y^k / ((x+1)...(x+k)), so the
mass at N and above is pi_N A(x, y) and, by PASTA (Palm 1943; Mandelbaum & Zeltyn 2007, eq. (3.3)):

    P(wait)             W = A(x, y) E / (1 + (A(x, y) - 1) E)
    P(abandon | wait)   1 - (x / y)(1 - 1 / A(x, y))          (= theta E[queue] / (lambda W), flow balance)
                        = [b - (x - y) A(b, y)] / (b A(x, y))  (using A(x, y) = 1 + y A(b, y) / b)
    P(abandon)          W P(abandon | wait)
    P(answered | wait)  (x / y)(1 - 1 / A(x, y)) = x A(b, y) / (b A(x, y))

Service level and ASA: an arrival that finds N + k present is answered after V = sum_{j=0..k} Exp(N mu + j
theta) (those ahead of it leave by service or abandonment) if its patience tau ~ Exp(theta) outlasts V, so
P(answered within t | N + k) = E[e^{-theta V}; V <= t] = x / (x + k + 1) P(sum_{i=1..k+1} Exp(theta (x + i)) <= t)
and E[wait; answered | N + k] = E[V e^{-theta V}]. Summing over k against pi (the sum of Exp(theta (x + i))
is the time x + k + 1 Exp(theta) lifetimes take to fall to x, a beta/binomial tail) gives, with
u = e^{-theta t} (derived here; Mandelbaum & Zeltyn 2007, sec. 3, give the same in other notation):

    P(answered within t | wait) = (x / y) [P(b, y) - P(b, y u)] / P(x, y)
                                = (x / b) [A(b, y) - A(b, y u) u^b e^{y (1 - u)}] / A(x, y)
    service level SL = (1 - W) + W P(answered within t | wait)       (out of ALL offered contacts)
    E[wait | answered, waited] = (1 / theta) E[R | R > 0],  density of R proportional to exp(-b r - y e^{-r})
    ASA (answered contacts) = W P(answered | wait) E[wait | answered, waited] / (1 - P(abandon))
    occupancy = A (1 - P(abandon)) / N        (carried load per agent)

Each formula was checked against the birth-death chain itself at 50 digits (tests/erlang_a_reference.py).

Sources: C. Palm (1943), "Intensitätsschwankungen im Fernsprechverkehr"; O. Garnett, A. Mandelbaum and
M. Reiman (2002), "Designing a call center with impatient customers", MSOM 4(3); A. Mandelbaum and S. Zeltyn
(2007), "The Palm/Erlang-A queue, with applications to call centers" (technical note, Technion); for the
incomplete gamma numerics N. M. Temme (1987) as implemented in scipy.special and Numerical Recipes (3rd ed.,
sec. 6.2).

Numerics. Nothing is exponentiated before it is known to be in range: A(s, z) is P(s, z) / p(s; z) with
log p from Loader's saddle point (wfm.erlang._log_poisson_pmf) where y < b (there A(b, y) <= b / (b - y) is
moderate), and log A(x, y) = log P(x, y) - log p(x; y) where y >= b (A huge, only 1 / A is used). Where
P(b, z) would underflow (below 1e-250), A(b, z) comes from its series (positive terms, geometric ratio
z / (b + j) < 1). The abandonment numerator b - (x - y) A(b, y) cancels when x - y >> sqrt(x); there it is
summed directly as A(b, y) + sum_j j s_j (s_j the series terms, b - (b - y) A(b, y) = sum_j j s_j). Upper
tails Q(b, z) below 1e-250 come from the Legendre continued fraction (wfm.erlang). E[R | R > 0] is a
ratio of two integrals of a log-concave function, by Gauss-Legendre quadrature on each side of its mode,
out to where it has fallen by e^-46.

Conventions at the edges (never a NaN): zero traffic: W = 0, P(abandon) = 0, SL = 1, ASA = 0, occupancy 0,
and 0 agents needed. No agents with traffic: everyone waits and abandons, SL = 0, ASA = inf, occupancy 1
(the limit N -> 0+: a sliver of an agent is always busy).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm.erlang_a_core import _answered_within_given_wait, _core, _mean_scaled_wait
from wfm.queueing_inputs import (
    MAX_TRAFFIC_ERLANGS,
    TARGET_TOLERANCE,
    _as_float_arrays,
    _check_target_ranges,
    _first_text,
    _result,
    _underflow_is_zero,
    erlangs_text,
    service_level_time,
    target_slack,
)

__all__ = [
    "MeasuresA",
    "measures",
    "wait_probability",
    "abandon_probability",
    "service_level",
    "average_speed_of_answer",
    "occupancy",
    "required_agents",
    "MAX_AGENTS",
]

MAX_AGENTS = 10_000_000
"""The largest headcount ``required_agents`` answers (as wfm.erlang.MAX_AGENTS)."""

_MANY_AGENTS = 1e9
"""Headcounts above this are evaluated as this many (everything is exactly 0 or 1 there in double precision,
as in wfm.erlang); occupancy uses the N given."""

_FIRST_STEP = 1.5  # the second probe is this many sqrt(A) from floor(A): a long baseline for the first secant


# The numerical core (incomplete gamma functions, series, quadrature) is in wfm.erlang_a_core.


# --- Validation and the public measures ---------------------------------------------------------------------


def _check(n: NDArray[np.float64] | None, a: NDArray[np.float64], aht: NDArray[np.float64],
           patience: NDArray[np.float64], t: NDArray[np.float64] | None = None) -> None:
    if n is not None and not np.all(n >= 0.0):  # also rejects NaN
        raise ValueError("agents must be numbers >= 0")
    ok = (a >= 0.0) & (a <= MAX_TRAFFIC_ERLANGS)
    if not np.all(ok):
        raise ValueError(f"traffic_erlangs must be from 0 to MAX_TRAFFIC_ERLANGS = {MAX_TRAFFIC_ERLANGS:,.0f} "
                         f"Erlangs, got {erlangs_text(float(a[~ok].flat[0]))}")
    busy = a > 0.0
    if not np.all(((aht > 0.0) & np.isfinite(aht)) | ~busy):
        raise ValueError("aht_s must be finite and > 0 where there is traffic")
    if not np.all(((patience > 0.0) & np.isfinite(patience)) | ~busy):
        raise ValueError("patience_s must be finite and > 0 seconds where there is traffic")
    if t is not None and not np.all(t >= 0.0):  # everywhere: a NaN answer time is a caller's mistake
        raise ValueError("answer_within_s must be >= 0 seconds")


class MeasuresA(NamedTuple):
    """What a headcount delivers under Erlang A (arrays, or floats for scalars)."""

    wait_probability: NDArray[np.float64] | float  # P(all agents busy on arrival), fraction
    abandon_probability: NDArray[np.float64] | float  # fraction of offered contacts that abandon
    service_level: NDArray[np.float64] | float  # fraction of OFFERED answered within the answer time
    asa_s: NDArray[np.float64] | float  # mean wait of the answered contacts, seconds (inf with no agents)
    occupancy: NDArray[np.float64] | float  # carried load per agent, fraction


def _measures(n: NDArray[np.float64], a: NDArray[np.float64], aht: NDArray[np.float64],
              patience: NDArray[np.float64], t: NDArray[np.float64] | None, want_asa: bool
              ) -> tuple[NDArray[np.float64], ...]:
    """(W, P(abandon), SL or None, ASA or None, occupancy) for flat arrays; any N >= 0, A >= 0."""
    idle = a == 0.0
    empty = ~idle & (n == 0.0)
    busy = np.flatnonzero(~idle & ~empty)
    wait = np.where(empty, 1.0, 0.0)
    abandon = wait.copy()
    level = np.where(idle, 1.0, 0.0)
    asa = np.where(empty, np.inf, 0.0)
    occ = np.where(empty, 1.0, 0.0)
    if busy.size:
        nb, ab, ahtb, pb = np.minimum(n[busy], _MANY_AGENTS), a[busy], aht[busy], patience[busy]
        c = _core(nb, ab, ahtb, pb)
        wait[busy] = c.wait
        abandon[busy] = c.wait * c.abandon_given_wait
        # 1 - P(abandon) as a sum of two non-negative parts: no wait, or wait and be answered
        kept = c.no_wait + c.wait * c.answered_given_wait
        occ[busy] = np.minimum(ab * kept / n[busy], 1.0)
        if t is not None:
            level[busy] = np.minimum(c.no_wait + c.wait * _answered_within_given_wait(c, pb, t[busy]), 1.0)
        if want_asa:
            value = np.zeros(busy.size)
            waits = np.flatnonzero(c.wait * c.answered_given_wait > 0.0)
            if waits.size:
                mean = np.concatenate([  # in blocks: the quadrature holds 2 x _QUAD_NODES values per interval
                    _mean_scaled_wait(c.x[block], c.y[block]) for block in np.array_split(waits, -(-waits.size // 8192))
                ]) * pb[waits]
                value[waits] = c.wait[waits] * c.answered_given_wait[waits] * mean / kept[waits]
            asa[busy] = value
    return wait, abandon, level, asa, occ


@_underflow_is_zero
def measures(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike,
             answer_within_s: ArrayLike) -> MeasuresA:
    """P(wait), P(abandon), service level, ASA and occupancy together (see the module docstring).

    agents (may be fractional: the gamma continuation), traffic in Erlangs, AHT, mean patience and answer
    time in seconds; arrays broadcast. The service level counts contacts answered within the answer time
    out of all offered; the ASA is the mean wait of the answered contacts, seconds.
    """
    return MeasuresA(*_evaluate(agents, traffic_erlangs, aht_s, patience_s, answer_within_s, want_asa=True))


def _evaluate(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike,
              answer_within_s: ArrayLike | None, want_asa: bool) -> list[NDArray[np.float64] | float]:
    """The five measures (those not asked for are None), checked, in the broadcast shape of the inputs."""
    values = [agents, traffic_erlangs, aht_s, patience_s] + ([] if answer_within_s is None else [answer_within_s])
    n, a, aht, pat, *rest = _as_float_arrays(
        *values, names=("agents", "traffic_erlangs", "aht_s", "patience_s", "answer_within_s"))
    _check(n, a, aht, pat, *rest)
    out = _measures(n.ravel(), a.ravel(), aht.ravel(), pat.ravel(), rest[0].ravel() if rest else None, want_asa)
    return [None if x is None else _result(x.reshape(n.shape)) for x in out]


@_underflow_is_zero
def wait_probability(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike
                     ) -> NDArray[np.float64] | float:
    """P(a contact waits at all) = P(all agents busy on arrival), fraction 0-1."""
    return _evaluate(agents, traffic_erlangs, aht_s, patience_s, None, want_asa=False)[0]


@_underflow_is_zero
def abandon_probability(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike
                        ) -> NDArray[np.float64] | float:
    """Fraction 0-1 of offered contacts that hang up before they are answered."""
    return _evaluate(agents, traffic_erlangs, aht_s, patience_s, None, want_asa=False)[1]


@_underflow_is_zero
def service_level(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike,
                  answer_within_s: ArrayLike) -> NDArray[np.float64] | float:
    """Fraction 0-1 of OFFERED contacts answered within ``answer_within_s`` seconds (abandoned ones are not)."""
    return _evaluate(agents, traffic_erlangs, aht_s, patience_s, answer_within_s, want_asa=False)[2]


@_underflow_is_zero
def average_speed_of_answer(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike,
                            patience_s: ArrayLike) -> NDArray[np.float64] | float:
    """Mean wait of the answered contacts, seconds. 0 with no traffic, inf with no agents."""
    return _evaluate(agents, traffic_erlangs, aht_s, patience_s, None, want_asa=True)[3]


@_underflow_is_zero
def occupancy(agents: ArrayLike, traffic_erlangs: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike
              ) -> NDArray[np.float64] | float:
    """Carried load per agent, A (1 - P(abandon)) / N, fraction 0-1 (0 with no traffic, 1 with no agents)."""
    return _evaluate(agents, traffic_erlangs, aht_s, patience_s, None, want_asa=False)[4]


# --- The smallest headcount that meets every target ---------------------------------------------------------


def _check_targets(a, aht, patience, sl, t, occ, asa, abandon) -> None:
    _check(None, a, aht, patience)
    _check_target_ranges(sl, t, occ, asa)
    ok = (abandon > 0.0) & (abandon <= 1.0)
    if not np.all(ok):
        raise ValueError(f"max_abandon_rate must be a fraction in (0, 1] (0 would need infinitely many agents), got "
                         f"{_first_text(abandon, ok)}")


class _Targets(NamedTuple):
    a: NDArray[np.float64]
    aht: NDArray[np.float64]
    patience: NDArray[np.float64]
    sl: NDArray[np.float64]
    t: NDArray[np.float64]
    occ: NDArray[np.float64]
    asa: NDArray[np.float64]
    abandon: NDArray[np.float64]

    def take(self, rows: NDArray[np.intp]) -> _Targets:
        return _Targets(*(x[rows] for x in self))


def _slacks(n: NDArray[np.float64], g: _Targets) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Whether N agents meet every target (fractions within target_slack, ASA within TARGET_TOLERANCE of it, as
    wfm.erlang compares), and for each
    target a smooth slack, increasing in N and 0 at the threshold (log-odds or log ratios), stacked (4, n):
    the search extrapolates it linearly in N. Absent targets have slack +inf."""
    with_sl = g.sl > 0.0
    with_asa = np.isfinite(g.asa)
    _wait, abandon, level, asa, occ = _measures(n, g.a, g.aht, g.patience, g.t if with_sl.any() else None,
                                                bool(with_asa.any()))
    met = (level >= g.sl - target_slack(g.sl)) | ~with_sl
    met &= abandon <= g.abandon + target_slack(g.abandon)
    met &= occ <= g.occ + target_slack(g.occ)
    met &= (asa <= g.asa * (1.0 + TARGET_TOLERANCE)) | ~with_asa
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        slack = np.stack([
            np.where(with_sl, np.log(level / (1.0 - level)) - np.log(g.sl / (1.0 - g.sl)), np.inf),
            np.where(g.abandon < 1.0, np.log(g.abandon) - np.log(abandon), np.inf),
            np.where(g.occ < 1.0, np.log(g.occ) - np.log(occ), np.inf),
            np.where(with_asa, np.log(g.asa) - np.log(asa), np.inf),
        ])
    return met, slack


@_underflow_is_zero
def required_agents(
    traffic_erlangs: ArrayLike,
    aht_s: ArrayLike,
    patience_s: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    answer_within_s: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    max_asa_s: ArrayLike | None = None,
    max_abandon_rate: ArrayLike | None = None,
) -> NDArray[np.int64] | int:
    """The smallest whole number of agents N that meets every given target at once under Erlang A.

    Targets (each broadcast against the traffic; ``None`` means no such target):
      service_level     fraction in [0, 1) of OFFERED contacts answered within ``answer_within_s`` seconds
                        (required with it);
      max_occupancy     fraction in (0, 1]: carried load per agent, A (1 - P(abandon)) / N;
      max_asa_s         mean wait of the answered contacts, seconds (> 0);
      max_abandon_rate  fraction in (0, 1] of offered contacts that abandon.
    The queue is stable for any N (callers hang up), so N may be below A; traffic needs N >= 1 and zero
    traffic needs 0. Every measure is monotone in N (service level, abandonment and ASA improve, occupancy
    falls; checked in tests/test_erlang_a.py), so the targets are met from some N on, found exactly: the
    slacks at a square-root-staffing guess N0 and N0 + 1 are extrapolated to a second guess, then a
    bracket around it is widened by doubling steps and bisected, every probe an exact evaluation.
    """
    a, aht, pat, sl, t, occ, asa, abandon = _as_float_arrays(
        traffic_erlangs, aht_s, patience_s,
        0.0 if service_level is None else service_level,
        service_level_time(service_level, answer_within_s),
        1.0 if max_occupancy is None else max_occupancy,
        np.inf if max_asa_s is None else max_asa_s,
        1.0 if max_abandon_rate is None else max_abandon_rate,
        names=("traffic_erlangs", "aht_s", "patience_s", "service_level", "answer_within_s", "max_occupancy",
               "max_asa_s", "max_abandon_rate"),
    )
    _check_targets(a, aht, pat, sl, t, occ, asa, abandon)
    agents = np.zeros(a.shape, dtype=np.int64)
    busy = np.flatnonzero(a > 0.0)
    if busy.size:
        g = _Targets(*(x.flat[busy] for x in (a, aht, pat, sl, t, occ, asa, abandon)))
        agents.flat[busy] = _search(g)
    return agents if agents.ndim else int(agents)


def _search(g: _Targets) -> NDArray[np.int64]:
    """Exact smallest N >= 1 for intervals with traffic (1-D arrays).

    A bracket lo < N* <= hi (lo = 0 to start: N >= 1 with traffic) shrinks with every exact probe. Each probe
    is where the straight line through the slacks of the last two probes crosses 0 (the secant method on the
    smooth slacks; the first two probes are floor(A) and 1.5 sqrt(A) above or below it), rounded up and kept strictly inside the
    bracket; every third probe with a finite bracket bisects instead, so the search ends in O(log N) probes
    whatever the slacks do. Near the answer the secant lands on N* and the next probe confirms N* - 1 falls
    short: typically 4-5 probes in all.
    """
    size = g.a.size
    lo = np.zeros(size)  # the largest N known to fall short
    hi = np.full(size, np.inf)  # the smallest N known to meet every target
    prev_n = np.maximum(1.0, np.floor(g.a))
    met, prev_s = _slacks(prev_n, g)
    hi = np.where(met, prev_n, hi)
    lo = np.where(met, lo, prev_n)
    first_step = np.maximum(1.0, np.floor(_FIRST_STEP * np.sqrt(g.a)))
    cur_n = np.where(met, np.maximum(prev_n - first_step, 1.0), prev_n + first_step)
    todo = np.flatnonzero(hi - lo > 1.0)
    cur_n = cur_n[todo]
    prev_n, prev_s = prev_n[todo], prev_s[:, todo]
    rounds = 0
    while todo.size:
        rounds += 1
        met, cur_s = _slacks(cur_n, g.take(todo))
        if np.any(~met & (cur_n >= MAX_AGENTS)):
            k = todo[np.flatnonzero(~met & (cur_n >= MAX_AGENTS))[0]]
            raise ValueError(f"the targets at {g.a[k]:g} Erlangs need more than MAX_AGENTS = {MAX_AGENTS:,} agents")
        hi[todo] = np.where(met, cur_n, hi[todo])
        lo[todo] = np.where(met, lo[todo], cur_n)
        keep = hi[todo] - lo[todo] > 1.0
        todo, cur_n, cur_s, prev_n, prev_s = todo[keep], cur_n[keep], cur_s[:, keep], prev_n[keep], prev_s[:, keep]
        if not todo.size:
            break
        low, high = lo[todo], hi[todo]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            slope = (cur_s - prev_s) / (cur_n - prev_n)
            cross = cur_n[None, :] - cur_s / slope
            # a target already met (slack >= 0) with no usable slope does not push N up; one short does
            cross = np.where(np.isfinite(cross) & (slope > 0.0), cross,
                             np.where(cur_s >= 0.0, -np.inf, np.inf))
        guess = np.max(cross, axis=0)
        probe = np.ceil(np.minimum(guess, 2.0 * np.maximum(low, cur_n) + 64.0) - 1e-9)  # at most doubling up
        # no usable line (NaN, or -inf: every target met with no slope to follow): bisect
        halve = np.where(np.isfinite(high), np.floor((low + high) / 2.0), 2.0 * low + 1.0)
        probe = np.where(np.isnan(probe) | np.isneginf(probe), halve, probe)
        if rounds >= 4 and rounds % 2 == 0:  # a slow secant: bisect every other round from here on
            probe = np.where(np.isfinite(high), halve, probe)
        probe = np.clip(probe, low + 1.0, np.minimum(high - 1.0, float(MAX_AGENTS)))
        prev_n, prev_s, cur_n = cur_n, cur_s, probe
    return hi.astype(np.int64)
