"""Erlang A's numerical core: the scaled incomplete gamma functions and series behind the closed forms of
wfm.erlang_a (probability of waiting, of abandoning, of being answered within t) and the Gauss-Legendre
quadrature of the answered contacts' mean wait. See wfm.erlang_a for the formulas and their sources.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from wfm import exact
from wfm.erlang_b import _erlang_b, _log_poisson_pmf, _log_upper_gamma_scaled_cf, _special

_P_UNDERFLOW = 1e-250  # below this an incomplete gamma value is replaced by its series / continued fraction


_CANCELLATION = 64.0  # above this (x - y) A(b, y) / [b - (x - y) A(b, y)] the abandonment numerator is summed


_CANCELLATION_LARGE_X = 2.0  # the same for x > _LARGE_X, where A(b, y) itself is good to ~1e-11 only


_LARGE_X = 1e4


_SERIES_EPS = 1e-17


_GAMMAINC_LARGE_S = 2e5
"""Above this s, scipy's gammainc(s, z) (1.17) loses accuracy where z is more than 4.5 sqrt(s) below s (relative
errors 1e-8 at s = 5e5 up to 3e-2 at s = 1e7, from its large-s asymptotic expansion; checked against mpmath), so
A(s, z) is summed by the series there from 4 sqrt(s) below s (about 10 sqrt(s) terms)."""


_CHUNK = 64  # series terms per vectorised step


_QUAD_DROP = 46.0  # the quadrature interval ends where the integrand has fallen by e^-46 (below 1e-20)


_QUAD_NODES = 48


def _series(s: NDArray[np.float64], z: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(A(s, z), sum_j j s_j) by the series A(s, z) = sum_j s_j, s_0 = 1, s_j = s_{j-1} z / (s + j), z < s.

    Positive terms with ratio below z / s < 1, summed _CHUNK terms at a time (a cumulative sum of the logs of
    the ratios); each element stops once the remaining tail, bounded by the geometric series of the current
    ratio, is below 1e-17 of the sum. Used where P(s, z) underflows and where the abandonment numerator would
    cancel, i.e. where z / s is below 1 by a margin: about 40 s / (s - z) terms.
    """
    total = np.ones_like(z)
    moment = np.zeros_like(z)
    log_term = np.zeros_like(z)
    todo = np.arange(z.size)
    ss, zz = s.copy(), z.copy()
    log_z = np.log(zz)
    j0 = 0
    offsets = np.arange(1.0, _CHUNK + 1.0)
    while todo.size:
        j = j0 + offsets  # the indices of this chunk
        logs = log_term[:, None] + np.cumsum(log_z[:, None] - np.log(ss[:, None] + j[None, :]), axis=1)
        terms = np.exp(logs)
        total[todo] += terms.sum(axis=1)
        moment[todo] += exact.matvec(terms, j)  # no BLAS: the same last bit on every machine
        j0 += _CHUNK
        log_term = logs[:, -1]
        ratio = zz / (ss + j0 + 1.0)
        keep = np.exp(log_term) * (j0 + 1.0) > _SERIES_EPS * (1.0 - ratio) * total[todo]
        todo, log_term, ss, zz, log_z = todo[keep], log_term[keep], ss[keep], zz[keep], log_z[keep]
    return total, moment


def _scaled_lower(s: NDArray[np.float64], z: NDArray[np.float64]) -> NDArray[np.float64]:
    """A(s, z) = P(s, z) / p(s; z) for 0 <= z < s (moderate: 1 <= A <= s / (s - z)): scipy's gammainc, or the
    series where P underflows or scipy is inexact (``_GAMMAINC_LARGE_S``)."""
    out = np.ones_like(z)
    positive = z > 0.0
    if not positive.all():
        s, z = s[positive], z[positive]
    p = _special().gammainc(s, z)
    with np.errstate(divide="ignore"):
        value = np.exp(np.log(p) - _log_poisson_pmf(s, z))
    deep = (p < _P_UNDERFLOW) | ((s > _GAMMAINC_LARGE_S) & (s - z > 4.0 * np.sqrt(s)))
    if deep.any():
        value[deep] = _series(s[deep], z[deep])[0]
    out[positive] = value
    return out


