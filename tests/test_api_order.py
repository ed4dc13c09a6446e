"""Nothing is used before it is taught (issue 30, item 3).

:data:`TAUGHT` lists, lesson by lesson, the PyTorch calls each lesson teaches (the first lesson whose prose
explains them).  A code cell of an earlier lesson may call one of them only as a **one-line preview**: the
line that calls it says in a comment where it is taught (``# softmax: lesson 07``), and all of a lesson's
previews of one call sit in one cell.  Calls are found in the English edition's code (the 中文版 runs the same
code; only its comments are translated).  Names not listed (``print``, ``torch.tensor``, ``.item()``) are not
checked: the list holds what the course teaches.

Lessons 10 and 11 fill in their own entries (``"10"`` and ``"11"`` below are theirs).
"""
from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from collections import defaultdict

import pytest

from helpers import NOTEBOOKS

#: lesson → the calls it teaches (a function's or a class's name as the code calls it).
TAUGHT: dict[str, set[str]] = {
    "00": {"device", "manual_seed", "CIFAR10", "ImageFolder", "ToTensor", "DataLoader", "permute"},
    "01": {"Dataset", "SummaryWriter", "add_scalar", "add_image", "add_images", "Normalize", "Resize", "Compose",
           "RandomCrop"},
    "02": {"Module", "Sequential", "Conv2d", "MaxPool2d", "Flatten", "Linear", "state_dict", "load_state_dict",
           "parameters", "numel", "add_graph", "no_grad", "to"},
    "03": {"conv2d", "pad", "ZeroPad2d", "ConstantPad2d", "ReflectionPad2d", "ReplicationPad2d", "reshape"},
    "04": {"max_pool2d", "AvgPool2d"},
    "05": {"ReLU", "relu", "Sigmoid", "sigmoid", "BatchNorm2d", "MaxPool1d", "eval", "train"},
    "06": {"flatten", "add_histogram"},
    "07": {"L1Loss", "MSELoss", "CrossEntropyLoss", "cross_entropy", "softmax", "log_softmax", "LogSoftmax",
           "NLLLoss", "backward", "argmax"},
    "08": {"SGD", "Adam", "zero_grad", "step"},
    "09": {"vgg16", "add_module", "save", "load"},
    "10": {"cuda", "synchronize"},  # the routine itself (data, loop, save) is taught by 00-09; 10 adds the GPU's ways
    "11": {"OneCycleLR", "flip"},
}
#: Names that count only when called this way: on ``torch`` (``torch.flatten``, not a tensor's ``.flatten()`` for a
#: histogram), or as a method (``optimizer.step()``, ``model.eval()``; not a local ``step(x)`` or Python's ``eval``).
ONLY_ON = {"flatten": "torch", "reshape": "torch", "save": "torch", "load": "torch", "device": "torch",
           "manual_seed": "torch", "no_grad": "torch", "step": ".", "eval": ".", "train": ".", "to": ".",
           "backward": ".", "zero_grad": ".", "parameters": ".", "numel": ".", "state_dict": ".", "load_state_dict": ".",
           "add_module": ".", "permute": ".", "argmax": ".", "cuda": ".", "flip": "."}
#: Calls that are never taught as a topic but are also named like one (``writer.step`` is no optimizer step).
NOT_THE_API = {("step", "writer")}
INTRODUCED = {name: lesson for lesson, names in TAUGHT.items() for name in names}


def _code(source: str) -> str:
    return re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", source)


def _comments(source: str) -> dict[int, str]:
    """line number → the comment on that line."""
    found = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            found[tok.start[0]] = tok.string
    return found


def calls(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of each call of a listed name in ``source``."""
    found = []
    for node in ast.walk(ast.parse(_code(source))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
        if name not in INTRODUCED or (name, owner) in NOT_THE_API:
            continue
        only = ONLY_ON.get(name)
        if only == "." and not isinstance(func, ast.Attribute) or only not in (None, ".") and owner != only:
            continue
        found.append((name, node.lineno, node.end_lineno or node.lineno))
    return found


def early_calls(notebook) -> list[str]:
    """What ``notebook`` calls before the lesson that teaches it, other than one-line previews."""
    lesson = notebook.name[:2]
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    problems, preview_cells = [], defaultdict(set)
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        comments = _comments(_code(source))
        for name, first, last in calls(source):
            taught = INTRODUCED[name]
            if taught <= lesson:
                continue
            said = " ".join(comments.get(n, "") for n in range(first, last + 1))
            if re.search(rf"\blesson {taught}\b|\blesson {int(taught)}\b", said):
                preview_cells[name].add(i)
            else:
                problems.append(f"cell {i} calls {name}() (taught in lesson {taught}) with no '# ...: lesson {taught}' on its line")
    problems += [f"{name}() is previewed in cells {sorted(where)}: one place is a preview, more is teaching it early"
                 for name, where in preview_cells.items() if len(where) > 1]
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_lesson_calls_what_a_later_lesson_teaches(notebook):
    problems = early_calls(notebook)
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lesson", sorted(TAUGHT))
def test_each_lesson_explains_what_it_is_listed_to_teach(lesson):
    """The list is no fiction: the lesson's prose names every call it is said to teach."""
    notebook = next((nb for nb in NOTEBOOKS if nb.name.startswith(lesson + "_")), None)
    if notebook is None:
        assert not TAUGHT[lesson], f"TAUGHT lists calls for lesson {lesson}, which does not exist"
        return
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    missing = [name for name in TAUGHT[lesson] if not re.search(rf"\b{name}\b", prose)]
    assert not missing, f"{notebook.name} is listed as teaching {missing}, but its prose never names them"


def test_every_listed_call_is_listed_once():
    names = [name for names in TAUGHT.values() for name in names]
    assert len(names) == len(set(names))


def test_the_finder_sees_calls_and_previews(tmp_path):
    nb = tmp_path / "02_x.ipynb"
    cells = [{"cell_type": "code", "source": "probs = outputs.softmax(dim=1)  # softmax: lesson 07\n"},
             {"cell_type": "code", "source": "loss = nn.CrossEntropyLoss()(x, y)\nwriter.step()\n"},
             {"cell_type": "code", "source": "with torch.no_grad():\n    y = F.relu(x)\nx = step(x)\nz = x.flatten()\n"}]
    nb.write_text(json.dumps({"cells": cells}))
    problems = early_calls(nb)
    assert len(problems) == 2 and "CrossEntropyLoss" in problems[0] and "relu" in problems[1]
