"""Reading the input's bytes: once, in chunks, bounded and hashed as they are read.

The input can be a regular file, a pipe, a FIFO, ``/dev/stdin`` or ``-`` for standard input;
nothing seeks or reopens it. While reading, it is checked against :data:`MAX_INPUT_BYTES` and
:data:`MAX_LINE_BYTES` and for NUL bytes and UTF-16, so binary or runaway input fails before memory
grows.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from typing import BinaryIO

from wfm.errors import InputError

STDIN_PATH = "-"
"""The path that means standard input."""

STDIN_NAME = "<stdin>"
"""How standard input is named in messages and in :attr:`Forecast.path`."""

MAX_INPUT_BYTES = 2 << 30
"""Largest input read, in bytes (2 GiB, some 40 million rows). Loading takes several times the
input's size in memory, and a column's text must fit pyarrow's 32-bit string offsets."""

MAX_LINE_BYTES = 1 << 20
"""Longest line read, in bytes (1 MiB). A forecast line is under 100 bytes; a longer one is binary
data or a runaway field, reported as soon as it is seen instead of after reading it all."""

_READ_CHUNK_BYTES = 1 << 20
"""Bytes read at a time: at most MAX_LINE_BYTES, so only a line across chunks can be too long."""


def read_input(given: str, name: str, text: bool = True) -> tuple[bytearray, str]:
    """The whole input, read once, and the SHA-256 (hex) of its bytes.

    ``given`` is the path as the caller gave it (``-`` is standard input), ``name`` how messages
    name it. Nothing seeks or reopens the input, so pipes, FIFOs, ``/dev/stdin`` and process
    substitutions such as ``/dev/fd/63`` work like regular files. ``text=False`` (a workbook) keeps
    the size bound but not the checks for CSV text (UTF-16, NUL bytes, line length, a zip archive).
    """
    try:
        if given == STDIN_PATH:
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                raise InputError(f"{name}: cannot read standard input: it is closed or not binary")
            return _read_stream(name, stream, text)
        with open(given, "rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_INPUT_BYTES:
                raise _too_large(name)
            return _read_stream(name, file, text)
    except OSError as error:
        raise InputError(f"{name}: cannot read the file: {error.strerror or error}") from None


def _read_stream(name: str, stream: BinaryIO, text: bool = True) -> tuple[bytearray, str]:
    """Read ``stream`` to its end in chunks, checking each chunk before keeping it.

    Fails as soon as the input passes MAX_INPUT_BYTES or, as ``text``, holds a NUL byte or a line longer
    than MAX_LINE_BYTES, so /dev/zero or a large binary file fails after a chunk, not at the end.
    """
    data = bytearray()
    digest = hashlib.sha256()
    open_line = 0  # bytes of the last line of ``data``, which has no line break yet
    while chunk := stream.read(_READ_CHUNK_BYTES):
        if len(data) + len(chunk) > MAX_INPUT_BYTES:
            raise _too_large(name)
        if not text:
            digest.update(chunk)
            data += chunk
            continue
        if not data and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(
                f"{name}: row 1: expected UTF-8 text, got UTF-16 (save the file as CSV UTF-8)"
            )
        if not data and chunk.startswith(b"PK\x03\x04"):
            raise InputError(
                f"{name}: row 1: expected CSV text, got a zip archive; for an .xlsx workbook, name the file "
                "*.xlsx or pass --sheet NAME (sheet= in Python)"
            )
        nul = chunk.find(0)
        if nul >= 0:
            raise InputError(
                f"{name}: row {_line_at(data, chunk, nul)}: expected UTF-8 text, got a NUL byte; "
                "is this a CSV file?"
            )
        # A line within the chunk is shorter than the chunk, so only the lines at its ends count.
        last_break = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if last_break < 0:
            open_line += len(chunk)
        else:
            first_break = min(i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0)
            if open_line + first_break > MAX_LINE_BYTES:
                raise _too_long(name, _line_at(data, chunk, 0))
            open_line = len(chunk) - last_break - 1
        if open_line > MAX_LINE_BYTES:
            raise _too_long(name, _line_at(data, chunk, last_break + 1))
        digest.update(chunk)
        data += chunk
    return data, digest.hexdigest()


def _line_at(data: bytearray, chunk: bytes, offset: int) -> int:
    """Line number in the input (from 1) of byte ``offset`` of ``chunk``, read after ``data``."""
    head = chunk[:offset]
    split_crlf = data.endswith(b"\r") and head.startswith(b"\n")
    return 1 + _line_breaks(data) + _line_breaks(head) - split_crlf


def _line_breaks(text: bytes | bytearray) -> int:
    """Number of line breaks (CR, LF or CRLF) in ``text``."""
    return text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")


def _too_large(name: str) -> InputError:
    gib = MAX_INPUT_BYTES / 2**30
    limit = f"{gib:g} GiB" if gib >= 1 else f"{MAX_INPUT_BYTES:,} bytes"
    return InputError(
        f"{name}: expected a file of at most {limit}, got a larger one; "
        "split the forecast by queue or by period"
    )


def _too_long(name: str, line: int) -> InputError:
    return InputError(
        f"{name}: row {line}: expected a line of at most {MAX_LINE_BYTES:,} bytes, got a longer "
        "one; is this a CSV file?"
    )
