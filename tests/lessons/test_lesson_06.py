"""06_loss: the tutorial's loss values, cross-entropy three ways, its options, the untrained model near ln 10."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from utils import read_results
from helpers import notebook_outputs, stream_text

pytestmark = pytest.mark.notebook
NAME = "06_loss"


def test_l1_and_mse_of_the_tutorial(executed):
    results = read_results(executed(NAME))
    assert results["l1_mean"] == 0.6667  # not the 0.6 of one note's picture: 2 / 3
    assert results["l1_sum"] == 2.0
    assert results["mse_mean"] == 1.3333
    assert results["mse_sum"] == 4.0
    text = stream_text(executed(NAME))
    assert "tensor(0.6667)\ntensor(2.)\n" in text
    assert "tensor(1.3333)\ntensor(4.)\n" in text


def test_integer_tensors_fail_and_broadcasting_trap(executed):
    out = executed(NAME)
    results = read_results(out)
    assert len(results["int_errors"]) == 2
    assert set(results["int_errors"]) <= {"RuntimeError", "NotImplementedError"}
    assert results["broadcast_loss"] == round(14 / 9, 4)  # every input against every target
    assert "Using a target size" in stream_text(out)


def test_cross_entropy_three_ways(executed):
    results = read_results(executed(NAME))
    assert results["cross_entropy"] == 1.1019
    assert results["cross_entropy_formula"] == 1.1019
    assert results["cross_entropy_nll"] == 1.1019


def test_cross_entropy_options_printed(executed):
    text = stream_text(executed(NAME))
    assert "reduction='none': tensor([1.1019, 0.4076, 2.2395])" in text
    assert "CrossEntropyLoss(weight=...): tensor(1.6456)\nby hand:                      tensor(1.6456)" in text
    assert "ignore_index=-100: tensor(1.6707)\nmean of samples 0 and 2: tensor(1.6707)" in text
    assert ("label_smoothing=0.1: tensor([1.1019, 0.5076, 2.1729])\n"
            "by hand:             tensor([1.1019, 0.5076, 2.1729])") in text
    assert "Expected input batch_size (1) to match target batch_size (3)" in text
    assert '"output_type": "error"' not in json.dumps(notebook_outputs(executed(NAME)))


def test_untrained_model_loss_is_near_ln10(executed):
    results = read_results(executed(NAME))
    assert results["ln10"] == round(math.log(10), 4)
    assert results["loss_images"] == 2 * 64  # CI: max_batches=2 of batch_size=64
    assert abs(results["mean_loss_untrained"] - math.log(10)) < 0.3
    assert results["grad_shape"] == [32, 3, 5, 5]


def test_tutorial_loop_printed_losses(executed):
    text = stream_text(executed(NAME))
    assert text.count("grad_fn=<NllLossBackward0>") == 2  # CI: num_images=2


def test_figures_drawn(executed):
    pngs = [o for o in notebook_outputs(executed(NAME)) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 4  # L1 vs MSE, cross-entropy curve, images, loss histogram


def test_tensorboard_logs(executed):
    from tensorboard.backend.event_processing.event_accumulator import HISTOGRAMS, IMAGES, EventAccumulator

    run = Path(os.environ["COURSE_RUNS_DIR"]) / NAME / read_results(executed(NAME))["run_folder"]
    assert any(p.name.startswith("events.out.tfevents") for p in run.iterdir())
    events = EventAccumulator(str(run), size_guidance={HISTOGRAMS: 0, IMAGES: 0})
    events.Reload()
    tags = events.Tags()
    assert "imgs" in tags["images"] and "loss/untrained_per_image" in tags["histograms"]
    losses = events.Scalars("loss/batch_size_1")
    assert [e.step for e in losses] == [0, 1]
    assert all(1.5 < e.value < 3.5 for e in losses)
