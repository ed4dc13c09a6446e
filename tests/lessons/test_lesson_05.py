"""05_activations: the tutorial's ReLU/Sigmoid numbers, images in [0, 1], linearity, BatchNorm2d, figures, TensorBoard."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from helpers import REPO_ROOT, stream_text

pytestmark = pytest.mark.notebook
NAME = "05_activations"
CI_MAX_BATCHES = 2  # max_batches of 05_activations in tests/ci_parameters.yaml


def test_tutorial_relu_and_sigmoid(results):
    # the numbers the tutorial prints (its section 5.2)
    assert results["relu"] == [[1.0, 0.0], [0.0, 3.0]]
    assert results["sigmoid"] == [[0.7311, 0.3775], [0.2689, 0.9526]]


def test_activations_on_images(results):
    # ToTensor images lie in [0, 1]: ReLU leaves them alone, Sigmoid squeezes them into [0.5, 0.731]
    assert results["relu_leaves_images_unchanged"] is True
    low, high = results["sigmoid_image_range"]
    assert 0.5 <= low <= high <= round(1 / (1 + math.exp(-1)), 4)
    assert high - low > 0.1  # the batch really spans dark and bright pixels
    # once images are normalized to [-1, 1], ReLU changes exactly the negative values
    assert 0.05 < results["relu_changes_normalized_fraction"] < 0.95
    assert results["relu_changes_normalized_fraction"] == results["negative_normalized_fraction"]


def test_linearity_of_the_tutorial_model(results):
    gaps = results["linearity_gaps"]  # named by the probe in the order of the lesson's parts, in either edition
    assert set(gaps) == {"linear_pair", "conv_pair", "maxpool", "relu", "sigmoid", "tudui"}
    # runs of weighted sums are linear up to float32 rounding ...
    assert gaps["linear_pair"] < 1e-4
    assert gaps["conv_pair"] < 1e-4
    # ... a maximum, the activations and the whole Tudui (which has max pooling) are not
    for name in ("maxpool", "relu", "sigmoid", "tudui"):
        assert gaps[name] > 1e-2, name


def test_a_bend_is_what_lets_a_model_draw_the_circle(results):
    """No training before lesson 08: the best of all straight lines (searched on a grid) against two models whose
    weights the lesson sets by hand, one with max of pairs, one with ReLU."""
    accuracy = results["toy_accuracy"]
    inside = results["toy_inside_fraction"]
    assert 0.35 < inside < 0.65
    best_line = results["best_line_accuracy"]
    assert max(inside, 1 - inside) + 0.05 < best_line < 0.8
    assert accuracy["max"] > 0.95 and accuracy["relu"] > 0.95
    assert best_line + 0.15 < min(accuracy.values())


def test_batchnorm_train_mode_normalizes_each_channel(results):
    assert len(results["bn_train_mean"]) == len(results["bn_train_std"]) == 3
    assert all(abs(m) < 1e-4 for m in results["bn_train_mean"])
    assert all(abs(s - 1) < 1e-3 for s in results["bn_train_std"])


def test_batchnorm_running_statistics_and_eval_mode(results):
    assert results["running_stats_follow_momentum"] is True
    assert results["eval_uses_running_stats"] is True
    # after one batch the running mean is only 10% of the way, so eval output is not centred
    assert all(m > 0.1 for m in results["bn_eval_mean"])
    # an image's output depends on its batch in train mode only
    assert results["bn_output_depends_on_batch"] == {"train": True, "eval": False}
    assert results["cumulative_running_mean_matches"] is True
    assert results["bn_batches"] == CI_MAX_BATCHES


def test_figures_are_drawn(output):
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    pngs = sum("image/png" in o.get("data", {}) for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    assert pngs >= 5  # the two functions, images in columns, histogram, the bent models, BatchNorm histograms


def test_stored_outputs_show_real_images():
    """The stored lesson ran on the shipped sample: its images in the figure, its sizes in the text."""
    stored = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
    text = stream_text(stored)
    assert "ImageFolder 600 test images" in text
    assert "ReLU output equals its input: True" in text
    assert "the whole Tudui" in text and "NOT linear" in text


def test_tensorboard_images_logged(results):
    from tensorboard.backend.event_processing.event_accumulator import IMAGES, EventAccumulator

    assert results["tb_steps"] == CI_MAX_BATCHES
    tags = {"input", "output_relu", "output_sigmoid"}
    run = Path(results["run_folder"])
    # the tests pass their own log_dir (tests/helpers.py): the run folder lies in the test session's folder
    assert run.is_relative_to(Path(os.environ["COURSE_RUNS_DIR"])), run
    assert any(p.name.startswith("events.out.tfevents") for p in run.iterdir()), f"no TensorBoard events in {run}"
    acc = EventAccumulator(str(run), size_guidance={IMAGES: 0}).Reload()
    assert tags <= set(acc.Tags()[IMAGES]), f"the run folder holds no images {sorted(tags)}"
    assert {tag: len(acc.Images(tag)) for tag in tags} == {tag: CI_MAX_BATCHES for tag in tags}


def test_the_lesson_stays_short():
    for notebook in (REPO_ROOT / "notebooks" / f"{NAME}.ipynb", REPO_ROOT / "notebooks" / "zh" / f"{NAME}.ipynb"):
        assert len(json.loads(notebook.read_text(encoding="utf-8"))["cells"]) <= 56, notebook
