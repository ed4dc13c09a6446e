"""Slide metadata for the lessons, so ``make slides`` turns each notebook into a deck that reads well.

    python tools/slide_metadata.py notebooks/*.ipynb   # adds the metadata in place

Jupyter (and nbconvert's reveal.js exporter) read ``cell.metadata.slideshow.slide_type``.
:func:`add_slide_metadata` sets it from the lesson's structure, one idea per slide:

- the title cell (``# ...``) and every markdown cell starting with ``## `` → ``"slide"``;
- any other markdown cell → ``"subslide"`` (a new slide below) when the current slide already
  shows a code cell, else ``"-"`` (it continues the explanation on the same slide);
- code cells → ``"-"``: each stays with the explanation before it, its output with it;
- except the first code cell under the title: it opens a sub-slide, so the title slide holds
  the title and the learning goals only;
- the ``parameters`` cell (and papermill's ``injected-parameters``) → ``"skip"``: those are the
  knobs for headless runs (papermill, tests), documented in the README and in 00_setup; on a
  projector they are plumbing, and the set-up cell after them prints the device and data
  source that matter;
- a cell an author marked ``"notes"`` (speaker notes) keeps it.

The command line changes nothing but that metadata: outputs, execution counts, ids and the
rest of each file stay as they are, and a file whose metadata is already right is not written.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

SKIP_TAGS = {"parameters", "injected-parameters"}


def _is_heading(source: str, level: int) -> bool:
    return source.lstrip().startswith("#" * level + " ")


def slide_types(nb) -> list[str]:
    """The slide type :func:`add_slide_metadata` gives each cell of ``nb``, in order."""
    types: list[str] = []
    title_seen = False
    in_title_slide = False  # the current slide is the title slide
    has_code = False  # the current (sub)slide already shows a code cell
    for cell in nb.cells:
        source = cell.get("source", "")
        kept = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        tags = set(cell.get("metadata", {}).get("tags", []))
        if kept == "notes":
            types.append("notes")
        elif cell.cell_type == "markdown":
            if (not title_seen and _is_heading(source, 1)) or _is_heading(source, 2):
                types.append("slide")
                in_title_slide = not title_seen
                title_seen = True
                has_code = False
            elif has_code:
                types.append("subslide")
                in_title_slide, has_code = False, False
            else:
                types.append("-")
        elif cell.cell_type == "code" and tags & SKIP_TAGS:
            types.append("skip")
        elif cell.cell_type == "code":
            if in_title_slide:
                types.append("subslide")
                in_title_slide = False
            else:
                types.append("-")
            has_code = True
        else:  # raw cells are not shown in HTML anyway
            types.append("skip")
    return types


def add_slide_metadata(nb) -> None:
    """Set ``metadata.slideshow.slide_type`` on every cell of the NotebookNode ``nb``, in place."""
    for cell, slide_type in zip(nb.cells, slide_types(nb)):
        slideshow = cell.metadata.setdefault("slideshow", nbformat.NotebookNode())
        slideshow["slide_type"] = slide_type


def update_file(path: Path) -> bool:
    """Add the slide metadata to the notebook at ``path``; return whether the file changed."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    before = [c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in nb.cells]
    add_slide_metadata(nb)
    if [c.metadata.slideshow.slide_type for c in nb.cells] == before:
        return False
    from tools.notebooks import write_notebook

    write_notebook(nb, path)  # whole or not at all: a full disk leaves the lesson as it was
    return True


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__.strip().splitlines()[0])
        print("usage: python tools/slide_metadata.py NOTEBOOK.ipynb ...")
        return 0 if argv else 2
    missing = [a for a in argv if not Path(a).is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    for arg in argv:
        changed = update_file(Path(arg))
        print(f"{'updated' if changed else 'unchanged'} {Path(arg).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
