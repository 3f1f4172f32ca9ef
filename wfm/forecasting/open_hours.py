"""Which weekday-slots and weekdays a queue's history shows open, and which of its days were open the hours their
weekday is open now: the opening-hours part of the forecast model (:mod:`wfm.forecasting.model`), on the
(weeks, 7, slots) arrays it builds from a queue's day x slot matrix. numpy only.
"""

from __future__ import annotations

import numpy as np

LOOKBACK_OPEN = 4
"""Listed same weekdays that decide whether a weekday-slot is open (and the moving-average baseline)."""
SAME_HOURS = 0.9
"""Overlap of their open slots (shared / open on either) above which two weekdays share a common profile."""


def last_listed(listed: np.ndarray, n: int) -> np.ndarray:
    """(weeks, 7) mask: the last ``n`` listed days of each weekday column."""
    from_end = np.cumsum(listed[::-1], axis=0)[::-1]
    return listed & (from_end <= n)


_FULL_GRID_CONTACTS = 20.0
"""Contacts an average slot with contacts took over the last four listed same weekdays, from which a queue exported
as a full grid is busy enough to tell its closed hours (:func:`rows_open`) from quiet ones."""
_CLOSED_RUN_S = 4 * 3600
"""The shortest stretch of the day without a contact on any of a weekday's last four listed days that a full grid's
rows of 0 are taken to be closed hours in: a 24/7 queue's quiet night (0.15 contacts a quarter hour) leaves a
stretch that long empty four days running with a chance near 1 in 10,000 at any hour."""


