"""Where the course keeps things, independent of the current working directory.

JupyterLab starts kernels in ``notebooks/``, nbval in the notebook's folder and papermill in
whatever folder it was called from.  So relative paths given to the course's helpers
(``data_root="data"``) are resolved against the repository root, and paths shown in
notebook output are printed relative to it (stored outputs never hold a local path).
"""
from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder holding ``pyproject.toml``); ``utils`` is installed editable.
REPO_ROOT = Path(__file__).resolve().parent.parent


def resolve(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as an absolute path; a relative one is taken from the repository root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (REPO_ROOT / p)


def show(path: str | os.PathLike[str]) -> str:
    """Return ``path`` as a short string for printing: relative to the repo root when inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(p)


def runs_root() -> Path:
    """The folder that holds TensorBoard runs: ``$COURSE_RUNS_DIR`` if set, else ``<repo>/runs``."""
    return resolve(os.environ.get("COURSE_RUNS_DIR", "runs"))


def new_folder(parent: str | os.PathLike[str], stamp: str) -> Path:
    """Create and return a new folder ``<parent>/<stamp>``, or ``<stamp>-2``, ``-3``, … when taken.

    ``mkdir`` without ``exist_ok`` is atomic, so two runs started in the same second get
    different folders and never share, or overwrite, one.  ``parent`` is created if needed.
    """
    parent = resolve(parent)
    parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 10_000):
        folder = parent / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise RuntimeError(f"could not create a new folder named {stamp} under {show(parent)}")
