"""Lesson 10's project folder: the three files a learner takes home, and running them from the lesson.

The lesson writes ``model.py``, ``train.py`` and ``test.py`` with ``%%writefile`` into a folder of
the learner's (the parameter ``project_dir``), then runs them as one would in a terminal.  Two
things here are not the lesson's topic, so they are helpers:

- :func:`project_folder` picks the folder without losing a learner's work: running the lesson
  again rewrites the files it wrote before, but never a file the learner has changed since —
  then the lesson writes into a new folder (``tudui_project_2``, …) and says so;
- :func:`run_script` runs ``python <script> <args>`` in that folder with the kernel's own Python
  and shows its output line by line while it runs, as a terminal would.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from .errors import CourseError
from .messages import msg

#: The file in a project folder that records what the lesson wrote there (name → sha256 of the bytes).
MARKER = ".written-by-lesson.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _written(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def changed_files(folder: str | os.PathLike[str], names: tuple[str, ...]) -> list[str]:
    """The files of ``names`` in ``folder`` that the lesson did not write as they are now (the learner's work)."""
    folder, written = Path(folder), _written(Path(folder))
    return [n for n in names if (folder / n).is_file() and written.get(n) != _digest(folder / n)]


def project_folder(path: str | os.PathLike[str], names: tuple[str, ...] = ("model.py", "train.py", "test.py")) -> str:
    """The folder the lesson writes its project into: ``path``, or the first free ``path_2``, ``path_3``, …
    when ``path`` holds one of ``names`` changed since the lesson wrote it (or not written by it at all).

    Creates the folder and prints one line saying where the files go (and why, if not ``path``).

    Raises:
        CourseError: ``path`` is an existing file, or the folder cannot be created (one line).
    """
    base = Path(path)
    candidate, n = base, 1
    while candidate.exists() and (not candidate.is_dir() or changed_files(candidate, names)):
        if candidate.exists() and not candidate.is_dir() and candidate == base:
            raise CourseError(msg("project.is_a_file", path=os.fspath(base)))
        n += 1
        candidate = base.with_name(f"{base.name}_{n}")
    try:
        candidate.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CourseError(msg("project.cannot_create", path=os.fspath(candidate), reason=err.strerror or err)) from None
    if candidate == base:
        print(msg("project.folder", path=candidate.as_posix()))
    else:
        print(msg("project.kept", path=base.as_posix(), files=", ".join(changed_files(base, names)),
                  new=candidate.as_posix()))
    return os.fspath(candidate)


def mark_project(path: str | os.PathLike[str], names: tuple[str, ...] = ("model.py", "train.py", "test.py")) -> None:
    """Record that the lesson wrote ``names`` in ``path`` as they are now (so a later run may rewrite them)."""
    folder = Path(path)
    record = {n: _digest(folder / n) for n in names if (folder / n).is_file()}
    (folder / MARKER).write_text(json.dumps(record, indent=1), encoding="utf-8")


def run_script(script: str, *args: str, cwd: str | os.PathLike[str]) -> list[str]:
    """Run ``python script args…`` in ``cwd`` with this kernel's Python, printing its output as it comes.

    What a learner would type in a terminal in the project folder.  The script's output is read
    as UTF-8 line by line and printed at once (``-u``: no buffering), so a long training shows each
    epoch when it ends.  Returns the lines printed.

    Raises:
        CourseError: the script stopped with an error; one line with the script's last line of output.
    """
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    lines: list[str] = []
    with subprocess.Popen([sys.executable, "-u", script, *map(str, args)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace") as proc:
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
    if proc.returncode != 0:
        last = next((line for line in reversed(lines) if line.strip()), "")
        raise CourseError(msg("project.script_failed", script=script, status=proc.returncode, last=last))
    return lines


__all__ = ["MARKER", "changed_files", "mark_project", "project_folder", "run_script"]
