"""Helpers the tests import by name (``from helpers import ...``): notebooks, their parameters, papermill."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ZH_NOTEBOOKS = sorted((REPO_ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))


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


def execute(notebook: Path, out_dir: Path, **parameters) -> Path:
    """Execute ``notebook`` with papermill (kernel in ``notebooks/``, as in JupyterLab); return the output path."""
    import papermill

    out = out_dir / f"{notebook.stem}-{len(list(out_dir.glob('*.ipynb')))}.ipynb"
    papermill.execute_notebook(
        str(notebook), str(out), parameters=parameters, cwd=str(notebook.parent),
        progress_bar=False, execution_timeout=900,
    )
    return out


def notebook_outputs(path: str | os.PathLike[str]) -> list[dict]:
    """Every output of every cell of the notebook at ``path``, in order."""
    import json

    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return [o for c in cells for o in c.get("outputs", [])]


def stream_text(path: str | os.PathLike[str]) -> str:
    """All that the notebook's cells printed (stream outputs), joined."""
    return "".join("".join(o.get("text", "")) for o in notebook_outputs(path) if o.get("output_type") == "stream")
