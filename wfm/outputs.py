"""Safe outputs: files and plan folders written whole or not at all, never over what wfm did not write.

wfm runs from cron, sometimes as root, so a mistyped output path must never cost data. The rules:

``-o FILE`` (:func:`write_file`)
    * a new path or an existing regular file: written to a temporary file beside it (flushed and
      fsynced), renamed over it, then the folder is fsynced; an existing file keeps its mode;
    * a symlink is followed: the file it points to is replaced, the link stays;
    * a character or block device, FIFO or socket (``/dev/null``, a named pipe) is written in place,
      never replaced;
    * a folder, or a file that is one of the run's inputs, is refused (:class:`OutputError`).

``--out DIR`` (:func:`write_folder`)
    * created if absent; replaced as a whole only when it is empty or holds a plan that wfm wrote:
      its ``summary.json`` carries the marker ``"written_by": "wfm"`` and the list of files wfm
      wrote, and the folder holds nothing else. Anything else (a file, a folder with other files,
      a folder holding an input or the config, the current folder) is refused and left untouched;
    * built in a temporary folder beside ``DIR`` (files fsynced), then swapped with the old plan in
      one atomic ``renameat2(RENAME_EXCHANGE)`` where the file system has it; elsewhere the old plan
      is renamed aside first, and a run killed between the two renames is repaired by the next run.
      At every instant either the old plan or the new one is at ``DIR``;
    * a lock file ``.DIR.wfm-lock`` beside it serialises concurrent runs (the second waits);
    * leftovers of a killed run (``.DIR.*.wfm-tmp``, ``.DIR.*.wfm-old``) are cleaned, or restored,
      by the next run.

New files get mode 0666 and folders 0777, less the user's umask (0644 / 0755 under umask 022).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from wfm.errors import OutputError

PLAN_MARKER = {"written_by": "wfm"}
"""Keys in a plan's summary.json that mark the folder as wfm's own (with ``"files"``, the list of
the files wfm wrote into it)."""

LOCK_WAIT_S = 120.0
"""How long a run waits for another run writing the same plan folder before giving up, seconds."""

_MAX_SUMMARY_BYTES = 64 * 2**20
_TMP_SUFFIX = ".wfm-tmp"
_OLD_SUFFIX = ".wfm-old"
_LOCK_SUFFIX = ".wfm-lock"


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` durable (best effort where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_bytes(path: Path, payload: bytes, mode: int) -> None:
    """Write ``payload`` to the new file ``path`` with ``mode``, flushed and fsynced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        os.close(fd)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def write_file(path: str | os.PathLike[str], data: str | bytes, *, inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all, by the rules in the module
    docstring. ``inputs`` are files the output must not replace (the forecast, the config)."""
    given = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(given))  # follows symlinks; a dangling one names the file to create
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"{given}: cannot write: {_reason(error)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{given}: is a folder; expected a file name for the output")
    for source in inputs:
        if info is not None and _same_file(target, Path(source)):
            raise OutputError(f"{given}: is an input of this run; refusing to write over it (choose another output file)")
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            # A device, FIFO or socket: written in place, never replaced.
            with open(target, "wb") as handle:
                handle.write(payload)
                handle.flush()
            return
        _replace_file(target, payload, info)
    except OSError as error:
        raise OutputError(f"{given}: cannot write: {_reason(error)}") from None


def _replace_file(target: Path, payload: bytes, info: os.stat_result | None) -> None:
    """Temporary file beside ``target``, fsynced, renamed over it; the folder fsynced after."""
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {folder} does not exist")
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    tmp = folder / f".{target.name}.{os.getpid()}.{time.monotonic_ns()}{_TMP_SUFFIX}"
    try:
        _write_bytes(tmp, payload, mode)
        if info is not None and os.geteuid() == 0:
            with contextlib.suppress(OSError):
                os.chown(tmp, info.st_uid, info.st_gid)  # root keeps the file's owner
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


# --- plan folders ---------------------------------------------------------------------------------


def write_folder(out: str | os.PathLike[str], files: Mapping[str, str | bytes], *,
                 inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
    """Create or replace the plan folder ``out`` holding exactly ``files`` (name -> content), by the
    rules in the module docstring. ``files`` must include ``summary.json`` carrying
    :data:`PLAN_MARKER` and the list of file names, as :func:`mark_summary` adds them."""
    given = Path(out)
    target = check_folder(given, inputs=inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{given}: cannot create its folder: {_reason(error)}") from None
    try:
        with _locked(target):
            _recover(target)
            _check_replaceable(given, target, inputs)
            _swap_in(target, files)
    except OSError as error:
        raise OutputError(f"{given}: cannot write the plan: {_reason(error)}") from None


def check_folder(out: str | os.PathLike[str], *, inputs: Sequence[str | os.PathLike[str]] = ()) -> Path:
    """Refuse (OutputError) a plan folder that :func:`write_folder` would refuse, before any work is done;
    returns the folder's real path. :func:`write_folder` checks again under the lock."""
    given = Path(out)
    target = Path(os.path.realpath(given))
    cwd = Path(os.path.realpath(os.getcwd()))
    if target == cwd or target in cwd.parents:
        raise OutputError(f"{given}: is the current folder or holds it; the plan folder is replaced as a whole, "
                       "so name a folder of its own, e.g. --out plan-2026-W49")
    _check_replaceable(given, target, inputs)
    return target


def mark_summary(summary: dict, file_names: Sequence[str]) -> dict:
    """``summary`` with the plan marker and the list of files wfm writes into the folder."""
    return {**PLAN_MARKER, "files": sorted(file_names), **summary}


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``.NAME.wfm-lock`` beside ``target``, waiting (up to LOCK_WAIT_S)
    for another run. The lock file is removed on release; a waiter that then finds its file gone
    (or replaced) opens the new one and tries again, so two runs never hold the lock at once."""
    import fcntl

    lock_path = target.parent / f".{target.name}{_LOCK_SUFFIX}"
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() > deadline:
                raise OutputError(f"{target}: another wfm run is writing this plan folder (lock {lock_path} "
                               f"held for over {LOCK_WAIT_S:g} s); try again later") from None
            time.sleep(0.05)
            continue
        try:
            current = os.stat(lock_path)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(current, os.fstat(fd)):
            break
        os.close(fd)  # the holder before us removed it: lock the new file instead
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)  # releases the lock


def _leftovers(target: Path, suffix: str) -> list[Path]:
    prefix = f".{target.name}."
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(suffix))


def _recover(target: Path) -> None:
    """Clean up after a killed run (we hold the lock, so no other run is writing): a staging folder
    is removed; an old plan set aside is put back if nothing is at ``target``, else removed."""
    for staging in _leftovers(target, _TMP_SUFFIX):
        shutil.rmtree(staging, ignore_errors=True)
    for retired in _leftovers(target, _OLD_SUFFIX):
        if not os.path.lexists(target):
            os.rename(retired, target)
            _fsync_dir(target.parent)
        else:
            shutil.rmtree(retired, ignore_errors=True)


def _is_wfm_plan(folder: Path, entries: list[str]) -> bool:
    """The folder holds a plan wfm wrote and nothing else."""
    path = folder / "summary.json"
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_SUMMARY_BYTES:
            return False
        summary = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(summary, dict) or any(summary.get(k) != v for k, v in PLAN_MARKER.items()):
        return False
    listed = summary.get("files")
    return isinstance(listed, list) and set(entries) <= set(listed)


def _check_replaceable(given: Path, target: Path, inputs: Sequence[str | os.PathLike[str]]) -> None:
    """Refuse (OutputError) unless ``target`` is absent, an empty folder or a wfm plan holding no input."""
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise OutputError(f"{given}: exists and is not a folder; refusing to replace it with a plan folder")
    for source in inputs:
        resolved = Path(os.path.realpath(source))
        if resolved == target or target in resolved.parents:
            raise OutputError(f"{given}: holds {source}, an input of this run; refusing to replace it "
                           "(write the plan to another folder)")
    entries = sorted(os.listdir(target))
    if entries and not _is_wfm_plan(target, entries):
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise OutputError(f"{given}: is a folder that wfm did not write (it holds {shown}); refusing to replace it "
                       "(choose a new or empty folder, or remove it)")


def _swap_in(target: Path, files: Mapping[str, str | bytes]) -> None:
    """Build the new plan beside ``target`` and put it in place atomically."""
    mask = _umask()
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~mask)
        for name, content in files.items():
            payload = content.encode("utf-8") if isinstance(content, str) else content
            _write_bytes(staging / name, payload, 0o666 & ~mask)
        _fsync_dir(staging)
        if not os.path.lexists(target):
            os.rename(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)  # now the old plan
        else:
            # No atomic swap here: set the old plan aside, then move the new one in. A run killed
            # between the two renames leaves the old plan in .NAME.*.wfm-old, restored by the next run.
            retired = target.parent / f".{target.name}.{os.getpid()}.{time.monotonic_ns()}{_OLD_SUFFIX}"
            os.rename(target, retired)
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(retired, target)
                raise
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync_dir(target.parent)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_exchange_available = True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    global _exchange_available
    if not _exchange_available:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        _exchange_available = False
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        _exchange_available = False
        return False
    raise OSError(code, os.strerror(code), str(b))
