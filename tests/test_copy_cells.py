"""No course import in a cell a learner copies (issue 27, item 6).

The cells that teach run with torch and torchvision alone: a lesson's code imports from the course's ``utils``
only what is not the topic — the set-up cell's parameter check, figures and the names they print, the layer
table, the GPU diagnosis of lesson 00 and the exercise checker.  A model class (``Tudui``), a data folder
(``SAMPLE_DIR``) or a loader from ``utils`` would make a copied cell fail outside the repository.
"""
from __future__ import annotations

import ast
import json
import re

import pytest

from helpers import NOTEBOOKS, ZH_NOTEBOOKS

#: What a lesson may import from utils (and the module it comes from), and why.
ALLOWED = {
    "check_parameters": "the set-up cell's parameter check",
    "find_cifar10": "the set-up cell's data line",
    "check": "the exercise checker",
    "gpu_diagnosis": "lesson 00's one-line GPU diagnosis",
    "show_images": "figure", "show_columns": "figure", "show_feature_maps": "figure", "plot_curves": "figure",
    "use_cjk_font": "figures: a Chinese font", "cjk_font": "figures: the Chinese font", "font_help": "figures",
    "class_label": "class names as the edition prints them", "class_name": "class names as the edition draws them",
    "fig_text": "figure text in the edition's language",
    "print_layer_table": "a look inside a model (not the topic)", "layer_table": "a look inside a model (not the topic)",
    "show_guesses": "figure", "plot_confusion": "figure",
    "OUTPUTS": "an exercise's input", "TARGETS": "an exercise's input", "SmallNet": "an exercise's input",
    "project_folder": "lesson 10: where to write the project without overwriting a learner's changes",
    "mark_project": "lesson 10: remembers which project files the lesson wrote",
    "run_script": "lesson 10: runs python train.py as a terminal would (the files themselves import nothing of the course)",
    "REPO_ROOT": "lesson 11: where the course keeps its reference run",
}
ALL = NOTEBOOKS + ZH_NOTEBOOKS


def course_imports(notebook) -> list[tuple[int, str]]:
    """(cell, name) of every name a code cell imports from the course's packages (utils, tools, scripts)."""
    found = []
    for i, cell in enumerate(json.loads(notebook.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", "".join(cell["source"])))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("utils", "tools", "scripts"):
                found += [(i, alias.name) for alias in node.names]
            elif isinstance(node, ast.Import):
                found += [(i, alias.name) for alias in node.names if alias.name.split(".")[0] in ("utils", "tools", "scripts")]
    return found


@pytest.mark.parametrize("notebook", ALL, ids=[f"{nb.parent.name}/{nb.stem}" for nb in ALL])
def test_lessons_import_only_helpers_that_are_not_the_topic(notebook):
    wrong = [f"cell {i}: {name}" for i, name in course_imports(notebook) if name not in ALLOWED]
    assert not wrong, (f"{notebook.parent.name}/{notebook.name} imports from the course what a learner copies "
                       f"(write it out, or read the data with torchvision): {wrong}")
