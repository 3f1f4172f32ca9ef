"""The console script's start-up (wfm.cli.startup): each import hook keeps a module out of the process until it is
used, and what is used still works."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from wfm.cli import startup


def test_typer_help_formatter_takes_stand_ins_that_hand_over_to_rich(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A module run by the stand-in loader gets classes that build rich's own objects when called, pass an
    isinstance check of rich's objects, and read rich's class attributes; afterwards no stand-in is left in
    sys.modules and rich.markdown was not imported."""
    _forget_deferred_modules(monkeypatch)
    module = _run_with_stand_ins(tmp_path, "from rich.markdown import Markdown\nfrom rich.traceback import Traceback\n")
    assert "rich.markdown" not in sys.modules and "rich.traceback" not in sys.modules
    assert module.Markdown.__name__ == "Markdown" and module.Markdown.__module__ == "rich.markdown"
    import rich.markdown
    import rich.traceback

    built = module.Markdown("# heading")
    assert type(built) is rich.markdown.Markdown and isinstance(built, module.Markdown)
    assert module.Traceback.from_exception == rich.traceback.Traceback.from_exception
    assert not isinstance(sys.modules["rich.markdown"], startup._StandInModule)


@pytest.mark.parametrize("source", [
    "from rich.markdown import Markdown, Heading\n",  # another name
    "from rich.markdown import Markdown\nelements = Markdown.elements\nfrom rich.markdown import Heading\n",  # used
    "from rich.markdown import Markdown\nMine = type('Mine', (Markdown,), {})\nMine('x')\n"
    "from rich.markdown import Heading\n",  # subclassed and called as it loads
    "import rich.markdown\nMarkdown = rich.markdown.Markdown\nfrom rich.markdown import Heading\n",  # by attribute
])
def test_a_module_that_asks_the_stand_ins_for_more_runs_again_with_the_real_modules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    """A later typer that imports another name from rich.markdown, or uses its class while it loads, still loads:
    the stand-in fails it, and the module runs again with the real rich.markdown."""
    _forget_deferred_modules(monkeypatch)
    module = _run_with_stand_ins(tmp_path, source)
    import rich.markdown

    assert module.Markdown is rich.markdown.Markdown and module.Heading is rich.markdown.Heading
    assert not any(isinstance(m, startup._StandInModule) for m in list(sys.modules.values()))


def test_a_rich_module_already_imported_is_used_as_it_is(tmp_path: Path) -> None:
    import rich.markdown

    module = _run_with_stand_ins(tmp_path, "from rich.markdown import Markdown\n")
    assert module.Markdown is rich.markdown.Markdown


def _forget_deferred_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if rich.markdown and rich.traceback had never been imported, until the test ends."""
    import rich

    for name in startup.DEFERRED_RICH:
        monkeypatch.delitem(sys.modules, name, raising=False)
        monkeypatch.delattr(rich, name.split(".")[1], raising=False)


def _run_with_stand_ins(tmp_path: Path, source: str) -> object:
    """Run ``source`` as a module through the stand-in loader, as typer.rich_utils is run by the console script."""
    path = tmp_path / "uses_rich.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("uses_rich", path)
    assert spec is not None and spec.loader is not None
    spec.loader = startup._StandInLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # runs the console script: run by CI, skipped by -m 'not slow'
def test_the_console_script_shows_help_without_rich_markdown() -> None:
    """`wfm --help` no longer imports rich.markdown (markdown_it, pygments) or rich.traceback, and prints what
    typer's formatter prints with them (a command's help with its panels, markup and examples)."""
    code = (
        "import io, sys\n"
        "from contextlib import redirect_stdout\n"
        "import wfm.cli, wfm.cli.startup\n"
        "if sys.argv[1] == 'lean':\n"
        "    wfm.cli.startup.prepare()  # as wfm.cli.run() does\n"
        "out = io.StringIO()\n"
        "with redirect_stdout(out):\n"
        "    wfm.cli.app(['size', '--help'], prog_name='wfm', standalone_mode=False)\n"
        "loaded = [m for m in ('rich.markdown', 'markdown_it', 'pygments', 'rich.traceback') if m in sys.modules]\n"
        "print(repr(out.getvalue()), loaded)\n"
    )
    lean, whole = (_fresh_python_prints(code, way) for way in ("lean", "whole"))
    assert lean.endswith(" []\n") and whole.endswith("'rich.traceback']\n")
    assert lean.removesuffix(" []\n") == whole.rsplit(" [", 1)[0] and "Examples" in lean and "Options" in lean


@pytest.mark.slow  # runs the console script: run by CI, skipped by -m 'not slow'
def test_the_console_script_keeps_pandas_out_and_pyarrow_still_converts():
    """The `wfm` process never imports pandas (pyarrow would, on its first conversion, when it is
    installed); pyarrow's conversions still work, and `import wfm` alone changes nothing."""
    code = (
        "import sys\n"
        "import wfm.cli, wfm.cli.startup\n"
        "assert not any(type(f).__name__ == '_NoPandas' for f in sys.meta_path)\n"
        "wfm.cli.startup.without_pandas()\n"
        "import numpy as np, pyarrow as pa, pyarrow.compute as pc\n"
        "assert pc.equal(pa.array(np.array(['a', ''])), '').to_pylist() == [False, True]\n"
        "assert pa.array(np.arange(3.0)).to_numpy().tolist() == [0.0, 1.0, 2.0]\n"
        "assert 'pandas' not in sys.modules\n"
        "try:\n"
        "    import pandas\n"
        "except ModuleNotFoundError:\n"
        "    print('absent')\n"
    )
    assert _fresh_python_prints(code) == "absent\n"


@pytest.mark.slow  # runs the console script: run by CI, skipped by -m 'not slow'
def test_the_console_script_loads_numpys_extras_on_first_use_only():
    """In the `wfm` process, scipy.special's import (which asks numpy for every public name) no longer runs
    numpy.f2py (and with it charset_normalizer and 90 codecs) or numpy.testing; a module that is used still
    works, loaded on its first attribute; `import wfm` alone changes nothing."""
    code = (
        "import sys\n"
        "import wfm.cli, wfm.cli.startup\n"
        "assert not any(type(f).__name__ == '_LazyNumpyExtras' for f in sys.meta_path)\n"
        "wfm.cli.startup.numpy_extras_on_first_use()\n"
        "import scipy.special, numpy as np\n"
        "assert scipy.special.gammaincc(3.0, 2.0) > 0.0\n"
        "loaded = [m for m in ('charset_normalizer', 'unittest', 'numpy.f2py.crackfortran', 'numpy.testing._private')\n"
        "          if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "assert np.random.default_rng(1).integers(0, 10, 3).shape == (3,)\n"
        "np.testing.assert_array_equal(np.ma.masked_array([1, 2], mask=[0, 1]).filled(0), [1, 0])\n"
        "assert 'numpy.testing._private' in sys.modules\n"
        "print('ok')\n"
    )
    assert _fresh_python_prints(code) == "ok\n"


def _fresh_python_prints(code: str, *args: str) -> str:
    """What ``code`` prints in a new interpreter (the console script's process, before any import), which must
    succeed."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout
