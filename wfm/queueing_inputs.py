"""The inputs and limits the queueing models share (wfm.erlang, wfm.erlang_a): the offered traffic, arguments
broadcast to float arrays and checked with messages that name them, the tolerance a target is met within, the
largest traffic and headcount sized, and numpy's underflow reports turned off where underflow to 0 is the right
answer.
Pure numpy, no I/O.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

TARGET_TOLERANCE = 1e-12
"""A target met exactly in decimal is met: times (ASA) are compared with this relative slack, and the plan's
reports compare fractions with it as an absolute slack, far below any printed digit. 56.95 Erlangs on 67 agents
is 0.85 exactly in decimal but 0.8500000000000001 in binary floating point. The sizing searches compare
fractions within :func:`target_slack` of their target, which is never more than this."""


def target_slack(target: ArrayLike) -> NDArray[np.float64]:
    """How far a fraction (service level, occupancy, abandonment) computed for a headcount may fall on the wrong
    side of its ``target`` in [0, 1] and still meet it, in the sizing searches: 8 units in the last place of the
    target, so that a target met exactly in decimal is met (0.8500000000000001 for 0.85), or TARGET_TOLERANCE of
    the target's distance from 0 or 1, whichever is nearer, if that is more. An absolute 1e-12 was more than the
    whole margin of a target near 0 or 1: it took 38 agents for a service level of 0.99999999999999 that they
    answer at 0.99999999999947 (41 do), and 1 agent for a target of 1e-13 they answer at 4e-90."""
    t = np.asarray(target, dtype=np.float64)
    return np.maximum(TARGET_TOLERANCE * np.minimum(t, 1.0 - t), 8.0 * np.spacing(np.abs(t)))


MAX_TRAFFIC_ERLANGS = 1e6
"""The largest offered traffic wfm sizes (Erlangs): far beyond any contact centre (a million agents
busy at once), and well inside the range where agent counts are exact in float64 arithmetic.
Every function of the queueing models raises ValueError for more traffic than this."""

MAX_AGENTS = 10_000_000
"""The largest headcount ``required_agents`` answers (10 x MAX_TRAFFIC_ERLANGS). Service-level and ASA
targets never need more than A + 8 sqrt(A) + 1 + _step_limit(A) agents (under 1,047,400 at the traffic cap;
see wfm.erlang._search); only an occupancy cap far below any real one (A / cap above this) does, and that raises
ValueError."""

_MANY_AGENTS = 1e9
"""Headcounts above this are evaluated as this many. Erlang B there is exactly 0 in double precision for any
traffic up to MAX_TRAFFIC_ERLANGS (log B(1e9, 1e6) is about -5.9e9), so C = 0, SL = 1 and ASA = 0 are the
exact double results either way, and an astronomically large or infinite N cannot overflow the formulas
(occupancy, A / N, is always taken with the N given)."""


def erlangs_text(traffic: float) -> str:
    """'1,000,000.333' or '1.1e+16' for a number of Erlangs (ten significant digits; every digit of a value over
    MAX_TRAFFIC_ERLANGS that ten would round to it, '1,000,000.0000001': a value over the limit reads as over it);
    traffic whose product overflowed is 'more than 1e+308'."""
    if math.isnan(traffic):
        return "nan"
    if not math.isfinite(traffic):
        return "more than 1e+308"
    text = f"{traffic:,.10g}"
    if float(text.replace(",", "")) <= MAX_TRAFFIC_ERLANGS < traffic:
        from decimal import Decimal

        return f"{Decimal(repr(traffic)):,f}"  # the shortest decimal that reads back as the float
    return text


def offered_traffic(volume: Any, aht_s: Any, interval_s: Any) -> Any:
    """volume x AHT / interval length, Erlangs; where contacts with a handle time are offered but the product
    underflows to 0 (1e-200 contacts of 1e-200 s), the smallest positive double instead: they need an agent.
    A product that overflows is inf, quietly (the callers refuse more than wfm sizes, naming the inputs)."""
    with np.errstate(under="ignore", over="ignore"):
        traffic = np.asarray(volume, dtype=np.float64) * aht_s / interval_s
    return np.where((traffic == 0) & (np.asarray(volume) > 0) & (np.asarray(aht_s) > 0),
                    np.finfo(np.float64).smallest_subnormal, traffic)


def offered_traffic_text(volume: float, aht_s: float, interval_s: float) -> str:
    """:func:`erlangs_text` of volume x AHT / interval, for a message: where the product overflows, the quotient
    is taken first (1e306 contacts x 300 s in 15 minutes is 3.333333333e+305 Erlangs, not more than 1e+308)."""
    traffic = volume * aht_s / interval_s  # Python floats: an overflow is inf, quietly
    if math.isinf(traffic):
        traffic = min(volume * (aht_s / interval_s), volume / interval_s * aht_s)
    return erlangs_text(traffic)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _underflow_is_zero(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` with numpy's underflow reports off, whatever the caller's settings: tails of Erlang B
    and tiny traffic (down to subnormal numbers) underflow to 0 by design, which is the right answer there.
    Overflow, division by zero and invalid operations are each handled where they can occur. Typed, so the
    functions it wraps keep their signatures for a type checker."""

    @functools.wraps(function)
    def quietly(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with np.errstate(under="ignore"):
            return function(*args, **kwargs)

    return quietly


def _as_float_arrays(*values: ArrayLike, names: Sequence[str] = ()) -> list[NDArray[np.float64]]:
    """The arguments broadcast together as writable float64 copies. A value that is not numbers (None, text)
    is a TypeError: numpy would read ``"10"`` as 10 and None as NaN (booleans, the models' flags, are 0 and 1).
    Shapes that do not broadcast are a ValueError. Both name the arguments by ``names`` (the parameters, in
    order), where given."""
    arrays = []
    for i, v in enumerate(values):
        given = np.asarray(v)
        if given.dtype.kind == "O":  # Fraction, Decimal: numbers numpy keeps as objects
            from decimal import Decimal
            from numbers import Real

            if all(isinstance(x, (Real, Decimal)) and not isinstance(x, bool) for x in given.flat):
                given = given.astype(np.float64)
        if given.dtype.kind not in "biuf":
            named = f"{names[i]}: " if i < len(names) else ""
            raise TypeError(f"{named}expected numbers (int or float, a scalar or an array), got {_shown(v)}")
        arrays.append(given.astype(np.float64, copy=False))
    try:
        broadcast = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{names[i] if i < len(names) else f'argument {i + 1}'} {x.shape}"
                           for i, x in enumerate(arrays) if x.ndim)
        raise ValueError(f"shapes that do not broadcast together: {shapes}; give arrays of one shape (one value "
                         "per interval) or single values") from None
    return [np.array(x, dtype=np.float64) for x in broadcast]  # writable copies


