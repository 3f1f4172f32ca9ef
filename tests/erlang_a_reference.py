"""A 50-digit mpmath reference for Erlang A (M/M/N+M): slow, simple, independent of wfm.erlang_a.

Two independent routes, checked against each other in the tests:

1. ``chain_*``: the birth-death chain itself (small cases only). States 0..N (all in service) with death
   rate n mu, then N + k (k waiting) with death rate N mu + k theta; pi_{n+1} = pi_n lambda / death(n+1).
   The tail is truncated where terms fall below 1e-60 of the largest. P(wait) is the mass at N and above
   (PASTA); P(abandon) = theta E[queue] / lambda (abandonment flow); an arrival that finds N + k present is
   answered after V = sum_{j=0..k} Exp(N mu + j theta) (the k ahead of it leave by service or abandonment,
   in FCFS order) if its own patience tau ~ Exp(theta) outlasts V: so
   P(answered within t | N + k) = E[exp(-theta V); V <= t] and E[wait; answered | N + k] = E[V exp(-theta V)],
   both from the partial-fraction density of the hypoexponential V (distinct rates, so exact in mpmath).

2. ``closed_*``: the closed forms (Mandelbaum & Zeltyn 2007; derivation in wfm/erlang_a.py) in terms of
   Erlang B, the regularised incomplete gamma functions and, for the ASA, a one-dimensional integral by
   mpmath's tanh-sinh quadrature. These handle any size.
"""

from __future__ import annotations

import math

import mpmath as mp

mp.mp.dps = 50


def _mp(*values: float) -> list[mp.mpf]:
    return [mp.mpf(v) for v in values]


# --- 1. the birth-death chain ----------------------------------------------------------------------


def _chain(n: int, a: float, aht_s: float, patience_s: float):
    """(normalised state probabilities pi[0..], lam, mu, theta) with the tail cut at 1e-60 relative."""
    a_, aht, pat = _mp(a, aht_s, patience_s)
    mu, theta = 1 / aht, 1 / pat
    lam = a_ * mu
    pi = [mp.mpf(1)]
    biggest = mp.mpf(1)
    k = 0
    while True:
        k += 1
        death = (min(k, n) * mu) + (max(k - n, 0) * theta)
        nxt = pi[-1] * lam / death
        pi.append(nxt)
        biggest = max(biggest, nxt)
        if k > n and nxt < biggest * mp.mpf("1e-60"):
            break
    total = mp.fsum(pi)
    return [p / total for p in pi], lam, mu, theta


def _answered_within(k: int, n: int, mu, theta, t) -> tuple[mp.mpf, mp.mpf]:
    """For an arrival finding N + k present: (P(answered within t), E[wait; answered])."""
    rates = [n * mu + j * theta for j in range(k + 1)]
    within = mp.mpf(0)
    mean = mp.mpf(0)
    for i, ri in enumerate(rates):
        c = mp.mpf(1)
        for j, rj in enumerate(rates):
            if j != i:
                c *= rj / (rj - ri)
        # density of V: sum_i c_i r_i exp(-r_i v)
        within += c * ri * (1 - mp.exp(-(ri + theta) * t)) / (ri + theta)
        mean += c * ri / (ri + theta) ** 2
    return within, mean


def chain_measures(n: int, a: float, aht_s: float, patience_s: float, t: float) -> dict[str, mp.mpf]:
    """All measures from the chain. Small N and small queues only (partial fractions over the queue)."""
    mp.mp.dps = 90  # the partial fractions alternate in sign: keep 50 digits after the cancellation
    try:
        pi, lam, mu, theta = _chain(n, a, aht_s, patience_s)
        wait = mp.fsum(pi[n:])
        abandon = theta * mp.fsum(k * pi[n + k] for k in range(len(pi) - n)) / lam
        level = 1 - wait
        answered_wait = mp.mpf(0)
        for k in range(len(pi) - n):
            w, m = _answered_within(k, n, mu, theta, mp.mpf(t))
            level += pi[n + k] * w
            answered_wait += pi[n + k] * m
        asa = answered_wait / (1 - abandon)
        return {"wait": +wait, "abandon": +abandon, "sl": +level, "asa": +asa,
                "occupancy": +(mp.mpf(a) * (1 - abandon) / n)}
    finally:
        mp.mp.dps = 50


# --- 2. the closed forms -----------------------------------------------------------------------------


def erlang_b(n: float, a: float) -> mp.mpf:
    n_, a_ = _mp(n, a)
    if n_ == 0:
        return mp.mpf(1)
    return mp.exp(n_ * mp.log(a_) - a_ - mp.log(mp.gammainc(n_ + 1, a_)))


