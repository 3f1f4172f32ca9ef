"""wfm.html_report: one self-contained, escaped, deterministic HTML page with inline SVG charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import matplotlib as mpl
import numpy as np
import pytest

from wfm.report.chart_days import clock_ticks as _clock_ticks
from wfm.report.chart_days import step_vertices as _steps
from wfm.report.html import PlanHeadline, QueueCoverage, _cell, render_plan_html

pytestmark = pytest.mark.slow  # solves weeks and draws charts: run by CI, skipped by -m 'not slow'

MONDAY = np.datetime64("2026-11-30", "D")


def _starts(day: np.datetime64, open_h: float, close_h: float, minutes: int) -> np.ndarray:
    first = day.astype("datetime64[s]") + np.timedelta64(int(open_h * 3600), "s")
    n = int(round((close_h - open_h) * 60 / minutes))
    return first + np.arange(n) * np.timedelta64(minutes * 60, "s")


def _fall_back_day(day: np.datetime64, minutes: int = 15) -> np.ndarray:
    """A 25-hour local day: 00:00 .. 01:45, then 01:00 .. 23:45 (01:00-01:45 twice)."""
    return np.concatenate([_starts(day, 0, 2, minutes), _starts(day, 1, 24, minutes)])


def _coverage(
    starts: np.ndarray, queue: str = "sales", minutes: int = 15, seed: int = 0, zero_volume_every: int = 0
) -> QueueCoverage:
    """Plausible synthetic plan numbers for the given local interval starts."""
    rng = np.random.default_rng(seed)
    hour = (starts - starts.astype("datetime64[D]")).astype(np.int64) / 3600
    volume = np.rint(40 * np.exp(-0.5 * ((hour - 12) / 3.5) ** 2) + rng.poisson(2, hour.size)).astype(float)
    if zero_volume_every:
        volume[::zero_volume_every] = 0
    required = np.ceil(volume * 300 / (minutes * 60) + 2)
    scheduled = np.ceil(required / 0.7) + rng.integers(-3, 3, hour.size)
    available = np.maximum(scheduled * 0.7 + rng.normal(0, 1, hour.size), 0)
    service_level = np.clip(0.8 + 0.05 * (available - required) + rng.normal(0, 0.03, hour.size), 0, 1)
    return QueueCoverage(
        queue=queue,
        local_start=starts,
        interval_s=minutes * 60.0,
        volume=volume,
        required=required,
        scheduled=scheduled,
        available=available,
        service_level=service_level,
        answer_within_s=20.0,
        service_level_target=0.8,
    )


def _week(open_h: float = 8, close_h: float = 20, minutes: int = 15, days: int = 7) -> np.ndarray:
    return np.concatenate([_starts(MONDAY + k, open_h, close_h, minutes) for k in range(days)])


HEADLINE = PlanHeadline(
    title="Plan for week 2026-W49: retail_voice_week_15min.csv",
    facts=[("Headcount", "42"), ("FTE", "38.5"), ("Weekly SL", "81.2%"), ("Input", "a&b <sha256>")],
    warnings=["Service level target missed on Mon 30 Nov (74.3% < 80%)"],
)


@pytest.fixture(scope="module")
def page() -> str:
    queues = [_coverage(_week(), "sales"), _coverage(_week(9, 17, days=6), "<script>alert(1)</script>", seed=1)]
    daily = [{"queue": "sales", "date": MONDAY, "service_level": 0.8123, "required_hours": 123.45}]
    return render_plan_html(HEADLINE, queues, daily)


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


# --- one self-contained document -----------------------------------------------------------------


def test_page_is_one_html_document(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert page.rstrip().endswith("</html>")
    for tag in ("<html", "<head>", "</head>", "<body>", "<main>", "<style>"):
        assert page.count(tag) == 1, tag
    assert page[: page.index("</head>")].count("<title>") == 1  # (each chart has its own SVG <title>)
    assert '<meta charset="utf-8">' in page
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page


def test_page_needs_no_network(page: str) -> None:
    without_namespaces = re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", page)
    assert "http://" not in without_namespaces and "https://" not in without_namespaces
    assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
    for reference in re.findall(r'(?:href|src)="([^"]*)"', page):
        assert reference.startswith(("#", "data:")), reference


def test_one_svg_per_chart_and_each_is_well_formed_xml(page: str) -> None:
    svgs = _svgs(page)
    assert len(svgs) == 3 * 2  # coverage, gap heat map, service level per queue
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        assert "<metadata" not in svg


def test_ids_are_unique_and_every_reference_resolves(page: str) -> None:
    ids = re.findall(r'\sid="([^"]*)"', page)
    assert len(ids) == len(set(ids))
    references = re.findall(r'url\(#([^)]*)\)', page) + re.findall(r'href="#([^"]*)"', page)
    assert references and set(references) <= set(ids)


# --- what the page says --------------------------------------------------------------------------


def test_headline_facts_and_warnings_are_shown_escaped(page: str) -> None:
    assert "<h1>Plan for week 2026-W49: retail_voice_week_15min.csv</h1>" in page
    assert "<dt>Headcount</dt><dd>42</dd>" in page
    assert "<dd>a&amp;b &lt;sha256&gt;</dd>" in page
    assert 'class="warnings"' in page
    assert "<li>Service level target missed on Mon 30 Nov (74.3% &lt; 80%)</li>" in page


def test_queue_names_are_escaped_everywhere(page: str) -> None:
    assert "<script>" not in page
    assert "<h2>Queue &lt;script&gt;alert(1)&lt;/script&gt;</h2>" in page
    for svg in _svgs(page):
        assert "alert(1)</script>" not in svg


def test_quotes_ampersands_and_tags_in_every_user_string_are_escaped() -> None:
    name = """q"1' & <script>alert("x")</script>"""
    escaped = "q&quot;1&#x27; &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    headline = PlanHeadline(
        title=f"Plan for week 2026-W49: {name}.csv",
        facts=[(f"Input {name}.csv", "ab12"), ("Queue", name)],
        warnings=[f"{name}: service level target missed on Mon 30 Nov"],
    )
    queues = [_coverage(_week(days=2), name), _coverage(_week(days=2), "plain", seed=1)]
    daily = [{"queue": name, "date": MONDAY, "service_level": 0.8}]
    page = render_plan_html(headline, queues, daily)
    assert "<script" not in page and "alert(\"x\")" not in page and "1' &" not in page
    assert f"<title>Plan for week 2026-W49: {escaped}.csv</title>" in page
    assert f"<h1>Plan for week 2026-W49: {escaped}.csv</h1>" in page
    assert f"<dt>Input {escaped}.csv</dt>" in page and f"<dd>{escaped}</dd>" in page
    assert f"<li>{escaped}: service level target missed on Mon 30 Nov</li>" in page
    assert f'<a href="#queue-1">{escaped}</a>' in page  # the queue links
    assert f"<h2>Queue {escaped}</h2>" in page
    assert f"<td>{escaped}</td>" in page  # the per-day table
    titles = re.findall(r"<svg\b[^>]*>\s*<title>(.*?)</title>", page)
    assert titles and all(t.startswith(escaped) or t.startswith("plain") for t in titles)