def _shown(value: object) -> str:
    text = repr(value)
    return f"{text if len(text) <= 40 else text[:37] + '...'} ({type(value).__name__})"


def _first_text(x: NDArray[np.float64], ok: NDArray[np.bool_]) -> str:
    """The first value outside its range, for a message: ``80``, ``nan``, ``-inf``."""
    return f"{_first_bad(x, ok):g}"


def service_level_time(service_level: ArrayLike | None, answer_within_s: ArrayLike | None) -> ArrayLike:
    """The answer time a service-level target is counted within: required with the target (0 is "answered at
    once"; an implicit 0 would silently size for it), and refused without one (it would size for nothing)."""
    if answer_within_s is None:
        if service_level is not None:
            raise ValueError("service_level needs answer_within_s: the seconds the fraction is answered within "
                             "(0 for answered at once)")
        return 0.0
    if service_level is None:
        raise ValueError("answer_within_s is the time of a service_level target: give service_level too (without "
                         "it, answer_within_s would change nothing)")
    return answer_within_s


def _check_agents(n: NDArray[np.float64]) -> None:
    if not np.all(n >= 0.0):  # also rejects NaN
        raise ValueError("agents must be finite or infinite numbers >= 0")


def _check_traffic(a: NDArray[np.float64]) -> None:
    if not np.all((a >= 0.0) & (a <= MAX_TRAFFIC_ERLANGS)):  # also rejects NaN and inf
        raise ValueError(f"traffic_erlangs must be from 0 to MAX_TRAFFIC_ERLANGS = {MAX_TRAFFIC_ERLANGS:,.0f} "
                         f"Erlangs, got {erlangs_text(_first_bad(a, (a >= 0.0) & (a <= MAX_TRAFFIC_ERLANGS)))}")


def _first_bad(x: NDArray[np.float64], ok: NDArray[np.bool_]) -> float:
    return float(x[~ok].flat[0])


def _check_times(idle: NDArray[np.bool_], aht: NDArray[np.float64], t: NDArray[np.float64] | None = None) -> None:
    """AHT finite and > 0 wherever there is traffic (overloaded or not: a NaN is a caller's mistake, whatever
    the answer); answer time >= 0 (inf allowed) everywhere."""
    if not np.all(((aht > 0.0) & (aht < np.inf)) | idle):
        raise ValueError("aht_s must be finite and > 0 where there is traffic")
    if t is not None and not np.all(t >= 0.0):  # also rejects NaN
        raise ValueError("answer_within_s must be >= 0 seconds")


def _evaluate(agents: ArrayLike, traffic_erlangs: ArrayLike, *extra: ArrayLike, names: Sequence[str] = ()):
    """Broadcast and validate, then split into the three regimes: no traffic, overloaded, stable. ``names``: the
    ``extra`` arguments' (``agents`` and ``traffic_erlangs`` are named as such)."""
    n, a, *rest = _as_float_arrays(agents, traffic_erlangs, *extra, names=("agents", "traffic_erlangs", *names))
    _check_agents(n)
    _check_traffic(a)
    idle = a == 0.0
    overloaded = ~idle & (n <= a)
    stable = ~idle & ~overloaded
    return n, a, rest, idle, overloaded, stable


def _capped_agents(n: NDArray[np.float64], where: NDArray[np.bool_]) -> NDArray[np.float64]:
    """The headcounts ``n[where]``, those beyond _MANY_AGENTS as that many (the same B, C, SL and ASA)."""
    return np.minimum(n[where], _MANY_AGENTS)


def _result(x: NDArray[np.float64]) -> NDArray[np.float64] | float:
    return x if x.ndim else float(x)


def _check_target_ranges(sl, t, occ, asa) -> None:
    """The targets every queueing model shares: service level, answer time, occupancy cap, ASA."""
    checks = ((sl, (sl >= 0.0) & (sl < 1.0), "service_level must be a fraction in [0, 1) (1 would need infinitely "
                                              "many agents)"),
              (t, (t >= 0.0) & np.isfinite(t), "answer_within_s must be finite and >= 0 seconds"),
              (occ, (occ > 0.0) & (occ <= 1.0), "max_occupancy must be a fraction in (0, 1]"),
              (asa, asa > 0.0, "max_asa_s must be > 0 seconds"))
    for values, ok, rule in checks:
        if not np.all(ok):
            raise ValueError(f"{rule}, got {_first_text(values, ok)}")
