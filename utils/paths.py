"""Where the course keeps things, independent of the current working directory.

JupyterLab starts kernels in ``notebooks/``, nbval in the notebook's folder and papermill in
whatever folder it was called from.  So relative paths given to the course's helpers
(``data_root="data"``) are resolved against the repository root, and paths shown in
notebook output are printed relative to it (stored outputs never hold a local path).

Every file or folder the course creates for a run (TensorBoard runs, checkpoints, reports)
gets a new name from :func:`new_path`, which claims the name atomically, so no run ever
overwrites another.  Names use only characters that Windows allows (:func:`portable_name`).
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Callable

#: The repository root (the folder holding ``pyproject.toml``); ``utils`` is installed editable.
REPO_ROOT = Path(__file__).resolve().parent.parent

#: Characters Windows forbids in a file or folder name (besides control characters).
_WINDOWS_FORBIDDEN = set('<>:"/\\|?*')
#: Names Windows reserves whatever their extension (``CON``, ``NUL.txt``, ...).
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def resolve(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as an absolute path; a relative one is taken from the repository root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (REPO_ROOT / p)


def show(path: str | os.PathLike[str]) -> str:
    """Return ``path`` as a short string for printing: relative to the repo root when inside it.

    A link is named as itself, not by what it points to: only the folder above it is resolved, so a
    broken link or a link loop (``a.png -> b.png -> a.png``) is shown as the name a learner sees in
    their folder, and showing it never fails.
    """
    p = Path(os.path.abspath(Path(path).expanduser()))
    try:
        p = Path(os.path.realpath(p.parent)) / p.name if p.name else Path(os.path.realpath(p))
    except (OSError, RuntimeError, ValueError):
        pass
    try:
        return p.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(p)


def portable_name(name: str) -> bool:
    """Whether ``name`` is a file or folder name that Windows, macOS and Linux all accept.

    No forbidden character (``< > : " / \\ | ? *``), no control character, not empty, not
    ending in a space or a dot, and not a reserved device name such as ``CON`` or ``NUL.txt``.
    """
    if not name or name in (".", "..") or name[-1] in " .":
        return False
    if any(c in _WINDOWS_FORBIDDEN or ord(c) < 32 for c in name):
        return False
    return name.split(".")[0].upper() not in _WINDOWS_RESERVED


def check_component(name: str, what: str = "name") -> str:
    """Return ``name`` if it is one portable path component (no separator), else raise ValueError."""
    if not isinstance(name, str) or not portable_name(name) or name.startswith("."):
        raise ValueError(f"{what} must be a plain file or folder name such as '03_convolution' (got {name!r})")
    return name


def timestamp() -> str:
    """The local time as ``YYYYmmdd-HHMMSS``: sortable, and valid in file names on every system."""
    return time.strftime("%Y%m%d-%H%M%S")


def new_path(parent: str | os.PathLike[str], stem: str | None = None, suffix: str = "", *,
             folder: bool = True) -> Path:
    """Create and return a new, empty folder (or file) ``<parent>/<stem><suffix>``.

    ``stem`` defaults to :func:`timestamp`.  If the name is taken, ``<stem>-2``, ``<stem>-3``, …
    is tried.  The name is claimed atomically — ``mkdir`` for a folder, ``open(O_CREAT|O_EXCL)``
    for a file — so two runs started in the same second, even in two processes, never get the
    same path, and nothing that exists is overwritten.  ``parent`` is created if needed.

    Args:
        parent: the folder to create it in (relative paths start at the repository root).
        stem: the name without suffix; default: the current time.
        suffix: e.g. ``".pt"`` for a checkpoint file.
        folder: create a folder (default) or an empty file.
    """
    parent = resolve(parent)
    stem = timestamp() if stem is None else stem
    check_component(stem + suffix, "stem + suffix")  # before anything is created
    parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 10_000):
        candidate = parent / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            if folder:
                candidate.mkdir()
            else:
                os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))  # less the umask
            return candidate
        except FileExistsError:
            continue
    raise RuntimeError(f"could not create a new name {stem}{suffix} under {show(parent)}")


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def new_file_mode() -> int:
    """The permissions a new file gets from ``open()``: ``0o666`` less the process's umask (0644 with umask 022)."""
    mask = os.umask(0)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


class _RecordingFile:
    """A binary file that remembers the ``OSError`` its ``write`` raised (a writer such as ``torch.save`` may
    report it as something else), and passes everything else to the file."""

    def __init__(self, file: BinaryIO, target: Path) -> None:
        self._file, self._target, self.error = file, target, None

    def write(self, data) -> int:
        try:
            return self._file.write(data)
        except OSError as err:
            if err.errno is not None and err.filename is None:
                err.filename = str(self._target)
            self.error = err
            raise

    def __getattr__(self, name: str):
        return getattr(self._file, name)


def write_atomic(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> Path:
    """Write ``path`` with ``write(file)`` so that ``path`` never holds a partly written file.

    ``write`` fills a temporary file in the same folder (same file system, so the rename is
    atomic), which is flushed and fsynced, then :func:`os.replace` d onto ``path``.  On any
    failure, or an interrupt, the temporary file is removed and the error is raised again; an
    existing file at ``path`` is then left as it was.  Returns ``path``, absolute.

    The file gets the permissions a plain ``open()`` would give it (:func:`new_file_mode`, or
    those of the file it replaces), not the owner-only 0600 of a temporary file, so others
    on a shared server can read a checkpoint as they read the run's event files.
    """
    path = resolve(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777  # the file (or the claimed, empty placeholder) it replaces
    except OSError:
        mode = new_file_mode()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            recording = _RecordingFile(f, path)
            try:
                write(recording)
            except Exception:
                if recording.error is not None:  # torch.save turns a full disk into "RuntimeError: unexpected pos"
                    raise recording.error from None
                raise
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as err:  # a full disk, a size limit: name the file the learner asked for, not the temporary one
        tmp.unlink(missing_ok=True)
        if err.errno is not None and (err.filename is None or str(err.filename) == str(tmp)):
            err.filename = str(path)
        raise
    except BaseException:  # also KeyboardInterrupt: never leave the temporary file behind
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return path


#: errno name → the message that says it in the course's language (others: the system's own text).
_OS_REASONS = {"ENOSPC": "disk_full", "EDQUOT": "disk_full", "EFBIG": "file_too_large",
               "EROFS": "read_only", "EACCES": "no_permission", "EPERM": "no_permission",
               "ENAMETOOLONG": "name_too_long", "ENOTDIR": "not_a_folder", "EEXIST": "exists"}


def os_reason(err: BaseException) -> str:
    """Why an ``OSError`` happened, in a few words of the course's language: "the disk is full", "read-only"."""
    import errno as errno_module

    from .messages import msg

    name = errno_module.errorcode.get(getattr(err, "errno", None) or -1)
    if name in _OS_REASONS:
        return msg(f"os.{_OS_REASONS[name]}")
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


def writing_failed(err: BaseException) -> bool:
    """Whether ``err`` says that a file could not be written (a full disk, a size limit, no permission), as
    opposed to a file that could not be read."""
    import errno as errno_module

    return isinstance(err, OSError) and errno_module.errorcode.get(err.errno or -1) in (
        "ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "EIO")


def folder_problem(folder: str | os.PathLike[str]) -> str | None:
    """Why the course could not write into ``folder`` (made if missing), in one phrase; ``None`` if it can.

    Nothing is written: the first part of the path that exists must be a folder this process may write to
    (``os.access``: a read-only disk says no even to root), and the path must be one the system accepts
    (a name of 300 characters is too long).
    """
    from .messages import msg

    folder = Path(os.path.abspath(Path(folder).expanduser()))
    existing = folder
    try:
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        if not existing.is_dir():
            return msg("paths.is_a_file", path=show(existing))
        for part in folder.relative_to(existing).parts:  # the names still to be made (most systems: 255 bytes)
            if len(part.encode("utf-8")) > 255:
                return msg("paths.cannot_use", path=show(folder), reason=msg("os.name_too_long"))
    except OSError as err:  # a name too long for the system (ENAMETOOLONG), a folder we may not look into
        return msg("paths.cannot_use", path=show(folder), reason=os_reason(err))
    if not os.access(existing, os.W_OK | os.X_OK):
        return msg("paths.cannot_write", path=show(existing), reason=msg("os.read_only" if _read_only(existing)
                                                                          else "os.no_permission"))
    return None


def _read_only(folder: Path) -> bool:
    """Whether ``folder`` lies on a file system mounted read-only (where that can be asked)."""
    try:
        return bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    except (OSError, AttributeError):
        return False


def _root_from_env(variable: str, default: str) -> Path:
    return resolve(os.environ.get(variable) or default)


def runs_root() -> Path:
    """The folder that holds TensorBoard runs: ``$COURSE_RUNS_DIR`` if set, else ``<repo>/runs``."""
    return _root_from_env("COURSE_RUNS_DIR", "runs")


def checkpoint_root() -> Path:
    """The folder that holds checkpoints: ``$COURSE_CHECKPOINT_DIR`` if set, else ``<repo>/checkpoints``."""
    return _root_from_env("COURSE_CHECKPOINT_DIR", "checkpoints")
