"""Machine formats: the requirement, the calculator and the plan as named columns, CSV and JSON.

Deterministic: the same plan gives the same bytes (no clock times; JSON keys in a fixed order; an
infinite ASA is null). pyarrow writes the CSV, imported only when a CSV is written.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from wfm import workers
from wfm.staffing import daily_summary, queue_summary, total_summary

if TYPE_CHECKING:
    import pyarrow as pa

    from wfm.calculator import Calculation
    from wfm.forecast import Forecast
    from wfm.staffing import Requirement, Summary

REQUIREMENT_COLUMNS = (
    "queue", "channel", "interval_start", "volume", "aht", "traffic_erlangs",
    "agents", "service_level", "asa_s", "occupancy", "abandon_rate", "staff", "backlog",
)
"""For deferred work (email, social, back office) ``service_level`` is the share of the interval's arrivals
answered within the response time, ``asa_s`` their mean response time and ``backlog`` the items waiting
at the interval's end (0 for real-time channels)."""


def requirement_columns(requirement: Requirement) -> dict[str, Any]:
    """The per-interval requirement as named columns, in REQUIREMENT_COLUMNS order, rounded for reading:
    Erlangs and fractions to 4 decimals, ASA to 0.01 s (inf when overloaded), backlog to 0.01 items. Each is a
    numpy array or a column type of :mod:`wfm.report.columns` (``np.asarray`` gives its values)."""
    from wfm.forecast.model import format_local, local_text_bytes
    from wfm.report.columns import Blanks, FixedTexts, Labels

    f = requirement.forecast
    local = local_text_bytes(f.interval_start, f.utc_offset_s)
    return {
        "queue": Labels(f.queue_names, f.queue),
        "channel": Labels(requirement.channels(), f.queue),
        "interval_start": (format_local(f.interval_start, f.utc_offset_s) if local is None else FixedTexts(local)),
        "volume": f.volume,
        "aht": f.aht_s,
        "traffic_erlangs": np.round(requirement.traffic_erlangs, 4),
        "agents": requirement.agents,
        "service_level": np.round(requirement.service_level, 4),
        "asa_s": Blanks(np.round(requirement.asa_s, 2)),  # deferred work with no arrivals: empty
        "occupancy": np.round(requirement.occupancy, 4),
        "abandon_rate": Blanks(np.round(requirement.abandon_rate, 4)),  # empty under Erlang C
        "staff": requirement.staff,
        "backlog": np.round(requirement.backlog, 2) + 0.0,  # + 0.0: never -0.0
    }


def to_csv(columns: Mapping[str, Any]) -> bytes:
    """CSV (UTF-8 bytes, as written) with a plain header; values quoted only where they must be. Bytes, not text:
    a year of 200 queues is half a gigabyte of CSV, and decoding it to write it encoded again held four copies.
    Columns are numpy arrays, lists or :mod:`wfm.report.columns` types (see arrow_column there). From PARALLEL_ROWS
    rows on, parts of the rows are written side by side in threads (pyarrow writes without the GIL): the same
    bytes, 200,000 rows in 0.6 of the time on 2 cores."""
    import pyarrow as pa

    from wfm.report.columns import arrow_column

    table = pa.table({name: arrow_column(values) for name, values in columns.items()})
    parts = [(table.slice(part.start, part.stop - part.start),) for part in workers.parts(table.num_rows)] or [(table,)]
    plain = workers.map_in_threads(_csv_body, parts)
    bodies = [body for body in plain if body is not None]
    if len(bodies) < len(plain):  # a value with a comma or quote in it: quote every part alike
        del plain, bodies  # not held while the quoted text is made
        bodies = workers.map_in_threads(partial(_csv_body, quoting="needed"), parts)  # type: ignore[arg-type]
    return b"".join([(",".join(columns) + "\n").encode("utf-8"), *bodies])  # each body's one copy, into the result


