"""Install the full CIFAR-10 into ``data/``: downloaded, or from an archive fetched another way.

    make data                                    # = python -m tools data
    make data ARCHIVE=~/Downloads/cifar-10-python.tar.gz

Both check the archive's MD5 against torchvision's (``c58f3010…``), unpack it into a
temporary folder inside ``data/``, read every batch once to make sure it is whole, and only
then rename the folder to ``data/cifar-10-batches-py``.  So an interrupted or corrupt
download never leaves anything that ``data_source="auto"`` would pick up, and a failure
leaves ``data/`` as it was.  Without a network the download gives up within about 30
seconds with one line naming the manual route.

Nothing half-done is left, however it ends: a full disk or a size limit is named as such (one
line: which folder, how much CIFAR-10 needs), Ctrl-C, SIGTERM and SIGHUP (:mod:`utils.cli`) remove
the temporary folder and the ``.part`` download, and an installed CIFAR-10 that ``--force``
replaces is only moved aside until the new one is in place.  A CIFAR-10 batch is read without
running any code it may hold (:func:`utils.data.load_batch`).
"""
from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import socket
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from . import paths
from .data import CIFAR_DIR, GET_FULL, read_cifar_batches
from .errors import DataError
from .messages import msg

#: Where torchvision downloads CIFAR-10 from, and the archive's MD5 (torchvision's values).
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_PAGE = "https://www.cs.toronto.edu/~kriz/cifar.html"
ARCHIVE_NAME = "cifar-10-python.tar.gz"
#: Seconds to wait for the name lookup, the connection and each read.
TIMEOUT = 8



def manual() -> str:
    """What to do when the download fails: fetch the archive another way and install it with ARCHIVE=."""
    return msg("download.manual", archive=ARCHIVE_NAME, page=CIFAR10_PAGE)


