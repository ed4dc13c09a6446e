"""Every parameter of every lesson: a wrong type and a wrong range stop the set-up cell with one line.

The lesson's own first two code cells — the ``parameters`` cell and the set-up cell after it —
run in-process with one parameter overridden, as papermill's ``-p`` would; the set-up cell must
raise a :class:`~utils.errors.CourseError` whose one-line message names that parameter.  (The
papermill route end to end is tested in ``test_notebooks.py``.)
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import NOTEBOOKS, ZH_NOTEBOOKS, REPO_ROOT, parameters_of
from utils.errors import CourseError

#: Wrong values by parameter: (wrong type, wrong range); None where a parameter has no range.
SPECIAL = {
    "device": (3, "gpu"),
    "data_source": (3, "imagenet"),
    "data_root": (3, ""),
    "log_dir": (3, ""),
    "project_dir": (3, ""),
    "weights_file": (3, "no_such_weights.pth"),  # "" (the default) skips loading; a path must exist
}


def bad_values(name: str, default) -> list[tuple[str, object]]:
    """``[("type", value), ("range", value)]`` for a parameter whose default is ``default``."""
    if name in SPECIAL:
        kinds = SPECIAL[name]
    elif default == "auto":  # a budget worked out from the data, or a number
        kinds = ("many", -3)
    elif isinstance(default, bool):
        kinds = ("yes", None)
    elif isinstance(default, int):
        kinds = ("many", -3)
    elif isinstance(default, float):
        kinds = ("fast", -1.0)
    else:
        raise AssertionError(f"no wrong values known for parameter {name}={default!r}: add it to SPECIAL")
    return [(kind, value) for kind, value in zip(("type", "range"), kinds) if value is not None]


def cases():
    for nb in NOTEBOOKS + ZH_NOTEBOOKS:
        for name, default in parameters_of(nb).items():
            for kind, value in bad_values(name, default):
                label = f"{nb.parent.name}/{nb.stem}-{name}-{kind}"
                yield pytest.param(nb, name, value, id=label)


def setup_cells(nb: Path) -> tuple[str, str]:
    code = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    return "".join(code[0]["source"]), "".join(code[1]["source"])


@pytest.mark.parametrize("nb, name, value", list(cases()))
def test_wrong_parameter_stops_the_setup_cell_with_one_line(nb, name, value, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.chdir(nb.parent)
    parameters, setup = setup_cells(nb)
    namespace: dict = {}
    exec(compile(parameters, f"{nb.name}:parameters", "exec"), namespace)
    namespace[name] = value
    with pytest.raises(CourseError) as info:
        exec(compile(setup, f"{nb.name}:set-up", "exec"), namespace)
    message = str(info.value)
    assert name in message, f"{nb.name}: {name}={value!r} gave an error that does not name it: {message}"
    assert "\n" not in message and len(message) < 300
    assert not (tmp_path / "runs").exists(), "a wrong parameter must stop before anything is written"


@pytest.mark.parametrize("nb", NOTEBOOKS + ZH_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_default_parameters_pass_the_setup_cell(nb, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.chdir(nb.parent)
    parameters, setup = setup_cells(nb)
    namespace: dict = {}
    exec(compile(parameters, f"{nb.name}:parameters", "exec"), namespace)
    exec(compile(setup, f"{nb.name}:set-up", "exec"), namespace)
    if "lesson" in namespace:  # a lesson still set up by start_lesson
        assert namespace["lesson"].name == nb.stem
    else:  # a plain-PyTorch set-up cell picks the torch.device the lesson runs on
        assert type(namespace["device"]).__name__ == "device" and not (tmp_path / "runs").exists()


def test_every_lesson_is_covered():
    assert len(NOTEBOOKS) >= 9 and all(REPO_ROOT in nb.parents for nb in NOTEBOOKS)


@pytest.mark.parametrize("nb", NOTEBOOKS + ZH_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_folder_of_twelve_classes_stops_the_setup_cell_with_one_line(nb, monkeypatch, tmp_path):
    """Issue 23, item 1: every lesson's model has 10 outputs (CIFAR-10's classes); a ``folder:`` of
    12 classes ended in ``IndexError: Target 11 is out of bounds`` halfway through a lesson."""
    for split in ("train", "test"):
        for i in range(12):
            (tmp_path / "images" / split / f"class{i:02d}").mkdir(parents=True)
    monkeypatch.chdir(nb.parent)
    parameters, setup = setup_cells(nb)
    namespace: dict = {}
    exec(compile(parameters, f"{nb.name}:parameters", "exec"), namespace)
    if "data_source" not in namespace:
        pytest.skip("this lesson reads no data")
    namespace["data_source"] = f"folder:{tmp_path / 'images'}"
    namespace["log_dir"] = str(tmp_path / "logs")
    with pytest.raises(CourseError) as info:
        exec(compile(setup, f"{nb.name}:set-up", "exec"), namespace)
    message = str(info.value)
    assert "\n" not in message and "12" in message and "scripts/train.py" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["images"]  # no log folder, no checkpoint


def ten_class_folder(root: Path) -> Path:
    """A ``folder:`` source of CIFAR-10's ten classes, one real 32x32 PNG per class and split (from the sample)."""
    import shutil

    from utils.data import CIFAR10_CLASSES, SAMPLE_DIR

    for split in ("train", "test"):
        for name in CIFAR10_CLASSES:
            (root / split / name).mkdir(parents=True)
            shutil.copy(next((SAMPLE_DIR / split / name).glob("*.png")), root / split / name / "0.png")
    return root


