"""wfm.forecasting.open_hours: which slots and days a history shows open (the model's behaviour through them is
tested in test_forecasting_model.py)."""

from __future__ import annotations

import numpy as np

from wfm.forecasting import open_hours


def test_the_last_listed_days_of_each_weekday_skip_the_days_not_listed() -> None:
    listed = np.array([[True, True], [False, True], [True, True], [True, False]])  # (weeks, 2 weekdays)
    assert open_hours.last_listed(listed, 2).tolist() == [[False, False], [False, True], [True, True], [True, False]]
    assert not open_hours.last_listed(listed, 0).any()


def test_long_empty_runs_wrap_around_midnight_and_an_empty_day_is_one_run() -> None:
    empty = np.zeros((3, 8), dtype=bool)
    empty[0, [6, 7, 0, 1]] = True  # four slots across midnight
    empty[1, [2, 3]] = True  # two: shorter than the run asked for
    empty[2] = True
    runs = open_hours.long_runs(empty, 3)
    assert runs[0].tolist() == [True, True, False, False, False, False, True, True]
    assert not runs[1].any()
    assert runs[2].all()


def test_a_day_spans_its_first_to_its_last_row_and_a_day_without_rows_spans_nothing() -> None:
    present = np.zeros((1, 2, 6), dtype=bool)
    present[0, 0, [1, 2, 4]] = True
    first, last = open_hours.day_spans(present, np.array([[True, True]]))
    assert first.tolist() == [[1, 6]] and last.tolist() == [[4, -1]]
