"""Shared test set-up: loopback for Jupyter kernels, a private runs folder, notebook helpers."""
from __future__ import annotations

import errno
import fcntl
import os
import socket
import struct
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _loopback_works() -> bool:
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        try:
            client.connect(server.getsockname())
        except OSError as err:
            if err.errno in (errno.ENETUNREACH, errno.EADDRNOTAVAIL, errno.ECONNREFUSED):
                return False
            raise
    return True


def _bring_loopback_up() -> None:
    """Set the ``lo`` interface up (as ``ip link set lo up`` does), for ``unshare -n make test``.

    Jupyter kernels talk to their clients over 127.0.0.1.  A fresh network namespace has
    no network at all, not even loopback; raising loopback gives local sockets only.
    """
    SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


def pytest_configure(config: pytest.Config) -> None:
    if not _loopback_works():
        try:
            _bring_loopback_up()
        except OSError as err:
            raise pytest.UsageError(
                f"Jupyter kernels need the loopback interface, which is down here ({err}); run `ip link set lo up` first."
            ) from None
    # TensorBoard runs made by the tests go to a temporary folder, not the learner's runs/.
    if "COURSE_RUNS_DIR" not in os.environ:
        os.environ["COURSE_RUNS_DIR"] = tempfile.mkdtemp(prefix="course-test-runs-")


def devices() -> list[str]:
    """The devices the notebooks are executed on: the CPU, and CUDA where there is a GPU."""
    import torch

    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def parameters_of(notebook: Path) -> dict:
    """The names and values assigned in the notebook's first code cell, which must be tagged."""
    import ast
    import json

    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert cells, f"{notebook.name} has no code cell"
    first = cells[0]
    assert "parameters" in first.get("metadata", {}).get("tags", []), \
        f"{notebook.name}: the first code cell must be tagged 'parameters'"
    values = {}
    for node in ast.parse("".join(first["source"])).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name), \
            f"{notebook.name}: the parameters cell may hold plain assignments only"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def ci_parameters(notebook: Path, device: str) -> dict:
    """The CI-sized papermill parameters of ``notebook`` (see ``ci_parameters.yaml``)."""
    import yaml

    spec = yaml.safe_load((Path(__file__).parent / "ci_parameters.yaml").read_text(encoding="utf-8"))
    defined = parameters_of(notebook)
    params = {k: v for k, v in (spec.get("default") or {}).items() if k in defined}
    params.update((spec.get("notebooks") or {}).get(notebook.stem) or {})
    params["device"] = device
    return params


_EXECUTED: dict[tuple, Path] = {}


def execute(notebook: Path, out_dir: Path, **parameters) -> Path:
    """Execute ``notebook`` with papermill (kernel in ``notebooks/``, as in JupyterLab); return the output path."""
    import papermill

    out = out_dir / f"{notebook.stem}-{len(list(out_dir.glob('*.ipynb')))}.ipynb"
    papermill.execute_notebook(
        str(notebook), str(out), parameters=parameters, cwd=str(notebook.parent),
        progress_bar=False, execution_timeout=900,
    )
    return out


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """``executed(name, device="cpu")``: the papermill output of a lesson run with CI parameters.

    Each (notebook, device) pair is executed once per test session and shared by the tests
    that read its recorded results.
    """
    out_dir = tmp_path_factory.mktemp("papermill")

    def run(name: str, device: str = "cpu") -> Path:
        notebook = REPO_ROOT / "notebooks" / f"{name}.ipynb"
        key = (name, device)
        if key not in _EXECUTED:
            _EXECUTED[key] = execute(notebook, out_dir, **ci_parameters(notebook, device))
        return _EXECUTED[key]

    return run


def notebook_outputs(path: str | os.PathLike[str]) -> list[dict]:
    """Every output of every cell of the notebook at ``path``, in order."""
    import json

    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return [o for c in cells for o in c.get("outputs", [])]


def stream_text(path: str | os.PathLike[str]) -> str:
    """All that the notebook's cells printed (stream outputs), joined."""
    return "".join("".join(o.get("text", "")) for o in notebook_outputs(path) if o.get("output_type") == "stream")


@pytest.fixture
def output(executed, request) -> Path:
    """The CPU papermill run (CI parameters) of the lesson named by the test module's ``NAME``."""
    return executed(request.module.NAME)


@pytest.fixture
def results(output) -> dict:
    """What that run recorded with ``utils.record``."""
    from utils import read_results

    return read_results(output)
