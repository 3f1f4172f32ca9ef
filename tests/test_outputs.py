"""wfm.outputs: output files and plan folders never replace what wfm did not write, survive kill -9,
serialise concurrent runs and take the user's umask."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from wfm import outputs
from wfm.errors import WfmError

PLAN = {"summary.json": json.dumps(outputs.mark_summary({"plan": "new"}, ["a.csv", "summary.json"])),
        "a.csv": "x,y\n1,2\n"}


def _old_plan(folder: Path) -> None:
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps(outputs.mark_summary({"plan": "old"}, ["a.csv", "summary.json"])))
    (folder / "a.csv").write_text("old\n")


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- -o FILE ----------------------------------------------------------------------------------------


def test_new_file_takes_the_umask_and_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022) -> None:
    new = tmp_path / "new.csv"
    outputs.write_file(new, "a\n")
    assert new.read_text() == "a\n" and _mode(new) == 0o644
    private = tmp_path / "private.csv"
    private.write_text("old\n")
    os.chmod(private, 0o600)
    outputs.write_file(private, "new\n")
    assert private.read_text() == "new\n" and _mode(private) == 0o600
    os.umask(0o077)
    other = tmp_path / "other.csv"
    outputs.write_file(other, "b\n")
    assert _mode(other) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["new.csv", "other.csv", "private.csv"]


def test_a_symlink_is_followed_and_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    outputs.write_file(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "made.csv")
    outputs.write_file(dangling, "made\n")
    assert dangling.is_symlink() and (tmp_path / "made.csv").read_text() == "made\n"


def test_a_device_is_written_in_place_never_replaced() -> None:
    before = os.stat("/dev/null")
    outputs.write_file("/dev/null", "discarded\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino and after.st_rdev == before.st_rdev


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    outputs.write_file(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_an_input_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WfmError, match="is a folder"):
        outputs.write_file(tmp_path, "x")
    forecast = tmp_path / "forecast.csv"
    forecast.write_text("queue,interval_start,volume,aht\n")
    link = tmp_path / "alias.csv"
    link.symlink_to(forecast)
    for given in (forecast, link):
        with pytest.raises(WfmError, match="input of this run"):
            outputs.write_file(given, "x", inputs=[forecast])
    assert forecast.read_text() == "queue,interval_start,volume,aht\n"
    with pytest.raises(WfmError, match="does not exist"):
        outputs.write_file(tmp_path / "no" / "such.csv", "x")


def test_an_interrupted_write_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old plan\n")

    def crash(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_file(target, "half a plan")
    assert target.read_text() == "old plan\n"
    assert os.listdir(tmp_path) == ["plan.csv"]


# --- --out DIR ----------------------------------------------------------------------------------------


def test_a_plan_folder_named_like_standard_output_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # elsewhere "-" is standard output: a folder literally named "-" is a surprise
    with pytest.raises(WfmError, match="^-: a plan is a folder of files, not standard output"):
        outputs.write_folder("-", {"summary.json": "{}"})
    assert os.listdir(tmp_path) == []


def test_a_new_folder_takes_the_umask_and_leaves_nothing_beside_it(tmp_path: Path, umask_022) -> None:
    out = tmp_path / "deep" / "plan"
    outputs.write_folder(out, PLAN)
    assert sorted(os.listdir(out)) == ["a.csv", "summary.json"]
    assert _mode(out) == 0o755 and _mode(out / "a.csv") == 0o644 and _mode(out.parent) == 0o755
    assert os.listdir(out.parent) == ["plan"]  # no staging folder, no lock file


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_folder_with_a_long_legal_name_is_written_and_replaced(tmp_path: Path, monkeypatch, exchange: bool) -> None:
    """A 245-byte name is legal, but '.NAME.wfm-lock' and '.NAME.wfm-tmp.XXXXXXXX' beside it were not: the plan
    failed after the whole solve ("File name too long"). The files beside a long name take a hash of it."""
    monkeypatch.setattr(outputs, "_exchange_available", exchange)
    out = tmp_path / ("p" * 245)
    for _ in range(2):  # created, then replaced
        outputs.write_folder(out, PLAN)
        assert sorted(os.listdir(out)) == ["a.csv", "summary.json"] and os.listdir(tmp_path) == [out.name]
    long_file = tmp_path / ("f" * 250)
    outputs.write_file(long_file, "x\n")
    assert long_file.read_text() == "x\n"



def test_names_that_are_not_utf8_are_written(tmp_path: Path) -> None:
    """On Linux a name is bytes: one that is not UTF-8 reaches Python with surrogates, which str.encode refuses
    (an internal error, exit 70, after the whole solve)."""
    out_file, out_dir = tmp_path / os.fsdecode(b"out\xff.csv"), tmp_path / os.fsdecode(b"pl\xffan" + b"n" * 240)
    outputs.write_file(out_file, "x\n")
    outputs.write_folder(out_dir, PLAN)
    assert out_file.read_text() == "x\n" and sorted(os.listdir(out_dir)) == ["a.csv", "summary.json"]
    assert sorted(os.listdir(tmp_path)) == sorted([out_file.name, out_dir.name])


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_wfm_plan_or_an_empty_folder_is_replaced(tmp_path: Path, monkeypatch, exchange: bool) -> None:
    monkeypatch.setattr(outputs, "_exchange_available", exchange)
    out = tmp_path / "plan"
    _old_plan(out)
    outputs.write_folder(out, PLAN)
    assert (out / "a.csv").read_text() == "x,y\n1,2\n"
    assert json.loads((out / "summary.json").read_text())["written_by"] == "wfm"
    assert os.listdir(tmp_path) == ["plan"]
    empty = tmp_path / "empty"
    empty.mkdir()
    outputs.write_folder(empty, PLAN)
    assert sorted(os.listdir(empty)) == ["a.csv", "summary.json"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_what_wfm_did_not_write_is_refused_and_left_untouched(tmp_path: Path, monkeypatch) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    foreign = tmp_path / "v"
    foreign.mkdir()
    (foreign / "forecast.csv").write_text("queue,interval_start,volume,aht\n")
    (foreign / "other.txt").write_text("keep me\n")
    plan_plus = tmp_path / "plan"
    _old_plan(plan_plus)
    (plan_plus / "my-notes.txt").write_text("added by a planner\n")
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "summary.json").write_text('{"headcount": 3}')
    before = _tree(tmp_path)
    cases = [(notes, "not a folder"), (foreign, "did not write"), (plan_plus, "did not write"),
             (fake, "did not write")]
    for out, message in cases:
        with pytest.raises(WfmError, match=message):
            outputs.write_folder(out, PLAN)
    with pytest.raises(WfmError, match="input of this run"):
        outputs.write_folder(foreign, PLAN, inputs=[foreign / "forecast.csv"])
    old = tmp_path / "old"
    _old_plan(old)
    (old / "a.csv").rename(old / "forecast.csv")  # an input inside a plan folder that wfm wrote
    with pytest.raises(WfmError, match="input of this run"):
        outputs.write_folder(old, PLAN, inputs=[old / "forecast.csv"])
    monkeypatch.chdir(foreign)
    for out in (Path("."), Path("..")):
        with pytest.raises(WfmError, match="current folder"):
            outputs.write_folder(out, PLAN)
    del before  # the folders above are compared after every refusal:
    assert (foreign / "other.txt").read_text() == "keep me\n" and notes.read_text() == "my notes\n"
    assert (plan_plus / "my-notes.txt").exists() and (fake / "summary.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake", "notes.txt", "old", "plan", "v"]


# --- kill -9, concurrent runs -----------------------------------------------------------------------

_SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    from wfm import outputs

    out, mode = sys.argv[1], sys.argv[2]
    files = {"summary.json": json.dumps(outputs.mark_summary({"plan": sys.argv[3]}, ["a.csv", "b.csv", "summary.json"])),
             "a.csv": sys.argv[3] + "\\n", "b.csv": sys.argv[3] + "\\n"}
    write = outputs._write_bytes
    if mode == "slow":
        def slow(path, payload, file_mode):
            write(path, payload, file_mode)
            time.sleep(0.3)
        outputs._write_bytes = slow
    elif mode == "hang":
        def hang(path, payload, file_mode):
            write(path, payload, file_mode)
            print("writing", flush=True)
            time.sleep(60)
        outputs._write_bytes = hang
    elif mode == "die-between-renames":
        outputs._exchange_available = False
        rename = os.rename
        def die(a, b):
            rename(a, b)
            if str(a) == os.path.realpath(out):
                os._exit(9)
        outputs.os.rename = die
    outputs.write_folder(out, files)
""")


