"""Re-execute lesson notebooks in place, on the CPU, so their stored outputs are fresh.

    python tools/execute_notebooks.py                      # every notebook
    python tools/execute_notebooks.py notebooks/02_*.ipynb # some

Stored outputs are what nbval compares against, so run this after changing a lesson (or a
helper it uses).  The kernel runs in notebooks/ with CUDA hidden, as a learner's laptop would.
A notebook whose run fails, or whose outputs hold a local path, is left unchanged.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from slide_metadata import add_slide_metadata  # tools/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
KERNEL = {"name": "tudui-pytorch", "display_name": "Python 3 (tudui-pytorch)", "language": "python"}
WIDGET = "application/vnd.jupyter.widget-view+json"
LOCAL = (str(ROOT), "/root/", "/home/", "/tmp/")


def execute(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("jupytext", None)  # authoring metadata, if the lesson was drafted with jupytext
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata.setdefault("language_info", {"name": "python"})
    # interactive-only cells (the TensorBoard panel) are marked NBVAL_SKIP: store them unexecuted
    skipped = [c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith("# NBVAL_SKIP")]
    for cell in skipped:
        cell.metadata.setdefault("tags", []).append("skip-execution")
        cell.outputs, cell.execution_count = [], None
    start = time.time()
    client = NotebookClient(nb, timeout=1800, kernel_name=KERNEL["name"],
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except Exception as err:  # report and keep the old file
        print(f"FAILED {path.name}: {type(err).__name__}: {str(err)[-3000:]}")
        return False
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        # progress bars are live widgets: a stored copy would only show a frozen "0%"
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET not in o.get("data", {})]
    for cell in skipped:
        cell.metadata["tags"].remove("skip-execution")
        if not cell.metadata["tags"]:
            del cell.metadata["tags"]
    text = json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
    leaked = [p for p in LOCAL if p in text]
    if leaked:
        print(f"FAILED {path.name}: outputs hold local paths {leaked}; print paths with utils.paths.show()")
        return False
    add_slide_metadata(nb)  # so `make slides` reads well: one idea per slide
    nbformat.write(nb, path)
    print(f"ok {path.name} ({time.time() - start:.1f} s)")
    return True


def main(argv: list[str]) -> int:
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # stored outputs are CPU outputs
    targets = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    results = [execute(p) for p in targets]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
