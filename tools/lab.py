"""Open the course in JupyterLab (``make lab`` = ``python -m tools lab``).

Starts ``jupyter lab`` in ``notebooks/`` of the active environment.  Extra options go to
JupyterLab, e.g. ``python -m tools lab --port 8890 --no-browser``.  As root (containers, CI)
``--allow-root`` is added, since Jupyter refuses root otherwise.

Before it starts, the course's settings go into the environment's own JupyterLab settings
(``<sys.prefix>/share/jupyter/lab/settings/overrides.json``, not the learner's home folder):
no "Would you like to get notified about official Jupyter news?" pop-up over the first lesson,
and no update check over the internet.  Settings already in that file are kept, and a
learner's own choice in JupyterLab's Settings editor still wins.

It also makes sure the course's kernel is registered with this environment on its ``PATH``
(:func:`tools.kernel.ensure`), so the lessons' ``%tensorboard`` cells find TensorBoard however the
shell that started JupyterLab was set up.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from utils.paths import REPO_ROOT, write_atomic

#: JupyterLab settings the course sets (plugin id → settings), unless the file already sets them.
SETTINGS: dict[str, dict] = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def settings_file() -> Path:
    """The environment's ``overrides.json``: JupyterLab's application folder (``$JUPYTERLAB_DIR``), ``settings/``."""
    app_dir = os.environ.get("JUPYTERLAB_DIR") or str(Path(sys.prefix) / "share" / "jupyter" / "lab")
    return Path(app_dir) / "settings" / "overrides.json"


def write_settings(path: Path | None = None) -> bool:
    """Merge :data:`SETTINGS` into ``path`` (default :func:`settings_file`); True if the file now has them.

    Only missing keys are added: a value the file already has stays.  A file that is not a
    JSON object is left as it is, and so is a folder that cannot be written (a shared,
    read-only Python): JupyterLab then merely asks about the news.
    """
    path = settings_file() if path is None else path
    try:
        current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        return False
    if not isinstance(current, dict):
        return False
    merged = dict(current)
    for plugin, values in SETTINGS.items():
        if not isinstance(merged.get(plugin, {}), dict):
            return False
        merged[plugin] = {**values, **merged.get(plugin, {})}
    if merged == current:
        return True
    text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomic(path, lambda f: f.write(text.encode("utf-8")))
    except OSError:
        return False
    return True


def ready_kernel() -> str:
    """Register the course's kernel, or refresh it, so that its PATH holds this environment (``%tensorboard``);
    a note if that cannot be done (:func:`tools.kernel.ensure`)."""
    from utils.messages import msg

    from .kernel import ensure

    done = ensure()
    if done in ("other", "failed"):
        problem = msg("kernel.other_python") if done == "other" else msg("kernel.not_written")
        print(msg("kernel.not_ready", problem=problem), file=sys.stderr)
    return done


def command(argv: list[str]) -> list[str]:
    """The jupyter lab command line this module runs."""
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={REPO_ROOT / 'notebooks'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + argv


def main(argv: list[str] | None = None) -> int:
    write_settings()
    ready_kernel()
    try:
        return subprocess.call(command(sys.argv[1:] if argv is None else argv), cwd=REPO_ROOT)
    except KeyboardInterrupt:  # Ctrl-C twice stops JupyterLab: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
