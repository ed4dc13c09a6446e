"""04_activations: the tutorial's ReLU/Sigmoid numbers, images in [0, 1], BatchNorm2d, figures, TensorBoard."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest


pytestmark = pytest.mark.notebook
NAME = "04_activations"


def test_tutorial_relu_and_sigmoid(results):
    assert results["relu"] == [[1.0, 0.0], [0.0, 3.0]]
    assert results["sigmoid"] == [[0.7311, 0.3775], [0.2689, 0.9526]]


def test_activations_on_images(results):
    assert results["relu_leaves_images_unchanged"] is True
    low, high = results["sigmoid_image_range"]
    assert 0.5 <= low <= high <= round(1 / (1 + math.exp(-1)), 4)
    assert high - low > 0.1  # the batch really spans dark and bright pixels
    # once images are normalized to [-1, 1], ReLU does change them
    assert 0.05 < results["relu_changes_normalized_fraction"] < 0.95


def test_batchnorm_train_mode_normalizes_each_channel(results):
    assert len(results["bn_train_mean"]) == len(results["bn_train_std"]) == 3
    assert all(abs(m) < 1e-4 for m in results["bn_train_mean"])
    assert all(abs(s - 1) < 1e-3 for s in results["bn_train_std"])


def test_batchnorm_running_statistics_and_eval_mode(results):
    assert results["running_stats_follow_momentum"] is True
    assert results["eval_uses_running_stats"] is True
    # after one batch the running mean is only 10% of the way, so eval output is not centred
    assert all(m > 0.1 for m in results["bn_eval_mean"])
    assert results["cumulative_running_mean_matches"] is True
    assert results["bn_batches"] == 2  # max_batches in tests/ci_parameters.yaml


def test_figures_are_drawn(output):
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    pngs = sum("image/png" in o.get("data", {}) for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    assert pngs >= 4


def test_tensorboard_images_logged(results, output):
    from tensorboard.backend.event_processing.event_accumulator import IMAGES, EventAccumulator

    assert results["tb_steps"] == 2  # max_batches in tests/ci_parameters.yaml
    tags = {"input", "output_relu", "output_sigmoid"}
    runs = sorted((Path(os.environ["COURSE_RUNS_DIR"]) / NAME).iterdir())
    assert runs, "the notebook wrote no TensorBoard run folder"
    counts = []
    for run in runs:
        acc = EventAccumulator(str(run), size_guidance={IMAGES: 0}).Reload()
        if tags <= set(acc.Tags()[IMAGES]):
            counts.append({tag: len(acc.Images(tag)) for tag in tags})
    assert counts, f"no run folder holds the images {sorted(tags)}"
    assert counts[-1] == {tag: 2 for tag in tags}
