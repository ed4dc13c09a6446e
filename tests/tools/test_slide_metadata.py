"""tools/slide_metadata.py: each lesson's cells get the slide types that make a deck read well."""
from __future__ import annotations

import json

import nbformat

from helpers import REPO_ROOT
from tools import slide_metadata
from tools.slide_metadata import add_slide_metadata, slide_types, update_file

SETUP = REPO_ROOT / "notebooks" / "00_setup.ipynb"


def md(text, **metadata):
    return nbformat.v4.new_markdown_cell(text, metadata=metadata)


def code(text, **metadata):
    return nbformat.v4.new_code_cell(text, metadata=metadata)


def small_lesson() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [md("# 98 · Tiny lesson"), code("device = 'auto'", tags=["parameters"]), code("lesson = 'set up'"),
                md("## Counting\nExplanation."), code("print(42)"), md("A second thought, after the code."),
                code("record_it()"), md("## A picture\nExplanation."), code("show()"), md("## Next\nGo on.")]
    return nb


def test_slide_types_follow_the_lesson_structure():
    nb = small_lesson()
    nb.cells.insert(9, md("Speaker note.", slideshow={"slide_type": "notes"}))
    assert slide_types(nb) == ["slide", "skip", "subslide", "slide", "-", "subslide", "-",
                               "slide", "-", "notes", "slide"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [md("# T"), md("intro"), md("## A"), md("before code"), code("x"), code("y"),
                md("### after code"), md("more words"), code("z", tags=["injected-parameters"])]
    assert slide_types(nb) == ["slide", "-", "slide", "-", "-", "-", "subslide", "-", "skip"]


def test_add_slide_metadata_sets_every_cell_in_place():
    nb = small_lesson()
    add_slide_metadata(nb)
    assert [c.metadata.slideshow.slide_type for c in nb.cells] == slide_types(nb)
    assert nb.cells[1].metadata.tags == ["parameters"]  # other metadata kept


def test_cli_changes_only_slide_metadata(tmp_path, capsys):
    target = tmp_path / SETUP.name
    stripped = nbformat.read(SETUP, as_version=4)  # the stored lesson already has slide metadata
    for cell in stripped.cells:
        cell.metadata.pop("slideshow", None)
    nbformat.write(stripped, target)
    assert slide_metadata.main([str(target)]) == 0
    assert capsys.readouterr().out == "updated 00_setup.ipynb\n"

    def without_slideshow(path):
        data = json.loads(path.read_text(encoding="utf-8"))
        for cell in data["cells"]:
            cell["metadata"].pop("slideshow", None)
        return data

    assert without_slideshow(target) == without_slideshow(SETUP)  # outputs, counts, ids: all kept
    data = json.loads(target.read_text(encoding="utf-8"))
    types = [c["metadata"]["slideshow"]["slide_type"] for c in data["cells"]]
    headings = [c for c in data["cells"] if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")]
    assert types.count("slide") == len(headings) + 1 and types[1] == "skip"
    written = target.read_bytes()
    assert update_file(target) is False and target.read_bytes() == written  # already right: not written again
    assert slide_metadata.main([str(target)]) == 0 and "unchanged 00_setup.ipynb" in capsys.readouterr().out
    assert slide_metadata.main([str(tmp_path / "nope.ipynb")]) == 2
    assert capsys.readouterr().err.startswith("error: no such notebook")
    assert slide_metadata.main([]) == 2 and slide_metadata.main(["--help"]) == 0
