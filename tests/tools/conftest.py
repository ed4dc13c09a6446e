"""The tools' tests read English: the commands speak the system's language (utils.cli), so the tests choose it."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.fixture(scope="session", autouse=True)
def commands_speak_english():
    """``COURSE_LANGUAGE=en`` for these tests and the processes they start, whatever this machine's locale
    (a test that checks the Chinese sets its own)."""
    before = os.environ.get("COURSE_LANGUAGE")
    os.environ["COURSE_LANGUAGE"] = "en"
    yield
    if before is None:
        os.environ.pop("COURSE_LANGUAGE", None)
    else:
        os.environ["COURSE_LANGUAGE"] = before


@pytest.fixture
def read_only():
    """``read_only(folder)``: make an existing folder (and what it holds) read-only for this process: mode 0555 for
    a normal user; for root, which ignores permission bits, a read-only bind mount of the folder onto itself;
    skipped where neither works.  Undone afterwards."""
    undo = []

    def make(folder):
        if hasattr(os, "geteuid") and os.geteuid() != 0:
            folder.chmod(0o555)
            undo.append(lambda: folder.chmod(0o755))
            return folder
        if shutil.which("mount") and subprocess.run(["mount", "--bind", str(folder), str(folder)],
                                                    capture_output=True).returncode == 0:
            undo.append(lambda: subprocess.run(["umount", str(folder)], capture_output=True))
            if subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True).returncode == 0:
                return folder
        pytest.skip("no read-only folder can be made here (root, and mounting is not permitted)")

    yield make
    for step in reversed(undo):
        step()


@pytest.fixture
def read_only_folder(tmp_path, read_only):
    """An empty folder this process cannot write into (see :func:`read_only`)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    return read_only(folder)


def limited_files(max_bytes: int):
    """A ``preexec_fn`` for subprocess: no file larger than ``max_bytes`` (``ulimit -f``), standing in for a full
    disk (writes fail with EFBIG: Python ignores SIGXFSZ)."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    return limit


@pytest.fixture
def small_files():
    """``small_files(max_bytes)``: a ``preexec_fn`` for a process whose files may not grow past ``max_bytes``."""
    try:
        import resource  # noqa: F401
    except ImportError:
        pytest.skip("no resource limits on this system (Windows)")
    return limited_files
