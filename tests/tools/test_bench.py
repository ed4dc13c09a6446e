"""tools/bench.py: `make bench` measures the training loop next to the compute bound.

The real models take minutes on a laptop; here a tiny model stands in, to check the mechanics.
"""
from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from tools import bench
from utils.recipes import Recipe


@pytest.fixture
def tiny(monkeypatch):
    def make():
        return nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))

    monkeypatch.setattr(bench, "MODELS", {"tiny": (make, Recipe(batch_size=128))})


def test_bench_measures_both_numbers(tiny):
    row = bench.bench("tiny", torch.device("cpu"), repeats=1)
    assert row["model"] == "tiny" and row["batch_size"] == 128
    assert row["bound"] > 0 and row["loop"] > 0 and row["ratio"] == pytest.approx(row["loop"] / row["bound"])
    assert row["precision"] == "fp32"  # Recipe() is fp32


def test_main_prints_a_table(tiny, capsys):
    assert bench.main(["--models", "tiny", "--device", "cpu", "--repeats", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("device: cpu; ") and "PyTorch" in lines[0]
    assert lines[1].split() == ["model", "batch", "precision", "compute", "bound", "training", "loop", "ratio"]
    assert re.fullmatch(r"tiny\s+128\s+fp32\s+\d+ im/s\s+\d+ im/s\s+\d+\.\d\d", lines[2])


def test_a_bad_device_is_one_line(capsys):
    assert bench.main(["--device", "gpu"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("DeviceError: ") and len(err.splitlines()) == 1


def test_precision_can_be_overridden(tiny):
    row = bench.bench("tiny", torch.device("cpu"), repeats=1, precision="bf16")
    assert row["precision"] == "bf16" and row["bound"] > 0 and row["loop"] > 0


@pytest.mark.parametrize("repeats", ["0", "-1", "many"])
def test_repeats_below_one_is_one_line_and_exit_status_2(capsys, repeats):
    """Issue 29, item 6: `tools bench --repeats 0` ended in max()'s ValueError traceback."""
    with pytest.raises(SystemExit) as info:
        bench.main(["--repeats", repeats, "--device", "cpu"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err == f"python -m tools bench: error: argument --repeats: must be a whole number >= 1 (got '{repeats}')\n"