def md5_of(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """The MD5 hex digest of a file, read in chunks."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


#: The files of an installed CIFAR-10 (torchvision's python version).
CIFAR10_FILES = ("batches.meta", *(f"data_batch_{i}" for i in range(1, 6)), "test_batch")


def missing_files(folder: str | os.PathLike[str]) -> list[str]:
    """The CIFAR-10 files that are missing (or empty) in ``folder``; all of them if it is not a folder."""
    folder = Path(folder)
    return [name for name in CIFAR10_FILES
            if not (folder / name).is_file() or (folder / name).stat().st_size == 0]


def installed(root: str | os.PathLike[str] = "data") -> Path | None:
    """``<root>/cifar-10-batches-py`` if it holds every CIFAR-10 file, else ``None`` (also when it is incomplete)."""
    folder = paths.resolve(root) / CIFAR_DIR
    return folder if folder.is_dir() and not missing_files(folder) else None


def check_root(root: str | os.PathLike[str]) -> Path:
    """``root`` as an absolute path, or :class:`DataError` if it (or a folder above it) is a file, its name is
    too long for the system, or it lies on a disk or in a folder that cannot be written."""
    root = paths.resolve(root)
    try:
        for folder in (root, *root.parents):
            if folder.exists():
                if not folder.is_dir():
                    where = msg("download.it_is_a_file") if folder == root else msg("download.is_a_file",
                                                                                      path=paths.show(folder))
                    raise DataError(msg("download.root_is_file", path=paths.show(root), where=where))
                break
    except OSError as err:  # ENAMETOOLONG: a name the system refuses
        raise DataError(msg("download.root_unusable", path=paths.show(root), problem=paths.os_reason(err))) from None
    problem = paths.folder_problem(root)
    if problem is not None:
        raise DataError(msg("download.root_unusable", path=paths.show(root), problem=problem))
    return root


class _CannotWrite(Exception):
    """Writing the unpacked files failed (a full disk, a size limit), as opposed to reading the archive."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _write(action, *args):
    """``action(*args)`` — a mkdir or a write — with its ``OSError`` turned into :class:`_CannotWrite`."""
    try:
        return action(*args)
    except OSError as err:
        raise _CannotWrite(err) from None


def _cannot_write(folder: Path, err: OSError) -> DataError:
    error = DataError(msg("download.cannot_write", path=paths.show(folder), reason=paths.os_reason(err)))
    error.disk = True  # not the archive's fault: said as it is, not as "download it again"
    return error


def _extract(archive: Path, into: Path) -> None:
    """Unpack the members under ``cifar-10-batches-py/`` of ``archive`` into ``into``, safely.

    An archive that cannot be read is "download it again"; files that cannot be written (a full disk) say so.
    """
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = [m for m in tar.getmembers() if m.name.split("/")[0] == CIFAR_DIR]
            if not any(m.isfile() for m in members):
                raise DataError(msg("download.no_cifar_folder", path=paths.show(archive), folder=CIFAR_DIR,
                                    archive=ARCHIVE_NAME))
            for member in members:
                parts = Path(member.name).parts
                if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
                    raise DataError(msg("download.unsafe_entry", path=paths.show(archive), entry=member.name,
                                        archive=ARCHIVE_NAME))
                target = into.joinpath(*parts)
                if member.isdir():
                    _write(target.mkdir, 0o777, True, True)
                    continue
                _write(target.parent.mkdir, 0o777, True, True)
                with tar.extractfile(member) as src, _write(open, target, "wb") as dst:
                    for block in iter(lambda: src.read(1 << 20), b""):  # reading: a broken archive raises here
                        _write(dst.write, block)
                    _write(dst.flush)
    except _CannotWrite as err:
        raise _cannot_write(into.parent, err.error) from None
    except (tarfile.TarError, EOFError, OSError, zlib.error) as err:
        raise DataError(msg("download.cannot_unpack", path=paths.show(archive), error=type(err).__name__)) from None


def install_archive(archive: str | os.PathLike[str], root: str | os.PathLike[str] = "data",
                    md5: str | None = CIFAR10_MD5, force: bool = False) -> Path:
    """Check ``archive``'s MD5, unpack it and move ``cifar-10-batches-py`` into ``root``; return that folder.

    Args:
        archive: a ``cifar-10-python.tar.gz`` (torchvision's archive).
        root: the data root (relative paths start at the repository root).
        md5: the expected MD5 (``None`` skips the check; tests pass the MD5 of their own archive).
        force: replace an installed dataset.

    Raises:
        DataError: a missing file, a wrong MD5, a broken archive, or an archive whose batches
            cannot be read.  ``root`` is then as it was before.
    """
    archive, root = paths.resolve(archive), check_root(root)
    md5 = md5.strip().lower() if md5 is not None else None  # an MD5 copied in capitals is the same MD5
    if archive.is_dir():
        raise DataError(msg("download.archive_is_folder", path=paths.show(archive), archive=ARCHIVE_NAME))
    if not archive.is_file():
        raise DataError(msg("download.no_archive", path=paths.show(archive)))
    if md5 is not None:
        found = md5_of(archive)
        if found != md5:
            raise DataError(msg("download.archive_md5", path=paths.show(archive), found=found, expected=md5,
                                archive=ARCHIVE_NAME))
    target = root / CIFAR_DIR
    if installed(root) and not force:
        return target  # an incomplete folder is not installed: it is replaced below
    root_existed = root.exists()
    staging = None
    try:
        try:
            root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".cifar-10-install-", dir=root))
        except OSError as err:
            raise _cannot_write(root, err) from None
        _extract(archive, staging)
        for train in (True, False):
            try:
                read_cifar_batches(staging / CIFAR_DIR, train)  # every batch readable, or DataError
            except DataError as err:  # it names the staging folder, which is removed below: name the archive
                detail = str(err).replace(paths.show(staging / CIFAR_DIR), CIFAR_DIR)
                detail = detail.split(msg("data.again", get_full=GET_FULL))[0].rstrip(":; ：；")  # not the advice
                raise DataError(msg("download.not_whole", path=paths.show(archive), detail=detail)) from None
        _swap_in(staging / CIFAR_DIR, target, staging)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not root_existed and root.exists() and not any(root.iterdir()):
            root.rmdir()
    return target