def _csv_body(table: pa.Table, quoting: str = "none") -> memoryview | None:
    """``table``'s rows as CSV without a header (as "needed" quotes them, or unquoted); None where a value needs
    quotes and ``quoting`` is "none" (pyarrow refuses to write it)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    body = io.BytesIO()
    try:
        pacsv.write_csv(table, body, pacsv.WriteOptions(include_header=False, quoting_style=quoting))
    except pa.ArrowInvalid:
        if quoting != "none":
            raise
        return None
    return body.getbuffer()


def _json_value(value: Any) -> Any:
    """JSON has no infinity: an overloaded interval's ASA is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(columns: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Columns as a list of rows of plain Python values."""
    names = list(columns)
    lists = [np.asarray(columns[n]).tolist() for n in names]
    return [dict(zip(names, row)) for row in zip(*lists)]


class Rows:
    """Columns that :func:`to_json` writes as :func:`records` would be written, one flat record per line, but
    made into Python rows a block at a time: the rows of 200,000 intervals as dicts of Python values held
    about 250 MB at once (``wfm size --format json`` peaked at 560 MB). Only for writing: a reader of the
    document gets :func:`records`."""

    BLOCK = 8192

    def __init__(self, columns: Mapping[str, Any]) -> None:
        self.names = list(columns)
        self.arrays = [np.asarray(columns[n]) for n in self.names]

    def __len__(self) -> int:
        return len(self.arrays[0]) if self.arrays else 0

    def blocks(self) -> Iterator[list[dict[str, Any]]]:
        """The rows, BLOCK at a time, as :func:`records` gives them."""
        for start in range(0, len(self), self.BLOCK):
            yield records({n: a[start:start + self.BLOCK] for n, a in zip(self.names, self.arrays)})


def to_json(document: Mapping[str, Any]) -> str:
    """Deterministic, human-diffable JSON; infinities (an overloaded interval's ASA) are null. Laid out as
    ``json.dumps(indent=2)`` would, except that a list of flat records (every interval, every day) has one record
    per line, written by json's C encoder: a year of 25 queues took 17 s and 4 GB through the indenting encoder,
    which is pure Python. The text is built as pieces joined once: each nesting level joining its own copy of
    the intervals' text held four copies of it at once."""
    parts: list[str] = []
    _json_parts(document, "", parts)
    parts.append("\n")
    return "".join(parts)


_RECORD = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _json_parts(value: Any, pad: str, out: list[str]) -> None:
    """Append the JSON text of ``value``, nested at ``pad``, to ``out``."""
    inner = pad + "  "
    if isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        out.append("{\n")
        for i, (k, v) in enumerate(value.items()):
            separator = ",\n" if i else ""
            out.append(f"{separator}{inner}{json.dumps(str(k), ensure_ascii=False)}: ")
            _json_parts(v, inner, out)
        out.append("\n" + pad + "}")
    elif isinstance(value, Rows):
        if not len(value):
            out.append("[]")
            return
        out.append("[\n")
        for i, block in enumerate(value.blocks()):
            out.append((",\n" if i else "") + ",\n".join(inner + _record_text(row) for row in block))
        out.append("\n" + pad + "]")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
        elif all(map(_is_flat_record, value)):
            out.append("[\n" + ",\n".join(inner + _record_text(row) for row in value) + "\n" + pad + "]")
        else:
            out.append("[\n")
            for i, v in enumerate(value):
                out.append(",\n" + inner if i else inner)
                _json_parts(v, inner, out)
            out.append("\n" + pad + "]")
    else:
        out.append(json.dumps(_json_value(value), ensure_ascii=False, allow_nan=False))


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _is_flat_record(row: Any) -> bool:
    """A mapping with no mapping, list or tuple among its values: one line of JSON. A dict of plain scalars (every
    interval's record) is told by its values' types at C speed: the isinstance tests against the Mapping ABC, 2.8
    million of them, made a 200,000-interval ``wfm size --format json`` take 4.9 s instead of 4.0 s."""
    if type(row) is dict and _SCALARS.issuperset(map(type, row.values())):
        return True
    return isinstance(row, Mapping) and not any(isinstance(v, (Mapping, list, tuple)) for v in row.values())


