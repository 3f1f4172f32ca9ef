"""The input's bytes as lines and CSV records, the way the csv module sees them.

The header is read this way, and the error paths use it to find the line in the file where a row
starts: pyarrow, which parses the rows, skips blank lines and reads quoted line breaks, so a row's
number alone does not give its line.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator, Sequence
from typing import Any

from wfm.forecast.reading import MAX_INPUT_BYTES

LINE = re.compile(rb"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
"""A line of bytes with its line break: CR, LF or CRLF, as pyarrow and the csv module see them."""


def _text_lines(data: bytes | bytearray) -> Iterator[str]:
    """The lines of ``data`` as text with their line breaks, for the csv module.

    Like ``open(path, encoding="utf-8-sig", errors="replace", newline="")``, without copying
    ``data``: a byte order mark is dropped and bytes that are not UTF-8 are replaced.
    """
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    for line in LINE.finditer(data, start):
        yield line.group().decode("utf-8", errors="replace")


@contextlib.contextmanager
def csv_reader(data: bytes | bytearray) -> Iterator[Any]:
    """A csv reader of ``data``'s lines, with the csv module's field size limit lifted meanwhile.

    The default limit (128 KiB) is below MAX_LINE_BYTES; the global limit is restored after.
    """
    previous = csv.field_size_limit(min(MAX_INPUT_BYTES, 2**31 - 1))  # a C long on Windows
    try:
        yield csv.reader(_text_lines(data))
    finally:
        csv.field_size_limit(previous)


def line_numbers(data: bytes | bytearray, records: Sequence[int]) -> list[int]:
    """Line number in the file where each record starts (record 0 is the header).

    pyarrow skips blank lines and may read quoted line breaks, so the record number alone does
    not give the line; this error-path helper scans the input's bytes to find it.
    """
    wanted = set(records)
    found: dict[int, int] = {}
    try:
        with csv_reader(data) as reader:
            record, first_line = 0, 1
            for fields in reader:
                if fields:
                    if record in wanted:
                        found[record] = first_line
                        if len(found) == len(wanted):
                            break
                    record += 1
                first_line = reader.line_num + 1
    except csv.Error:
        pass  # cannot happen with the field size limit lifted; fall back to record numbers
    return [found.get(record, record + 1) for record in records]