def _log_upper(s: NDArray[np.float64], z: NDArray[np.float64]) -> NDArray[np.float64]:
    """log Q(s, z), without underflow: scipy's gammaincc, or (below 1e-250, where z > s + 1) the Legendre
    continued fraction, Q = CF(s, z) s p(s; z)."""
    q = _special().gammaincc(s, z)
    with np.errstate(divide="ignore"):
        out = np.log(q)
    deep = q < _P_UNDERFLOW
    if deep.any():
        sd, zd = s[deep], z[deep]
        out[deep] = _log_upper_gamma_scaled_cf(sd, zd) + np.log(sd) + _log_poisson_pmf(sd, zd)
    return out


# --- The core: everything from N, A, AHT, patience (N > 0, A > 0) -------------------------------------------


class _Core(NamedTuple):
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    wait: NDArray[np.float64]  # W
    no_wait: NDArray[np.float64]  # 1 - W, without cancellation
    inv_a: NDArray[np.float64]  # 1 / A(x, y)
    a_b: NDArray[np.float64]  # A(b, y) where y < b (else unused)
    low: NDArray[np.bool_]  # y < b = x + 1
    abandon_given_wait: NDArray[np.float64]
    answered_given_wait: NDArray[np.float64]


def _core(n: NDArray[np.float64], a: NDArray[np.float64], aht: NDArray[np.float64],
          patience: NDArray[np.float64]) -> _Core:
    scale = patience / aht  # mu / theta
    x, y = n * scale, a * scale
    b = x + 1.0
    e = _erlang_b(n, a)
    low = y < b
    inv_a = np.empty_like(x)
    a_b = np.ones_like(x)
    abandon = np.empty_like(x)
    answered = np.empty_like(x)

    lo = np.flatnonzero(low)
    if lo.size:
        xl, yl, bl = x[lo], y[lo], b[lo]
        ab = _scaled_lower(bl, yl)
        # b - (x - y) A(b, y): summed directly where the difference would cancel
        numerator = bl - (xl - yl) * ab
        with np.errstate(divide="ignore", invalid="ignore"):
            cancels = ~((xl - yl) * ab <= np.where(xl > _LARGE_X, _CANCELLATION_LARGE_X, _CANCELLATION) * numerator)
        if cancels.any():
            total, moment = _series(bl[cancels], yl[cancels])
            ab[cancels] = total
            numerator[cancels] = total + moment
        big_a = 1.0 + yl * ab / bl
        inv_a[lo] = 1.0 / big_a
        a_b[lo] = ab
        abandon[lo] = numerator / (bl * big_a)
        answered[lo] = xl * ab / (bl * big_a)

    hi = np.flatnonzero(~low)
    if hi.size:
        xh, yh = x[hi], y[hi]
        log_a = np.log(_special().gammainc(xh, yh)) - _log_poisson_pmf(xh, yh)  # P(x, y) >= ~1/2 here
        inv = np.exp(-log_a)
        inv_a[hi] = inv
        abandon[hi] = (yh - xh) / yh + xh * inv / yh
        answered[hi] = (xh / yh) * -np.expm1(-log_a)

    denominator = e + (1.0 - e) * inv_a
    wait = e / denominator
    no_wait = (1.0 - e) * inv_a / denominator
    return _Core(x, y, wait, no_wait, inv_a, a_b, low, np.minimum(abandon, 1.0), np.minimum(answered, 1.0))


