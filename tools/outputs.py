"""Re-execute lesson notebooks in place, on the CPU, so their stored outputs are fresh.

    make outputs NB=notebooks/03_convolution.ipynb      # = python -m tools outputs notebooks/03_*.ipynb
    python -m tools outputs                             # every lesson of both editions
    python -m tools outputs --stamp notebooks/zh/03_convolution.ipynb   # record the messages, run nothing

Stored outputs are what nbval compares against and what learners see before they run a cell,
so run this after changing a lesson (or a helper it uses).  The kernel runs in the notebook's
folder with CUDA hidden, as on a learner's laptop.  Cells tagged ``nbval-skip`` (the
TensorBoard panel, which needs a live browser) are stored unexecuted.  Progress bars are
dropped (a stored copy would only show a frozen bar).  A notebook whose run fails, or whose
outputs hold a local path or known noise (a warning, a torchinfo units bug), is left unchanged
and the command exits 1.

The notebook's metadata records which code made its outputs (``metadata.course.outputs_from``, a
hash of its code cells' sources) and which of the course's messages they show
(``metadata.course.messages``: ``{key: hash}`` of the entries of ``utils/messages.py`` found in them,
English or Chinese): ``make check-translations`` and the tests fail, naming the notebook, when a
stored notebook's code, or the text of a message its outputs show, has changed since
(``tools.notebooks.output_problems``).  ``--stamp`` records the messages of notebooks whose outputs
are current without running them; it refuses a notebook whose outputs came from other code, or
show a message whose text has changed.

A notebook is only ever replaced whole (:func:`tools.notebooks.write_notebook`: a temporary file,
renamed): a full disk or a size limit (``ulimit -f``) says so in one line and leaves the stored
notebook as it was.  A notebook that cannot be written (a read-only ``notebooks/``) is refused in one
line, exit status 2, before anything runs.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from utils.paths import REPO_ROOT

from .notebooks import (EDITIONS, WIDGET_MIME, code_fingerprint, fingerprint, lessons, message_stamp, stale_messages,
                        write_notebook)
from .slide_metadata import add_slide_metadata

KERNEL = {"name": "tudui-pytorch", "display_name": "Python 3 (tudui-pytorch)", "language": "python"}
SKIP_TAG = "nbval-skip"
#: Text that must never be stored: local paths, and noise a learner should not have to read.
LOCAL = (str(REPO_ROOT), "/root/", "/home/", "/Users/", "/tmp/", "C:\\Users")
NOISE = {
    # tqdm's text: "| 24/24 [00:03<00:00,  7.52it/s, loss=2.301]" (a postfix may follow the rate)
    "a progress bar": re.compile(r"\d+(\.\d+)?(it|s)/(s|it)\b|\| *\d+/\d+ \[\d\d:\d\d<"),
    "a warning": re.compile(r"\b(Future|Deprecation|User|Runtime)Warning\b"),
    "torchinfo's units bug": re.compile(r"Units\.[A-Z]+"),
}


def problems(nb) -> list[str]:
    """What is wrong with ``nb``'s stored outputs: local paths, noise, errors."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        text = json.dumps(cell.get("outputs", []), ensure_ascii=False)
        found += [f"cell {i} holds a local path ({p})" for p in LOCAL if json.dumps(p, ensure_ascii=False)[1:-1] in text]
        found += [f"cell {i} shows {what}" for what, pattern in NOISE.items() if pattern.search(text)]
        found += [f"cell {i} stores an error" for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return found


def clean(nb) -> None:
    """Drop what must not be stored: widget outputs (live progress bars), execution timings."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_MIME not in o.get("data", {})]


def execute(path: Path) -> bool:
    """Run ``path`` top to bottom and store its outputs; return whether it succeeded."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata.setdefault("language_info", {"name": "python"})
    skipped = [c for c in nb.cells if c.cell_type == "code" and SKIP_TAG in c.metadata.get("tags", [])]
    for cell in skipped:
        cell.metadata["tags"].append("skip-execution")
        cell.outputs, cell.execution_count = [], None
    start = time.time()
    client = NotebookClient(nb, timeout=1800, kernel_name=KERNEL["name"],
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except Exception as err:  # report and keep the old file
        print(f"FAILED {path.name}: {type(err).__name__}: {str(err)[-3000:]}")
        return False
    finally:
        for cell in skipped:
            cell.metadata["tags"].remove("skip-execution")
    clean(nb)
    found = problems(nb)
    if found:
        print(f"FAILED {path.name}: " + "; ".join(found[:5]))
        return False
    add_slide_metadata(nb)  # so `make slides` reads well: one idea per slide
    fingerprint(nb)  # metadata.course.outputs_from: the code these outputs came from (checked by the tests)
    if not saved(nb, path):
        return False
    print(f"ok {path.name} ({time.time() - start:.1f} s)")
    return True


def saved(nb, path: Path) -> bool:
    """Write ``nb`` over ``path`` whole, or say in one line why it could not be (the stored notebook unchanged)."""
    from utils.paths import os_reason

    try:
        write_notebook(nb, path)
    except OSError as err:
        print(f"FAILED {shown(path)}: could not be written ({os_reason(err)}); the stored notebook is unchanged")
        return False
    return True


def unwritable(path: Path) -> str | None:
    """Why ``path`` could not be replaced (a read-only folder or file), in one phrase; ``None`` if it can."""
    from utils.paths import folder_problem

    problem = folder_problem(path.parent)
    if problem is None and path.exists() and not os.access(path, os.W_OK):
        problem = f"{shown(path)} is read-only"
    return problem


def shown(path: Path) -> str:
    """``path`` as the messages name it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def stamp(path: Path) -> bool:
    """Record in ``path``'s metadata the course messages its stored outputs show (``metadata.course.messages``),
    without running it; refuse (return ``False``, the file unchanged) when its outputs are not current."""
    nb = nbformat.read(path, as_version=4)
    name = shown(path)
    course = nb.metadata.get("course") or {}
    if course.get("outputs_from") != code_fingerprint(nb):
        print(f"REFUSED {name}: its outputs were not made by the code it holds (or are not fingerprinted); "
              f"run make outputs NB={name}")
        return False
    stale = stale_messages(nb, name)
    if stale:
        print(f"REFUSED {stale[0]}")
        return False
    nb.metadata["course"]["messages"] = message_stamp(nb)
    if not saved(nb, path):
        return False
    print(f"stamped {name}: {len(nb.metadata['course']['messages'])} course message(s)")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools outputs", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to re-execute, e.g. notebooks/03_convolution.ipynb (default: every lesson "
                             "of both editions)")
    parser.add_argument("--stamp", action="store_true",
                        help="run nothing: record which course messages the stored outputs show (metadata.course."
                             "messages), for notebooks whose outputs are current")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    targets = [p.resolve() for p in args.notebooks] or [p for folder in EDITIONS.values() for p in lessons(folder)]
    for path in targets:  # before anything runs: a notebook that could not be stored afterwards
        problem = unwritable(path)
        if problem is not None:
            print(f"error: cannot write {shown(path)}: {problem}; nothing was run", file=sys.stderr)
            return 2
    if args.stamp:
        results = [stamp(p) for p in targets]
        return 0 if all(results) else 1
    from .kernel import ensure

    ensure()  # the course's kernel, with this environment on its PATH (tools.kernel)
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # stored outputs are CPU outputs
    # TensorBoard runs and checkpoints go to the repository's runs/ and checkpoints/ (git ignores
    # both), as in a learner's run: the folders the lessons print are then real, relative paths.
    results = [execute(p) for p in targets]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
