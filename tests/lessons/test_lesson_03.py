"""03_pooling: the tutorial's numbers, the output-size formula, real images, figures, TensorBoard."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import torch
from torch import nn

from utils import conv_output_size

pytestmark = pytest.mark.notebook
NAME = "03_pooling"


def test_tutorial_ceil_mode_example(results):
    assert results["ceil_true"] == [[2.0, 3.0], [5.0, 1.0]]
    assert results["ceil_false"] == [[2.0]]


def test_output_size_formula_matches_real_layers(results):
    rows = results["size_table"]
    assert len(rows) >= 12
    for size, kernel_size, stride, padding, ceil_mode, formula, actual in rows:
        layer = nn.MaxPool2d(kernel_size, stride=stride, padding=padding, ceil_mode=ceil_mode)
        real = layer(torch.zeros(1, 1, size, size)).shape[-1]
        assert formula == actual == real == conv_output_size(size, kernel_size, stride, padding, ceil_mode=ceil_mode)
    by_key = {tuple(r[:5]): r[6] for r in rows}
    assert by_key[(5, 3, 3, 0, False)] == 1 and by_key[(5, 3, 3, 0, True)] == 2
    assert by_key[(32, 3, 3, 0, False)] == 10 and by_key[(32, 3, 3, 0, True)] == 11
    # the table shows cases where floor and ceil differ and cases where they agree
    modes = {}
    for r in rows:
        modes.setdefault(tuple(r[:4]), {})[r[4]] = r[6]
    assert any(m[False] != m[True] for m in modes.values()) and any(m[False] == m[True] for m in modes.values())


def test_pooling_real_images(results):
    floor, ceil = results["image_shape_floor"], results["image_shape_ceil"]
    assert floor[1:] == [3, 10, 10] and ceil[1:] == [3, 11, 11] and floor[0] == ceil[0] == 64
    assert results["max_ge_avg_everywhere"] is True
    mean_input, mean_max, mean_avg = results["mean_input_max_avg"]
    assert mean_max > mean_avg and mean_max > mean_input
    assert 0 <= mean_input <= 1


def test_figures_are_drawn(output):
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    pngs = sum("image/png" in o.get("data", {}) for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    assert pngs >= 2


def test_tensorboard_images_logged(results, output):
    from tensorboard.backend.event_processing.event_accumulator import IMAGES, EventAccumulator

    assert results["tb_steps"] == 2  # max_batches in tests/ci_parameters.yaml
    runs = sorted((Path(os.environ["COURSE_RUNS_DIR"]) / NAME).iterdir())
    assert runs, "the notebook wrote no TensorBoard run folder"
    found = []
    for run in runs:
        acc = EventAccumulator(str(run), size_guidance={IMAGES: 0}).Reload()
        tags = acc.Tags()[IMAGES]
        if "input" in tags and "output" in tags:
            found.append((len(acc.Images("input")), len(acc.Images("output")), acc.Images("input")[0],
                          acc.Images("output")[0]))
    assert found, "no run folder holds the 'input' and 'output' images"
    n_input, n_output, first_input, first_output = found[-1]
    assert n_input == n_output == 2
    # the pooled grid is a third of the input grid: 10x10 images instead of 32x32
    assert first_output.width * 3 <= first_input.width and first_output.height * 3 <= first_input.height
