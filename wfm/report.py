"""What a planner reads: rich tables for the terminal, CSV and JSON for machines, files written atomically."""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from wfm.forecast import Forecast, format_local
from wfm.staffing import Calculation, Requirement, Summary, daily_summary, queue_summary, total_summary

REQUIREMENT_COLUMNS = (
    "queue", "interval_start", "volume", "aht", "traffic_erlangs",
    "agents", "service_level", "asa_s", "occupancy", "staff",
)


# --- files ---------------------------------------------------------------------------------------


def write_atomic(path: str | Path, data: str | bytes, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write a whole file or nothing, never over a folder, a device or an input: see
    :func:`wfm.outputs.write_file`."""
    from wfm.outputs import write_file

    write_file(path, data, inputs=tuple(inputs))


def requirement_columns(requirement: Requirement) -> dict[str, np.ndarray]:
    """The per-interval requirement as named columns, in REQUIREMENT_COLUMNS order, rounded for reading:
    Erlangs and fractions to 4 decimals, ASA to 0.01 s (inf when overloaded)."""
    f = requirement.forecast
    return {
        "queue": np.asarray(f.queue_names, dtype=object)[f.queue],
        "interval_start": format_local(f.interval_start, f.utc_offset_s),
        "volume": f.volume,
        "aht": f.aht_s,
        "traffic_erlangs": np.round(requirement.traffic_erlangs, 4),
        "agents": requirement.agents,
        "service_level": np.round(requirement.service_level, 4),
        "asa_s": np.round(requirement.asa_s, 2),
        "occupancy": np.round(requirement.occupancy, 4),
        "staff": requirement.staff,
    }


def to_csv(columns: Mapping[str, np.ndarray]) -> str:
    """CSV text with a plain header; values quoted only where they must be."""
    table = pa.table({name: pa.array(values) for name, values in columns.items()})
    body = io.BytesIO()
    try:
        pacsv.write_csv(table, body, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    except pa.ArrowInvalid:  # a value with a comma or quote in it
        body = io.BytesIO()
        pacsv.write_csv(table, body, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return ",".join(columns) + "\n" + body.getvalue().decode("utf-8")


def _json_value(value: Any) -> Any:
    """JSON has no infinity: an overloaded interval's ASA is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(columns: Mapping[str, np.ndarray]) -> list[dict[str, Any]]:
    """Columns as a list of rows of plain Python values."""
    names = list(columns)
    lists = [np.asarray(columns[n]).tolist() for n in names]
    return [dict(zip(names, row)) for row in zip(*lists)]


def _finite(value: Any) -> Any:
    """The document with every infinite or NaN number replaced by null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return _json_value(value)


def to_json(document: Mapping[str, Any]) -> str:
    """Deterministic, human-diffable JSON; infinities (an overloaded interval's ASA) are null."""
    return json.dumps(_finite(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


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


def requirement_document(requirement: Requirement) -> dict[str, Any]:
    """The JSON form of `wfm size`: inputs, targets, summaries and every interval."""
    f = requirement.forecast
    return {
        "forecast": str(f.path),
        "targets": {q: vars(t) for q, t in zip(f.queue_names, requirement.targets)},
        "queues": [summary_record(s) for s in queue_summary(requirement)],
        "total": summary_record(total_summary(requirement)),
        "days": [summary_record(s) for s in daily_summary(requirement)],
        "intervals": records(requirement_columns(requirement)),
    }


# --- terminal tables -----------------------------------------------------------------------------


def pct(x: float) -> str:
    """A fraction as a percentage; "-" when undefined (a service level with no contacts)."""
    return f"{100.0 * x:.1f}%" if math.isfinite(x) else "-"


class LiteralTable(Table):
    """A rich Table that shows every string cell exactly as given: never parsed as console markup
    (``[/bold]``, ``[red]``, ``[link=...]``) or emoji codes (``:smile:``). Queue names, paths and break
    names come from the user's files, so every table wfm prints is one of these (see compact_table)."""

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        super().add_row(*(Text(r) if isinstance(r, str) else r for r in renderables), **kwargs)


def compact_table(title: str, columns: Iterable[str], left: int = 1) -> Table:
    """A compact table: the first ``left`` columns are labels, the rest right-aligned numbers.
    The title and the string cells are shown literally (they may hold queue names and paths); the
    column headers, wfm's own words, may use markup."""
    literal_title = Text(title)
    table = LiteralTable(title=literal_title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold",
                         min_width=literal_title.cell_len + 2)  # a title never wraps
    for k, name in enumerate(columns):
        table.add_column(name, justify="left" if k < left else "right", no_wrap=True)
    return table


def summary_table(title: str, summaries: list[Summary], per_day: bool) -> Table:
    """Per-day or per-queue totals: volume, peaks, hours, service level (and FTE per queue)."""
    numbers = ["Volume", "Peak\nagents", "Peak\nstaff", "Agent\nhours", "Staff\nhours", "SL"]
    if per_day:
        table = compact_table(title, ["Queue", "Day", *numbers], left=2)
    else:
        periods = sorted({s.label for s in summaries})
        title = f"{title}, {periods[0].replace('..', ' to ')}" if len(periods) == 1 else title
        table = compact_table(title, ["Queue", *([] if len(periods) == 1 else ["Period"]), "Days", *numbers, "FTE"],
                       left=1 if len(periods) == 1 else 2)
    for s in summaries:
        values = [f"{s.volume:,.0f}", str(s.peak_agents), str(s.peak_staff), f"{s.agent_hours:,.1f}",
                  f"{s.staff_hours:,.1f}", pct(s.service_level)]
        if per_day:
            table.add_row(s.queue, f"{np.datetime64(s.label, 'D').item():%a %Y-%m-%d}", *values)
        else:
            period = [] if len(periods) == 1 else [s.label.replace("..", " to ")]
            table.add_row(s.queue, *period, str(s.days), *values, f"{s.fte:,.1f}")
    return table


def intraday_table(requirement: Requirement, queue: int, max_days: int = 7) -> Table:
    """Peak agents on the phones per local hour (rows) and day (columns) for one queue."""
    f = requirement.forecast
    rows = f.queue == queue
    local = f.local_start[rows]
    day = local.astype("datetime64[D]")
    hour = ((local - day).astype("timedelta64[h]")).astype(np.int64)
    days = np.unique(day)
    shown = days[:max_days]
    note = f" (first {max_days} of {days.size} days)" if days.size > max_days else ""
    table = compact_table(f"{f.queue_names[queue]}: peak agents on the phones per hour{note}",
                   ["Hour", *(f"{d.item():%a %d}" for d in shown)])
    grid = np.full((24, shown.size), -1, dtype=np.int64)
    keep = day <= shown[-1]
    np.maximum.at(grid, (hour[keep], np.searchsorted(shown, day[keep])), requirement.agents[rows][keep])
    for h in np.flatnonzero((grid >= 0).any(axis=1)).tolist():
        table.add_row(f"{h:02d}:00", *(str(v) if v >= 0 else "" for v in grid[h].tolist()))
    return table


def print_requirement(console: Console, requirement: Requirement) -> None:
    """The table view of `wfm size`: daily summaries, queue totals, and an intraday grid per queue."""
    console.print(summary_table("Per day", daily_summary(requirement), per_day=True))
    queues = queue_summary(requirement)
    console.print(summary_table("Per queue", queues + ([total_summary(requirement)] if len(queues) > 1 else []),
                                per_day=False))
    for q in range(len(requirement.forecast.queue_names)):
        console.print(intraday_table(requirement, q))


def terminal() -> Console:
    """The console for stdout: the terminal's width, or 160 columns into a pipe, where nothing is cut."""
    return Console(highlight=False, width=None if os.isatty(1) else 160)


def render_text(print_to_console, *args: Any, width: int = 160) -> str:
    """What a ``print_*`` function shows, as plain text (for ``--format table -o FILE``)."""
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    print_to_console(console, *args)
    return console.file.getvalue()


# --- the calculator ------------------------------------------------------------------------------


def _seconds(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:,.1f}"


def print_calculation(console: Console, calc: Calculation) -> None:
    """The familiar Erlang calculator table: one row per headcount, the answer marked."""
    t = calc.targets
    asa = f", ASA <= {t.asa_s:g} s" if t.asa_s is not None else ""
    console.print(
        f"Traffic {calc.traffic_erlangs:,.3f} Erlangs ({calc.volume:g} contacts x {calc.aht_s:g} s "
        f"in {calc.interval_s / 60:g} min). Target {100 * t.service_level:g}% in {t.answer_within_s:g} s, "
        f"occupancy <= {100 * t.max_occupancy:g}%{asa}, shrinkage {100 * t.shrinkage:g}%."
    )
    table = compact_table("", ["Agents", "Service\nlevel", "ASA (s)", "Occupancy", "P(wait)", "Staff", ""], left=0)
    for o in calc.options:
        mark = "<- required" if o.agents == calc.required_agents else ("meets" if o.meets_targets else "")
        table.add_row(str(o.agents), pct(o.service_level), _seconds(o.asa_s), pct(o.occupancy),
                      pct(o.wait_probability), str(o.staff), mark, style="bold" if mark.startswith("<") else None)
    console.print(table)
    if len(calc.options) == 1:
        verdict = "meet" if calc.options[0].meets_targets else "miss"
        console.print(f"{calc.options[0].agents} agents {verdict} the targets.")
    console.print(f"Required: {calc.required_agents} agents on the phones, {calc.required_staff} staff to schedule.")


def calculation_document(calc: Calculation) -> dict[str, Any]:
    return {
        "volume": calc.volume,
        "aht_s": calc.aht_s,
        "interval_s": calc.interval_s,
        "targets": vars(calc.targets),
        "traffic_erlangs": round(calc.traffic_erlangs, 6),
        "required_agents": calc.required_agents,
        "required_staff": calc.required_staff,
        "options": [{k: round(v, 6) if isinstance(v, float) else v for k, v in vars(o).items()}
                    for o in calc.options],
    }


# --- validate ------------------------------------------------------------------------------------


def _short_local(forecast: Forecast, rows: np.ndarray) -> list[str]:
    """'2026-10-26 00:00-04:00' for the given rows: local wall clock and UTC offset, to the minute."""
    return [f"{text[:10]} {text[11:16]}{text[19:]}" for text in
            format_local(forecast.interval_start[rows], forecast.utc_offset_s[rows]).tolist()]


def print_overview(console: Console, forecast: Forecast) -> None:
    """What `wfm validate` found: per queue, local date range, rows, interval length, volume, AHT."""
    title = (f"{forecast.path}: {forecast.n_rows:,} intervals, {len(forecast.queue_names)} queue(s)"
             + (f", zone {forecast.tz}" if forecast.tz else ""))
    table = compact_table(title, ["Queue", "First (local)", "Last (local)", "Intervals", "Length", "Days", "Volume",
                           "AHT (s)", "Peak\nvolume"], left=3)
    minutes = forecast.interval_minutes
    days = forecast.local_start.astype("datetime64[D]")
    for q, name in enumerate(forecast.queue_names):
        rows = np.flatnonzero(forecast.queue == q)
        volume = forecast.volume[rows]
        total = float(volume.sum())
        aht = float((volume * forecast.aht_s[rows]).sum() / total) if total > 0 else 0.0
        first, last = _short_local(forecast, rows[[0, -1]])
        table.add_row(name, first, last, f"{rows.size:,}", f"{minutes[name]} min", str(np.unique(days[rows]).size),
                      f"{total:,.0f}", f"{aht:,.0f}", f"{volume.max():,.1f}")
    console.print(table)
