"""The utils package as a whole: its public names, and layers that import only downwards.

The issue's done-when: "utils/models.py imports nothing from training; no import runs from a
lower layer back up".  Each module sits in a layer and may import from its own layer or the
ones below, never from above, and the imports never form a cycle.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import utils
from helpers import REPO_ROOT

UTILS = REPO_ROOT / "utils"
#: bottom to top; the lead's layering of the refactor
LAYERS = [
    {"errors"},
    {"messages"},  # the table of texts imports nothing of utils; paths names its errors through it
    {"paths"},
    {"params", "i18n", "cli"},
    {"device", "seed", "results", "synthetic", "precision", "device_data"},
    {"data"},
    {"download", "models", "summary", "augment", "plotting", "checkpoints", "project"},
    {"training"},
    {"recipes"},
    {"lesson"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}
#: what utils.exercises (the framework and the lessons' checkers) may import from utils: the
#: language, and the pure helpers a checker computes an expected answer with (never the
#: training loop, TensorBoard or the lesson set-up)
EXERCISES_MAY_IMPORT = {"i18n", "messages", "params", "summary", "models", "augment", "data", "synthetic", "errors"}


def modules() -> list[str]:
    return sorted(p.stem for p in UTILS.glob("*.py") if p.stem != "__init__")


def utils_imports(file: Path, package: str) -> set[str]:
    """The utils modules ``file`` imports (anywhere in it, functions included), as top-level names
    (``"data"``, ``"exercises"``); ``package`` is the file's own package, for relative imports."""
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "utils":  # from utils import data (a module) or Tudui (a re-export)
                names = [f"utils.{a.name}" if (UTILS / f"{a.name}.py").exists() or (UTILS / a.name).is_dir()
                         else "utils" for a in node.names]
            else:
                names = [module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "utils" and len(parts) > 1:
                found.add(parts[1])
            elif parts[0] == "utils":
                found.add("__init__")
    return found


def test_the_import_parser_sees_every_form(tmp_path):
    file = tmp_path / "x.py"
    file.write_text("import utils.data\nfrom utils.training import fit\nfrom . import paths\nfrom .tb import w\n"
                    "from .. import i18n\nfrom ..params import check_int\ndef f():\n    from utils import models\n")
    assert utils_imports(file, "utils") == {"data", "training", "paths", "tb", "models"}
    assert utils_imports(file, "utils.exercises") >= {"i18n", "params"}


def test_every_module_has_a_layer():
    assert sorted(LAYER) == modules(), "add the new module to LAYERS (and to utils/__init__.py's list)"


@pytest.mark.parametrize("module", modules())
def test_imports_only_go_down(module):
    imported = utils_imports(UTILS / f"{module}.py", "utils") - {module}
    assert "__init__" not in imported, f"utils/{module}.py imports the utils package itself; import the module"
    above = sorted(m for m in imported if LAYER.get(m, len(LAYERS)) > LAYER[module])
    assert above == [], f"utils/{module}.py (layer {LAYER[module]}) imports from higher layers: {above}"


def test_no_import_cycles():
    graph = {m: utils_imports(UTILS / f"{m}.py", "utils") - {m} for m in modules()}
    done, stack = set(), []

    def visit(m):
        if m in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(m):] + [m]))
        if m in done or m not in graph:
            return
        stack.append(m)
        for n in sorted(graph[m]):
            visit(n)
        stack.pop()
        done.add(m)

    for m in graph:
        visit(m)


@pytest.mark.parametrize("file", sorted((UTILS / "exercises").glob("*.py")), ids=lambda p: p.name)
def test_exercises_import_only_pure_helpers(file):
    imported = utils_imports(file, "utils.exercises") - {"exercises"}
    assert imported <= EXERCISES_MAY_IMPORT, f"{file.name} imports {sorted(imported - EXERCISES_MAY_IMPORT)}"


def test_models_import_nothing_from_training():
    assert not utils_imports(UTILS / "models.py", "utils") & {"training", "recipes", "lesson"}


def test_public_names():
    for name in utils.__all__:
        assert hasattr(utils, name), name
    assert len(set(utils.__all__)) == len(utils.__all__)


def test_the_package_docstring_lists_every_module():
    listed = {line.split("`")[1].removeprefix("utils.") for line in utils.__doc__.splitlines()
              if line.startswith("- :mod:`utils.")}
    expected = set(modules()) | {"exercises"}
    assert listed == expected, f"not listed: {sorted(expected - listed)}; listed but gone: {sorted(listed - expected)}"


@pytest.mark.parametrize("module", modules())
def test_every_module_imports_on_its_own(module):
    assert importlib.import_module(f"utils.{module}").__doc__, f"utils/{module}.py needs a docstring"
