"""tools/__main__.py: `python -m tools <command>` is every make target without make.

Also the rule that makes that work anywhere: tools, scripts and utils import each other as
installed packages and never edit sys.path.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

import tools.__main__ as entry
from helpers import REPO_ROOT

#: Makefile targets that are about make itself, not course commands.
MAKE_ONLY = {"help", "venv", "clean-runs"}


def make_targets() -> dict[str, str]:
    """``{target: its recipe}`` for every rule of the Makefile (file targets such as ``$(VENV)/...`` excluded)."""
    targets, current = {}, None
    for line in (REPO_ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        rule = re.match(r"^([A-Za-z][\w-]*):(?!=)", line)
        if rule:
            current = rule.group(1)
            targets[current] = ""
        elif line.startswith("\t") and current:
            targets[current] += line.strip() + "\n"
        elif line.strip() and not line.startswith("#"):
            current = None
    return targets


COMMAND_TARGETS = sorted(set(make_targets()) - MAKE_ONLY)


def test_makefile_parser_found_the_course_commands():
    assert {"lab", "test", "check", "data", "report", "slides", "outputs"} <= set(COMMAND_TARGETS)
    phony = re.search(r"^\.PHONY:(.*)$", (REPO_ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1).split()
    assert sorted(phony) == sorted(make_targets())


@pytest.mark.parametrize("target", COMMAND_TARGETS)
def test_each_make_target_runs_the_python_command_of_the_same_name(target):
    recipe = make_targets()[target]
    # "$(PY)" quoted: the repository's path, or an absolute PY=, may hold a space (tests/tools/test_makefile.py)
    assert re.search(rf'^@?"\$\(PY\)" -m tools {re.escape(target)}(\s|$)', recipe, re.M), recipe
    assert "venv" in re.search(rf"^{re.escape(target)}:(.*)$", (REPO_ROOT / "Makefile").read_text(), re.M).group(1)


def test_the_commands_are_the_make_targets():
    assert sorted(entry.COMMANDS) == COMMAND_TARGETS


def test_python_m_tools_lists_every_make_target():
    proc = subprocess.run([sys.executable, "-m", "tools"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    listed = re.findall(r"^  python -m tools (\S+)", proc.stdout, re.M)
    assert listed == list(entry.COMMANDS) and sorted(listed) == COMMAND_TARGETS
    assert proc.stdout.startswith("usage: python -m tools <command>")


@pytest.mark.parametrize("flag", ["-h", "--help", "help"])
def test_help_flags(flag, capsys):
    assert entry.main([flag]) == 0
    assert capsys.readouterr().out == entry.usage() + "\n"


def test_unknown_command_is_exit_2(capsys):
    assert entry.main(["nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown command 'nope'") and "python -m tools lab" in err


@pytest.mark.parametrize("command", list(entry.COMMANDS))
def test_each_command_has_help(command, capsys, monkeypatch):
    """`python -m tools <command> --help` exits 0 with a usage text, for every command."""
    monkeypatch.chdir(REPO_ROOT)
    if entry.COMMANDS[command].startswith("pytest") or command in ("lab", "tensorboard"):
        # these hand --help on to pytest, JupyterLab or TensorBoard (whose own --help is theirs to test); the
        # JupyterLab test in test_lab.py runs `python -m tools lab` for real
        import tools.lab

        calls = []
        monkeypatch.setattr(subprocess, "call", lambda cmd, **kwargs: calls.append(cmd) or 0)
        monkeypatch.setattr(tools.lab, "ready_kernel", lambda: "ok")
        assert entry.main([command, "--help"]) == 0
        assert len(calls) == 1 and calls[0][-1] == "--help"
        program = {"lab": "jupyter", "tensorboard": "tensorboard.main"}.get(command, "pytest")
        assert calls[0][:3] == [sys.executable, "-m", program]
        return
    with pytest.raises(SystemExit) as info:
        entry.main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ") and f"python -m tools {command.split('-')[-1]}" in out


def test_check_runs_the_unit_tests_without_notebooks(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, **kwargs: calls.append((cmd, kwargs)) or 0)
    assert entry.run("check", ["-x"]) == 0 and entry.run("test", ["-q"]) == 0
    (check, check_kwargs), (test, _) = calls
    assert check[:3] == [sys.executable, "-m", "pytest"] and check_kwargs["cwd"] == REPO_ROOT
    assert "tests/utils" in check and "tests/tools" in check and check[-3:] == ["-m", "not notebook", "-x"]
    assert test == [sys.executable, "-m", "pytest", "-q"]


# ----------------------------------------------------------------------------- no sys.path edits
def sys_path_uses(source: str) -> list[str]:
    """Every use of ``sys.path`` (or ``site.addsitedir``) in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in (("sys", "path"), ("site", "addsitedir")):
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "sys" and any(a.name == "path" for a in node.names):
            found.append(f"line {node.lineno}: from sys import path")
    return found


def test_the_sys_path_detector_finds_what_it_looks_for():
    source = "import sys, site\nsys.path.insert(0, 'x')\nsys.path = []\nfrom sys import path\nsite.addsitedir('y')\n"
    assert len(sys_path_uses(source)) == 4


def test_no_code_edits_sys_path():
    files = [p for folder in ("tools", "scripts", "utils") for p in sorted((REPO_ROOT / folder).rglob("*.py"))]
    found = {str(p.relative_to(REPO_ROOT)): uses for p in files if (uses := sys_path_uses(p.read_text(encoding="utf-8")))}
    assert found == {}
