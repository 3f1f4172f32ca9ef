"""``wfm forecast HISTORY.csv`` and ``wfm backtest HISTORY.csv`` (see :mod:`wfm.forecasting`). Registered with
the app by importing this module (wfm/cli/__init__.py); the forecasting package is imported only when a
command runs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from wfm.cli.base import check_page_path, command, load, named_json, show, warn
from wfm.cli.options import INPUT, OUTPUT, Shared, page_option, shared
from wfm.cli.process import emit, run_command, stderr_console
from wfm.errors import ConfigError

HistoryArg = Annotated[Path, typer.Argument(metavar="HISTORY",
    help="History in the forecast CSV's format (actual volume and handle time per interval); - reads stdin.",
    show_default=False)]
LevelOpt = Annotated[float, typer.Option(
    "--interval-level", help="Coverage of the prediction interval volume_lo..volume_hi, a fraction.")]


def _history(history: Path, opts: Shared) -> tuple[Any, dict[date, float], Optional[str], str]:
    """The history, the special days, the zone (else run.forecast takes the file's own) and where the special days
    are set (for messages)."""
    settings, loaded = load(history, opts, stderr_console(), zone_used=True)  # the history laid out on the zone
    return loaded, dict(settings.special_days), opts.tz or settings.tz, settings.section("forecast.special_days")


@command
@shared(*INPUT, "output", "quiet")
def forecast(
    history: HistoryArg,
    opts: Shared,
    horizon: Annotated[str, typer.Option("--horizon", help="How far ahead: 1w, 4w, 10d.")] = "1w",
    start: Annotated[Optional[str], typer.Option(
        "--start", help="First local date to forecast, e.g. 2026-12-07 \\[default: the day after the history].",
        show_default=False)] = None,
    interval_level: LevelOpt = 0.8,
    fallback: Annotated[Optional[str], typer.Option(
        "--fallback", help="baseline: forecast a queue with less than two weeks of history by a baseline (seasonal "
        "naive; under a week, its last day repeated), with a warning, instead of stopping.",
        show_default=False)] = None,
) -> None:
    """Forecast volume and handle time per interval from HISTORY, as a forecast CSV that wfm size and wfm plan
    read as is (with volume_lo, volume_hi: the prediction interval).

    Weekly level × day-of-week shape × intraday profile per weekday; only the intervals the centre is open
    (as learnt from the last four weeks and \\[forecast.special_days] in --config) are listed.

    [bold]Examples[/bold]

      wfm forecast actuals.csv --horizon 1w --tz America/Chicago -o next.csv && wfm plan next.csv --out plan-next

      wfm forecast actuals.csv --horizon 4w --start 2026-12-07 --tz America/Chicago --config wfm.toml

      wfm forecast actuals.csv --fallback baseline -o next.csv
    """

    def body() -> None:
        from wfm.forecasting.run import check_level, forecast_csv, parse_span
        from wfm.forecasting.run import forecast as run_forecast

        days = parse_span(horizon, "--horizon")
        first = _date(start)
        _check_csv_output(opts.output)
        if fallback is not None and fallback.strip().lower() != "baseline":
            raise ConfigError(f"--fallback: expected baseline, got {fallback!r}")
        check_level(interval_level, "--interval-level")  # the flags by their names, before the history is read
        loaded, special, tz, where = _history(history, opts)
        result = run_forecast(loaded, days, first, interval_level, special, tz,
                              fallback=None if fallback is None else "baseline", special_days_where=where)
        warn(opts, result.warnings)
        if not any(q.interval_start.size for q in result.queues):  # wfm size and wfm plan refuse a header alone
            last = result.first_day + timedelta(days=days - 1) if result.first_day is not None else None
            raise ConfigError(f"--start, --horizon: every queue is closed from {result.first_day} to {last} (as the "
                              "history's last weeks, and [forecast.special_days] in --config, have it): no interval "
                              "to forecast; nothing written")
        emit(forecast_csv(result), opts.output, opts.inputs(history))

    run_command(body)


def _check_csv_output(output: Optional[Path]) -> None:
    """``wfm forecast`` writes a forecast CSV only (what wfm size and wfm plan read): an ``-o`` named ``*.json``
    (where wfm size writes JSON) or as a workbook (which wfm reads as one) is refused, before the history is read,
    instead of holding CSV text under that name."""
    from wfm.outputs import is_workbook_name

    if output is not None and (named_json(output) or is_workbook_name(output)):
        raise ConfigError(f"--output {output}: wfm forecast writes a forecast CSV (what wfm size and wfm plan "
                          "read); name the file .csv")


def _date(text: Optional[str]) -> Optional[date]:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--start: expected a date such as 2026-12-07, got {text!r}") from None


@command
@shared(*INPUT, *OUTPUT)
def backtest(
    history: HistoryArg,
    opts: Shared,
    weeks: Annotated[int, typer.Option("--weeks", help="The history's last whole weeks to evaluate.")] = 4,
    lead: Annotated[str, typer.Option("--lead", help="How far ahead each week was forecast: 1w, 2w, 10d.")] = "1w",
    interval_level: LevelOpt = 0.8,
    html: Annotated[Optional[Path], page_option(
        "Also write a self-contained HTML page: the table and, per queue, a chart of forecast against actual volume "
        "per day.")] = None,
) -> None:
    """How well wfm forecast would have done: each of HISTORY's last --weeks weeks forecast from the history
    before it (rolling origin, as a weekly cron job), against the seasonal-naive and mean-of-last-four
    baselines: WAPE and bias per interval and per day, and the prediction interval's coverage.

    Exit code 0, or 2 on bad input or a queue with less than two weeks of history before a week evaluated.

    [bold]Examples[/bold]

      wfm backtest sample_forecasts/history_8w_15min.csv --weeks 4 --lead 1w

      wfm backtest actuals.csv --weeks 8 --format json -o backtest.json

      wfm backtest actuals.csv --weeks 4 --html backtest.html
    """

    def body() -> None:
        from wfm.forecasting.backtest import FLAGS, check_options
        from wfm.forecasting.backtest import backtest as run_backtest
        from wfm.forecasting.run import parse_span
        from wfm.report.numbers import plural

        lead_days = parse_span(lead, "--lead")
        check_options(weeks, lead_days, interval_level, FLAGS)  # the flags by their names, before the history is read
        loaded, special, tz, _ = _history(history, opts)
        result = run_backtest(loaded, weeks, lead_days, interval_level, special, tz=tz)
        warn(opts, result.warnings)
        inputs = opts.inputs(history)
        page = None
        if html is not None:  # both output paths checked before anything is written: a bad one writes nothing
            from wfm.report.backtest_html import render_backtest_html

            check_page_path(html, opts, inputs)
            name = Path(loaded.path).name
            title = f"Backtest: {name}, last {plural(result.weeks, 'week')}, {result.lead_days} days ahead"
            page = (html, render_backtest_html(result, title, {name: loaded.source_sha256}))
        show(opts, inputs, result, _print, lambda: _csv(result), lambda: _json(result), page)

    run_command(body)


def _print(console: Any, result: Any) -> None:
    from wfm.report.numbers import pct, plural
    from wfm.report.tables import compact_table

    columns = result.columns()
    table = compact_table(f"Backtest: last {plural(result.weeks, 'week')}, each forecast {result.lead_days} days "
                          "ahead",
                          ["Queue", *(heading for heading, _ in columns)], left=1)
    for name, r in result.rows():
        table.add_row(name, *("" if r[key] is None else pct(r[key]) for _, key in columns))
    console.print(table)


def _csv(result: Any) -> str:
    from wfm.forecasting.run import csv_field  # the forecast CSV's quoting: a comma, quote or line break

    rows = result.rows()
    keys = list(rows[0][1])
    lines = [",".join(["queue", *keys])]
    for name, r in rows:
        lines.append(",".join([csv_field(name), *("" if r[k] is None else str(r[k]) for k in keys)]))
    return "\n".join(lines) + "\n"


def _json(result: Any) -> str:
    import json

    return json.dumps(result.record(), indent=2) + "\n"
