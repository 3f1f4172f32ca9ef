"""How every chart looks and how it becomes inline SVG: the shared palette, the fixed matplotlib settings
(no user matplotlibrc, one font, stable ids), a new figure of the pages' width (:func:`new_figure`,
:func:`figure_with_axes`) and :func:`svg`, which draws a figure and trims its SVG for inlining in HTML.

Drawn with matplotlib's object-oriented API (no pyplot, no GUI backend, no global style change): identical
input gives byte-identical SVG (for a given matplotlib version).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.style
from matplotlib.figure import Figure

from wfm.report.page_text import esc

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "INK", "MUTED", "REQUIRED", "AVAILABLE", "SCHEDULED", "SHORT", "DEFERRED",
    "new_figure", "figure_with_axes", "svg",
]

INK = "#1f2328"
MUTED = "#57606a"
REQUIRED = "#111111"
AVAILABLE = "#1f6fb4"
SCHEDULED = "#c9dcef"
SHORT = "#d62728"
DEFERRED = "#2ca02c"  # green: available agents working deferred work
_WIDTH_IN = 11.0

_RC = {
    "svg.fonttype": "none",  # text as <text>: small, selectable, drawn in the reader's sans-serif
    "svg.hashsalt": "wfm-plan-report",  # stable clip-path ids: identical input, identical bytes
    "svg.image_inline": True,
    "svg.id": None,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # ships with matplotlib: the same text layout everywhere
    "font.size": 9.0,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.0,
    "axes.labelcolor": MUTED,
    "axes.edgecolor": "#8c959f",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e6e9ec",
    "grid.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "path.simplify": True,
    "path.simplify_threshold": 0.2,
    "figure.dpi": 72,
    "savefig.dpi": 72,
}


def new_figure(height_in: float) -> Figure:
    """A figure of the pages' width, laid out by matplotlib's constrained layout."""
    return Figure(figsize=(_WIDTH_IN, height_in), dpi=72, layout="constrained")


def figure_with_axes(height_in: float) -> tuple[Figure, Axes]:
    """A :func:`new_figure` with one set of axes."""
    figure = new_figure(height_in)
    return figure, figure.subplots()


def svg(make_figure: Callable[[], Figure], id_prefix: str, title: str) -> str:
    """Draw a figure to SVG under fixed settings and return it ready to inline in HTML: no XML prolog
    or DOCTYPE, no metadata, ids prefixed so that several charts on one page cannot clash."""
    buffer = StringIO()
    with mpl.rc_context():
        matplotlib.style.use("default")  # ignore the user's matplotlibrc: the same page everywhere
        mpl.rcParams.update(_RC)  # type: ignore[arg-type]  # matplotlib types keys as literals
        figure = make_figure()
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},  # no <metadata> at all
        )
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    text = re.sub(r"<[^>]*>", lambda tag: _tidy_tag(tag.group(0), id_prefix), text)
    text = re.sub(r">\n[ \t]+<", ">\n<", text)  # indentation between tags
    head_end = text.index(">") + 1
    return f'<svg role="img" {text[5:head_end]}\n <title>{esc(title)}</title>{text[head_end:]}'.rstrip()


_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def _two_decimals(number: re.Match[str]) -> str:
    text = f"{float(number.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_PATH_DATA = re.compile(r'(\sd=")([^"]*)"')
_PATH_TOKEN = re.compile(r"[A-Za-z]|[^A-Za-z\s]+")


def _compact_path(data: str) -> str:
    """SVG path data without line breaks and without the 'L' that may be left implicit after M or L."""
    out: list[str] = []
    command = ""
    for token in _PATH_TOKEN.findall(data):
        if token.isalpha():
            if token == "L" and command in ("M", "L"):
                continue
            command = token
        out.append(token)
    return " ".join(out)


def _tidy_tag(tag: str, prefix: str) -> str:
    """One matplotlib SVG tag, smaller and with its ids (and references to them) made unique on the
    page by ``prefix``. Only tags are edited, never text; matplotlib escapes quotes in attribute
    values, so 'id="' and '#' references only occur where they are real."""
    tag = _LONG_DECIMAL.sub(_two_decimals, tag)  # 1/100 pt is far below what anyone can see
    tag = _PATH_DATA.sub(lambda m: f'{m.group(1)}{_compact_path(m.group(2))}"', tag)
    tag = re.sub(r'(\sid=")', rf"\g<1>{prefix}", tag)
    tag = tag.replace("url(#", f"url(#{prefix}")
    return re.sub(r'(href=")#', rf"\g<1>#{prefix}", tag)
