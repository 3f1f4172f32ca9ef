"""wfm.report.columns: the CSV's column types write exactly what pyarrow writes from plain values."""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.config import Settings, Targets
from wfm.forecast import format_local, load_forecast
from wfm.report import documents
from wfm.report.columns import Blanks, FixedTexts, Labels, arrow_column
from wfm.staffing import size


def _plain_csv(columns: dict) -> bytes:
    """The CSV as pyarrow writes the values themselves, one Python object per value (the way before the
    column types): the reference the fast columns must equal byte for byte."""
    table = pa.table({name: pa.array(np.asarray(values).tolist()) for name, values in columns.items()})
    body = io.BytesIO()
    try:
        pacsv.write_csv(table, body, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    except pa.ArrowInvalid:  # a comma or a quote: then every text is quoted, as to_csv does
        body = io.BytesIO()
        pacsv.write_csv(table, body, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return (",".join(columns) + "\n").encode() + body.getvalue()


EDGES = [0.0, 1.0, 245.0, 9_999_999_999.0, 1e10, 12_345_678_901.0, 1e15, 2.0**53, 1e300, -3.0, 0.5, 1e-7,
         123.4, 0.0001]


def test_whole_floats_are_written_as_pyarrow_writes_them() -> None:
    for value in EDGES:
        column = np.array([value, 7.0])
        assert documents.to_csv({"x": column}) == _plain_csv({"x": column}), value
    assert arrow_column(np.array([245.0, 9_999_999_999.0])).type == pa.int64()  # the fast path is taken
    assert arrow_column(np.array([245.0, 1e10])).type == pa.float64()  # 1e10 is written 1e+10
    negative_zero = np.array([-0.0, 3.0])
    assert documents.to_csv({"x": negative_zero}) == b"x\n-0\n3\n"  # as before: pyarrow writes -0.0 as -0


@pytest.mark.slow  # 200 hypothesis examples: run by CI, skipped by -m 'not slow'
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(-10**11, 10**11).map(float),
                          st.floats(allow_nan=True, allow_infinity=True),
                          st.sampled_from(EDGES + [-0.0, float("nan")])), min_size=1, max_size=8))
def test_any_float_column_is_written_as_before(values: list[float]) -> None:
    column = np.array(values, dtype=np.float64)
    assert documents.to_csv({"x": column}) == _plain_csv({"x": column})
    blanks = Blanks(column)
    written = documents.to_csv({"x": blanks})
    assert written == _plain_csv({"x": np.asarray(blanks)})  # NaN as an empty field
    assert written.count(b"\n") == len(values) + 1


def test_column_types_show_their_values_to_numpy() -> None:
    labels = Labels(["north", "a,b", "café"], np.array([2, 0, 1, 0]))
    assert np.asarray(labels).tolist() == ["café", "north", "a,b", "north"] and len(labels) == 4
    assert documents.to_csv({"queue": labels}) == _plain_csv({"queue": labels}) == 'queue\n"café"\n"north"\n"a,b"\n"north"\n'.encode()
    plain = Labels(["north", "café"], np.array([1, 0]))
    assert documents.to_csv({"queue": plain}) == _plain_csv({"queue": plain}) == "queue\ncafé\nnorth\n".encode()
    blanks = Blanks(np.array([1.5, np.nan]))
    assert np.asarray(blanks).tolist() == [1.5, None]
    starts = np.array(["2026-03-29T00:30", "2026-03-29T01:30"], dtype="datetime64[s]")
    offsets = np.array([0, 3600])
    texts = format_local(starts, offsets)
    from wfm.forecast.model import local_text_bytes

    matrix = local_text_bytes(starts, offsets)
    assert matrix is not None
    assert np.asarray(FixedTexts(matrix)).tolist() == texts.tolist() == ["2026-03-29T00:30:00+00:00",
                                                                         "2026-03-29T02:30:00+01:00"]
    assert documents.to_csv({"t": FixedTexts(matrix)}) == _plain_csv({"t": texts})


def test_texts_that_are_not_25_characters_take_numpy() -> None:
    from wfm.forecast.model import local_text_bytes

    far = np.array(["10000-01-01T00:00"], dtype="datetime64[s]")
    assert local_text_bytes(far, np.array([0])) is None
    assert format_local(far, np.array([0])).tolist() == ["10000-01-01T00:00:00+00:00"]
    assert local_text_bytes(np.array([], dtype="datetime64[s]"), np.array([], dtype=np.int64)) is None


def test_requirement_csv_is_what_the_plain_values_give(write_csv) -> None:
    rows = "".join(f"{q},2026-12-01T08:{15 * k:02d}:00-06:00,{v},{a}\n" for q, (k, v, a) in
                   zip(['"b,1"', "é", '"b,1"', "é"], [(0, 100.5, 180), (1, 0, 200), (2, 300, 181.5), (3, 7, 240)]))
    requirement = size(load_forecast(write_csv("queue,interval_start,volume,aht\n" + rows)),
                       Settings(targets=Targets(answer_within_s=20)))
    columns = documents.requirement_columns(requirement)
    assert isinstance(columns["queue"], Labels) and isinstance(columns["interval_start"], FixedTexts)
    assert documents.to_csv(columns) == _plain_csv(columns)
    assert documents.records(columns)[0]["abandon_rate"] is None  # JSON: null, as before
