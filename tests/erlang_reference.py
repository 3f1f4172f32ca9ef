"""A 50-digit mpmath reference for the Erlang formulas: slow, simple, independent of wfm.erlang.

B(N, A) = A^N e^-A / Gamma(N + 1, A)   (upper incomplete gamma; the sum formula for integer N)
C(N, A) = N B / (N - A + A B)
SL      = 1 - C exp(-(N - A) t / AHT)
ASA     = C AHT / (N - A)
"""

from __future__ import annotations

import math

import mpmath as mp

mp.mp.dps = 50


def erlang_b(n: float, a: float) -> mp.mpf:
    n, a = mp.mpf(n), mp.mpf(a)
    if n == 0:
        return mp.mpf(1)
    return mp.exp(n * mp.log(a) - a - mp.log(mp.gammainc(n + 1, a)))


def erlang_c(n: float, a: float) -> mp.mpf:
    if n <= a:
        return mp.mpf(1)
    n, a = mp.mpf(n), mp.mpf(a)
    b = erlang_b(n, a)
    return n * b / (n - a + a * b)


def service_level(n: float, a: float, aht_s: float, t: float) -> mp.mpf:
    if n <= a:
        return mp.mpf(0)
    n, a = mp.mpf(n), mp.mpf(a)
    return 1 - erlang_c(n, a) * mp.exp(-(n - a) * mp.mpf(t) / mp.mpf(aht_s))


def asa(n: float, a: float, aht_s: float) -> mp.mpf:
    if n <= a:
        return mp.inf
    return erlang_c(n, a) * mp.mpf(aht_s) / (mp.mpf(n) - mp.mpf(a))


def required_agents(a: float, aht_s: float, sl: float, t: float, max_occ: float = 1.0,
                    max_asa: float = math.inf) -> int:
    """Smallest N meeting every target, by walking N upward from floor(A) + 1 with the
    Erlang B recursion B(N + 1) = A B / (N + 1 + A B) at 50 digits."""
    if a == 0:
        return 0
    n = math.floor(a) + 1
    am = mp.mpf(a)
    b = erlang_b(n, a)
    while True:
        nm = mp.mpf(n)
        c = nm * b / (nm - am + am * b)
        level = 1 - c * mp.exp(-(nm - am) * mp.mpf(t) / mp.mpf(aht_s))
        speed = c * mp.mpf(aht_s) / (nm - am)
        # occupancy is a plain ratio: compared in floats, as a planner's '85%' means 0.85 exactly
        if level >= sl and a / n <= max_occ and speed <= max_asa:
            return n
        n += 1
        b = am * b / (n + am * b)
