"""The repository's set-up: README commands, CI script, `make lab`."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from helpers import REPO_ROOT


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make \w+$", quick, flags=re.M)
    assert commands == ["make lab", "make test"]
    ci = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == ["make test"]


def test_requirements_and_environment_agree():
    reqs = {re.split(r"[<>=!~\[ ]", line)[0].lower() for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
            if line and not line.startswith(("#", "-"))}
    assert {"torch", "torchvision", "jupyterlab", "matplotlib", "tensorboard", "nbval", "papermill"} <= reqs
    env = (REPO_ROOT / "environment.yml").read_text()
    assert "-r requirements.txt" in env and "python=3.11" in env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_jupyterlab():
    port = _free_port()
    args = "--no-browser --ServerApp.ip=127.0.0.1 --IdentityProvider.token=test-token"
    proc = subprocess.Popen(["make", "lab", f"PORT={port}", f"LAB_ARGS={args}"], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, answer = time.time() + 90, None
        while time.time() < deadline and answer is None:
            time.sleep(1)
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/api/contents?type=directory",
                                             headers={"Authorization": "token test-token"})
                answer = urllib.request.urlopen(req, timeout=5).read().decode()
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
        assert answer is not None, "JupyterLab did not answer within 90 s"
        assert "00_setup.ipynb" in answer, "JupyterLab should open on notebooks/"
        lab = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/lab?token=test-token"), timeout=10)
        assert lab.status == 200
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop make and the JupyterLab server it started (its whole process group)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def test_kernel_is_registered():
    from jupyter_client.kernelspec import KernelSpecManager

    assert "tudui-pytorch" in KernelSpecManager().find_kernel_specs()