def _scaled_lower(x: mp.mpf, y: mp.mpf) -> mp.mpf:
    """A(x, y) = x e^y y^-x gamma(x, y) = P(x, y) / (e^-y y^x / Gamma(x + 1)) = 1F1(1; x + 1; y), x >= 0
    (mpmath's confluent hypergeometric function: its series, or its asymptotic expansion for large y)."""
    return mp.hyp1f1(1, x + 1, y, maxterms=10**7)


def _conditional_log_mean(x: mp.mpf, y: mp.mpf) -> mp.mpf:
    """E[r | ...] for the density proportional to exp(-(x + 1) r - y e^-r) on r > 0: theta times the mean
    wait of the answered among those who wait (see wfm/erlang_a.py)."""
    b = x + 1
    mode = max(mp.mpf(0), mp.log(y / b))
    width = 1 / mp.sqrt(min(y, b))
    peak = -b * mode - y * mp.exp(-mode)

    def density(r):
        return mp.exp(-b * r - y * mp.exp(-r) - peak)

    points = sorted({mp.mpf(0), *(mode + j * width for j in (-30, -10, -4, -1, 0, 1, 4, 10, 30, 100)
                                  if mode + j * width > 0)})
    points.append(mp.inf)
    top = mp.quad(lambda r: r * density(r), points)
    bottom = mp.quad(density, points)
    return top / bottom


def closed_measures(n: float, a: float, aht_s: float, patience_s: float, t: float) -> dict[str, mp.mpf]:
    """All measures from the closed forms, at 50 digits."""
    n_, a_, aht, pat, t_ = _mp(n, a, aht_s, patience_s, t)
    if a_ == 0:
        return {"wait": mp.mpf(0), "abandon": mp.mpf(0), "sl": mp.mpf(1), "asa": mp.mpf(0),
                "occupancy": mp.mpf(0)}
    if n_ == 0:
        return {"wait": mp.mpf(1), "abandon": mp.mpf(1), "sl": mp.mpf(0), "asa": mp.inf,
                "occupancy": mp.mpf(1)}
    mu, theta = 1 / aht, 1 / pat
    lam = a_ * mu
    x, y = n_ * mu / theta, lam / theta
    e = erlang_b(n_, a_)
    big_a = _scaled_lower(x, y)
    wait = big_a * e / (1 + (big_a - 1) * e)
    abandon_given_wait = 1 - (x / y) * (1 - 1 / big_a)
    abandon = wait * abandon_given_wait
    # answered within t among those who wait: (x / y) [P(b, y) - P(b, y u)] / P(x, y), u = e^-theta t
    # = (x / b) [A(b, y) - A(b, y u) u^b e^{y (1 - u)}] / A(x, y)
    b = x + 1
    u = mp.exp(-theta * t_)
    level_waited = (x / b) * (_scaled_lower(b, y) - _scaled_lower(b, y * u) * u**b * mp.exp(y * (1 - u))) / big_a
    level = 1 - wait + wait * level_waited
    answered_waited = wait * (x / y) * (1 - 1 / big_a)
    asa = answered_waited * _conditional_log_mean(x, y) / theta / (1 - abandon)
    return {"wait": wait, "abandon": abandon, "sl": level, "asa": asa, "occupancy": a_ * (1 - abandon) / n_}


def meets(n: int, a: float, aht_s: float, patience_s: float, sl: float = 0.0, t: float = 0.0,
          max_occ: float = 1.0, max_asa: float = math.inf, max_abandon: float = 1.0,
          tolerance: float = 1e-12) -> bool:
    """Whether N agents meet every target, each with the engine's TARGET_TOLERANCE. Occupancy is compared
    in floats, as wfm compares it."""
    m = closed_measures(n, a, aht_s, patience_s, t)
    ok = float(m["occupancy"]) <= max_occ + tolerance
    ok = ok and (sl == 0 or m["sl"] >= sl - tolerance) and m["abandon"] <= max_abandon + tolerance
    if max_asa < math.inf:
        ok = ok and m["asa"] <= max_asa * (1 + tolerance)
    return bool(ok)


def required_agents(a: float, aht_s: float, patience_s: float, sl: float = 0.0, t: float = 0.0,
                    max_occ: float = 1.0, max_asa: float = math.inf, max_abandon: float = 1.0) -> int:
    """Smallest N >= 1 meeting every target at 50 digits: doubling from 1, then bisection. This relies on
    every measure being monotone in N, which the tests check separately (hypothesis and a dense scan)."""
    if a == 0:
        return 0

    def ok(n: int) -> bool:
        return meets(n, a, aht_s, patience_s, sl, t, max_occ, max_asa, max_abandon)

    hi = 1
    while not ok(hi):
        hi *= 2
    lo = hi // 2  # falls short (or 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
