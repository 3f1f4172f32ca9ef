"""Columns of the machine formats that pyarrow's CSV writer takes as they are, without a Python object per row.

A 200,000-row requirement spent about 0.1 s turning numpy columns into pyarrow arrays one Python object at a
time (queue and channel names, local times, blanks), and 0.02 s writing whole numbers held as floats through
the float formatter. The column types here keep what they know (a few names and each row's code; texts of one
width as bytes; which values are blank) and hand pyarrow an array built from it (``__arrow_array__``). Writers
that go value by value (JSON, xlsx) see the same values through ``__array__``: an object array of str, or of
float with None for a blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa


class Labels:
    """Each row's name drawn from a few (its queue, its channel): ``names[codes]``."""

    def __init__(self, names: Sequence[str], codes: np.ndarray) -> None:
        self.names = list(names)
        self.codes = np.asarray(codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(np.asarray(self.names, dtype=object)[self.codes], dtype=dtype)

    def __arrow_array__(self, type: Any = None) -> pa.Array:
        import pyarrow as pa

        return pa.array(self.names, pa.string()).take(pa.array(self.codes))  # as text: the writer takes it 5x faster


class FixedTexts:
    """ASCII texts of one width, as the rows of a (rows, width) uint8 matrix (local times, 25 characters)."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = np.ascontiguousarray(matrix, dtype=np.uint8)

    def __len__(self) -> int:
        return len(self.matrix)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        width = self.matrix.shape[1]
        return np.asarray(self.matrix.view(f"S{width}").ravel().astype(f"U{width}"), dtype=dtype)

    def __arrow_array__(self, type: Any = None) -> pa.Array:
        import pyarrow as pa

        rows, width = self.matrix.shape
        ends = np.arange(0, rows * width + 1, width, dtype=np.int64)
        return pa.Array.from_buffers(pa.large_string(), rows, [None, pa.py_buffer(ends), pa.py_buffer(self.matrix)])


class Blanks:
    """Numbers whose NaN means "no such measure for this row": empty in CSV, null in JSON, an empty cell."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.values)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        out = self.values.astype(object)
        out[np.isnan(self.values)] = None
        return np.asarray(out, dtype=dtype)

    def __arrow_array__(self, type: Any = None) -> pa.Array:
        import pyarrow as pa

        return _as_written(pa.array(self.values, mask=np.isnan(self.values)), self.values)


_PLAIN_BELOW = 1e10
"""pyarrow's CSV writer spells a whole number held as a float plainly below this (9999999999) and in exponent
form from it on (1e+10); so do Python's repr and json below 1e16."""


def arrow_column(values: Any) -> pa.Array:
    """``values`` (a numpy array, a list or one of the column types above) as the pyarrow array the CSV is written
    from. Floats that are all whole numbers below 1e10 (a handle time, a backlog of 0) are written as integers,
    the same text pyarrow's float formatter gives them, in half the time."""
    import pyarrow as pa

    if isinstance(values, np.ndarray) and values.dtype == np.float64:
        return _as_written(pa.array(values), values)
    return pa.array(values)


def _as_written(array: pa.Array, values: np.ndarray) -> pa.Array:
    """``array`` as int64 where every valid value in ``values`` is a whole number that pyarrow writes plainly
    (below 1e10 in size, not -0.0, which it writes as -0); else ``array`` unchanged."""
    import pyarrow as pa

    valid = values[~np.isnan(values)] if array.null_count else values
    whole = np.abs(valid) < _PLAIN_BELOW
    if not (whole.all() and np.array_equal(np.trunc(valid), valid) and not np.signbit(valid[valid == 0.0]).any()):
        return array
    return pa.array(np.nan_to_num(values).astype(np.int64), mask=np.isnan(values) if array.null_count else None)