def _run(tmp_path: Path, out: Path, mode: str, tag: str, **kwargs) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    script.write_text(_SCRIPT)
    return subprocess.Popen([sys.executable, str(script), str(out), mode, tag], stdout=subprocess.PIPE,
                            text=True, **kwargs)


def test_kill_9_while_writing_leaves_the_old_plan_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out = work / "plan"
    _old_plan(out)
    writer = _run(tmp_path, out, "hang", "new")
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert (out / "a.csv").read_text() == "old\n"
    assert any(".wfm-tmp." in p.name for p in work.iterdir())  # the killed run's leftovers
    outputs.write_folder(out, PLAN)
    assert (out / "a.csv").read_text() == "x,y\n1,2\n"
    assert os.listdir(work) == ["plan"]


def test_a_run_killed_between_the_two_renames_is_repaired_by_the_next(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out = work / "plan"
    _old_plan(out)
    writer = _run(tmp_path, out, "die-between-renames", "new")
    assert writer.wait(timeout=60) == 9
    assert not out.exists() and any(".wfm-old." in p.name for p in work.iterdir())
    outputs._recover(Path(os.path.realpath(out)))  # what the next run does first, under its lock
    assert (out / "a.csv").read_text() == "old\n"
    assert sorted(os.listdir(work)) == [".plan.wfm-lock", "plan"]  # a killed run's lock file: harmless, reused
    writer = _run(tmp_path, out, "die-between-renames", "new")
    assert writer.wait(timeout=60) == 9
    outputs.write_folder(out, PLAN)
    assert (out / "a.csv").read_text() == "x,y\n1,2\n" and os.listdir(work) == ["plan"]


@pytest.mark.slow
def test_concurrent_runs_take_turns(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out = work / "plan"
    writers = [_run(tmp_path, out, "slow", tag) for tag in ("first", "second", "third")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    a, b = (out / "a.csv").read_text(), (out / "b.csv").read_text()
    assert a == b and a.strip() in {"first", "second", "third"}  # one whole plan, never a mix
    assert os.listdir(work) == ["plan"]


def test_a_held_lock_times_out_with_one_line(tmp_path: Path, monkeypatch) -> None:
    import fcntl

    out = tmp_path / "plan"
    lock = tmp_path / ".plan.wfm-lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    monkeypatch.setattr(outputs, "LOCK_WAIT_S", 0.05)
    try:
        start = time.monotonic()
        with pytest.raises(WfmError, match="another wfm run is writing"):
            outputs.write_folder(out, PLAN)
        assert time.monotonic() - start < 5
    finally:
        os.close(fd)
    assert not out.exists()


# --- found by review: other folders' leftovers, descriptors, stdin, read-only old plans, links -------


def test_the_leftovers_of_a_sibling_folder_are_not_ours(tmp_path: Path) -> None:
    _old_plan(tmp_path / "plan.v2")
    (tmp_path / "plan.v2").rename(tmp_path / ".plan.v2.wfm-old.abcd1234")  # plan.v2's run, killed mid-swap
    (tmp_path / ".plan.2026.wfm-tmp.zz99zz99").mkdir()  # plan.2026's run, building now
    outputs.write_folder(tmp_path / "plan", PLAN)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".plan.2026.wfm-tmp.zz99zz99", ".plan.v2.wfm-old.abcd1234",
                                                          "plan"]
    outputs.write_folder(tmp_path / "plan.v2", PLAN)  # plan.v2's next run restores, then replaces, its own
    assert sorted(p.name for p in tmp_path.iterdir()) == [".plan.2026.wfm-tmp.zz99zz99", "plan", "plan.v2"]


def test_dev_stdout_is_written_through_and_appends(tmp_path: Path) -> None:
    log = tmp_path / "cron.log"
    log.write_text("old\n")
    code = "from wfm import outputs; outputs.write_file('/dev/stdout', 'new\\n')"
    with log.open("a") as handle:
        subprocess.run([sys.executable, "-c", code], stdout=handle, check=True)
    assert log.read_text() == "old\nnew\n"


def test_a_forecast_read_from_stdin_is_an_input(tmp_path: Path) -> None:
    forecast = tmp_path / "fc.csv"
    forecast.write_text("forecast\n")
    code = f"from wfm import outputs; outputs.write_file({str(forecast)!r}, 'x', inputs=['-'])"
    with forecast.open() as stdin:
        result = subprocess.run([sys.executable, "-c", code], stdin=stdin, capture_output=True, text=True)
    assert "is an input of this run" in result.stderr and forecast.read_text() == "forecast\n"


def test_an_old_plan_that_cannot_be_removed_does_not_fail_the_run(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "plan"
    _old_plan(out)
    os.chmod(out, 0o750)
    monkeypatch.setattr(outputs.shutil, "rmtree", lambda *args, **kwargs: None)  # as if removal were refused
    outputs.write_folder(out, PLAN)
    assert (out / "a.csv").read_text() == "x,y\n1,2\n" and _mode(out) == 0o750  # the old folder's mode is kept


def test_a_lock_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / ".plan.wfm-lock").symlink_to(elsewhere)
    with pytest.raises(WfmError, match="lock file"):
        outputs.write_folder(tmp_path / "plan", PLAN)
    assert not elsewhere.exists() and not (tmp_path / "plan").exists()


def test_a_summary_with_odd_file_names_is_not_a_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    out.mkdir()
    (out / "summary.json").write_text('{"written_by": "wfm", "files": [[1]]}')
    with pytest.raises(WfmError, match="did not write"):
        outputs.write_folder(out, PLAN)


def test_a_folder_or_link_named_as_a_plan_file_is_not_wfms(tmp_path: Path) -> None:
    """A folder shifts.csv/ with a planner's file in it, inside a plan folder, was deleted with the old plan: every
    entry's name was listed in summary.json, so the folder passed for wfm's."""
    for kind in ("folder", "link"):
        out = tmp_path / kind
        _old_plan(out)
        (out / "a.csv").unlink()
        if kind == "folder":
            (out / "a.csv").mkdir()
            (out / "a.csv" / "mine.txt").write_text("precious\n")
        else:
            (tmp_path / "mine.txt").write_text("precious\n")
            (out / "a.csv").symlink_to(tmp_path / "mine.txt")
        with pytest.raises(WfmError, match="did not write"):
            outputs.write_folder(out, PLAN)
        assert (out / "a.csv").exists()
    assert (tmp_path / "folder" / "a.csv" / "mine.txt").read_text() == "precious\n"


def test_check_file_refuses_what_write_file_would_before_anything_is_written(tmp_path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x\n")
    for path, words in ((tmp_path, "is a folder"), (source, "is an input of this run"),
                        (tmp_path / "nodir" / "x.csv", "the folder")):
        with pytest.raises(WfmError, match=words):
            outputs.check_file(path, inputs=[source])
        with pytest.raises(WfmError, match=words):  # the same refusal as the write itself
            outputs.write_file(path, "y\n", inputs=[source])
    outputs.check_file(tmp_path / "new.csv", inputs=[source])  # a new file in a folder that exists: fine
    outputs.check_file("/dev/stdout")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_device_is_checked_as_the_write_takes_it_in_place(monkeypatch) -> None:
    """`-o /dev/null` by a user who cannot write /dev: the device is written in place, so the early check (made
    before the input is read) must not ask for a writable folder, as it did."""
    monkeypatch.setattr(outputs.os, "access", lambda *args, **kwargs: False)  # a folder nobody may write
    outputs.check_file("/dev/null")
    with pytest.raises(WfmError, match="cannot write: Permission denied"):
        outputs.check_file("/tmp/wfm-not-a-device.csv")