def test_charts_label_days_target_and_answer_time(page: str) -> None:
    assert "Mon 30 Nov" in page and "Sun 6 Dec" in page
    assert "Target 80% in 20 s" in page
    assert "Available − required (agents)" in page  # the heat map's colour bar


def test_no_warning_box_without_warnings() -> None:
    headline = PlanHeadline("Plan", [("Headcount", "1")], [])
    html = render_plan_html(headline, [_coverage(_starts(MONDAY, 9, 10, 15))])
    assert 'class="warnings"' not in html


def test_daily_rows_table(page: str) -> None:
    table = page[page.index('<section id="per-day">'):]
    assert '<th scope="col">Queue</th>' in table
    assert '<th scope="col" class="num">Service level</th>' in table
    assert '<td class="num">81.2%</td>' in table
    assert '<td class="num">123.5</td>' in table
    assert "<td>Mon 30 Nov 2026</td>" in table


def test_daily_rows_with_missing_keys_and_odd_values() -> None:
    rows = [{"queue": "<b>", "agents": np.int64(1234)}, {"queue": "x", "note": None, "agents": float("nan")}]
    html = render_plan_html(PlanHeadline("Plan", [], []), [], rows)
    assert "<td>&lt;b&gt;</td>" in html and '<td class="num">1,234</td>' in html
    assert '<td class="num">–</td>' in html and "<td></td>" in html
    assert "No queues in this plan." in html


# --- awkward calendars and data ------------------------------------------------------------------


def test_identical_input_gives_identical_bytes_whatever_the_global_style() -> None:
    queues = [_coverage(_week(days=2), "a"), _coverage(_week(days=2), "b", seed=3)]
    first = render_plan_html(HEADLINE, queues)
    before = dict(mpl.rcParams)
    with mpl.rc_context({"lines.linewidth": 7.0, "font.size": 20.0, "svg.hashsalt": None}):
        second = render_plan_html(HEADLINE, queues)
    assert first == second
    assert dict(mpl.rcParams) == before  # the report leaves matplotlib's settings as they were


def test_fall_back_day_is_drawn_as_25_hours() -> None:
    sunday = np.datetime64("2026-11-01", "D")
    starts = np.concatenate([_starts(sunday - 1, 0, 24, 15), _fall_back_day(sunday)])
    assert starts.size == 96 + 100
    html = render_plan_html(HEADLINE, [_coverage(starts)])
    assert "Sun 1 Nov (25 h)" in html
    assert len(_svgs(html)) == 3


def test_spring_forward_day_closed_hours_and_zero_volume() -> None:
    march = np.datetime64("2026-03-08", "D")
    skipped = np.concatenate([_starts(march, 0, 2, 15), _starts(march, 3, 24, 15)])  # 23 hours
    lunch_closed = np.concatenate([_starts(MONDAY, 8, 12, 30), _starts(MONDAY, 13, 18, 30)])
    queues = [
        _coverage(skipped, "24/7", zero_volume_every=3),
        _coverage(lunch_closed, "lunch", minutes=30, zero_volume_every=2),
    ]
    html = render_plan_html(HEADLINE, queues)
    assert len(_svgs(html)) == 6


