"""Load a contact-volume forecast from CSV into columnar numpy arrays.

A forecast file has a header row and one row per queue and interval::

    interval_start,queue,volume,aht
    2026-12-01T08:00:00-06:00,sales,42,310
    2026-12-01T08:15:00-06:00,sales,55.5,305

* ``interval_start`` is an ISO 8601 timestamp. Either every row carries a UTC offset (``-06:00``,
  ``-0600``, ``-06`` or ``Z``) or none does, and then the caller names the IANA time zone of the
  local times (``tz="America/Chicago"``, the CLI's ``--tz``). Date and time are separated by
  ``T`` or a space; seconds are optional.
* ``volume`` is the number of contacts offered in the interval: a finite number >= 0, which may
  be fractional.
* ``aht`` is the average handle time in seconds: a finite number > 0 where volume > 0. Where
  volume is 0 it may be blank or 0 and is stored as 0. A queue whose mean handle time (weighted by
  volume) is under 15 s is warned of, as likely given in minutes.
* ``queue`` is optional; without it every row belongs to the queue ``default``.

Header names are matched case-insensitively after stripping whitespace, spaces or hyphens inside
read as underscores (``Interval Start``), through the aliases in :data:`COLUMN_ALIASES`. Other
columns are ignored with a warning. Blank lines and rows whose every field is empty (``,,,``, a
spreadsheet's empty rows) are skipped, before the header too. Fields are separated by commas; a
header that semicolons or tabs would split into the columns is refused as such a file.

The input is read exactly once, in chunks, into memory, and hashed as it is read
(:attr:`Forecast.source_sha256`); it can be a regular file, a pipe, a FIFO, ``/dev/stdin`` or ``-``
for standard input. While reading, it is checked against :data:`MAX_INPUT_BYTES` and
:data:`MAX_LINE_BYTES` and for NUL bytes, so binary or runaway input fails before memory grows; the
header is checked against :data:`MAX_COLUMNS`. pyarrow then parses the known columns as text from
that buffer, and they are converted with vectorised pyarrow and numpy operations, so a year of
15-minute intervals for 50 queues (1.75 million rows) loads in a few seconds. Only the paths that
report a problem look at single rows, and they work from the same bytes. Every problem with the
input raises :class:`~wfm.errors.InputError` with one line naming the file, the row (its line
number in the file, the header being line 1), the column, what was expected and what was found.
Dates must lie in the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`, and a row's offered traffic
must not exceed ``wfm.erlang.MAX_TRAFFIC_ERLANGS``.

Each queue's interval length is the smallest step between its consecutive starts, measured in
real (UTC) time, or the length the caller gives; either must be the step the queue takes most often
within its days (:mod:`~wfm.forecast.intervals`). A day with a daylight-saving change therefore
has 23 or 25 hours of intervals, and its 15-minute intervals are still 900 seconds long.

This package's namespace is the public surface; the modules, in the order a load uses them:

* :mod:`~wfm.forecast.loader`: :func:`load_forecast`, :func:`forecast_from_records` and
  :func:`forecast_from_arrays`, which run the steps below.
* :mod:`~wfm.forecast.reading`: reading the input's bytes once, bounded and hashed (standard
  input, the size limits).
* :mod:`~wfm.forecast.xlsx`: an Excel workbook's sheet (``.xlsx``, or ``sheet=``) as the CSV text the
  steps below check, messages naming the sheet; openpyxl is imported only then.
* :mod:`~wfm.forecast.lines`: the bytes as lines and CSV records, to read the header and to find
  the line of a row for a message.
* :mod:`~wfm.forecast.columns`: the header, its aliases, and parsing the known columns as text.
* :mod:`~wfm.forecast.source`: the columns as text, and errors naming file, row and column.
* :mod:`~wfm.forecast.values`: the ``queue``, ``volume`` and ``aht`` columns, and the traffic limit.
* :mod:`~wfm.forecast.timestamps`: ``interval_start`` text to wall-clock times and UTC offsets.
* :mod:`~wfm.forecast.zones`: the IANA zone of naive times, and daylight saving.
* :mod:`~wfm.forecast.intervals`: each queue's interval length, duplicates and gaps.
* :mod:`~wfm.forecast.model`: the :class:`Forecast` itself, :func:`select` and
  :func:`format_local`; numpy only, no pyarrow.

Only :mod:`~wfm.forecast.model` and :mod:`~wfm.forecast.reading` are imported with the package; the
other names are imported from their modules when first used, so code that only takes a
:class:`Forecast`, calls :func:`select` or :func:`format_local` does not load pyarrow. The limits
are read where they are used: to change one (in a test, say), set it in its module, such as
``wfm.forecast.reading.MAX_INPUT_BYTES``, not here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from wfm.forecast.model import Forecast, check_day_grid, format_local, select
from wfm.forecast.reading import MAX_INPUT_BYTES, MAX_LINE_BYTES, STDIN_NAME, STDIN_PATH

if TYPE_CHECKING:
    from wfm.forecast.columns import (
        COLUMN_ALIASES,
        DEFAULT_QUEUE,
        MAX_COLUMNS,
        REQUIRED_COLUMNS,
    )
    from wfm.forecast.intervals import ALLOWED_INTERVAL_MINUTES
    from wfm.forecast.loader import (
        forecast_from_arrays,
        forecast_from_records,
        load_forecast,
    )
    from wfm.forecast.timestamps import FIRST_YEAR, LAST_YEAR

_IMPORTED_ON_USE = {
    "COLUMN_ALIASES": "columns",
    "DEFAULT_QUEUE": "columns",
    "MAX_COLUMNS": "columns",
    "REQUIRED_COLUMNS": "columns",
    "ALLOWED_INTERVAL_MINUTES": "intervals",
    "forecast_from_arrays": "loader",
    "forecast_from_records": "loader",
    "load_forecast": "loader",
    "FIRST_YEAR": "timestamps",
    "LAST_YEAR": "timestamps",
}
"""The public names whose modules load pyarrow, and those modules."""

__all__ = [
    "ALLOWED_INTERVAL_MINUTES",
    "COLUMN_ALIASES",
    "DEFAULT_QUEUE",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_COLUMNS",
    "MAX_INPUT_BYTES",
    "MAX_LINE_BYTES",
    "REQUIRED_COLUMNS",
    "STDIN_NAME",
    "STDIN_PATH",
    "Forecast",
    "check_day_grid",
    "forecast_from_arrays",
    "forecast_from_records",
    "format_local",
    "load_forecast",
    "select",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    module = _IMPORTED_ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_IMPORTED_ON_USE))
