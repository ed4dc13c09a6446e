"""05_linear: the tutorial's shapes, the last-batch error, drop_last, flatten, y = xW^T + b, figures, TensorBoard."""
from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from utils import read_results
from helpers import notebook_outputs, stream_text

pytestmark = pytest.mark.notebook
NAME = "05_linear"
BATCH = 64  # the tutorial's batch size; CI keeps the default


def test_tutorial_shapes(executed):
    results = read_results(executed(NAME))
    assert results["reshape_shapes"] == [[1, 1, 1, 196608], [1, 1, 1, 10]]
    assert results["flatten_shapes"] == [[196608], [10]]
    assert results["same_numbers"] is True


def test_last_batch_arithmetic_and_error(executed):
    out = executed(NAME)
    results = read_results(out)
    n = results["test_size"]
    assert n % BATCH != 0, "the lesson's trap needs a test split that is not a multiple of 64"
    assert results["num_batches"] == math.ceil(n / BATCH)
    assert results["last_batch_size"] == n % BATCH
    assert results["batch_sizes_seen"] == sorted({BATCH, n % BATCH})
    error = results["last_batch_error"]
    assert error is not None and "cannot be multiplied" in error
    assert f"1x{(n % BATCH) * 3 * 32 * 32}" in error and "196608x10" in error
    assert "RuntimeError: mat1 and mat2 shapes cannot be multiplied" in stream_text(out)
    assert "10000 = 156 x 64 + 16" in stream_text(out)  # the real CIFAR-10 test split


def test_drop_last_and_per_image_layer(executed):
    results = read_results(executed(NAME))
    n = results["test_size"]
    assert results["drop_last_batches"] == n // BATCH
    assert results["drop_last_last_size"] == BATCH
    assert results["per_image_last_output"] == [n % BATCH, 10]


def test_linear_by_hand(executed):
    results = read_results(executed(NAME))
    assert results["by_hand_diff"] < 1e-5
    assert results["matrix_diff"] < 1e-5


def test_layer_table_and_hand_example_are_printed(executed):
    text = "".join(
        "".join(o.get("text", "")) for o in notebook_outputs(executed(NAME)) if o.get("output_type") == "stream")
    assert "tensor([[ 9.1000, -0.7000]]" in text
    assert "model1.6 Flatten      1024" in text
    assert "parameters: 65600" in text
    assert "nn.Flatten()(imgs):               torch.Size([64, 3072])" in text


def test_figures_drawn(executed):
    pngs = [o for o in notebook_outputs(executed(NAME)) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 2  # test images, one image flattened


def test_tensorboard_logs(executed):
    from tensorboard.backend.event_processing.event_accumulator import HISTOGRAMS, IMAGES, EventAccumulator

    results = read_results(executed(NAME))
    run = Path(os.environ["COURSE_RUNS_DIR"]) / NAME / results["run_folder"]
    assert any(p.name.startswith("events.out.tfevents") for p in run.iterdir())
    events = EventAccumulator(str(run), size_guidance={HISTOGRAMS: 0, IMAGES: 0})
    events.Reload()
    tags = events.Tags()
    assert tags["graph"] is True and "imgs" in tags["images"]
    steps = [e.step for e in events.Histograms("linear1_output")]
    assert steps == list(range(min(2, results["num_batches"] - 1)))  # CI: max_batches=2; the last batch fails
