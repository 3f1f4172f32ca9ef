"""`wfm backtest --html PAGE`: the backtest as one self-contained HTML page (inline SVG, no scripts, nothing
fetched; every name from the input escaped): the table of WAPE, bias and interval coverage the command prints,
then per queue a chart of forecast against actual volume per day over the evaluated weeks (the model, both
baselines, the actual; :func:`wfm.report.backtest_chart.backtest_figure`).

No prediction-interval band: the backtest's interval is per interval, and the sum of intervals' bounds is not
a day's interval. A pure function from data to text: the same backtest gives byte-identical pages (for a given
matplotlib version). The caller writes it whole (:func:`wfm.outputs.write_file`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from wfm.report.backtest_chart import backtest_figure
from wfm.report.chart_svg import svg
from wfm.report.numbers import pct
from wfm.report.page_text import esc, page_head

if TYPE_CHECKING:
    from wfm.forecasting.backtest import Backtest

__all__ = ["render_backtest_html"]

_NUM = ' class="num"'


def _pct(x: float | int | None) -> str:
    return "" if x is None else pct(x)


def render_backtest_html(result: Backtest, title: str, inputs: Mapping[str, str] | None = None) -> str:
    """The page (UTF-8 text) for ``result``; ``title`` heads it (escaped), ``inputs`` (file name -> SHA-256)
    are listed at the foot."""
    columns = result.columns()
    total = result.total.record()
    facts = [("Weeks evaluated", f"{result.weeks}"), ("Lead", f"{result.lead_days} days"),
             ("Model WAPE", _pct(total["model_wape"])), ("Seasonal-naive WAPE", _pct(total["seasonal_naive_wape"])),
             (f"{result.level:.0%} PI coverage", _pct(total["coverage"]))]
    parts = [*page_head(title), "<main>", "<header>", f"<h1>{esc(title)}</h1>", '<dl class="facts">',
             *(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in facts), "</dl>", "</header>"]
    if result.warnings:
        n = len(result.warnings)
        parts += ['<section class="warnings" aria-labelledby="warnings-heading">',
                  f'<h2 id="warnings-heading">{n} warning{"s" if n != 1 else ""}</h2>',
                  "<ul>", *(f"<li>{esc(w)}</li>" for w in result.warnings), "</ul>", "</section>"]
    if len(result.daily) > 1:
        links = " ".join(f'<a href="#queue-{k + 1}">{esc(d.queue)}</a>' for k, d in enumerate(result.daily))
        parts.append(f'<nav aria-label="Queues">Queues: {links}</nav>')
    rows = result.rows()
    parts += ['<section id="scores">', "<h2>Accuracy per queue</h2>", "<table>",
              '<thead><tr><th scope="col">Queue</th>'
              + "".join(f'<th scope="col"{_NUM}>{esc(h)}</th>' for h, _ in columns) + "</tr></thead>", "<tbody>"]
    for name, r in rows:
        parts.append(f'<tr><th scope="row">{esc(name)}</th>'
                     + "".join(f"<td{_NUM}>{esc(_pct(r[k]))}</td>" for _, k in columns) + "</tr>")
    parts += ["</tbody>", "</table>",
              '<p class="note">WAPE: the sum of absolute errors over the sum of actual volume, per interval (and per '
              "day: of the day totals); bias: the sum of errors over the actual (negative: forecast too low). "
              "Naive: the same weekday a week earlier; mean-4: the mean of the last four same weekdays. Coverage: "
              "the share of open intervals whose actual volume fell inside the prediction interval. AHT WAPE: the "
              "model's handle-time errors weighted by the actual contacts, over the actual workload (contacts × "
              "handle time).</p>",
              "</section>"]
    for k, d in enumerate(result.daily):
        label = f"{title}: queue {d.queue}, forecast and actual contacts per day"
        figure = backtest_figure(d.days, d.actual, d.forecast["model"], d.forecast["seasonal_naive"],
                                 d.forecast["mean_last4"])
        parts += [f'<section class="queue" id="queue-{k + 1}">', f"<h2>Queue {esc(d.queue)}</h2>",
                  f'<figure id="backtest-{k + 1}">', svg(figure, f"bt{k + 1}-", label),
                  "<figcaption>"
                  + esc(f"Contacts per day over the last {result.weeks} weeks, each week forecast "
                        f"{result.lead_days} days ahead from the history before it: the model (blue), seasonal "
                        "naive (orange, dashed), the mean of the last four same weekdays (grey, dotted) and the "
                        "actual (black dots; none on a day missing from the history, a special day or a partial "
                        "last day: an outlier day is scored and drawn, though left out of the later fits). The "
                        "prediction interval is per interval, not per day, so it is not drawn; its coverage is in "
                        "the table above.")
                  + "</figcaption>", "</figure>", "</section>"]
    notes = ["Rolling origin: each evaluated week forecast only from the history before it."]
    if inputs:
        notes.append("Inputs: " + "; ".join(f"{name} (SHA-256 {digest[:12]}…)" for name, digest in inputs.items()))
    parts += [f"<footer>Generated by wfm backtest. {esc(' '.join(notes))}</footer>", "</main>", "</body>",
              "</html>", ""]
    return "\n".join(parts)
