"""`wfm backtest --html PAGE`: a self-contained page, escaped, deterministic, written whole or not at all."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from forecasting_synth import synth
from typer.testing import CliRunner

from wfm.cli import app

pytestmark = pytest.mark.slow  # draws charts (matplotlib): run by CI, skipped by -m 'not slow'


def wfm(*args: str) -> SimpleNamespace:
    """The command in process (as tests/test_cli.py runs it): its exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def _history(tmp_path, name: str = "<script>x</script>"):
    path = tmp_path / "history.csv"
    first = synth(weeks=8)[0].replace("\nq,", f"\n{name},")
    second = synth(weeks=8, seed=5)[0].split("\n", 1)[1]
    path.write_text(first + "".join(f"support{row[1:]}\n" for row in second.splitlines()))
    return path


def test_backtest_html_page_escaped_and_deterministic(tmp_path):
    history = _history(tmp_path)
    page, again = tmp_path / "out" / "bt.html", tmp_path / "bt2.html"
    page.parent.mkdir()
    run = wfm("backtest", str(history), "--weeks", "3", "--html", str(page), "-f", "csv")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("queue,actual,")  # the table still printed
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "<script" not in text and "&lt;script&gt;x&lt;/script&gt;" in text
    assert "http://" not in text.replace("http://www.w3.org/", "") and "https://" not in text
    assert text.count("<svg") == 2 and text.count('<section class="queue"') == 2
    for heading in ("WAPE", "bias", "day WAPE", "naive WAPE", "mean-4 WAPE", "80% PI coverage"):
        assert f">{heading}</th>" in text
    assert '<th scope="row">all</th>' in text and '<th scope="row">support</th>' in text
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))  # two charts, no clashing ids
    assert [p.name for p in page.parent.iterdir()] == ["bt.html"]  # no temp file left
    assert wfm("backtest", str(history), "--weeks", "3", "--html", str(again), "-f", "csv").returncode == 0
    assert again.read_bytes() == page.read_bytes()


def test_backtest_html_not_written_on_bad_input(tmp_path):
    short = tmp_path / "short.csv"
    short.write_text(synth(weeks=1)[0])
    page = tmp_path / "bt.html"
    run = wfm("backtest", str(short), "--html", str(page))
    assert run.returncode == 2 and not page.exists()
    history = _history(tmp_path, "q")
    bad = wfm("backtest", str(history), "--weeks", "0", "--html", str(page))
    assert bad.returncode == 2 and not page.exists()
    same = wfm("backtest", str(history), "--weeks", "2", "--html", str(page), "-o", str(page))
    assert same.returncode == 2 and not page.exists()
    assert sorted(tmp_path.iterdir()) == sorted([short, history])  # nothing written, no temp file
