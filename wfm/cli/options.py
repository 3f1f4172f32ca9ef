"""The options every command shares, declared once: the forecast input (``--config``, ``--tz``,
``--interval``, ``--sheet``), the staffing targets (``--service-level`` ... ``--paid-hours``) and the output
(``--format``, ``--output``, ``--quiet``).

A command takes them with :func:`shared`, which adds them to its signature (so typer shows them in
``--help``) and hands them to the command as one :class:`Shared` value: no command repeats an option
or the mapping from flags to ``wfm.toml`` names.
"""

from __future__ import annotations

import copy
import functools
import inspect
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from wfm.errors import ConfigError


class Model(str, Enum):
    erlang_c = "erlang-c"
    erlang_a = "erlang-a"


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def output_path(text: str) -> Path:
    """An ``--output`` path, refusing a name that ends in a slash (a folder's, which Path would quietly drop)."""
    if text.endswith(("/", os.sep)) and text != "-":
        raise typer.BadParameter(f"{text} ends in a slash, as a folder's name does; name the file to write")
    return Path(text)


def page_path(text: str) -> Path:
    """An ``--html`` page's path: as :func:`output_path`, and not named as a workbook (the page is HTML)."""
    from wfm.outputs import is_workbook_name

    if is_workbook_name(text):
        raise typer.BadParameter(f"{text} is a workbook's name, but the page is HTML; name it .html")
    return output_path(text)


def page_option(help: str) -> Any:
    """The ``--html PAGE`` option of a command that can also write an HTML page (``help``: what the page holds),
    its path checked by :func:`page_path`."""
    return typer.Option("--html", help=help, show_default=False, parser=page_path, metavar="<path>")


def _stdout_dash(value: Optional[Path]) -> Optional[Path]:
    """``-o -`` means stdout, like no ``-o`` at all."""
    return None if value is not None and str(value) == "-" else value


ForecastArg = Annotated[Path, typer.Argument(metavar="FORECAST",
    help="Forecast CSV or .xlsx workbook: interval_start, volume, aht[, queue]; - reads standard input.",
    show_default=False)]
XlsxOpt = Annotated[bool, typer.Option("--xlsx", help="Also write plan.xlsx: every table as a sheet, typed cells.")]

# name: (annotation, default, wfm.toml name for a target flag or None)
_OPTIONS: dict[str, tuple[Any, Any, str | None]] = {
    "config": (Annotated[Optional[Path], typer.Option(
        "--config", help="wfm.toml with targets, per-queue overrides, shift and seat rules.")], None, None),
    "tz": (Annotated[Optional[str], typer.Option(
        "--tz", help="IANA zone of naive timestamps, e.g. Europe/London.")], None, None),
    "interval": (Annotated[Optional[str], typer.Option(
        "--interval", help="Interval length, e.g. 15m, 30m, 1h (default: inferred).")], None, None),
    "sheet": (Annotated[Optional[str], typer.Option(
        "--sheet", help="Worksheet of an .xlsx forecast \\[default: the first].")], None, None),
    "service_level": (Annotated[Optional[float], typer.Option(
        "--service-level", help="Fraction answered within the answer time \\[default: 0.8 for voice and chat, 0.9 "
                                "for email, social and back office].")], None, "service_level"),
    "answer_within": (Annotated[Optional[float], typer.Option(
        "--answer-within", help="Answer time for the service level, seconds \\[default: voice 30, chat 60, email "
                                "14400, social 3600, back office 86400].")], None, "answer_within_s"),
    "max_occupancy": (Annotated[Optional[float], typer.Option(
        "--max-occupancy", help="Occupancy cap, fraction \\[default: 0.85].")], None, "max_occupancy"),
    "asa": (Annotated[Optional[float], typer.Option(
        "--asa", help="Average speed of answer target, seconds \\[default: none].")], None, "asa_s"),
    "shrinkage": (Annotated[Optional[float], typer.Option(
        "--shrinkage", help="Fraction of paid time off the phones \\[default: 0.3].")], None, "shrinkage"),
    "min_staff": (Annotated[Optional[int], typer.Option(
        "--min-staff", help="Agents in every open interval \\[default: 0].")], None, "min_staff"),
    "paid_hours": (Annotated[Optional[float], typer.Option(
        "--paid-hours", help="Paid hours per FTE week \\[default: 40].")], None, "paid_hours_per_fte_week"),
    "model": (Annotated[Optional[Model], typer.Option(
        "--model", help="Queueing model: erlang-c (nobody hangs up) or erlang-a (callers abandon; needs "
                        "--patience) \\[default: erlang-c].")], None, "model"),
    "patience": (Annotated[Optional[float], typer.Option(
        "--patience", help="Erlang A: callers' mean patience before they hang up, seconds.")], None, "patience_s"),
    "max_abandon": (Annotated[Optional[float], typer.Option(
        "--max-abandon", help="Erlang A: the most contacts that may abandon, a fraction of offered "
                              "\\[default: none].")], None, "max_abandon_rate"),
    "concurrency": (Annotated[Optional[int], typer.Option(
        "--concurrency", help="Chat: conversations one agent holds at once (chat queues only) "
                              "\\[default: 2 for chat].")], None, "concurrency"),
    "format": (Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="table, csv or json \\[default: table on a terminal, json into -o FILE.json, "
                               "csv otherwise].")], None, None),
    "output": (Annotated[Optional[Path], typer.Option(
        "--output", "-o", callback=_stdout_dash, parser=output_path, metavar="<path>",
        help="Write to this file instead of stdout ('-': stdout). Written whole or not at all; never over "
             "a folder or an input.")], None, None),
    "quiet": (Annotated[bool, typer.Option("--quiet", "-q", help="No warnings or progress on stderr.")], False, None),
}

