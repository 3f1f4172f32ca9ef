"""A queue's handle time per weekday-slot for the forecast: the contact-weighted mean of the pooled weeks, and a
lasting step in it, after which the weeks before are scaled to the level since. Numpy only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["AhtStep", "aht_step", "pooled_aht"]


@dataclass(frozen=True)
class AhtStep:
    """A lasting step in a queue's daily handle time: the first day after it (days from the forecast's origin,
    negative) and the contact-weighted handle time before and since it, in the weeks pooled."""

    day: int
    before_s: float
    after_s: float


def pooled_aht(contacts: np.ndarray, handle: np.ndarray) -> np.ndarray:
    """(7, S): the contact-weighted mean handle time of each weekday-slot over the pooled days (``contacts``: 0
    outside them, (W, 7, S); ``handle``: their handle times), a slot without contacts taking its weekday's, and a
    weekday without any the whole pool's."""
    from wfm.forecasting.model import _safe_div  # it imports this module
    pooled = contacts.sum(axis=0)
    work = (contacts * handle).sum(axis=0)
    aht_slot = _safe_div(work, pooled)
    aht_day = _safe_div(work.sum(axis=1), pooled.sum(axis=1))
    aht_all = float(_safe_div(np.array(work.sum()), np.array(pooled.sum())))
    aht_fill = np.where(aht_day > 0, aht_day, aht_all)[:, None]
    return np.where(aht_slot > 0, aht_slot, aht_fill)


def aht_step(xz: np.ndarray, handle: np.ndarray, pool: np.ndarray, pattern: np.ndarray,
             t: np.ndarray) -> tuple[np.ndarray, AhtStep] | None:
    """(scale per day, the step) when the daily handle time of the pooled days took a lasting step, else None. The
    pooled weekday-slot handle times (``pattern``, (7, S), the contact-weighted mean of the pooled days) mixed the
    levels either side of a step: three weeks at 390 s after seven at 300 s were forecast at 327 s, with no word. Each
    pooled day's handle time relative to the pattern, y = Σ contacts · AHT / Σ contacts · pattern (so that a day
    busy in its long-handled hours is no step), goes through the volume's level-shift test (:func:`wfm.forecasting.model._level_shift`:
    two levels that fit far better than a line, at least a week of business days before and two after, the step
    four robust standard deviations of the days about them). After a step, each day before it is scaled by
    L_since / L_before (the scale, (W, 7); 1 since the step), L = Σ work / Σ contacts · pattern on either side, so
    that pooling them again gives the weekday-slot shape of all the pooled days at the level since. ``xz``: contacts,
    and ``handle``: handle times (0 where not pooled), (W, 7, S); ``pool``: the pooled days, (W, 7); ``t``: each
    day's distance from the origin, (W, 7)."""
    from wfm.forecasting.model import _level_shift  # it imports this module

    contacts = (xz * pool[:, :, None]).sum(axis=2)
    work = (xz * handle).sum(axis=2)
    expected = (xz * pool[:, :, None] * pattern[None, :, :]).sum(axis=2)
    days = pool & (contacts > 0) & (expected > 0)
    if not days.any():
        return None
    day = _level_shift(t[days], work[days] / expected[days], noiseless=True)
    if day is None:
        return None
    since, before = days & (t >= day), days & (t < day)
    ratio = float(work[since].sum() / expected[since].sum()) / float(work[before].sum() / expected[before].sum())
    scale = np.where(t < day, ratio, 1.0)
    return scale, AhtStep(int(day), float(work[before].sum() / contacts[before].sum()),
                          float(work[since].sum() / contacts[since].sum()))
