"""The repository's set-up: the README's commands, the CI script, the environments, `make lab`."""
from __future__ import annotations

import json
import re
import sys

import pytest

from helpers import REPO_ROOT, free_port, lab_args, serves_jupyterlab

README = REPO_ROOT / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The body of the ``## heading`` section (up to the next heading of level 1 or 2)."""
    parts = re.split(rf"^## {re.escape(heading)}[ \t]*$", text, maxsplit=1, flags=re.M)
    assert len(parts) == 2, f"README has no '## {heading}' section"
    return re.split(r"^#{1,2} ", parts[1], maxsplit=1, flags=re.M)[0]


def make_targets() -> list[str]:
    phony = re.search(r"^\.PHONY:(.*)$", (REPO_ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1).split()
    return [t for t in phony if t not in {"help", "venv", "clean-runs"}]


@pytest.mark.parametrize("heading", ["Quick start", "快速开始"])
def test_quick_start_lists_exactly_make_lab_and_make_test(heading):
    commands = re.findall(r"^make \S.*$", section(readme(), heading), flags=re.M)
    assert commands == ["make lab", "make test"]


def test_ci_runs_exactly_the_readme_test_command():
    ci = [line.strip() for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci == ["make test"]


@pytest.mark.parametrize("target", make_targets())
def test_readme_gives_each_make_target_its_plain_command(target):
    """Windows and Anaconda users have no make: the README names `python -m tools <target>` for each target."""
    text = readme()
    assert re.search(rf"`make {re.escape(target)}`", text), f"the README never mentions make {target}"
    assert re.search(rf"python -m tools {re.escape(target)}(?![\w-])", text), \
        f"the README does not give `python -m tools {target}` for make {target}"


def _requirement_names(lines) -> set[str]:
    return {re.split(r"[<>=!~\[ ;]", line.strip())[0].lower().replace("_", "-") for line in lines
            if line.strip() and not line.strip().startswith(("#", "-"))}


def test_requirements_and_environment_agree():
    reqs = _requirement_names((REPO_ROOT / "requirements.txt").read_text().splitlines())
    assert {"torch", "torchvision", "jupyterlab", "matplotlib", "tensorboard", "nbval", "papermill"} <= reqs
    assert "-e ." in (REPO_ROOT / "requirements.txt").read_text().splitlines()
    env = (REPO_ROOT / "environment.yml").read_text()
    assert "-r requirements.txt" in env and "python=3.11" in env
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    runtime = json.loads(re.search(r"^dependencies = (\[.*\])$", pyproject, re.M).group(1))
    assert _requirement_names(runtime) <= reqs, "every runtime dependency of utils is in requirements.txt"
    assert re.search(r'requires-python = ">=3\.(\d+)"', pyproject).group(1) <= "11"


@pytest.mark.slow
def test_make_lab_serves_jupyterlab():
    """`make lab LAB_ARGS=...` (as the README says) opens JupyterLab on notebooks/.

    ``-o .venv/.installed`` and ``PY=`` keep make from reinstalling the environment: the test
    runs in the environment that runs the tests."""
    port = free_port()
    cmd = ["make", "-o", ".venv/.installed", f"PY={sys.executable}", "lab", f"LAB_ARGS={' '.join(lab_args(port))}"]
    listing = json.loads(serves_jupyterlab(cmd, port))
    assert "00_setup.ipynb" in {entry["name"] for entry in listing["content"]}, "JupyterLab should open on notebooks/"


def test_kernel_is_registered():
    from jupyter_client.kernelspec import KernelSpecManager

    assert "tudui-pytorch" in KernelSpecManager().find_kernel_specs()