INPUT = ("config", "tz", "interval", "sheet")
TARGETS = ("service_level", "answer_within", "max_occupancy", "asa", "shrinkage", "min_staff", "paid_hours",
           "model", "patience", "max_abandon", "concurrency")
OUTPUT = ("format", "output", "quiet")


@dataclass(frozen=True)
class Shared:
    """The shared options a command was given (None: not given)."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def target_overrides(self) -> dict[str, Any]:
        """The target flags by their wfm.toml names; a flag not given is None and changes nothing."""
        values = {str(_OPTIONS[name][2]): self.values[name] for name in TARGETS if name in self.values}
        if isinstance(values.get("model"), Enum):
            values["model"] = values["model"].value
        return values

    def inputs(self, *paths: Path | None) -> tuple[Path, ...]:
        """The run's input files (``paths`` and the config; ``-`` is standard input), never to be written over."""
        given = (*paths, self.values.get("config"))
        return tuple(p for p in given if p is not None)


PLAN_FILES_READ = ("summary.json", "shifts.csv", "coverage.csv")
"""The files of a plan folder that ``--plan`` reads (wfm simulate, wfm whatif)."""


def plan_inputs(plan: Path | None) -> tuple[Path, ...]:
    """The files a command reads from the plan folder ``plan`` (``--plan``): inputs, never written over; other files
    in the folder (an earlier run's output) may be."""
    return () if plan is None else (plan, *(plan / name for name in PLAN_FILES_READ))


def shared(*names: str, help: Mapping[str, str] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give the decorated command the shared options ``names``, as its keyword argument ``opts``; ``help`` replaces
    the help of some of them, for a command where the shared one would not be true (``wfm validate``'s table is its
    default format everywhere, not only on a terminal)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "opts"]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=_OPTIONS[name][1],
                                   annotation=_with_help(_OPTIONS[name][0], (help or {}).get(name)))
                 for name in names]

        @functools.wraps(command)
        def run(**kwargs: Any) -> Any:
            opts = Shared({name: kwargs.pop(name) for name in names})
            return command(**kwargs, opts=opts)

        run.__signature__ = signature.replace(parameters=own + added)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in own + added}
        return run

    return decorate


def _with_help(annotation: Any, text: str | None) -> Any:
    """A shared option's ``Annotated[type, typer.Option(...)]`` with its help replaced by ``text`` (None: as it is)."""
    if text is None:
        return annotation
    option = copy.copy(annotation.__metadata__[0])
    option.help = text
    return Annotated[annotation.__origin__, option]


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|mins|minutes|h|hr|hours?)?\s*$", re.IGNORECASE)


def parse_interval(text: str) -> int:
    """'15m', '30', '1h' -> minutes."""
    match = _INTERVAL.match(text)
    if not match:
        raise ConfigError(f"--interval: expected a length such as 15m, 30m or 1h, got {text!r}")
    value = float(match.group(1)) * (60 if (match.group(2) or "m").lower().startswith("h") else 1)
    if value != int(value) or value <= 0:
        raise ConfigError(f"--interval: expected a whole number of minutes > 0, got {text!r}")
    return int(value)