def _swap_in(new: Path, target: Path, staging: Path) -> None:
    """Put the checked ``new`` folder at ``target``; an installed one there is moved into ``staging`` first and
    only dropped (with ``staging``) once ``new`` is in place, or moved back if that fails or is interrupted."""
    old = staging / "previous"
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if old.exists() and not target.exists():
            os.rename(old, target)
        raise


def _lookup(host: str, port: int, timeout: float) -> None:
    """Resolve ``host`` within ``timeout`` seconds (a plain lookup can hang much longer offline)."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        pool.submit(socket.getaddrinfo, host, port).result(timeout=timeout)
    except FutureTimeout:
        raise OSError(msg("download.slow_lookup", host=host, timeout=timeout)) from None
    finally:
        pool.shutdown(wait=False)


def download_cifar10(root: str | os.PathLike[str] = "data", url: str = CIFAR10_URL, md5: str | None = CIFAR10_MD5,
                     timeout: float = TIMEOUT, progress: bool = True, force: bool = False) -> Path:
    """Download CIFAR-10 and install it into ``root`` (see :func:`install_archive`); return the folder.

    The archive is streamed into a temporary file outside ``root`` (with a progress bar) and
    removed afterwards.  Nothing is written under ``root`` until the download is complete and
    its MD5 is right.

    Raises:
        DataError: one line, when the download fails (no network: within about 30 s) or the
            archive is wrong; it names the manual route (``make data ARCHIVE=...``).
    """
    from tqdm.auto import tqdm

    check_root(root)  # before 163 MB are downloaded
    md5 = md5.strip().lower() if md5 is not None else None
    if installed(root) and not force:
        return installed(root)
    parsed = urllib.parse.urlparse(url)
    try:
        tmp_fd, tmp_name = tempfile.mkstemp(prefix="cifar-10-", suffix=".tar.gz.part")
    except OSError as err:
        raise DataError(msg("download.cannot_save", path=paths.show(tempfile.gettempdir()),
                            reason=paths.os_reason(err))) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(tmp_fd, "wb") as out:
            try:
                if parsed.hostname:
                    _lookup(parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80), timeout)
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    total = int(response.headers.get("Content-Length") or 0) or None
                    received = 0
                    with tqdm(total=total, unit="B", unit_scale=True, desc=ARCHIVE_NAME, disable=not progress) as bar:
                        for block in iter(lambda: response.read(1 << 16), b""):
                            _write(out.write, block)
                            bar.update(len(block))
                            received += len(block)
                    _write(out.flush)
                    if total is not None and received < total:
                        raise OSError(msg("download.cut_short", received=received, total=total))
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as err:
                # HTTPException: e.g. IncompleteRead when a chunked download breaks off
                reason = getattr(err, "reason", None) or err
                raise DataError(msg("download.failed", error=type(err).__name__, reason=reason, manual=manual())) from None
            except _CannotWrite as err:  # the temporary folder is full, not the network's fault
                raise DataError(msg("download.cannot_save", path=paths.show(tmp.parent),
                                    reason=paths.os_reason(err.error))) from None
        if md5 is not None and md5_of(tmp) != md5:
            raise DataError(msg("download.download_md5", archive=ARCHIVE_NAME, found=md5_of(tmp), expected=md5,
                                manual=manual()))
        try:
            return install_archive(tmp, root, md5=None, force=force)
        except DataError as err:  # the message names the temporary download, removed below: name the download
            if getattr(err, "disk", False):  # a full data root: nothing to do with the download
                raise
            detail = str(err).replace(paths.show(tmp), msg("download.the_download", archive=ARCHIVE_NAME))
            raise DataError(msg("download.cannot_install", detail=detail, manual=manual())) from None
    finally:
        tmp.unlink(missing_ok=True)


__all__ = ["ARCHIVE_NAME", "CIFAR10_FILES", "CIFAR10_MD5", "CIFAR10_URL", "check_root", "download_cifar10",
           "install_archive", "installed", "md5_of", "missing_files"]
