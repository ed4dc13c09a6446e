"""Fixtures of the utils tests: a folder nobody may write to."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.fixture
def read_only_folder(tmp_path):
    """An empty folder this process cannot write into: mode 0555 for a normal user; for root (which ignores
    permission bits) a read-only tmpfs mounted there; skipped where neither works."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if shutil.which("mount") and subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                                                capture_output=True).returncode == 0:
        try:
            yield folder
        finally:
            subprocess.run(["umount", str(folder)], capture_output=True)
        return
    pytest.skip("no read-only folder can be made here (root, and mounting is not permitted)")