def test_single_day_single_interval_and_all_zero_volume() -> None:
    one = _coverage(_starts(MONDAY, 9, 9.25, 15))
    quiet = _coverage(_starts(MONDAY, 9, 12, 15), "quiet", zero_volume_every=1)
    html = render_plan_html(HEADLINE, [one, quiet])
    assert len(_svgs(html)) == 6
    assert "<dt>Service level (planned)</dt><dd>–</dd>" in html  # no contacts, no service level


def test_queue_without_intervals_gets_a_note_not_charts() -> None:
    empty = _coverage(np.array([], dtype="datetime64[s]"), "closed all week")
    html = render_plan_html(HEADLINE, [empty])
    assert "No open intervals for this queue" in html and "<svg" not in html


def test_nan_service_level_and_unsorted_days_do_not_crash() -> None:
    base = _coverage(_week(days=3))
    sl = base.service_level.copy()
    sl[::5] = np.nan
    order = np.argsort(-base.local_start.astype("datetime64[D]").astype(np.int64), kind="stable")  # days reversed
    shuffled = QueueCoverage(
        base.queue, base.local_start[order], base.interval_s, base.volume[order], base.required[order],
        base.scheduled[order], base.available[order], sl[order], base.answer_within_s, base.service_level_target,
    )
    assert len(_svgs(render_plan_html(HEADLINE, [shuffled]))) == 3


def test_a_week_of_15_minute_intervals_for_three_queues_stays_small() -> None:
    queues = [_coverage(_week(0, 24), f"queue {k}", seed=k) for k in range(3)]  # 24/7: the worst case
    html = render_plan_html(HEADLINE, queues)
    assert len(html.encode("utf-8")) < 2_000_000


# --- inputs and helpers --------------------------------------------------------------------------


def test_coverage_arrays_must_match_and_are_read_only() -> None:
    good = _coverage(_starts(MONDAY, 9, 10, 15))
    assert good.local_start.dtype == np.dtype("datetime64[s]") and good.required.dtype == np.float64
    with pytest.raises(ValueError):
        good.required[0] = 1.0
    with pytest.raises(ValueError, match="volume"):
        QueueCoverage("q", good.local_start, 900.0, good.volume[:-1], good.required, good.scheduled,
                      good.available, good.service_level, 20.0, 0.8)
    with pytest.raises(ValueError, match="interval_s"):
        QueueCoverage("q", good.local_start, 0.0, good.volume, good.required, good.scheduled,
                      good.available, good.service_level, 20.0, 0.8)


def test_steps_break_at_closed_hours() -> None:
    x, y = _steps(np.array([8.0, 8.5, 10.0]), 0.5, np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(x, [8.0, 8.5, 8.5, 9.0, np.nan, 10.0, 10.5])
    np.testing.assert_array_equal(y, [1.0, 1.0, 2.0, 2.0, np.nan, 3.0, 3.0])


def test_clock_ticks_follow_the_wall_clock_after_the_clocks_go_back() -> None:
    assert _clock_ticks(0, 24, (), 6) == {0.0: "00:00", 6.0: "06:00", 12.0: "12:00", 18.0: "18:00"}
    # 01:00-01:59 happens twice: the wall clock is one hour behind elapsed time from elapsed 02:00.
    ticks = _clock_ticks(0, 25, ((2.0, 1.0),), 6)
    assert ticks == {0.0: "00:00", 7.0: "06:00", 13.0: "12:00", 19.0: "18:00"}


def test_table_cells_drop_a_needless_decimal() -> None:
    assert _cell("volume", 5640.0) == ("5,640", True)
    assert _cell("volume", 12.5) == ("12.5", True)
    assert _cell("service_level", 0.8) == ("80.0%", True)
    assert _cell("volume", float("nan")) == ("–", True)


@pytest.mark.slow
def test_charts_drawn_in_worker_processes_make_the_same_page(tmp_path) -> None:
    """`wfm plan --jobs` draws report.html's charts (most of its time) in worker processes too: the same bytes."""
    from conftest import SAMPLES

    import wfm
    from wfm.report.plan_files import plan_html

    plan = wfm.make_plan(wfm.load_forecast(SAMPLES / "multi_queue_30min.csv"), wfm.Settings(), jobs=1)
    assert len(plan.queues) == 3
    assert plan_html(plan, {}, jobs=2) == plan_html(plan, {}, jobs=1)


def test_a_figure_already_written_is_a_number_cell_as_written() -> None:
    from wfm.report.html import Figure, _cell

    assert _cell("service_level", Figure("79.97%")) == ("79.97%", True)  # a day that misses 80 % (not 80.0 %)
    assert _cell("service_level", 0.79997) == ("80.0%", True)  # a plain number is rounded as ever
