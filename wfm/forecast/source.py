"""The file's rows as text columns, and how a message names a place in the file.

:class:`Source` holds the known columns as pyarrow text, and builds the one-line errors that name
the file, the row (its line number in the file, the header being line 1), the column, what was
expected and what was found. :func:`first_true` and :func:`to_numpy` help the converters find the
first offending row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wfm.errors import InputError
from wfm.forecast.lines import line_numbers


@dataclass(frozen=True)
class Source:
    """The file's rows as text, and how to name a place in the file in a message.

    Rows are numbered from 0 for the first data row; messages show line numbers in the file.
    """

    path: str
    header: tuple[str, ...]
    columns: dict[str, int]
    """Position in the header of each known column, by canonical name."""
    data: bytes | bytearray = field(repr=False)
    """The input as read, for the error paths that need to find a line."""
    table: pa.Table = field(repr=False)
    """The known columns as text, named by :func:`column_name` of position; data rows only."""
    from_code: bool = False
    """Records or arrays made in code, where None and NaN became blank cells (messages say so)."""
    records: np.ndarray | None = field(default=None, repr=False)
    """The CSV record of each row (0: the file's first) when rows were skipped (empty ones, or any before the
    header); None: row i is record i + 1."""

    @property
    def n_rows(self) -> int:
        return self.table.num_rows

    def column(self, column: str) -> pa.ChunkedArray:
        """The cells of a known column as read."""
        return self.table.column(column_name(self.columns[column]))

    def text(self, column: str) -> pa.Array:
        """The column's cells with surrounding whitespace removed."""
        return pc.utf8_trim_whitespace(self.column(column).combine_chunks())

    def error(self, rows: Sequence[int], column: str | tuple[str, ...], problem: str) -> InputError:
        """An error at the given data rows (first one first) of ``column`` (or of columns)."""
        return InputError(f"{self.place(rows, column)}: {problem}")

    def place(self, rows: Sequence[int], column: str | tuple[str, ...]) -> str:
        """``forecast.csv: row 7, column 'volume'``: the file, the data rows' line numbers and the column(s)."""
        records = [row + 1 if self.records is None else int(self.records[row]) for row in rows]
        lines = line_numbers(self.data, records)
        where = "row" if len(lines) == 1 else "rows"
        listed = " and ".join(str(line) for line in lines)
        names = (column,) if isinstance(column, str) else column
        what = "column" if len(names) == 1 else "columns"
        headings = " and ".join(repr(self.header[self.columns[name]]) for name in names)
        return f"{self.path}: {where} {listed}, {what} {headings}"

    def cell(self, row: int, column: str) -> str:
        """The text of one cell, quoted for a message (from code, a blank one was None or NaN)."""
        text = self.column(column)[row].as_py()
        return quote(text) if text or not self.from_code else "None or NaN"

    def bad_value(self, row: int, column: str, expected: str) -> InputError:
        """An error saying what ``column`` should hold and quoting what row ``row`` holds."""
        return self.error([row], column, f"expected {expected}, got {self.cell(row, column)}")


def column_name(position: int) -> str:
    """pyarrow's name for the column at ``position`` in the header."""
    return f"column_{position}"


def quote(text: str) -> str:
    """``text`` in quotes for a one-line message, shortened when long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def first_true(mask: np.ndarray) -> int | None:
    """Index of the first true element, or None."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def to_numpy(array: pa.Array) -> np.ndarray:
    """A null-free pyarrow array as numpy."""
    return array.to_numpy(zero_copy_only=False)
