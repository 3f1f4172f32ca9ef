"""wfm.forecast.timestamps: the canonical-layout fast path gives what the general pattern gives, or steps aside."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.errors import InputError
from wfm.forecast import timestamps
from wfm.forecast.columns import match_columns, read_header, read_rows
from wfm.forecast.source import Source


def _source(cells: list[str]) -> Source:
    data = ("queue,interval_start,volume,aht\n" + "".join(f"q,{c},1,1\n" for c in cells)).encode()
    header, _ = read_header("f.csv", data)
    columns, _ = match_columns("f.csv", header)
    return Source("f.csv", tuple(header), columns, data, read_rows("f.csv", data, columns, len(header))[0])


def _general(source: Source):
    """parse_starts with the fast path switched off: (local, offsets) or the error's message."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timestamps, "_canonical_starts", lambda _source: None)
        return _outcome(source)


def _outcome(source: Source):
    try:
        local, offset = timestamps.parse_starts(source)
    except InputError as error:
        return str(error)
    return local.tolist(), None if offset is None else offset.tolist()


CANONICAL = ["2026-03-29T00:45:00+00:00", "2026-03-29T02:00:00+01:00", "2026-10-25T01:15:00-05:30"]


def test_canonical_cells_take_the_fast_path_and_agree():
    source = _source(CANONICAL)
    fast = timestamps._canonical_starts(source)
    assert fast is not None
    assert (fast[0].tolist(), fast[1].tolist()) == _general(source)
    naive = _source([c[:19] for c in CANONICAL])
    fast_naive = timestamps._canonical_starts(naive)
    assert fast_naive is not None and fast_naive[1] is None
    assert fast_naive[0].tolist() == fast[0].tolist()


@pytest.mark.parametrize("cell", [
    "2026-03-29 00:45:00+00:00",  # a space for T
    "2026-03-29T00:45:00Z",  # Z
    "2026-03-29t00:45:00+00:00",  # lower-case t
    "2026-02-30T00:45:00+00:00",  # no such day
    "2026-03-29T24:45:00+00:00",  # no such hour
    "2026-03-29T00:45:00+18:30",  # an offset beyond 18 h
    "2026-03-29T00:45:00+05:60",  # a minute over 59
    "2200-01-01T00:00:00+00:00",  # a year out of range
    "2026-03-29T00:45:00*00:00",  # no sign
    "2026-03-2٩T00:45:00+00:00",  # an Arabic-Indic digit (two bytes: the width changes)
    " 026-03-29T00:45:00+00:00",  # a space in place of a digit
])
def test_any_other_cell_leaves_the_column_to_the_general_path(cell):
    source = _source([CANONICAL[0], cell])
    assert timestamps._canonical_starts(source) is None
    assert _outcome(source) == _general(source)


_DIGIT = st.sampled_from("0123456789")
_CHAR = st.sampled_from("0123456789-:T +Zz.")


@pytest.mark.slow  # 300 hypothesis examples: run by CI, skipped by -m 'not slow'
@settings(max_examples=300, deadline=None)
@given(
    starts=st.lists(st.integers(-2_208_988_800, 7_258_118_399), min_size=1, max_size=6),  # years 1900-2199
    offsets=st.lists(st.integers(-18 * 4, 18 * 4), min_size=1, max_size=6),
    naive=st.booleans(),
    edits=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 24), _CHAR | _DIGIT), max_size=2),
)
def test_fast_path_and_general_path_agree(starts, offsets, naive, edits):
    """Random canonical cells, some with a character changed: the same instants and offsets, or the same error."""
    cells = []
    for i, second in enumerate(starts):
        offset = 15 * 60 * offsets[i % len(offsets)]
        text = np.datetime_as_string(np.datetime64(second, "s"))
        sign = "-" if offset < 0 else "+"
        cells.append(text if naive else f"{text}{sign}{abs(offset) // 3600:02d}:{abs(offset) // 60 % 60:02d}")
    for row, place, char in edits:
        cell = cells[row % len(cells)]
        place %= len(cell)
        cells[row % len(cells)] = cell[:place] + char + cell[place + 1:]
    source = _source(cells)
    fast = timestamps._canonical_starts(source)
    general = _general(source)
    if fast is not None:
        assert (fast[0].tolist(), None if fast[1] is None else fast[1].tolist()) == general
    assert _outcome(source) == general
