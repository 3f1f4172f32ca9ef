"""Each queue's intervals: their length, duplicates, and gaps within a day.

A queue's interval length is the smallest step between its consecutive starts, measured in real
(UTC) time, or the length the caller gives (``--interval``); it must divide a day, and be the step
the queue takes most often within its days (else a stray row, or a length given shorter than the
file's, is refused). A day with a daylight-saving change therefore has 23 or 25 hours of intervals,
and its 15-minute intervals are still 900 seconds long.

Apart from the ``--interval`` option's check, the checks here work on arrays sorted by (queue,
UTC start), where ``rows[i]`` is the file row of sorted position i.
"""

from __future__ import annotations

import numpy as np

from wfm.errors import InputError
from wfm.forecast.model import Forecast, format_local
from wfm.forecast.source import Source, first_true
from wfm.forecast.zones import offset_at
from wfm.times import SECONDS_PER_DAY

ALLOWED_INTERVAL_MINUTES: tuple[int, ...] = tuple(m for m in range(1, 1441) if 1440 % m == 0)
"""Interval lengths that tile a day exactly: the divisors of 1440 minutes."""



def check_interval_option(path: str, minutes: int) -> None:
    """Fail unless the caller's interval length divides a day."""
    if minutes not in ALLOWED_INTERVAL_MINUTES:
        raise InputError(
            f"{path}: an interval of {minutes} minutes (--interval or interval_minutes): expected an interval length "
            "in minutes that divides "
            "1440, such as 5, 10, 15, 30 or 60"
        )


def check_duplicates(
    source: Source,
    queue_names: tuple[str, ...],
    queue: np.ndarray,
    utc: np.ndarray,
    local: np.ndarray,
    rows: np.ndarray,
) -> None:
    """Fail when a queue has two rows for the same instant."""
    i = first_true((queue[1:] == queue[:-1]) & (utc[1:] == utc[:-1]))
    if i is not None:
        start = _local_text(int(utc[i]), int(local[i] - utc[i]))
        raise source.error(
            sorted((int(rows[i]), int(rows[i + 1]))),
            "interval_start",
            f"expected one row per queue and interval, got {start} twice in queue "
            f"{queue_names[queue[i]]!r}",
        )


