"""Fixtures of the utils tests: a folder nobody may write to."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest


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