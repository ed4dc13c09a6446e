"""utils.results: record() stores key numbers in a notebook's outputs; read_results() reads them back."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
import torch

from helpers import REPO_ROOT
from utils import read_results, record
from utils.results import MIME_TYPE


@pytest.fixture
def shown(monkeypatch) -> list[dict]:
    bundles: list[dict] = []
    monkeypatch.setattr("utils.results._emit", bundles.append)
    return bundles


def as_notebook(bundles: list[dict]) -> dict:
    cells = [{"cell_type": "code", "outputs": [{"output_type": "display_data", "data": b, "metadata": {}}]} for b in bundles]
    return json.loads(json.dumps({"cells": [{"cell_type": "markdown", "source": "# x"}, *cells]}))


def test_record_round_trip(shown, tmp_path):
    record("final_loss", torch.tensor(0.25))
    record("shape", torch.Size([64, 10]))
    record("accs", [torch.tensor(0.5), 0.75])
    record("counts", {"cat": np.int64(3), 1: np.float32(0.5)})
    record("flag", True)
    record("nan", float("nan"))
    expected = {"final_loss": 0.25, "shape": [64, 10], "accs": [0.5, 0.75], "counts": {"cat": 3, "1": 0.5},
                "flag": True, "nan": "nan"}
    assert read_results(as_notebook(shown)) == expected
    path = tmp_path / "run.ipynb"
    path.write_text(json.dumps(as_notebook(shown)), encoding="utf-8")
    assert read_results(path) == read_results(str(path)) == expected
    assert shown[0]["text/plain"] == "final_loss = 0.25" and MIME_TYPE in shown[0]


def test_a_later_record_of_the_same_name_wins(shown):
    record("loss", 1.0)
    record("loss", 0.5)
    assert read_results(as_notebook(shown)) == {"loss": 0.5}


def test_record_refuses_objects(shown):
    with pytest.raises(TypeError, match="record\\(\\) takes numbers"):
        record("model", object())
    assert shown == []


def test_quiet_record_shows_nothing(shown):
    record("quiet", 1, show=False)
    assert shown == [{MIME_TYPE: {"name": "quiet", "value": 1}}]


def test_record_outside_ipython_prints(capsys):
    record("x", 2)
    record("y", 3, show=False)
    assert capsys.readouterr().out == "x = 2\n"


def test_the_mime_type_is_spelled_in_one_python_file():
    """Everything else imports utils.results.MIME_TYPE, so the format has one definition."""
    files = subprocess.run(["git", "grep", "-l", "-F", MIME_TYPE, "--", "*.py"], cwd=REPO_ROOT,
                           capture_output=True, text=True).stdout.split()
    untracked = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "*.py"], cwd=REPO_ROOT,
                               capture_output=True, text=True).stdout.split()
    files += [f for f in untracked if MIME_TYPE in (REPO_ROOT / f).read_text(encoding="utf-8", errors="replace")]
    assert sorted(set(files)) == ["utils/results.py"]