def _record_text(row: Mapping[str, Any]) -> str:
    """One flat record on one line; a non-finite number (rare: an overloaded interval's ASA) as null."""
    try:
        return _RECORD.encode(row)
    except ValueError:
        return _RECORD.encode({k: _json_value(v) for k, v in row.items()})


def summary_record(summary: Summary) -> dict[str, Any]:
    return {
        "queue": summary.queue,
        "period": summary.label,
        "intervals": summary.intervals,
        "days": summary.days,
        "volume": round(summary.volume, 4),
        "peak_agents": summary.peak_agents,
        "peak_staff": summary.peak_staff,
        "agent_hours": round(summary.agent_hours, 4),
        "staff_hours": round(summary.staff_hours, 4),
        "service_level": round(summary.service_level, 4),
        "fte": round(summary.fte, 4),
    }


def requirement_document(requirement: Requirement,
                         costs: tuple[Mapping[str, float], float] | None = None) -> dict[str, Any]:
    """The JSON form of `wfm size`: inputs, targets, summaries (each queue's ``cost`` at its site's
    rates, None without them) and every interval."""
    f = requirement.forecast
    queues = [summary_record(s) for s in queue_summary(requirement)]
    total = summary_record(total_summary(requirement))
    for record in queues:
        record["cost"] = None if costs is None else costs[0][record["queue"]]  # to the cent (wfm.cost.cents)
    total["cost"] = None if costs is None else costs[1]  # the sites' shared seats, not the sum
    return {
        "forecast": str(f.path),
        "targets": {q: vars(t) for q, t in zip(f.queue_names, requirement.targets)},
        "queues": queues,
        "total": total,
        "days": [summary_record(s) for s in daily_summary(requirement)],
        "intervals": Rows(requirement_columns(requirement)),
    }



OVERVIEW_COLUMNS = ("queue", "channel", "first_start", "last_start", "intervals", "missing_intervals",
                    "interval_minutes", "days", "volume", "aht_s", "peak_volume")
"""`wfm validate -f csv`: a row per queue (:class:`wfm.forecast.overview.QueueOverview`); volume to 4 decimals, the
volume-weighted AHT to 0.01 s; ``channel`` empty without a channel column."""


def overview_columns(forecast: Forecast) -> dict[str, list[Any]]:
    """What `wfm validate` found, as named columns in OVERVIEW_COLUMNS order, one value per queue."""
    from wfm.forecast.overview import overview

    queues = overview(forecast)
    rounded = {"volume": 4, "aht_s": 2}
    return {name: [round(getattr(q, name), rounded[name]) if name in rounded else getattr(q, name) for q in queues]
            for name in OVERVIEW_COLUMNS}


def overview_document(forecast: Forecast) -> dict[str, Any]:
    """The JSON form of `wfm validate`: the file, its zone (None for UTC offsets in the file), intervals, each queue
    (:data:`OVERVIEW_COLUMNS`) and the loader's warnings."""
    return {"forecast": str(forecast.path), "tz": forecast.tz, "intervals": forecast.n_rows,
            "queues": records(overview_columns(forecast)), "warnings": list(forecast.warnings)}


def calculation_document(calc: Calculation) -> dict[str, Any]:
    return {
        "volume": calc.volume,
        "aht_s": calc.aht_s,
        "interval_s": calc.interval_s,
        "targets": vars(calc.targets),
        "traffic_erlangs": _six_places(calc.traffic_erlangs),
        "required_agents": calc.required_agents,
        "required_staff": calc.required_staff,
        "limited_by": list(calc.limited_by),
        "options": [{k: _six_places(v) if isinstance(v, float) else v for k, v in vars(o).items()}
                    for o in calc.options],
    }


def _six_places(value: float) -> float:
    """``value`` to 6 decimal places, or to 6 significant digits below 0.1: 5.6e-09 Erlangs is not 0.0 (beside
    one required agent), nor 5.6e-07 1e-06."""
    if math.isfinite(value) and 0.0 < abs(value) < 0.1:
        return float(f"{value:.6g}")
    return round(value, 6)
