"""Open the course in JupyterLab (``make lab`` = ``python -m tools lab``).

Starts ``jupyter lab`` in ``notebooks/`` of the active environment.  Extra options go to
JupyterLab, e.g. ``python -m tools lab --port 8890 --no-browser``.  As root (containers, CI)
``--allow-root`` is added, since Jupyter refuses root otherwise.
"""
from __future__ import annotations

import os
import subprocess
import sys

from utils.paths import REPO_ROOT


def command(argv: list[str]) -> list[str]:
    """The jupyter lab command line this module runs."""
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={REPO_ROOT / 'notebooks'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + argv


def main(argv: list[str] | None = None) -> int:
    try:
        return subprocess.call(command(sys.argv[1:] if argv is None else argv), cwd=REPO_ROOT)
    except KeyboardInterrupt:  # Ctrl-C twice stops JupyterLab: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
