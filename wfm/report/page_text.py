"""Text on the HTML pages: the head every page starts with and its style sheet (:func:`page_head`), every
name from the input escaped (:func:`esc`) and percentages with an en dash where there is none (:func:`pct`).
No matplotlib here: a page without charts (``wfm whatif --html``) does not load it."""

from __future__ import annotations

import html
from typing import Any

from wfm.report.numbers import pct as _pct_any

__all__ = ["esc", "page_head", "pct"]


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def pct(x: float, decimals: int = 1) -> str:
    """``"91.6%"``, or ``"–"`` when undefined (a service level with no contacts)."""
    return _pct_any(x, decimals, undefined="–")


def page_head(title: str, extra_css: str = "") -> list[str]:
    """The start of every wfm HTML page, up to and including ``<body>``: UTF-8, the title (escaped)
    and the report's style sheet (plus ``extra_css``)."""
    return ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">', '<meta name="generator" content="wfm">',
            f"<title>{esc(title)}</title>", f"<style>{_CSS}{extra_css}</style>", "</head>", "<body>"]


_CSS = """
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--bad:#b42318;--bad-bg:#fef3f2}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:1.45rem;margin:0 0 .8rem}
h2{font-size:1.2rem;margin:2.2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--ink)}
h3{font-size:1rem;margin:1.4rem 0 .2rem}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:8px;margin:0}
.facts div{border:1px solid var(--line);border-radius:6px;padding:5px 10px}
.facts dt{font-size:.72rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0;font-size:1.05rem;font-weight:600;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.facts.small dd{font-size:.95rem}
.warnings{margin:1.2rem 0;padding:.6rem 1rem .5rem;border:1px solid #fda29b;border-left:6px solid var(--bad);
border-radius:6px;background:var(--bad-bg)}
.warnings h2{margin:0 0 .2rem;padding:0;border:0;font-size:1rem;color:var(--bad)}
.warnings ul{margin:0;padding-left:1.2rem}
nav{margin:1.2rem 0 0;color:var(--muted)}
nav a{margin-right:.8rem}
figure{margin:.3rem 0 1.2rem;break-inside:avoid}
figure svg{display:block;width:100%;height:auto}
figcaption,.note{font-size:.85rem;color:var(--muted)}
table{border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums}
th,td{padding:3px 12px 3px 0;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}
.num{text-align:right;padding-left:12px}
footer{margin-top:2.5rem;padding-top:.5rem;border-top:1px solid var(--line);font-size:.8rem;color:var(--muted)}
@media print{
body{font-size:10.5pt}
main{max-width:none;padding:0}
nav{display:none}
h2,h3{break-after:avoid}
tr{break-inside:avoid}
.warnings,.facts div{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""
