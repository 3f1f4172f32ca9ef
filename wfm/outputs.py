"""Safe outputs: files and plan folders written whole or not at all, never over what wfm did not write.

wfm runs from cron, sometimes as root, so a mistyped output path must never cost data. The rules:

``-o FILE`` (:func:`write_file`)
    * a new path or an existing regular file: written to a temporary file beside it (flushed and
      fsynced), renamed over it, then the folder is fsynced; an existing file keeps its mode;
    * a symlink is followed: the file it points to is replaced, the link stays;
    * a character or block device, FIFO or socket (``/dev/null``, a named pipe) is written in place,
      never replaced; ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` are written through the open
      descriptor (so ``-o /dev/stdout >> log`` appends);
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
    * leftovers of a killed run (``.DIR.wfm-tmp.XXXXXXXX``, ``.DIR.wfm-old.XXXXXXXX``) are cleaned, or restored,
      by the next run.

New files get mode 0666 and folders 0777, less the user's umask (0644 / 0755 under umask 022); a replaced
file or plan folder keeps its mode, and (run as root) its owner.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
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
_TMP_MARK = "wfm-tmp"  # .NAME.wfm-tmp.XXXXXXXX: a plan being built (or a killed run's)
_OLD_MARK = "wfm-old"  # .NAME.wfm-old.XXXXXXXX: an old plan set aside between two renames
_TOKEN = re.compile(r"[a-z0-9_]{8}")
_LOCK_SUFFIX = ".wfm-lock"


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
"""Names Excel opens as a workbook: CSV or JSON text written under one is a file Excel refuses to open ('file
format or extension is not valid'), and wfm reads it back as a workbook. Written text is refused there."""


def is_workbook_name(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` ends in a workbook's suffix (:data:`WORKBOOK_SUFFIXES`, any case)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def is_json_name(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` ends in ``.json`` (any case): JSON is written there unless a format is asked for."""
    return Path(path).suffix.lower() == ".json"


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


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


_OPEN_DESCRIPTOR = re.compile(r"^/(?:dev/fd|proc/(?:self|\d+)/fd)/(\d+)$|^/dev/(stdout|stderr)$")


def _descriptor(given: str) -> int | None:
    """The file descriptor that ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` or ``/proc/self/fd/N`` names
    (written through as it is, so ``-o /dev/stdout >> log`` appends), else None."""
    match = _OPEN_DESCRIPTOR.match(given)
    if match is None or (match.group(0).startswith("/proc/") and not match.group(0).startswith(("/proc/self/",
                                                                                               f"/proc/{os.getpid()}/"))):
        return None
    return int(match.group(1)) if match.group(1) else (1 if match.group(2) == "stdout" else 2)


def _is_input(info: os.stat_result, source: str | os.PathLike[str]) -> bool:
    """Whether the file ``info`` describes is the input ``source`` (``-``: standard input, when it is a file)."""
    try:
        other = os.fstat(0) if str(source) == "-" else os.stat(source)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(other.st_mode) and os.path.samestat(info, other)


def write_file(path: str | os.PathLike[str], data: str | bytes, *, inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all, by the rules in the module
    docstring. ``inputs`` are files the output must not replace (the forecast, the config; ``-`` for
    standard input)."""
    given = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = _descriptor(str(path))
    if fd is not None:  # an open descriptor: written through, never replaced or truncated
        try:
            for source in inputs:
                if _is_input(os.fstat(fd), source):
                    raise OutputError(f"{given}: is an input of this run; refusing to write over it")
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
        except BrokenPipeError:
            raise  # its reader went away (`-o /dev/stdout | head`): the command ends quietly, as with `-o -`
        except OSError as error:
            raise OutputError(f"{given}: cannot write: {_reason(error)}") from None
        return
    target = Path(os.path.realpath(given))  # follows symlinks; a dangling one names the file to create
    info = _refused_or_stat(given, inputs)
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            # A device, FIFO or socket: written in place (the path as given), never replaced.
            with open(given, "wb") as handle:
                handle.write(payload)
                handle.flush()
            return
        _replace_file(target, payload, info)
    except BrokenPipeError:
        raise  # a named pipe whose reader went away: quietly, as a closed stdout
    except OSError as error:
        raise OutputError(f"{given}: cannot write: {_reason(error)}") from None


def _refused_or_stat(given: Path, inputs: Sequence[str | os.PathLike[str]]) -> os.stat_result | None:
    """The output file's stat (None when it does not exist yet), or OutputError for one that is refused for its
    path alone: a folder, one of ``inputs``, one that cannot be looked at."""
    try:
        info: os.stat_result | None = os.stat(given)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"{given}: cannot write: {_reason(error)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{given}: is a folder; expected a file name for the output")
    if info is not None and any(_is_input(info, source) for source in inputs):
        raise OutputError(f"{given}: is an input of this run; refusing to write over it (choose another output file)")
    return info


def check_file(path: str | os.PathLike[str], *, inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
    """Refuse (OutputError, in :func:`write_file`'s words) an output file that :func:`write_file` would refuse
    for its path alone, before anything is written: a command writing two files checks both first, so that a
    bad second path leaves no first file behind. An open descriptor (``/dev/stdout``) is left to the write, and so
    is a device or FIFO (``/dev/null``), which is written in place: its folder need not be writable."""
    if _descriptor(str(path)) is not None:
        return
    given = Path(path)
    info = _refused_or_stat(given, inputs)
    if info is not None and not stat.S_ISREG(info.st_mode):
        return
    folder = Path(os.path.realpath(given)).parent
    if not folder.is_dir():
        raise OutputError(f"{given}: cannot write: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{given}: cannot write: {os.strerror(13)}")


def _stem(target: Path, longest: int = 120) -> str:
    """The name wfm's files beside ``target`` start with (temporary file or folder, lock, old plan): its own name,
    or for a name of more than ``longest`` bytes a hash of it, so that ``.NAME.wfm-tmp.XXXXXXXX`` stays within the
    file system's 255 bytes (a legal 245-byte ``--out`` name failed after the whole solve). Bytes as the file
    system counts them (``os.fsencode``: a name that is not UTF-8 has surrogates, which ``str.encode`` refuses)."""
    raw = os.fsencode(target.name)
    return target.name if len(raw) <= longest else hashlib.sha256(raw).hexdigest()[:16]


_FOLDER_STEM = 255 - len(".") - len(f".{_TMP_MARK}.") - 8
"""The longest plan folder name whose own name the files beside it keep (``.NAME.wfm-tmp.`` and mkdtemp's 8
characters fit in 255 bytes; so do ``.wfm-old.XXXXXXXX`` and ``.wfm-lock``): the names earlier versions used, so
a killed run's leftovers are still found; only longer names, which never worked, take the hash."""


def _replace_file(target: Path, payload: bytes, info: os.stat_result | None) -> None:
    """Temporary file beside ``target``, fsynced, renamed over it; the folder fsynced after."""
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {folder} does not exist")
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    tmp = folder / f".{_stem(target)}.{_TMP_MARK}.{secrets.token_hex(4)}"
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
    if str(out) == "-":  # elsewhere "-" is standard output, which cannot hold a folder of files
        raise OutputError("-: a plan is a folder of files, not standard output; name the folder, e.g. --out "
                          "plan-2026-W49")
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

    lock_path = target.parent / f".{_stem(target, _FOLDER_STEM)}{_LOCK_SUFFIX}"
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666 & ~_umask())
        except OSError as error:
            raise OutputError(f"{target}: cannot use the lock file {lock_path}: {_reason(error)} "
                              "(a link or a folder where the lock file goes?)") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OutputError(f"{target}: the lock file {lock_path} is not a regular file")
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


def _leftovers(target: Path, mark: str) -> list[Path]:
    """``.NAME.MARK.XXXXXXXX`` beside ``target`` exactly: never another folder's (``plan.2026`` is not ``plan``)."""
    prefix = f".{_stem(target, _FOLDER_STEM)}.{mark}."
    return sorted(p for p in target.parent.iterdir()
                  if p.name.startswith(prefix) and _TOKEN.fullmatch(p.name[len(prefix):]))


def _recover(target: Path) -> None:
    """Clean up after a killed run (we hold the lock, so no other run is writing): a staging folder
    is removed; an old plan set aside is put back if nothing is at ``target``, else removed."""
    for staging in _leftovers(target, _TMP_MARK):
        shutil.rmtree(staging, ignore_errors=True)
    for retired in _leftovers(target, _OLD_MARK):
        if not os.path.lexists(target):
            os.rename(retired, target)
            _fsync_dir(target.parent)
        else:
            shutil.rmtree(retired, ignore_errors=True)


def _is_wfm_plan(folder: Path, entries: list[str]) -> bool:
    """The folder holds a plan wfm wrote and nothing else: a summary.json with wfm's marker listing every entry, each
    a regular file."""
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
    if not (isinstance(listed, list) and all(isinstance(n, str) for n in listed) and set(entries) <= set(listed)):
        return False
    try:  # each a file, as wfm writes them: a folder (or link) of the same name holds what wfm did not write
        return all(stat.S_ISREG(os.lstat(folder / name).st_mode) for name in entries)
    except OSError:
        return False


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
    """Build the new plan beside ``target`` and put it in place atomically. A plan that replaces an old one
    keeps the old folder's mode, and (run as root) its owner, so a root cron job never takes a user's plan
    folder away from them. Once the new plan is in place, failing to remove the old one is not an error."""
    mask = _umask()
    old = os.stat(target) if os.path.lexists(target) else None
    staging = Path(tempfile.mkdtemp(prefix=f".{_stem(target, _FOLDER_STEM)}.{_TMP_MARK}.", dir=target.parent))
    try:
        os.chmod(staging, stat.S_IMODE(old.st_mode) if old is not None else 0o777 & ~mask)
        for name, content in files.items():
            payload = content.encode("utf-8") if isinstance(content, str) else content
            _write_bytes(staging / name, payload, 0o666 & ~mask)
            if old is not None and os.geteuid() == 0:
                os.chown(staging / name, old.st_uid, old.st_gid)
        if old is not None and os.geteuid() == 0:
            os.chown(staging, old.st_uid, old.st_gid)
        _fsync_dir(staging)
        if old is None:
            os.rename(staging, target)
            swapped_out: Path | None = None
        elif _exchange(staging, target):
            swapped_out = staging  # now holds the old plan
        else:
            # No atomic swap here: set the old plan aside, then move the new one in. A run killed
            # between the two renames leaves the old plan in .NAME.wfm-old.*, restored by the next run.
            swapped_out = target.parent / f".{_stem(target, _FOLDER_STEM)}.{_OLD_MARK}.{secrets.token_hex(4)}"
            os.rename(target, swapped_out)
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(swapped_out, target)
                raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if swapped_out is not None:
        shutil.rmtree(swapped_out, ignore_errors=True)  # the new plan is in place whatever happens here
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
