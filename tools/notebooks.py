"""The lesson notebooks: which there are, what parameters they take, what HTML can show of them.

Shared by ``make report``, ``make slides``, ``make outputs`` and the tests, so that every tool
finds, reads and cleans notebooks the same way.
"""
from __future__ import annotations

import json
from pathlib import Path

from utils.errors import CourseError
from utils.paths import REPO_ROOT
from utils.results import MIME_TYPE

#: Where the lessons live: the English edition, and the Chinese one generated from it.
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
EDITIONS = {"en": NOTEBOOKS_DIR, "zh": NOTEBOOKS_DIR / "zh"}
#: ipywidgets' output type (tqdm.auto's progress bars in a kernel).
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def lessons(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Every lesson notebook ``NN_topic.ipynb`` in ``folder``, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def select_notebooks(notebooks_dir: Path, names: list[str] | None) -> list[Path]:
    """The lesson notebooks to use: all ``NN_*.ipynb`` in ``notebooks_dir``, or those named."""
    available = lessons(notebooks_dir)
    if not names:
        if not available:
            raise CourseError(f"no lesson notebooks (NN_*.ipynb) in {notebooks_dir}")
        return available
    by_stem = {p.stem: p for p in available}
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        if stem not in by_stem:
            known = ", ".join(by_stem) or "none"
            raise CourseError(f"unknown notebook {name!r} (known: {known})")
        if by_stem[stem] not in chosen:
            chosen.append(by_stem[stem])
    return chosen


def notebook_parameters(notebook: Path) -> set[str]:
    """The names the notebook's ``parameters`` cell assigns (empty if it has none).

    The cell is parsed with :mod:`ast` (papermill.inspect_notebook's line parser misreads
    comments such as ``# batch_size=1``); papermill's parser is the fallback for cells that
    are not plain Python.
    """
    import ast

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as err:
        raise CourseError(f"cannot read notebook {notebook.name}: {err}") from None
    tagged = [c for c in cells if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        return set()
    source = tagged[0]["source"]
    source = "".join(source) if isinstance(source, list) else source
    try:
        tree = ast.parse(source)
    except SyntaxError:
        import papermill

        return set(papermill.inspect_notebook(str(notebook)))
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    names.add(sub.id)
    return names


def strip_unshowable(nb) -> None:
    """Drop what HTML cannot show: progress-bar widgets, and utils.record's data (its text stays)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                continue
            data.pop(MIME_TYPE, None)
            if "data" in output and not data:
                continue  # record(..., show=False): nothing to show
            kept.append(output)
        cell.outputs = kept
    nb.metadata.pop("widgets", None)
