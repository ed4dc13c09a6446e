"""tools/lab.py: `python -m tools lab` (= `make lab`) serves JupyterLab on notebooks/."""
from __future__ import annotations

import json
import os
import sys

import pytest

from helpers import REPO_ROOT, free_port, lab_args, serves_jupyterlab
from tools import lab


def test_command_opens_notebooks_and_passes_options_on():
    cmd = lab.command(["--port", "8890", "--no-browser"])
    assert cmd[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert f"--ServerApp.root_dir={REPO_ROOT / 'notebooks'}" in cmd
    assert cmd[-3:] == ["--port", "8890", "--no-browser"]
    assert ("--allow-root" in cmd) == (hasattr(os, "geteuid") and os.geteuid() == 0)


def test_ctrl_c_is_not_an_error(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(lab.subprocess, "call", interrupted)
    assert lab.main([]) == 0


@pytest.mark.slow
def test_python_m_tools_lab_serves_jupyterlab():
    port = free_port()
    listing = json.loads(serves_jupyterlab([sys.executable, "-m", "tools", "lab", *lab_args(port)], port))
    names = {entry["name"] for entry in listing["content"]}
    assert "00_setup.ipynb" in names, "JupyterLab should open on notebooks/"
