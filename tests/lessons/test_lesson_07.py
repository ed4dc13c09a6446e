"""07_optimizers: backward() and .grad by hand, the order of the three calls, the tutorial's loop
(its loss falls), weight decay, class weights, SGD vs momentum vs Adam, figures, TensorBoard."""
from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
import yaml

from utils import read_results
from helpers import notebook_outputs, stream_text

pytestmark = pytest.mark.notebook
NAME = "07_optimizers"
CI = yaml.safe_load((Path(__file__).parent / "ci_parameters.yaml").read_text(encoding="utf-8"))["notebooks"][NAME]
BATCH = 64  # the tutorial's batch size; CI keeps the default


def test_backward_fills_and_accumulates_grad(executed):
    out = executed(NAME)
    text = stream_text(out)
    assert "output: tensor([4.], grad_fn=<MulBackward0>)  loss: tensor(16., grad_fn=<MseLossBackward0>)" in text
    assert "w.grad before backward(): None" in text
    assert "w.grad after backward(): tensor(-16.)\nby hand, 2 * (w*x - y) * x = -16.0" in text
    assert "after a second backward(): tensor(-32.)\nafter a third backward():  tensor(-48.)" in text
    assert "after optimizer.zero_grad(): None" in text
    results = read_results(out)
    assert results["grad_after_three_backward"] == -48.0
    assert results["w_after_one_step"] == 2.16  # 2 - 0.01 * (-16)


def test_order_of_the_three_calls(executed):
    orders = read_results(executed(NAME))["order_results"]
    right = [2.16, 2.3072, 2.4426]
    assert orders["zero_grad → backward → step"] == right
    assert orders["backward → step → zero_grad"] == right
    assert orders["backward → step"] == [2.16, 2.4672, 2.897]  # gradients pile up
    assert orders["zero_grad → step → backward"] == [2.0, 2.0, 2.0]  # step never sees a gradient
    assert orders["step → zero_grad → backward"] == [2.0, 2.16, 2.32]  # one step late: stale gradients
    assert orders["backward → zero_grad → step"] == [2.0, 2.0, 2.0]  # the gradient is wiped


def test_learning_rates_printed(executed):
    text = stream_text(executed(NAME))
    assert "lr=0.1                 w after 5 steps:   3.9994, after 30: 4.0" in text
    lr03 = [line for line in text.splitlines() if line.startswith("lr=0.3 ")]
    assert lr03 and abs(float(lr03[0].split("after 30:")[1])) > 1000  # diverges


def test_running_loss_keeps_the_graph(executed):
    out = executed(NAME)
    results = read_results(out)
    assert results["running_loss_grad_fn"] == "AddBackward0"
    assert "grad_fn=<AddBackward0>)" in stream_text(out)
    assert 10 < results["graph_mib_per_batch"] < 40  # activations of one batch of 64 through Tudui


def test_tutorial_loop_loss_falls(executed):
    results = read_results(executed(NAME))
    losses = results["epoch_losses"]
    steps_per_epoch = math.ceil(CI["num_images"] / BATCH)
    assert len(losses) == CI["epochs"]
    assert results["total_train_step"] == CI["epochs"] * steps_per_epoch
    assert abs(losses[0] - math.log(10)) < 0.15  # the untrained model's loss, lesson 06
    assert losses[-1] < 0.8 * losses[0], f"the loss did not fall clearly: {losses}"
    assert results["loss_drop"] == pytest.approx(losses[0] - losses[-1], abs=2e-4)
    assert results["flat_until"] is not None and results["flat_until"] <= results["total_train_step"]
    assert results["test_accuracy"] > 0.2  # guessing gives 0.1


def test_running_loss_printed_per_epoch(executed):
    lines = [line for line in stream_text(executed(NAME)).splitlines() if "running_loss" in line and "per image" in line]
    assert len(lines) == CI["epochs"]
    steps_per_epoch = CI["num_images"] // BATCH  # every batch is full in the CI run
    for line in lines:
        running = float(line.split("running_loss")[1].split(",")[0])
        per_image = float(line.split("loss per image")[1])
        assert running == pytest.approx(per_image * steps_per_epoch, abs=0.01)


def test_weight_decay_and_class_weights(executed):
    out = executed(NAME)
    results = read_results(out)
    assert results["w_weight_decay"] == 2.158  # 2 - 0.01 * (-16 + 0.1 * 2)
    text = stream_text(out)
    assert "gradient of loss + (λ/2)·w²: tensor(-15.8000)   -16 + λ·w = -15.8" in text
    assert results["class_weight_grads"] == [[-0.25, 0.25], [0.0, 0.0]]


def test_optimizers_compared_from_the_same_start(executed):
    results = read_results(executed(NAME))
    tiny = results["tiny_optimizers"]
    assert tiny["SGD lr=0.01"] == [2.16, 2.3072, 2.4426]
    assert tiny["SGD lr=0.01, momentum=0.9"] == [2.16, 2.4512, 2.8372]
    assert tiny["Adam lr=0.001"] == [2.001, 2.002, 2.003]
    curves = results["compare_losses"]
    assert set(curves) == {"SGD", "SGD + momentum", "Adam"}
    assert all(len(v) == CI["compare_epochs"] for v in curves.values())
    assert curves["SGD + momentum"][-1] < curves["SGD"][-1]
    assert curves["Adam"][-1] < curves["SGD"][-1]


def test_figures_drawn(executed):
    pngs = [o for o in notebook_outputs(executed(NAME)) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 5  # learning rates, training images, loss curve, guesses, comparison


def test_tensorboard_logs_every_step(executed):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    results = read_results(executed(NAME))
    run = Path(os.environ["COURSE_RUNS_DIR"]) / NAME / results["run_folder"]
    assert any(p.name.startswith("events.out.tfevents") for p in run.iterdir())
    events = EventAccumulator(str(run))
    events.Reload()
    steps = events.Scalars("train_loss")
    assert [e.step for e in steps] == list(range(1, results["total_train_step"] + 1))
    epochs = events.Scalars("epoch_loss")
    assert [round(e.value, 4) for e in epochs] == pytest.approx(results["epoch_losses"], abs=1e-4)
