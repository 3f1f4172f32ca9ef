"""Poisson probabilities and Erlang B: the numerics the queueing models share (wfm.erlang, wfm.erlang_a).

Erlang B without factorials: B(N, A) = P(X = N) / P(X <= N) for X ~ Poisson(A), with P(X <= N) = Q(N + 1, A)
(the regularised upper incomplete gamma function, scipy's ``gammaincc``, which also continues B to fractional
N), and P(X = N) in log space by Loader's saddle-point form (C. Loader, "Fast and accurate computation of
binomial probabilities", 2000); deep in overload the Legendre continued fraction (Numerical Recipes, 3rd ed.,
sec. 6.2). A few whole values take the stable forward recursion instead (no scipy: ``wfm calc`` starts fast).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

_LOG_2PI = float(np.log(2.0 * np.pi))


_FEW = 64
"""Inputs of at most this many values with whole agent counts up to _RECURSION_MAX_AGENTS (a calculator's
question) are evaluated by Erlang B's forward recursion, without scipy, so ``wfm calc`` starts fast; larger
inputs take the vectorised incomplete-gamma route. Which route depends only on the input, never on state."""


_RECURSION_MAX_AGENTS = 20_000


def _special() -> Any:
    """scipy.special, imported on first use (it costs about 0.2 s of start-up)."""
    from scipy import special

    return special


_Q_UNDERFLOW = 1e-250  # below this, P(X <= N) is taken from the continued fraction instead


def _stirlerr(n: NDArray[np.float64]) -> NDArray[np.float64]:
    """log n! - log(sqrt(2 pi n) (n/e)^n), the error of Stirling's formula, for n > 0.

    For n > 15 the asymptotic series 1/(12n) - 1/(360n^3) + 1/(1260n^5) - 1/(1680n^7) + 1/(1188n^9)
    is exact to double precision; below, the direct difference loses nothing worth noting.
    """
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # tiny n: replaced just below
        inv2 = 1.0 / (n * n)
        out = (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188)))) / n
    small = np.flatnonzero(n <= 15.0)
    if small.size:
        m = n[small]
        out[small] = _special().gammaln(m + 1.0) - (m + 0.5) * np.log(m) + m - 0.5 * _LOG_2PI
    return out


def _log_poisson_pmf(n: NDArray[np.float64], a: NDArray[np.float64]) -> NDArray[np.float64]:
    """log P(X = n) for X ~ Poisson(a), n >= 0 real, a > 0 (Loader's saddle-point form)."""
    positive = n > 0.0
    safe_n = np.where(positive, n, 1.0)
    d = safe_n - a
    with np.errstate(over="ignore"):
        ratio = d / a  # overflows only for traffic below about 1e-300 Erlangs
    far = np.isinf(ratio) | (ratio <= -0.5)  # n/a huge, or n below a / 2 (below 2**-53 a, 1 + ratio is 0)
    with np.errstate(divide="ignore"):
        bd0 = safe_n * np.log1p(np.where(far, 0.0, ratio)) - d  # = n log(n/a) + a - n without cancellation
    if far.any():  # there log(n) - log(a) loses nothing: the log1p form is for n near a
        bd0[far] = safe_n[far] * (np.log(safe_n[far]) - np.log(a[far])) - d[far]
    log_pmf = -0.5 * (_LOG_2PI + np.log(safe_n)) - _stirlerr(safe_n) - bd0
    return np.where(positive, log_pmf, -a)


def _log_upper_gamma_scaled_cf(s: NDArray[np.float64], x: NDArray[np.float64]) -> NDArray[np.float64]:
    """log(Gamma(s, x) e^x x^-s) by the Legendre continued fraction, for x > s + 1.

    Gamma(s, x) = e^-x x^s / (x + 1 - s - 1(1 - s) / (x + 3 - s - 2(2 - s) / (x + 5 - s - ...)))
    evaluated with the modified Lentz method (Numerical Recipes, 3rd ed., eq. 6.2.7).
    """
    tiny = 1e-300
    b = x + 1.0 - s
    c = np.full_like(x, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    for i in range(1, 10_000):
        an = -i * (i - s)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    return np.log(h)


def _erlang_b_by_recursion(n: NDArray[np.float64], a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Erlang B for whole n >= 0 by the forward recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)),
    which is numerically stable: each step damps the relative error it inherits (Cooper, 1981, sec. 3.4).
    For a few values (see _FEW), each in plain Python floats (the same IEEE arithmetic as numpy's, about
    0.1 us a step against several us for a numpy step on a tiny array: 2 ms for 20,000 agents)."""
    out = np.empty(a.shape)
    flat = out.reshape(-1)
    for i, (agents, traffic) in enumerate(zip(n.reshape(-1).tolist(), a.reshape(-1).tolist())):
        b = 1.0
        for k in range(1, int(agents) + 1):
            ab = traffic * b
            b = ab / (k + ab)
        flat[i] = b
    return out


def _erlang_b(n: NDArray[np.float64], a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Erlang B for n >= 0 agents and a > 0 Erlangs (same shape, float arrays)."""
    if n.size <= _FEW and np.all(n == np.floor(n)) and n.max(initial=0.0) <= _RECURSION_MAX_AGENTS:
        return _erlang_b_by_recursion(n, a)
    q = _special().gammaincc(n + 1.0, a)  # P(X <= n), continued to real n
    with np.errstate(divide="ignore"):
        b = np.exp(_log_poisson_pmf(n, a) - np.log(q))
    deep = q < _Q_UNDERFLOW
    if deep.any():
        # B = a^n e^-a / Gamma(n + 1, a) = 1 / (a * CF)
        b[deep] = np.exp(-np.log(a[deep]) - _log_upper_gamma_scaled_cf(n[deep] + 1.0, a[deep]))
    return np.where(n == 0.0, 1.0, np.minimum(b, 1.0))


# --- From Erlang B to the measures a planner reads -----------------------------------------------
