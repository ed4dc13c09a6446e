"""Every lesson notebook (both editions): well-formed, clean stored outputs, passes nbval, runs under papermill."""
from __future__ import annotations

import json
import re
import sys

import papermill
import pytest
import yaml

from helpers import (BACKGROUND, NOTEBOOKS, REPO_ROOT, ZH_NOTEBOOKS, ci_parameters, devices, execute, parameters_of,
                     run_nbval)
from utils.synthetic import SYNTHETIC_CLASSES

REQUIRED = {"device", "data_source", "data_root", "seed", "batch_size", "progress"}
BUDGETS = {"epochs", "max_steps", "max_batches", "num_images"}
ALL = NOTEBOOKS + ZH_NOTEBOOKS
ids = [f"{nb.parent.name}/{nb.stem}" for nb in ALL]
NBVAL_TAGS = {"nbval-check-output", "nbval-ignore-output", "nbval-skip"}


def load(nb):
    return json.loads(nb.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_setup.ipynb"
    numbers = [nb.name[:2] for nb in NOTEBOOKS]
    assert len(set(numbers)) == len(numbers), f"two notebooks share a number: {numbers}"


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_parameters_cell(nb):
    params = parameters_of(nb)
    missing = REQUIRED - params.keys()
    assert not missing, f"{nb.name}: parameters cell lacks {sorted(missing)}"
    assert BUDGETS & params.keys(), f"{nb.name}: parameters cell needs a budget, one of {sorted(BUDGETS)}"
    assert params["device"] == "auto" and params["data_source"] == "auto" and params["progress"] is True
    unknown = set(ci_parameters(nb, "cpu")) - params.keys()
    assert not unknown, f"tests/ci_parameters.yaml passes {sorted(unknown)}, which {nb.name} does not define"


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_papermill_reads_every_parameter(nb):
    """`papermill --help-notebook` and its type handling read the same names as the notebook."""
    assert set(papermill.inspect_notebook(str(nb))) == set(parameters_of(nb))


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_stored_outputs_are_clean(nb):
    """Stored outputs come from a full CPU run on real images: no errors, paths or noise; every cell run."""
    from tools.outputs import SKIP_TAG, problems
    import nbformat

    data = load(nb)
    assert data["metadata"]["kernelspec"]["name"] == "tudui-pytorch"
    for i, cell in enumerate(data["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert "NBVAL_" not in source, f"{nb.name} cell {i}: use nbval's cell tags, not # NBVAL_ comments"
        tags = set(cell.get("metadata", {}).get("tags", []))
        if SKIP_TAG in tags:
            assert cell.get("execution_count") is None and not cell.get("outputs"), f"{nb.name} cell {i}: skipped cells are stored unexecuted"
            continue
        assert cell.get("execution_count") is not None, f"{nb.name} cell {i} was never executed; run make outputs"
    assert problems(nbformat.reads(json.dumps(data), as_version=4)) == []
    text = json.dumps([c.get("outputs", []) for c in data["cells"]])
    # a synthetic class name as the data would print it (a quoted item of a list of classes), not a
    # word such as "cross" in "cross-entropy"
    shown = [name for name in SYNTHETIC_CLASSES if f"'{name}'" in text]
    assert not shown, f"{nb.name}: stored outputs come from synthetic data (class names {shown}); run make outputs"
    assert "Data: synthetic" not in text and "数据：合成" not in text


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_checked_cells_are_tagged_not_commented(nb):
    tags = [t for c in load(nb)["cells"] for t in c.get("metadata", {}).get("tags", []) if t.startswith("nbval")]
    assert set(tags) <= NBVAL_TAGS
    assert "nbval-check-output" in tags, f"{nb.name}: mark the tutorial's worked examples with the nbval-check-output tag"


@pytest.mark.notebook
@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_nbval(nb, tmp_path):
    """The stored notebook, re-run with its default parameters (a long lesson: CI-sized ones), reproduces its checked
    outputs.  The runs start with the session, in the background (helpers.BackgroundNbval); run alone, here."""
    background = BACKGROUND.get("nbval")
    proc = background.result(nb) if background is not None and nb in background.done else run_nbval(nb, tmp_path)
    assert proc.returncode == 0, f"nbval failed on {nb.name}:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    assert " passed" in proc.stdout


@pytest.mark.notebook
@pytest.mark.parametrize("device", devices())
@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_papermill(nb, device, executed):
    out = executed(nb.stem, device, edition=nb.parent.name if nb in ZH_NOTEBOOKS else "en")
    data = load(out)
    assert data["metadata"]["papermill"]["exception"] is not True
    injected = [c for c in data["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and f'device = "{device}"' in "".join(injected[0]["source"])


@pytest.mark.notebook
@pytest.mark.parametrize("params, error", [
    ({"device": "gpu"}, "DeviceError: device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'"),
    ({"device": "cuda:99"}, "DeviceError: device='cuda:99' was asked for"),
    ({"device": "mps"}, "DeviceError: device='mps' was asked for, but this machine has no usable Apple MPS GPU; use device='auto'"),
    ({"data_source": "imagenet"}, "DataError: unknown data_source 'imagenet'"),
    ({"data_source": "folder:no/such/folder"}, "DataError: data folder no/such/folder does not exist"),
    ({"seed": -1}, "ParameterError: seed must be a whole number from 0 to 18446744073709551615"),
    ({"num_images": -3}, "ParameterError: num_images must be a whole number"),
    ({"progress": "yes"}, "ParameterError: progress must be True or False"),
])
def test_bad_parameter_is_one_clear_line(params, error, tmp_path):
    """A wrong papermill parameter stops the run at the set-up cell with one line naming the fix."""
    import torch

    if params.get("device") == "mps" and torch.backends.mps.is_available():
        pytest.skip("this machine has MPS")
    nb = REPO_ROOT / "notebooks" / "00_setup.ipynb"
    runs_before = sorted(p.as_posix() for p in REPO_ROOT.glob("runs/**/*"))
    with pytest.raises(papermill.PapermillExecutionError) as info:
        execute(nb, tmp_path, **{"progress": False, **params})
    message = str(info.value)
    assert error in message
    shown = [line for line in message.splitlines() if "Error:" in line and "Traceback" not in line]
    assert all(len(line) < 300 for line in shown)
    assert sorted(p.as_posix() for p in REPO_ROOT.glob("runs/**/*")) == runs_before


def test_ci_parameters_file_names_real_notebooks():
    spec = yaml.safe_load((REPO_ROOT / "tests" / "ci_parameters.yaml").read_text(encoding="utf-8"))
    assert set(spec["notebooks"]) <= {nb.stem for nb in NOTEBOOKS}


def functions_defined(nb) -> set[str]:
    """The names of the functions a notebook's code cells define at top level (magics read as ``pass``)."""
    import ast

    names = set()
    for cell in load(nb)["cells"]:
        if cell["cell_type"] == "code":
            source = re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", "".join(cell["source"]))
            names |= {n.name for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return names


def test_no_helper_is_defined_in_two_lessons():
    """A function two lessons need lives in utils/, not in two lessons' code cells. (Model classes may
    repeat: the tutorial writes a fresh nn.Module in each section.)"""
    seen: dict[str, str] = {}
    for nb in NOTEBOOKS:
        for name in functions_defined(nb):
            assert name not in seen, f"{name} is defined in {seen[name]} and in {nb.name}: move it to utils/"
            seen[name] = nb.name
    assert "time_steps" in seen  # the detector reads the notebooks (lesson 10 defines it)


# --------------------------------------------------------------------------- short cells (issue 27)
MAX_CELLS = 55
MAX_MARKDOWN_WORDS = 250


def markdown_words(text: str) -> int:
    """Words of an English markdown cell, counted as the course's before-stop check counts them."""
    return len(re.findall(r"[A-Za-z0-9'.-]+", text))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_lessons_are_short_and_their_markdown_cells_too(nb):
    """A lesson has at most 55 cells, and no markdown cell more than 250 words (an aside that needs more is a
    cell of its own, a collapsed <details> block, or a later lesson). The 中文版 translates cell for cell."""
    cells = load(nb)["cells"]
    assert len(cells) <= MAX_CELLS, f"{nb.name}: {len(cells)} cells (at most {MAX_CELLS})"
    long = {i: markdown_words("".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"}
    long = {i: n for i, n in long.items() if n > MAX_MARKDOWN_WORDS}
    assert not long, f"{nb.name}: markdown cells over {MAX_MARKDOWN_WORDS} words (cell: words): {long}"


def test_markdown_words_counts_words():
    # the before-stop check's count: numbers, letters, a trailing "." and "'s" each count
    assert markdown_words("The `DataLoader`'s batch, 3×32×32 (N, C, H, W).") == 12
    assert markdown_words("中文不计") == 0