@pytest.mark.parametrize("nb", NOTEBOOKS + ZH_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_setup_cell_checks_the_lessons_inputs_before_anything_runs(nb, monkeypatch, tmp_path):
    """Issue 29, item 7: a folder: with an empty image or Jupyter's .ipynb_checkpoints, a log_dir that is a file, a
    weights_file cut short: each stops the lesson's own set-up cell with one line that names it, and nothing is
    written (before, they failed later inside torchvision, SummaryWriter or load_state_dict)."""
    import torch

    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.chdir(tmp_path)
    parameters, setup = setup_cells(nb)
    defaults: dict = {}
    exec(compile(parameters, f"{nb.name}:parameters", "exec"), defaults)
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    weights = tmp_path / "vgg16.pth"
    torch.save({"features.0.weight": torch.zeros(64, 3, 3, 3)}, weights)
    weights.write_bytes(weights.read_bytes()[:200])  # a download cut short
    cases = []
    if "data_source" in defaults:
        empty = ten_class_folder(tmp_path / "with-empty-image")
        (empty / "train" / "cat" / "empty.png").write_bytes(b"")
        checkpoints = ten_class_folder(tmp_path / "with-checkpoints")
        (checkpoints / "train" / ".ipynb_checkpoints").mkdir()
        cases += [({"data_source": f"folder:{empty}"}, "train/cat/empty.png"),
                  ({"data_source": f"folder:{checkpoints}"}, "train/.ipynb_checkpoints")]
    if "log_dir" in defaults:
        cases.append(({"log_dir": "notes.txt"}, "log_dir='notes.txt'"))
    if "weights_file" in defaults:
        cases.append(({"weights_file": str(weights)}, "torch.load"))
    if not cases:
        pytest.skip("this lesson takes none of these inputs")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for change, words in cases:
        namespace = {**defaults, **change}
        with pytest.raises(CourseError) as info:
            exec(compile(setup, f"{nb.name}:set-up", "exec"), namespace)
        message = str(info.value)
        assert "\n" not in message and words in message, f"{nb.name} with {change}: {message}"
        assert ("ImageFolder" in message) == (".ipynb_checkpoints" in words)  # says why it is a problem
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "nothing written"