def interval_lengths(
    source: Source,
    queue_names: tuple[str, ...],
    queue: np.ndarray,
    utc: np.ndarray,
    local: np.ndarray,
    rows: np.ndarray,
    interval_minutes: int | None,
    tz: str | None,
    interval_source: str | None = None,
) -> tuple[np.ndarray, list[str]]:
    """float64 interval length in seconds per row, and a warning for each queue with gaps.

    A queue with a single row takes the interval length the file's other queues agree on; it is an
    error only when there is nothing to infer it from (no other queue, or queues that disagree). So does a queue
    listed at most twice a day at times that are not consecutive intervals (:func:`_sparse`: a callback queue at
    09:00 and 17:00, whose 8 hours between are not its interval length) when its starts and steps are on that
    length's grid, with a warning that says so (and no gap warning for the hours between its rows); otherwise it
    keeps its own length, inferred as any queue's, with a warning of that. ``interval_source`` says where
    ``interval_minutes`` was given, for a message (``--interval 15m``; default ``interval_minutes=15``)."""
    interval_s = np.empty(len(utc), dtype=np.float64)
    warnings = []
    bounds = np.searchsorted(queue, np.arange(len(queue_names) + 1))
    spans = [slice(bounds[q], bounds[q + 1]) for q in range(len(queue_names))]
    lengths: dict[int, int] = {}
    single = [q for q, span in enumerate(spans) if span.stop - span.start == 1 and interval_minutes is None]
    same_day = [_same_day(local[span]) for span in spans]  # each queue's steps within one of its days, once
    sparse = [q for q, span in enumerate(spans) if interval_minutes is None and q not in single
              and _sparse(local[span], same_day[q])]
    for q, span in enumerate(spans):
        if q not in single and q not in sparse:
            lengths[q] = _queue_interval(source, queue_names[q], utc[span], local[span], rows[span], same_day[q],
                                         interval_minutes, interval_source=interval_source)
    agreed = set(lengths.values())
    own_file = "load the queue from a file of its own with --interval"  # --interval applies to every queue
    for q in single:
        span = spans[q]
        if len(agreed) != 1:
            found = ", ".join(duration_text(length) for length in sorted(agreed))
            raise source.error(
                [int(rows[span][0])],
                "interval_start",
                f"queue {queue_names[q]!r} has a single row, so its interval length cannot be inferred"
                + (f" (the other queues' intervals differ: {found}); pass --interval MINUTES if every queue has "
                   f"that length, or {own_file}" if len(agreed) > 1 else "; pass --interval MINUTES")
                + " (interval_minutes= in Python)",
            )
        lengths[q] = _queue_interval(source, queue_names[q], utc[span], local[span], rows[span], same_day[q],
                                     next(iter(agreed)) // 60, given=False)
    borrowed = set()
    for q in sparse:  # a callback queue at 09:00 and 17:00 is not of 8-hour intervals: the file's length
        span = spans[q]
        usual = next(iter(agreed)) if len(agreed) == 1 else None
        name = queue_names[q]
        if usual is not None and not (np.any(local[span] % usual) or np.any(np.diff(utc[span]) % usual)):
            lengths[q] = usual
            borrowed.add(q)
            warnings.append(f"{source.path}: queue {name!r} is listed at most twice a day, at times hours apart: "
                            f"read as {usual // 60}-minute intervals like the file's other queues, the time between "
                            f"its rows not listed (closed); if its rows are longer intervals, {own_file}")
            continue
        lengths[q] = _queue_interval(source, name, utc[span], local[span], rows[span], same_day[q], None)
        advice = "pass --interval MINUTES" if len(queue_names) == 1 else own_file
        warnings.append(f"{source.path}: queue {name!r} is listed at most twice a day, at times hours apart: its "
                        f"interval length is read as {duration_text(lengths[q])}, the shortest step between its rows; "
                        f"if its rows are shorter intervals, {advice} (interval_minutes= in Python)")
    for q, span in enumerate(spans):
        interval_s[span] = lengths[q]
        gap = None if q in borrowed else _gap_warning(source.path, queue_names[q], utc[span], local[span],
                                                      same_day[q], lengths[q], tz)
        if gap is not None:
            warnings.append(gap)
    return interval_s, warnings


def _sparse(local: np.ndarray, same_day: np.ndarray) -> bool:
    """Whether a queue's rows (two or more; ``local``: their local starts, ``same_day``: :func:`_same_day`) are at
    most two a day at times that cannot be consecutive intervals: two rows on a day more than an hour apart, or one
    row a day that is not at midnight (a row a day at 00:00 is a day's total, a day long)."""
    if not _at_most_two_a_day(same_day):
        return False
    steps = np.diff(local)[same_day]
    if steps.size:
        return bool(steps.min() > 3600)
    return bool(np.any(local % SECONDS_PER_DAY))


def _at_most_two_a_day(same_day: np.ndarray) -> bool:
    """Whether no day of a queue holds three rows or more (``same_day``: :func:`_same_day` of its starts)."""
    return not np.any(same_day[1:] & same_day[:-1])


def _queue_interval(
    source: Source,
    name: str,
    utc: np.ndarray,
    local: np.ndarray,
    rows: np.ndarray,
    same_day: np.ndarray,
    interval_minutes: int | None,
    given: bool = True,
    interval_source: str | None = None,
) -> int:
    """One queue's interval length in seconds: given (by --interval, or, ``given`` False, the file's other
    queues for a queue with a single row), or its smallest step between starts.

    Every step must be a whole number of intervals; longer steps are gaps or closed hours. A length given must
    also be the step the queue takes most often (:func:`_check_given_is_usual`), as an inferred one must
    (:func:`_check_shortest_is_usual`).
    """
    steps = np.diff(utc)
    if interval_minutes is not None:
        length = interval_minutes * 60
        off_grid = first_true(local % length != 0)
        if off_grid is not None:
            raise source.bad_value(
                int(rows[off_grid]),
                "interval_start",
                f"a start on the {interval_minutes}-minute grid of "
                + ("the interval given (--interval or interval_minutes)" if given else "the file's other queues"),
            )
    elif steps.size == 0:
        raise source.error(
            [int(rows[0])],
            "interval_start",
            f"queue {name!r} has a single row, so its interval length cannot be inferred; "
            "pass --interval MINUTES (interval_minutes= in Python)",
        )
    else:
        shortest = int(np.argmin(steps))
        length = int(steps[shortest])
        if length % 60 or length // 60 not in ALLOWED_INTERVAL_MINUTES:
            raise _step_error(
                source, rows, shortest,
                f"expected consecutive starts in queue {name!r} an interval apart, with an "
                f"interval length that divides 1440 minutes (such as 15 or 30), got "
                f"{duration_text(length)}",
            )
    mixed = first_true(steps % length != 0)
    if mixed is not None:
        raise _step_error(
            source, rows, mixed,
            f"mixed interval lengths in queue {name!r}: expected starts a multiple of "
            f"{duration_text(length)} apart, got {duration_text(int(steps[mixed]))}",
        )
    if interval_minutes is None:
        _check_shortest_is_usual(source, name, steps, local, rows, same_day, length)
    elif given:
        _check_given_is_usual(source, name, steps, local, rows, same_day, length,
                              interval_source or f"interval_minutes={interval_minutes}")
    return length


def _check_shortest_is_usual(source: Source, name: str, steps: np.ndarray, local: np.ndarray, rows: np.ndarray,
                             same_day: np.ndarray, length: int) -> None:
    """Fail when a few rows are off the grid of the step the queue takes most often within its days: one stray row
    at 16:45 in a 30-minute queue would make every interval 15 minutes long and double its traffic (each 30-minute
    volume offered in 15 minutes), with only a warning of missing intervals. Steps from one of the queue's days to
    the next (its day as the gap warning counts it, a night queue's from the end of its daily closure) are not
    counted. A sparse export of short intervals (5-minute rows with the empty ones left out) has many rows off the
    usual step's grid, not a few: it keeps the shortest step. The message names the first row off the usual step.
    Giving the shorter length (``--interval``) does not take it either (:func:`_check_given_is_usual`): a queue
    listed mostly at the longer step is not one of the shorter intervals."""
    within = steps[same_day]
    grid = _usual_grid(within, local, length)
    if grid is None:
        _check_no_days_at_a_longer_step(source, name, steps, local, rows, same_day, length)
        return
    usual, count, off_grid = grid
    short = first_true(steps < usual)
    assert short is not None  # the smallest step is below the usual one
    raise _step_error(
        source, rows, short,
        f"queue {name!r} has starts {duration_text(int(steps[short]))} apart where it most often has "
        f"{duration_text(usual)} ({count:,} of its {within.size:,} steps within a day; "
        f"{off_grid:,} of its {local.size:,} rows off that grid): a row off the queue's grid? Its "
        f"interval length would be read as {duration_text(length)}, every volume offered in that time; move the "
        f"row onto the queue's {usual // 60}-minute grid or remove it",
    )


_LONGER_DAY_STEPS = 4
"""A day at a longer step takes at least this many steps of it (five rows) to say so."""
_SURE_DAY_STEPS = 12
"""A day with this many steps of a longer step (twelve half hours of a merged 30-minute day) is one whatever share of
the rows it holds. A sparse export's day lies on a coarser grid by chance about once in 2**(rows - 1) days, and
seldom with most of its steps exactly the coarser one; fewer steps (8 hourly callbacks on a Saturday of a 15-minute
queue) may be such a day."""


def _check_no_days_at_a_longer_step(source: Source, name: str, steps: np.ndarray, local: np.ndarray,
                                    rows: np.ndarray, same_day: np.ndarray, length: int) -> None:
    """Fail when some of a queue's days are listed at a longer step while its shortest step is ``length``: two
    exports of different interval lengths merged (a Monday at 15 minutes, Tuesday to Friday at 30). Read at 15
    minutes, each half hour's volume on those days would be offered in 15 minutes, doubling its traffic, with only a
    warning of the :15 and :45 missing; and too many of their rows are off the longer step's grid for
    :func:`_check_shortest_is_usual` to see stray rows.

    A day is at a longer step M when M is its most common step (the smallest of equally common ones), it takes M at
    least :data:`_LONGER_DAY_STEPS` times, and every step of the day is a multiple of M (its rows on one M grid, a
    closed lunch hour or a missing interval aside). A sparse export of short intervals (the empty ones left out) has
    rows off any longer grid within a day, but a short day may lie on one by chance: such days are an error when one
    of them takes M :data:`_SURE_DAY_STEPS` times, or when those that take M at every step (no gap, which chance
    seldom gives) hold more than :data:`_STRAY_SHARE` of the queue's rows. A grid that moves between days (:15 and
    :45, then :00 and :30) has its shortest step across a day's end, and is refused as such. Giving the length
    (``--interval``) takes it as given."""
    within = np.flatnonzero(same_day)
    if not np.any(steps[within] > length):  # every day at the shortest step (a whole export): no longer day
        return
    day = np.concatenate(([0], np.cumsum(~same_day)))[within]  # each step's day, in order (rows are sorted)
    step = steps[within]
    span = int(step.max()) + 1
    keys, counts = np.unique(day * span + step, return_counts=True)  # each (day, step) pair once, in that order
    pair_day, pair_step = keys // span, keys % span
    order = np.lexsort((pair_step, -counts, pair_day))  # by day, the most common step first, the smallest of equals
    first = np.r_[True, pair_day[order][1:] != pair_day[order][:-1]]
    days, mode, times = pair_day[order][first], pair_step[order][first], counts[order][first]
    mode_of = np.zeros(int(day[-1]) + 1, dtype=step.dtype)
    mode_of[days] = mode
    off_grid = np.unique(day[step % mode_of[day] != 0])  # days with a step that is no multiple of their mode
    longer = (mode > length) & (times >= _LONGER_DAY_STEPS) & ~np.isin(days, off_grid)
    n_steps = np.bincount(day)[days]
    whole = longer & (times == n_steps)  # M at every step of the day
    if not (np.any(times[longer] >= _SURE_DAY_STEPS) or (n_steps[whole] + 1).sum() > _STRAY_SHARE * local.size):
        return
    usual, count = _usual_step(mode[longer])
    hit = first_true(np.isin(day, days[longer & (mode == usual)]) & (step == usual))  # in the first such day
    shortest = first_true(steps == length)
    assert hit is not None and shortest is not None  # such a day takes its step; the shortest step is a step
    if not same_day[shortest]:  # no day takes the shortest step: the grid moves between days
        raise _step_error(
            source, rows, shortest,
            f"queue {name!r} has starts {duration_text(usual)} apart within its days, but {duration_text(length)} "
            f"apart from {_date_text(local[shortest])} to the next day: its grid moves between days ({count:,} of its "
            f"days at {usual // 60} minutes), so it would be read as {duration_text(length)}, each volume offered in "
            "part of its time; list every day on one grid",
        )
    at = int(within[hit])
    raise _step_error(
        source, rows, at,
        f"queue {name!r} is listed every {duration_text(usual)} on {count:,} of its days (the first "
        f"{_date_text(local[at])}) but has starts {duration_text(length)} apart (the first on "
        f"{_date_text(local[shortest])}): two exports of different interval lengths merged? Read as "
        f"{duration_text(length)}, each {usual // 60}-minute volume would be offered in {duration_text(length)}; "
        f"list every day at one interval length (for a sparse {length // 60}-minute export, its empty intervals left "
        f"out, pass --interval {length // 60})",
    )


def _check_given_is_usual(source: Source, name: str, steps: np.ndarray, local: np.ndarray, rows: np.ndarray,
                          same_day: np.ndarray, length: int, interval_source: str) -> None:
    """Fail when a length given (``--interval``, ``interval_minutes``) is a fraction of the step the queue takes
    most often within its days, and (nearly) all its rows are on that step's grid: ``interval_minutes = 15`` on a
    30-minute file read every half hour's volume as offered in 15 minutes, doubling the traffic and the agents,
    with only a warning of missing intervals. The inverse of :func:`_check_shortest_is_usual`, with its tolerances:
    a sparse export (many rows off the usual step's grid) and a queue open one interval a day (no steps within a
    day) are taken at the length given."""
    within = steps[same_day]
    if 2 * np.count_nonzero(within == length) >= within.size:  # the given length is the usual step (or no steps)
        return
    days = local.size - within.size  # each day's rows but its first make its steps within the day
    if within.size < 2 * days:  # too few rows a day to tell an interval from a gap (09:00 and 17:00)
        return
    grid = _usual_grid(within, local, length)  # every step is a multiple of the length: usual is a longer one
    if grid is None:  # the length given is the usual step (a gappy export), or many rows are off its grid
        return
    usual, count, off_grid = grid
    first = first_true(same_day & (steps == usual))
    assert first is not None
    times = usual // length
    raise _step_error(
        source, rows, first,
        f"queue {name!r} has starts {duration_text(usual)} apart ({count:,} of its {within.size:,} steps within a "
        f"day; {off_grid:,} of its {local.size:,} rows off that grid), but the interval given is "
        f"{duration_text(length)} ({interval_source}): each {usual // 60}-minute volume would be offered in "
        f"{duration_text(length)}, " + ("doubling" if times == 2 else f"{times} times") + " its traffic; "
        + (f"give --interval {usual // 60} (interval_minutes={usual // 60} in Python), or drop {interval_source} to "
           "infer each queue's interval" if _on_grid_from_midnight(local, usual) else
           f"drop {interval_source} to infer each queue's interval (its starts are off the {usual // 60}-minute grid "
           "from midnight that a length given needs)"),
    )


def _on_grid_from_midnight(local: np.ndarray, step: int) -> bool:
    """Whether most of a queue's starts lie on the grid of ``step`` from local midnight (08:00, 08:30), as a length
    given must; a queue at :15 and :45 does not."""
    return int(np.argmax(np.bincount(local % step))) == 0


def _usual_grid(within: np.ndarray, local: np.ndarray, length: int) -> tuple[int, int, int] | None:
    """The step a queue takes most often within its days (``within``), how often, and how many of its rows are off
    that step's grid, when the step is not ``length``, divides a day, and at most :data:`_STRAY_SHARE` of the rows
    are off its grid; else None (nothing to judge by it). The two checks of the length against that grid share it."""
    if within.size == 0:
        return None
    usual, count = _usual_step(within)
    if usual == length or SECONDS_PER_DAY % usual:
        return None
    off_grid = _off_grid(local, usual)
    return None if off_grid > _STRAY_SHARE * local.size else (usual, count, off_grid)


def _usual_step(within: np.ndarray) -> tuple[int, int]:
    """The step a queue takes most often within its days (the smallest of equally common steps), and how often."""
    values, counts = np.unique(within, return_counts=True)
    most = int(np.argmax(counts))
    return int(values[most]), int(counts[most])


def _off_grid(local: np.ndarray, usual: int) -> int:
    """How many of a queue's rows are off the grid of step ``usual`` (which divides a day) that most of them are
    on: measured from the most common time past the step, so a 30-minute queue at :15 and :45 is on its grid."""
    return int(local.size - np.bincount(local % usual).max())


_STRAY_SHARE = 0.1
"""At most this share of a queue's rows off the grid of its usual step are taken for stray rows (an error); more are
a sparse export of shorter intervals."""


def _gap_warning(
    path: str, name: str, utc: np.ndarray, local: np.ndarray, same_day: np.ndarray, length: int, tz: str | None
) -> str | None:
    """A warning about intervals missing between the first and last interval of a local day.

    Steps across the day's boundary (a closed night or weekend) are not gaps, unless the hole is shorter than
    :data:`_NIGHT_S` (a 24/7 queue's missing 00:00). The boundary is midnight, unless the
    queue is open at midnight and, over more than one day, closed for at least :data:`_NIGHT_S` at the same time
    every day (a night queue, open 18:00 to 02:00): then its day runs from the end of that closure (18:00). The
    first missing start is shown in local time: of zone ``tz``, or else with the offset of the row before the gap.
    """
    missing, first = _missing_within_days(utc, same_day, length)
    if first is None:
        return None
    start = int(utc[first]) + length
    offset = offset_at(start, tz) if tz else int(local[first] - utc[first])
    noun = "interval" if missing == 1 else "intervals"
    return (
        f"{path}: queue {name!r}: {missing} {noun} missing within a day, "
        f"the first at {_local_text(start, offset)}"
    )


def _same_day(local: np.ndarray) -> np.ndarray:
    """For each step between a queue's consecutive starts, whether it stays within one of the queue's days: from
    midnight, or for a queue open across midnight from the end of its daily closure (:func:`day_boundary`)."""
    day = (local - day_boundary(local)) // SECONDS_PER_DAY
    return day[1:] == day[:-1]


def _missing_within_days(utc: np.ndarray, same_day: np.ndarray, length: int) -> tuple[int, int | None]:
    """Intervals missing between the first and last interval of a local day (see :func:`_gap_warning`), and the
    position of the interval after which the first is missing (None: none missing). A hole shorter than
    :data:`_NIGHT_S` is missing intervals also where it spans the day's boundary (a 24/7 queue without its 00:00
    row): no queue closes for less than that."""
    steps = np.diff(utc)
    inside_day = (steps > length) & (same_day | (steps - length < _NIGHT_S))  # a short hole across midnight too
    first = first_true(inside_day)
    return int((steps[inside_day] // length - 1).sum()), first


def missing_within_days(forecast: Forecast) -> tuple[int, ...]:
    """Per queue (in ``forecast.queue_names`` order), the intervals missing within a local day: the count the
    loader's gap warning gives, for ``wfm validate``'s table."""
    utc = forecast.interval_start.astype("datetime64[s]").astype(np.int64)
    local = utc + forecast.utc_offset_s.astype(np.int64)
    bounds = np.searchsorted(forecast.queue, np.arange(len(forecast.queue_names) + 1))
    return tuple(_missing_within_days(utc[a:b], _same_day(local[a:b]), int(forecast.interval_s[a]))[0] if b > a else 0
                 for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()))


_NIGHT_S = 2 * 3600
"""The shortest daily closure that can be a night queue's day boundary: a shorter hole at the same time every day
(an export that drops 03:00-04:00) is still warned of as missing intervals."""


def day_boundary(local: np.ndarray) -> int:
    """Seconds after midnight where the queue's day starts: 0, or for a queue open across midnight the end of the
    longest stretch of the day in which no interval starts on any day (see :func:`_gap_warning`)."""
    times = np.unique(local % SECONDS_PER_DAY)
    if times[0] != 0 or times.size < 2 or np.unique(local // SECONDS_PER_DAY).size < 2:
        return 0
    following = np.diff(np.r_[times, times[0] + SECONDS_PER_DAY])  # from each start time of day to the next
    longest = int(np.argmax(following))  # the first of equals: deterministic
    if following[longest] - np.min(following) < _NIGHT_S:  # no closure long enough to be the night
        return 0
    return int(times[(longest + 1) % times.size])


def _step_error(source: Source, rows: np.ndarray, step: int, problem: str) -> InputError:
    """An error at the two rows of a queue's step ``step`` (positions in its sorted rows), in column interval_start."""
    return source.error([int(rows[step]), int(rows[step + 1])], "interval_start", problem)


def _date_text(local: np.int64) -> str:
    """The local date (``2026-11-30``) of a local time in seconds since 1970."""
    return str(np.datetime64(int(local), "s"))[:10]


def _local_text(instant: int, offset: int) -> str:
    """ISO 8601 local time with offset of a UTC instant (seconds since 1970) and offset (s)."""
    return str(format_local(np.array([instant], "datetime64[s]"), np.array([offset]))[0])


def duration_text(seconds: int) -> str:
    """'15 minutes', '1 minute' or '90 seconds'."""
    if seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