def _answered_within_given_wait(c: _Core, patience: NDArray[np.float64], t: NDArray[np.float64]
                                ) -> NDArray[np.float64]:
    """P(answered within t | wait), see the module docstring."""
    out = np.empty_like(c.x)
    with np.errstate(over="ignore", invalid="ignore"):
        theta_t = t / patience  # inf for t = inf
    lo = np.flatnonzero(c.low)
    if lo.size:
        x, y, tt = c.x[lo], c.y[lo], theta_t[lo]
        b = x + 1.0
        with np.errstate(invalid="ignore"):
            shrink = np.exp(-tt)  # u, 0 for t = inf
            yu = y * shrink
            exponent = y * -np.expm1(-tt) - b * tt  # <= (y - b) theta t < 0
        exponent = np.where(np.isinf(tt), -np.inf, exponent)
        late = _scaled_lower(b, yu) * np.exp(exponent)
        out[lo] = (x / b) * (c.a_b[lo] - late) * c.inv_a[lo]
    hi = np.flatnonzero(~c.low)
    if hi.size:
        x, y, tt = c.x[hi], c.y[hi], theta_t[hi]
        b = x + 1.0
        yu = y * np.exp(-tt)
        log_q_late = _log_upper(b, yu)  # log Q(b, y u): this one is the larger
        log_q_all = _log_upper(b, y)
        with np.errstate(divide="ignore"):
            log_diff = log_q_late + np.log(-np.expm1(log_q_all - log_q_late))
        log_p = np.log(_special().gammainc(x, y))
        out[hi] = (x / y) * np.exp(log_diff - log_p)
    return np.clip(out, 0.0, 1.0)


def _gauss_legendre() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    nodes, weights = np.polynomial.legendre.leggauss(_QUAD_NODES)
    return (nodes + 1.0) / 2.0, weights / 2.0  # on [0, 1]


_GL_NODES, _GL_WEIGHTS = _gauss_legendre()


def _left_end(c: NDArray[np.float64]) -> NDArray[np.float64]:
    """s >= 0 with e^s - 1 - s = c (c > 0), by Newton's method from s = sqrt(2c), which is above the root
    (e^s - 1 - s >= s^2 / 2): the function is convex and increasing, so the iterates fall monotonically."""
    s = np.sqrt(2.0 * c)
    for _ in range(40):
        s = s - (np.expm1(s) - s - c) / np.expm1(s)
    return s


def _mean_scaled_wait(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """theta E[wait | answered, waited] = E[R | R > 0] with density proportional to exp(-b r - y e^-r) on r > 0.

    phi(r) = -b r - y e^-r is concave with its maximum at r* = max(0, log(y / b)). With q = y e^-r* (= b when
    r* > 0): phi(r* + s) - phi(r*) = -b s - q (e^-s - 1), and left of an interior mode, -b (e^s - 1 - s).
    The interval ends where phi has fallen by _QUAD_DROP; Gauss-Legendre on [r_lo, r*] and [r*, r_hi].
    """
    b = x + 1.0
    interior = y > b
    mode = np.where(interior, np.log(np.where(interior, y / b, 1.0)), 0.0)
    q = np.where(interior, b, y)  # y e^-r*
    # right end: drop(s) = b s + q (e^-s - 1) = _QUAD_DROP; drop(s) >= (b - q) s and >= q (s + e^-s - 1)
    right = _right_end(b, q)
    left = np.where(interior, np.minimum(_left_end(_QUAD_DROP / b), mode), 0.0)
    s_right = right[:, None] * _GL_NODES[None, :]
    s_left = left[:, None] * _GL_NODES[None, :]
    bb, qq = b[:, None], q[:, None]
    with np.errstate(over="ignore"):
        f_right = np.exp(-bb * s_right - qq * np.expm1(-s_right))
        f_left = np.exp(-bb * (np.expm1(s_left) - s_left))
    r_right = mode[:, None] + s_right
    r_left = mode[:, None] - s_left
    w_right = right[:, None] * _GL_WEIGHTS[None, :] * f_right
    w_left = left[:, None] * _GL_WEIGHTS[None, :] * f_left
    top = (w_right * r_right).sum(axis=1) + (w_left * r_left).sum(axis=1)
    bottom = w_right.sum(axis=1) + w_left.sum(axis=1)
    return top / bottom


def _right_end(b: NDArray[np.float64], q: NDArray[np.float64]) -> NDArray[np.float64]:
    """s > 0 where b s + q (e^-s - 1) = _QUAD_DROP (q <= b), by Newton from above (convex, increasing)."""
    d = _QUAD_DROP
    gap = b - q
    with np.errstate(divide="ignore"):
        s = np.minimum(np.where(gap > 0.0, d / np.where(gap > 0.0, gap, 1.0), np.inf), (d + q) / b)
    for _ in range(40):
        f = b * s + q * np.expm1(-s) - d
        s = s - f / (b - q * np.exp(-s))
    return s
