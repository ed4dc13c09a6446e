"""Every notebook under notebooks/: well-formed, passes nbval, runs under papermill."""
from __future__ import annotations

import json
import subprocess
import sys

import papermill
import pytest
import yaml

from conftest import NOTEBOOKS, REPO_ROOT, ci_parameters, devices, execute, parameters_of

REQUIRED = {"device", "data_source", "data_root", "seed", "batch_size", "progress"}
BUDGETS = {"epochs", "max_steps", "max_batches", "num_images"}
ids = [nb.stem for nb in NOTEBOOKS]


def load(nb):
    return json.loads(nb.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_setup.ipynb"
    numbers = [nb.name[:2] for nb in NOTEBOOKS]
    assert len(set(numbers)) == len(numbers), f"two notebooks share a number: {numbers}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=ids)
def test_parameters_cell(nb):
    params = parameters_of(nb)
    missing = REQUIRED - params.keys()
    assert not missing, f"{nb.name}: parameters cell lacks {sorted(missing)}"
    assert BUDGETS & params.keys(), f"{nb.name}: parameters cell needs a budget, one of {sorted(BUDGETS)}"
    assert params["device"] == "auto" and params["data_source"] == "auto" and params["progress"] is True
    unknown = set(ci_parameters(nb, "cpu")) - params.keys()
    assert not unknown, f"tests/ci_parameters.yaml passes {sorted(unknown)}, which {nb.name} does not define"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=ids)
def test_papermill_reads_every_parameter(nb):
    """`papermill --help-notebook` and its type handling read the same names as the notebook."""
    assert set(papermill.inspect_notebook(str(nb))) == set(parameters_of(nb))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=ids)
def test_stored_outputs_are_clean(nb):
    """Stored outputs come from a full CPU run: no errors, no local paths, every cell executed."""
    data = load(nb)
    assert data["metadata"]["kernelspec"]["name"] == "tudui-pytorch"
    for i, cell in enumerate(data["cells"]):
        if cell["cell_type"] != "code" or "".join(cell["source"]).lstrip().startswith("# NBVAL_SKIP"):
            continue
        assert cell.get("execution_count") is not None, f"{nb.name} cell {i} was never executed; run make outputs"
        text = json.dumps(cell.get("outputs", []))
        assert '"output_type": "error"' not in text, f"{nb.name} cell {i} stores an error"
        for local in (str(REPO_ROOT), "/root/", "/home/", "/tmp/"):
            assert local not in text, f"{nb.name} cell {i} stores a local path ({local})"


@pytest.mark.notebook
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=ids)
def test_nbval(nb):
    """The stored notebook, re-run with its default parameters, reproduces its checked outputs."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
           "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "--nbval-cell-timeout", "900",
           str(nb.relative_to(REPO_ROOT))]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, f"nbval failed on {nb.name}:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    assert " passed" in proc.stdout


@pytest.mark.notebook
@pytest.mark.parametrize("device", devices())
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=ids)
def test_papermill(nb, device, executed):
    out = executed(nb.stem, device)
    data = load(out)
    assert data["metadata"]["papermill"]["exception"] is not True
    injected = [c for c in data["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and f'device = "{device}"' in "".join(injected[0]["source"])


@pytest.mark.notebook
@pytest.mark.parametrize("params, error", [
    ({"device": "gpu"}, "DeviceError: device must be 'auto', 'cpu', 'cuda' or 'cuda:N'"),
    ({"device": "cuda:99"}, "DeviceError: device='cuda:99' was asked for"),
    ({"data_source": "imagenet"}, "DataError: unknown data_source 'imagenet'"),
    ({"data_source": "folder:no/such/folder"}, "DataError: data folder no/such/folder does not exist"),
    ({"seed": -1}, "ParameterError: seed must be >= 0"),
    ({"batch_size": "big"}, "ParameterError: batch_size must be a whole number"),
])
def test_bad_parameter_is_one_clear_line(params, error, tmp_path):
    """A wrong papermill parameter stops the run at the set-up cell with one line naming the fix."""
    nb = REPO_ROOT / "notebooks" / "00_setup.ipynb"
    runs_before = sorted(p.as_posix() for p in REPO_ROOT.glob("runs/**/*"))
    with pytest.raises(papermill.PapermillExecutionError) as info:
        execute(nb, tmp_path, progress=False, **params)
    message = str(info.value)
    assert error in message
    shown = [line for line in message.splitlines() if "Error:" in line and "Traceback" not in line]
    assert all(len(line) < 300 for line in shown)
    assert sorted(p.as_posix() for p in REPO_ROOT.glob("runs/**/*")) == runs_before


def test_ci_parameters_file_names_real_notebooks():
    spec = yaml.safe_load((REPO_ROOT / "tests" / "ci_parameters.yaml").read_text(encoding="utf-8"))
    assert set(spec["notebooks"]) <= {nb.stem for nb in NOTEBOOKS}
