"""The Makefile in a repository whose path has a space and Chinese characters (issue 23, item 4)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO_ROOT

HERE_TEST = '''
from pathlib import Path

import utils.paths


def test_runs_in_the_copy():
    root = Path(__file__).resolve().parents[2]
    assert utils.paths.REPO_ROOT == root and " " in str(root) and "课程" in str(root)
'''


@pytest.mark.skipif(os.name == "nt" or shutil.which("make") is None, reason="needs make and a POSIX shell")
def test_make_check_runs_where_the_path_has_a_space_and_chinese_characters(tmp_path):
    """``make check`` (and so ``make <any target>``) with ``PY=`` an absolute path in "…/课程 副本/repo".

    The copy holds what ``make check`` needs (the Makefile, tools/, utils/, the pytest settings)
    and one test of its own; its ``.venv`` is this environment, reached through the new path,
    so the interpreter's own path has the space and the Chinese characters too.
    """
    repo = tmp_path / "课程 副本" / "repo"
    repo.mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "requirements.txt"):
        shutil.copy2(REPO_ROOT / name, repo / name)
    for name in ("tools", "utils"):
        shutil.copytree(REPO_ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "tests" / "utils").mkdir(parents=True)
    (repo / "tests" / "utils" / "test_here.py").write_text(HERE_TEST, encoding="utf-8")
    (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    python = repo / ".venv" / "bin" / Path(sys.executable).name
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    proc = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", f"PY={python}", "check",
                           "PYTEST_ARGS=-q -p no:cacheprovider"], cwd=repo, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "1 passed" in proc.stdout
