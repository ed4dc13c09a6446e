"""tools/notebooks.py: which lessons there are, their parameters, and what HTML can show of them."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers import NOTEBOOKS, REPO_ROOT, ZH_NOTEBOOKS
from tools.notebooks import EDITIONS, WIDGET_MIME, lessons, notebook_parameters, select_notebooks, strip_unshowable
from utils import CourseError
from utils.results import MIME_TYPE


def make_notebook(path: Path, parameters: str, tags=("parameters",)) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"),
                nbformat.v4.new_code_cell(parameters, metadata={"tags": list(tags)}),
                nbformat.v4.new_code_cell("print(1)")]
    nbformat.write(nb, path)
    return path


def test_editions_and_lessons():
    assert EDITIONS == {"en": REPO_ROOT / "notebooks", "zh": REPO_ROOT / "notebooks" / "zh"}
    assert lessons() == NOTEBOOKS and lessons(EDITIONS["zh"]) == ZH_NOTEBOOKS
    assert [p.name[:2] for p in lessons()] == sorted(p.name[:2] for p in lessons())


def test_select_notebooks(tmp_path):
    for name in ("01_a", "02_b", "10_c"):
        make_notebook(tmp_path / f"{name}.ipynb", "x = 1")
    (tmp_path / "scratch.ipynb").write_text("{}")
    assert [p.stem for p in select_notebooks(tmp_path, None)] == ["01_a", "02_b", "10_c"]
    assert [p.stem for p in select_notebooks(tmp_path, ["10_c", "01_a.ipynb", "notebooks/10_c.ipynb"])] == ["10_c", "01_a"]
    with pytest.raises(CourseError, match="unknown notebook 'scratch' \\(known: 01_a, 02_b, 10_c\\)"):
        select_notebooks(tmp_path, ["scratch"])
    with pytest.raises(CourseError, match="no lesson notebooks"):
        select_notebooks(tmp_path / "empty", None)


def test_parameters_cell_is_parsed_like_python(tmp_path):
    """Comments holding '=' or '*' (which papermill's line parser misreads) do not hide a parameter."""
    nb = make_notebook(tmp_path / "05_x.ipynb",
                       "batch_size = 64  # its Linear layer takes 64 * 3 * 32 * 32 = 196608 inputs\n"
                       "num_images = 3   # one at a time (batch_size=1), as in the tutorial\n"
                       "lr: float = 0.01\n"
                       "a, b = 1, 2\n")
    assert notebook_parameters(nb) == {"batch_size", "num_images", "lr", "a", "b"}
    assert notebook_parameters(make_notebook(tmp_path / "06_y.ipynb", "x = 1", tags=())) == set()


def test_an_unreadable_notebook_is_a_course_error(tmp_path):
    bad = tmp_path / "07_z.ipynb"
    bad.write_text("not json")
    with pytest.raises(CourseError, match=r"07_z.ipynb is not a notebook \(JSONDecodeError"):
        notebook_parameters(bad)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_lesson_has_the_shared_parameters(notebook):
    assert {"device", "data_source", "data_root", "seed", "progress"} <= notebook_parameters(notebook)


def test_strip_unshowable():
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}})
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.from_dict(o) for o in [
        {"output_type": "display_data", "metadata": {}, "data": {WIDGET_MIME: {"model_id": "m"}, "text/plain": "bar"}},
        {"output_type": "display_data", "metadata": {}, "data": {MIME_TYPE: {"name": "n", "value": 1}, "text/plain": "n = 1"}},
        {"output_type": "display_data", "metadata": {}, "data": {MIME_TYPE: {"name": "quiet", "value": 2}}},
        {"output_type": "stream", "name": "stdout", "text": "kept\n"},
    ]]
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    strip_unshowable(nb)
    assert "widgets" not in nb.metadata
    assert [o.get("data", {}).get("text/plain") or o.get("text") for o in nb.cells[1].outputs] == ["n = 1", "kept\n"]
    assert MIME_TYPE not in json.dumps(nb)
