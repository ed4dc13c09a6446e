"""TensorBoard on the lessons' runs, with no activated environment needed (``make tensorboard``).

    python -m tools tensorboard                           # the runs of both editions: notebooks/logs, notebooks/zh/logs
    python -m tools tensorboard --logdir runs/train       # scripts/train.py's runs
    python -m tools tensorboard --logdir reports --port 6007
    make tensorboard LOGDIR=runs/train

It runs ``<this Python> -m tensorboard.main``, TensorBoard of the course's environment, so it
works from any shell (the bare ``tensorboard`` command needs the environment activated).  Without
``--logdir`` it shows ``notebooks/``: every lesson's ``logs/<lesson>/<time>/`` run of both editions
(TensorBoard finds runs in sub-folders).  Other options go to TensorBoard as they are; relative
paths start at the current folder.  Ctrl-C stops it.
"""
from __future__ import annotations

import subprocess
import sys

from utils.paths import REPO_ROOT

#: What TensorBoard shows when no --logdir is given: the lessons' runs (each edition's logs/).
DEFAULT_LOGDIR = REPO_ROOT / "notebooks"


def command(argv: list[str]) -> list[str]:
    """The TensorBoard command line: this Python's ``tensorboard.main``, ``--logdir notebooks`` unless one is given."""
    given = any(a == "--logdir" or a.startswith(("--logdir=", "--logdir_spec")) for a in argv)
    return [sys.executable, "-m", "tensorboard.main", *([] if given else ["--logdir", str(DEFAULT_LOGDIR)]), *argv]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return subprocess.call(command(argv))
    except KeyboardInterrupt:  # Ctrl-C stops TensorBoard: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