def rows_open(present: np.ndarray, xz: np.ndarray, listed: np.ndarray, recent: np.ndarray) -> np.ndarray:
    """(W, 7, S): the rows that show the centre open: every listed row (``present``: 0 contacts included, a quiet
    slot of a small queue is open), except in an export of the whole grid (closed hours as rows of 0: a weekday
    whose ``recent`` listed days list every slot of the day, or all but an hour's, as on a spring-forward day) of a
    queue busy enough to tell (:data:`_FULL_GRID_CONTACTS`): there the rows in a stretch of the day of at least
    :data:`_CLOSED_RUN_S` (across midnight too) without a contact on any recent listed day are closed. Listed alone,
    a full grid would open every weekday around the clock: a Saturday open 09:00-13:00 would be taken for a day of
    the weekdays' hours, blended with them and forecast contacts in hours it never had any (WAPE 3.2 % against
    1.8 % for the same history exported sparse, on synthetic truth); a weekday listed all at 0 (Sundays closed) is
    closed."""
    slots = present.shape[2]
    hour = max(slots // 24, 1)
    full_day = listed & (present.sum(axis=2) >= slots - hour)  # (W, 7)
    full_grid = np.all(full_day | ~recent, axis=0) & recent.any(axis=0)  # (7,)
    window = xz * recent[:, :, None]
    had = (window > 0).any(axis=0)  # (7, S)
    busy = window.sum() / max(int(had.sum()), 1) >= _FULL_GRID_CONTACTS
    if not busy or not full_grid.any():
        return present
    closed = long_runs(~had, max(1, _CLOSED_RUN_S * slots // 86_400)) & full_grid[:, None]
    return np.asarray(present & ~closed[None, :, :])


def long_runs(empty: np.ndarray, length: int) -> np.ndarray:
    """bool (7, S): the slots of each weekday in a run of at least ``length`` ``empty`` slots, the day taken as a
    circle (a run may cross midnight); a weekday empty all day is one run."""
    n = empty.shape[1]
    doubled = np.concatenate([empty, empty], axis=1).astype(np.int64)  # around midnight once
    # run length ending at each position (cumulative count reset at every non-empty slot)
    reset = np.maximum.accumulate(np.where(doubled == 0, np.arange(2 * n), -1), axis=1)
    ending = np.arange(2 * n)[None, :] - reset
    # a slot is in a long run when a run of >= length ends at or after it within the run: mark backwards
    long_end = ending >= length
    starts = np.where(long_end, np.arange(2 * n)[None, :] - ending + 1, 2 * n)
    first_start = np.minimum.accumulate(starts[:, ::-1], axis=1)[:, ::-1]  # earliest long-run start ending later
    inside = doubled.astype(bool) & (first_start <= np.arange(2 * n)[None, :])
    covered = inside[:, :n] | inside[:, n:]
    return np.asarray(covered | empty.all(axis=1, keepdims=True))


def day_spans(present: np.ndarray, listed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, last) slot with a row on each listed day, (weeks, 7); a day without one: (slots, -1)."""
    slots = present.shape[2]
    has = present & listed[:, :, None]
    any_row = has.any(axis=2)
    first = np.where(any_row, has.argmax(axis=2), slots)
    last = np.where(any_row, slots - 1 - has[:, :, ::-1].argmax(axis=2), -1)
    return first, last


def hours_given_up(present: np.ndarray, listed: np.ndarray, spans: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """bool (7, S): slots of a weekday before the first or after the last row of each of its last two listed days
    (with rows) that had a row on every one of the (one or two) same weekdays listed before those within the four
    weeks: the centre now opens later or closes earlier, and has done so twice in a row (one short day, an outage
    or an early close, is not a change of hours), where it had been open every time. An export listing only the
    intervals with contacts, whose quiet first and last rows come and go, keeps its hours. Slots inside the day are
    left to the four-week rule. ``spans``: :func:`day_spans` of the same days."""
    first, last = spans
    with_rows = listed & (last >= 0)
    recent = last_listed(with_rows, 2)
    older = last_listed(with_rows, LOOKBACK_OPEN) & ~recent
    slots = np.arange(present.shape[2])
    opens = np.where(recent, first, present.shape[2]).min(axis=0)  # (7,)
    closes = np.where(recent, last, -1).max(axis=0)
    changed = ((recent.sum(axis=0) >= 2) & (older.sum(axis=0) >= 1))[:, None]
    always_before = np.all(present | ~older[:, :, None], axis=0)  # (7, S): a row on each older day
    return changed & always_before & ((slots[None, :] < opens[:, None]) | (slots[None, :] > closes[:, None]))


def same_hours(listed: np.ndarray, present: np.ndarray, spans: tuple[np.ndarray, np.ndarray],
                open_slot: np.ndarray) -> np.ndarray:
    """(weeks, 7) mask: the listed days open (nearly) the hours their weekday is open now: their span (first to
    last row, ``spans`` from :func:`day_spans`) covers at least ``SAME_HOURS`` of the weekday's open slots, and their
    rows (``present``, (weeks, 7, S)) in slots closed now are no more than 1 / ``SAME_HOURS`` - 1 of those. After
    the hours grow (8-20 from 9-17), the days before the change do not put 0 into the new hours' share of the day;
    after they shrink, the longer days before do not spread the day over hours now closed. A closure inside the
    day (lunch) is neither."""
    first, last = spans
    slots = np.arange(open_slot.shape[1])
    inside = (slots >= first[:, :, None]) & (slots <= last[:, :, None]) & open_slot[None, :, :]
    wanted = np.maximum(open_slot.sum(axis=1), 1)[None, :]
    closed_now = (present & ~open_slot[None, :, :]).sum(axis=2)  # rows the day had in slots not open now
    return np.asarray(listed & (inside.sum(axis=2) >= SAME_HOURS * wanted)
                      & (SAME_HOURS * (wanted + closed_now) <= wanted))


def same_edges(same_hours: np.ndarray, listed: np.ndarray, spans: tuple[np.ndarray, np.ndarray],
                open_slot: np.ndarray) -> np.ndarray:
    """(weeks, 7) mask: the days of :func:`same_hours` for the intraday profile, less those before the hours were
    extended at an edge. Where a weekday's last two listed days both open as early as it opens now (close as late),
    the days before the first day with rows that early (that late) are left out: they had no rows in the new
    hours and would put 0 into their shares. ``same_hours`` takes a day spanning ``SAME_HOURS`` of the hours for
    the same hours, so an hour more in the evening of a 14-hour day took the new hour at a fifth of its calls. A
    sparse export whose quiet edge rows come and go reached its edges long before, on some earlier day, and keeps
    its days; one late day (overtime) is no extension."""
    first, last = spans  # a day not listed: (slots, -1), which neither running extreme takes
    slots = open_slot.shape[1]
    any_open = open_slot.any(axis=1)
    first_open = np.where(any_open, open_slot.argmax(axis=1), 0)[None, :]
    last_open = np.where(any_open, slots - 1 - open_slot[:, ::-1].argmax(axis=1), slots - 1)[None, :]
    last_two = last_listed(listed, 2)
    held = last_two.any(axis=0)
    later = ((last >= last_open) | ~last_two).all(axis=0) & held  # (7,): open as late as now on the last two days
    earlier = ((first <= first_open) | ~last_two).all(axis=0) & held
    keep = ((np.maximum.accumulate(last, axis=0) >= last_open) | ~later[None, :]) \
        & ((np.minimum.accumulate(first, axis=0) <= first_open) | ~earlier[None, :])
    chosen = same_hours & keep
    return np.where(chosen.any(axis=0)[None, :], chosen, same_hours)


def last_days(same_hours: np.ndarray, listed: np.ndarray, weeks: int) -> np.ndarray:
    """(weeks, 7) mask: the last ``weeks`` days of each weekday among ``same_hours`` (:func:`same_hours`); a
    weekday without such a day: its last ``weeks`` listed days."""
    return np.where(np.asarray(same_hours.any(axis=0))[None, :], last_listed(same_hours, weeks),
                    last_listed(listed, weeks))


def listed_lately(listed: np.ndarray) -> np.ndarray:
    """bool (7,): the weekdays listed at least once in the ``LOOKBACK_OPEN`` weeks up to the history's last
    listed day. A weekday the centre has stopped opening (Saturdays given up) is closed from then on, though
    older listed ones remain its "last four listed"; a holiday or two on it does not close it."""
    flat = listed.reshape(-1)
    if not flat.any():
        return np.zeros(7, dtype=bool)
    end = int(np.flatnonzero(flat)[-1]) + 1
    lately = np.zeros(flat.size, dtype=bool)
    lately[max(0, end - 7 * LOOKBACK_OPEN):end] = True
    return np.asarray((listed & lately.reshape(listed.shape)).any(axis=0))
