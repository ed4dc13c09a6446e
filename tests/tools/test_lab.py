"""tools/lab.py: `python -m tools lab` (= `make lab`) serves JupyterLab on notebooks/."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from helpers import REPO_ROOT, free_port, lab_args, serves_jupyterlab
from tools import lab


def test_command_opens_notebooks_and_passes_options_on():
    cmd = lab.command(["--port", "8890", "--no-browser"])
    assert cmd[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert f"--ServerApp.root_dir={REPO_ROOT / 'notebooks'}" in cmd
    assert cmd[-3:] == ["--port", "8890", "--no-browser"]
    assert ("--allow-root" in cmd) == (hasattr(os, "geteuid") and os.geteuid() == 0)


@pytest.fixture(autouse=True)
def kernel_left_alone(monkeypatch):
    """lab.main registers the course's kernel (tools.kernel.ensure, tested in test_kernel.py); these tests leave
    this environment's kernel alone."""
    monkeypatch.setattr(lab, "ready_kernel", lambda: "ok")


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


# ----------------------------------------------------------------------------- the news pop-up
NEWS = "@jupyterlab/apputils-extension:notification"


def test_the_settings_live_in_this_environment_not_the_home_folder(monkeypatch):
    monkeypatch.delenv("JUPYTERLAB_DIR", raising=False)
    assert lab.settings_file() == Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    monkeypatch.setenv("JUPYTERLAB_DIR", "/somewhere/lab")
    assert lab.settings_file() == Path("/somewhere/lab/settings/overrides.json")


def test_lab_turns_the_news_pop_up_off_before_jupyterlab_starts(tmp_path, monkeypatch):
    path = tmp_path / "lab" / "settings" / "overrides.json"
    monkeypatch.setattr(lab, "settings_file", lambda: path)
    seen = []
    monkeypatch.setattr(lab.subprocess, "call", lambda *args, **kwargs: seen.append(json.loads(path.read_text())) or 0)
    assert lab.main(["--no-browser"]) == 0
    assert seen == [{NEWS: {"fetchNews": "false", "checkForUpdates": False}}]
    assert oct(path.stat().st_mode & 0o777) != "0o600", "readable like any settings file"


def test_existing_settings_are_merged_not_clobbered(tmp_path):
    path = tmp_path / "overrides.json"
    theirs = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
              NEWS: {"fetchNews": "true", "doNotDisturbMode": True}}
    path.write_text(json.dumps(theirs))
    assert lab.write_settings(path)
    assert json.loads(path.read_text()) == {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                            NEWS: {"fetchNews": "true", "doNotDisturbMode": True,
                                                   "checkForUpdates": False}}
    before = path.stat().st_mtime_ns
    assert lab.write_settings(path) and path.stat().st_mtime_ns == before, "nothing to add: not rewritten"


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", json.dumps({NEWS: "odd"})])
def test_a_file_it_cannot_read_is_left_alone(tmp_path, text):
    path = tmp_path / "overrides.json"
    path.write_text(text)
    assert not lab.write_settings(path) and path.read_text() == text
