"""Register the course's Jupyter kernel, **Python 3 (tudui-pytorch)** (``python -m tools kernel``).

    python -m tools kernel            # into this environment (what `make venv` does): <sys.prefix>/share/jupyter
    python -m tools kernel --user     # into your user folder, for a Jupyter started from another environment

The kernel is ``ipykernel``'s, run by this environment's Python, with one addition: its
kernelspec's ``env`` puts this environment's scripts folder (``bin/``; on Windows ``Scripts\\``
and the folders ``conda activate`` adds) in front of the ``PATH`` the kernel is started with::

    "env": {"PATH": "/path/to/.venv/bin:${PATH}"}

Jupyter fills in ``${PATH}`` when it starts the kernel (``jupyter_client`` 7 and later: JupyterLab,
``make lab``, papermill, nbclient; VS Code's Jupyter extension since early 2024).  So programs this
environment installed — ``tensorboard`` for the lessons' ``%tensorboard`` cells, ``pip`` for a
``!pip`` — are found however the kernel is started, from a shell where the environment is
activated or not, on Linux, macOS and Windows.  (Without it, ``%tensorboard`` answers "ERROR: Could
not find `tensorboard`": TensorBoard's magic runs the ``tensorboard`` program from ``PATH``.)

Why the kernelspec and not something the kernel does at start-up: it is the one place every
Jupyter client reads, it needs no code of the course in the kernel's start, and ``kernel.json``
shows what it does.  ``python -m tools lab`` (and ``report``, ``outputs``) call :func:`ensure`,
which registers the kernel if it is missing, or refreshes one of this environment that lacks the
``PATH`` entry (an older ``python -m ipykernel install``).
"""
from __future__ import annotations

import json
import os
import sys
import sysconfig
from pathlib import Path

from utils.messages import msg
from utils.params import OneLineParser

NAME = "tudui-pytorch"
DISPLAY_NAME = "Python 3 (tudui-pytorch)"


def path_folders(prefix: str | None = None, windows: bool | None = None) -> list[str]:
    """The folders of this environment that belong on the kernel's ``PATH``: the scripts folder
    (``sysconfig``'s ``scripts``: ``bin/``, or ``Scripts\\`` on Windows) and, on Windows, the folders
    ``conda activate`` adds for a conda environment's programs and DLLs (those that exist)."""
    scripts = sysconfig.get_path("scripts")
    folders = [scripts]
    if os.name == "nt" if windows is None else windows:
        root = Path(prefix or sys.prefix)
        extra = [root, root / "Library" / "mingw-w64" / "bin", root / "Library" / "usr" / "bin",
                 root / "Library" / "bin", root / "bin"]
        folders = [str(p) for p in extra if p.is_dir()] + folders
    seen: list[str] = []
    for folder in folders:
        if folder and folder not in seen:
            seen.append(folder)
    return seen


def kernel_env() -> dict[str, str]:
    """The kernelspec's ``env``: this environment's folders, then the ``PATH`` Jupyter starts the kernel with."""
    return {"PATH": os.pathsep.join(path_folders()) + os.pathsep + "${PATH}"}


def install(user: bool = False, prefix: str | None = None) -> Path:
    """Write the kernelspec (``kernel.json``) into ``prefix`` (default: this environment, ``sys.prefix``) or, with
    ``user``, the user's Jupyter folder; return its folder."""
    from ipykernel.kernelspec import install as ipykernel_install

    where = ipykernel_install(user=user, prefix=None if user else (prefix or sys.prefix), kernel_name=NAME,
                              display_name=DISPLAY_NAME, env=kernel_env())
    return Path(where)


def find() -> Path | None:
    """The folder of the kernelspec Jupyter would start for :data:`NAME` (the first on its search path), or None."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return Path(KernelSpecManager().get_kernel_spec(NAME).resource_dir)
    except (NoSuchKernel, OSError, ValueError, KeyError):
        return None


def is_current(folder: Path) -> bool:
    """Whether the kernelspec in ``folder`` runs this Python with this environment's folders on its PATH."""
    try:
        spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    path = (spec.get("env") or {}).get("PATH", "")
    return bool(spec.get("argv")) and spec["argv"][0] == sys.executable and path == kernel_env()["PATH"]


def runs_this_python(folder: Path) -> bool:
    try:
        spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(spec.get("argv")) and spec["argv"][0] == sys.executable


def ensure() -> str:
    """Make sure the course's kernel can be started with this environment's PATH; return what was done:
    ``"ok"``, ``"installed"``, ``"refreshed"``, or ``"other"`` (the kernel found runs another environment's
    Python: left alone) or ``"failed"`` (nothing could be written: the kernel still starts, without the PATH)."""
    found = find()
    if found is not None and is_current(found):
        return "ok"
    if found is not None and not runs_this_python(found):
        return "other"
    try:
        if found is None:
            install()
            return "installed"
        spec = json.loads((found / "kernel.json").read_text(encoding="utf-8"))
        spec["env"] = {**(spec.get("env") or {}), **kernel_env()}
        from utils.paths import write_atomic

        text = json.dumps(spec, indent=1) + "\n"
        write_atomic(found / "kernel.json", lambda f: f.write(text.encode("utf-8")))
        return "refreshed"
    except (OSError, ValueError, ImportError):
        return "failed"


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m tools kernel", description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="into your user folder (seen by every Jupyter you run)")
    where.add_argument("--prefix", help="into PREFIX/share/jupyter/kernels (default: this environment, sys.prefix)")
    args = parser.parse_args(argv)
    try:
        folder = install(user=args.user, prefix=args.prefix)
    except OSError as err:
        from utils.paths import os_reason

        print(f"{parser.prog}: error: " + msg("kernel.cannot_install", reason=os_reason(err)), file=sys.stderr)
        return 1
    print(msg("kernel.installed", name=DISPLAY_NAME, path=str(folder), folders=os.pathsep.join(path_folders())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
