"""06_linear: y = xW^T + b and the tutorial's formula, its shapes, the last-batch error, drop_last, flatten, TensorBoard."""
from __future__ import annotations

import math

import pytest

from helpers import tensorboard_events, REPO_ROOT, notebook_outputs, pick, stream_text

pytestmark = pytest.mark.notebook
NAME = "06_linear"
BATCH = 64  # the tutorial's batch size; CI keeps the default
CI_MAX_BATCHES = 2  # max_batches of 06_linear in tests/ci_parameters.yaml


def test_one_bias_per_output_computes_the_tutorials_formula(results):
    assert results["formula_matches"] is True


def test_tutorial_shapes(results):
    assert results["reshape_shapes"] == [[1, 1, 1, 196608], [1, 1, 1, 10]]
    assert results["flatten_shapes"] == [[196608], [10]]
    assert results["same_numbers"] is True


def test_last_batch_arithmetic_and_error(results, output):
    n = results["test_size"]
    assert n % BATCH != 0, "the lesson's trap needs a test split that is not a multiple of 64"
    assert results["num_batches"] == math.ceil(n / BATCH)
    assert results["last_batch_size"] == n % BATCH
    assert results["batch_sizes_seen"] == sorted({BATCH, n % BATCH})
    error = results["last_batch_error"]
    assert error is not None and "cannot be multiplied" in error
    assert f"1x{(n % BATCH) * 3 * 32 * 32}" in error and "196608x10" in error
    assert "RuntimeError: mat1 and mat2 shapes cannot be multiplied" in stream_text(output)


def test_drop_last_and_per_image_layer(results):
    n = results["test_size"]
    assert results["drop_last_batches"] == n // BATCH
    assert results["drop_last_last_size"] == BATCH
    assert results["per_image_last_output"] == [n % BATCH, 10]


def test_linear_by_hand(results):
    assert results["by_hand_diff"] < 1e-5
    assert results["matrix_diff"] < 1e-5


def test_layer_table_and_hand_example_are_printed(output):
    text = stream_text(output)
    assert "tensor([[ 9.1000, -0.7000]]" in text
    assert "model1.6 Flatten      1024" in text
    assert pick(output, "parameters: 65600", "参数个数： 65600") in text
    assert pick(output, "share of the model's 145,578 parameters: 45%", "占模型全部 145,578 个参数的 45%") in text
    assert "torch.Size([10, 196608])" in text  # Linear.weight is out_features x in_features
    assert "nn.Flatten()(imgs):               torch.Size([64, 3072])" in text


def test_stored_outputs_come_from_the_sample():
    """The stored lesson shows the shipped sample's own numbers: 600 = 9 x 64 + 24, and its error."""
    stored = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
    text = stream_text(stored)
    assert "ImageFolder 600 test images" in text
    assert "this run: 600 images = 9 batches of 64 + 24 more" in text
    assert "batch 9 (24 images): RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x73728 and 196608x10)" in text


def test_figures_drawn(output):
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 2  # test images, one image flattened


def test_tensorboard_logs(results):
    events = tensorboard_events(NAME, results)
    tags = events.Tags()
    assert tags["graph"] is True and "imgs" in tags["images"]
    steps = [e.step for e in events.Histograms("linear1_output")]
    assert steps == list(range(min(CI_MAX_BATCHES, results["num_batches"] - 1)))  # the last batch fails
