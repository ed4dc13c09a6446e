"""08_optimizers: backward() and .grad by hand, the order of the three calls, the tutorial's loop on real
images (its loss falls), the three running_loss versions, what summing `loss` keeps in memory (measured),
weight decay, class weights, SGD vs momentum vs Adam, figures, TensorBoard."""
from __future__ import annotations

import json
import math
import re

import pytest

from helpers import (tensorboard_events, REPO_ROOT, ci_parameters, edition, notebook_outputs, parameters_of, pick,
                     stored_notebooks, stream_text)

pytestmark = pytest.mark.notebook
NAME = "08_optimizers"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
CI = ci_parameters(NOTEBOOK, "cpu")
BATCH = parameters_of(NOTEBOOK)["batch_size"]  # CI keeps the default, the tutorial's 32


@pytest.fixture
def en_output(executed):
    """The English run: for tests that read what the code prints in English."""
    return executed(NAME)


def _train_images(results) -> int:
    split = 1500 if results["data_source"] == "sample" else 50_000
    return min(CI["num_images"], split)


def test_backward_fills_and_accumulates_grad(en_output):
    text = stream_text(en_output)
    assert "output: tensor([4.], grad_fn=<MulBackward0>)  loss: tensor(16., grad_fn=<MseLossBackward0>)" in text
    assert "w.grad before backward(): None" in text
    assert "w.grad after backward(): tensor(-16.)\nby hand, 2 * (w*x - y) * x = -16.0" in text
    assert "after a second backward(): tensor(-32.)\nafter a third backward():  tensor(-48.)" in text
    assert "after optimizer.zero_grad(): None" in text
    assert "w.grad: tensor(-16.)  w after step(): tensor(2.1600)" in text


def test_order_of_the_three_calls(results):
    orders = results["order_results"]
    right = [2.16, 2.3072, 2.4426]
    assert orders["zero_grad → backward → step"] == right
    assert orders["backward → step → zero_grad"] == right
    assert orders["backward → step"] == [2.16, 2.4672, 2.897]  # gradients pile up
    assert orders["zero_grad → step → backward"] == [2.0, 2.0, 2.0]  # step never sees a gradient
    assert orders["step → zero_grad → backward"] == [2.0, 2.16, 2.32]  # one step late: stale gradients
    assert orders["backward → zero_grad → step"] == [2.0, 2.0, 2.0]  # the gradient is wiped


def test_learning_rates_printed(en_output):
    text = stream_text(en_output)
    assert "lr=0.01                w after 5 steps:   2.6818, after 30: 3.8361" in text  # the tutorial's lr creeps
    assert "lr=0.1                 w after 5 steps:   3.9994, after 30: 4.0" in text
    assert "lr=0.2                 w after 5 steps:   4.1555, after 30: 4.0" in text  # overshoots, settles
    assert "lr=0.01, no zero_grad  w after 5 steps:   3.9799, after 30: 5.4517" in text
    lr03 = [line for line in text.splitlines() if line.startswith("lr=0.3 ")]
    assert lr03 and abs(float(lr03[0].split("after 30:")[1])) > 1000  # diverges


def test_three_running_loss_versions(results):
    versions = results["running_loss_versions"]
    images = _train_images(results)
    assert versions["images"] == images and versions["batches"] == math.ceil(images / BATCH)
    # version 1 (a tensor) and version 2 (floats) are the same sum of batch means
    assert versions["sum of loss"] == pytest.approx(versions["sum of loss.item()"], abs=1e-3)
    per_image = versions["sum of loss.item() * imgs.size(0)"] / images
    per_batch = versions["sum of loss.item()"] / versions["batches"]
    assert per_image == pytest.approx(results["train"]["epoch_losses"][0], abs=1e-6)
    assert per_batch == pytest.approx(per_image, abs=0.01)  # first epoch: every batch near ln 10
    assert abs(per_image - math.log(10)) < 0.1


def test_summing_loss_memory_is_measured(results, en_output):
    """With backward() each batch frees its saved tensors; without it, summing `loss` keeps every batch's."""
    saved = results["saved_mib"]
    assert all(v < 0.01 for v in saved["training, summing loss"])  # each backward() freed its batch's
    growing = saved["summing loss"]
    step = growing[0]
    assert step > 1  # one batch of 32 through Tudui saves megabytes
    assert all(b > a for a, b in zip(growing, growing[1:]))
    assert growing[-1] == pytest.approx(step * len(growing), rel=0.05)  # linear: every batch stays alive
    assert all(v == pytest.approx(step, rel=0.05) for v in saved["summing loss.item()"])  # one batch at a time
    assert all(v == 0 for v in saved["summing loss, in torch.no_grad()"])
    text = stream_text(en_output)
    assert re.search(r"version 1: tensor\([\d.]+, grad_fn=<AddBackward0>\)", text)


def test_no_unmeasured_memory_claim_and_the_tutorial_loop_as_it_is():
    source = "".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"])
    assert "15.7 GiB" not in source
    assert "782 batches" not in source  # the note trains on the test split: 313 batches of 32
    assert "train=False" in source and "313" in source


def test_lesson_is_short_and_the_memory_meter_optional():
    """About 55 cells; the saved-tensor meter is in the optional section after the exercises, not in the main line."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert len(cells) <= 60
    sources = ["".join(c["source"]) for c in cells]
    optional = next(i for i, s in enumerate(sources) if s.startswith("## Optional"))
    exercises = next(i for i, s in enumerate(sources) if s.startswith("## Exercises"))
    assert exercises < optional
    assert not any("saved_tensors_hooks" in s or "weakref" in s for s in sources[:optional])
    assert not any("note 00" in s.lower() for s in sources)  # the tutorial is cited by post title


def test_tutorial_loop_loss_falls(results):
    train = results["train"]
    losses = train["epoch_losses"]
    assert len(losses) == CI["epochs"]
    assert train["steps"] == CI["epochs"] * math.ceil(_train_images(results) / BATCH)
    assert abs(losses[0] - math.log(10)) < 0.1  # the untrained model's loss, lesson 07
    assert losses[-1] < losses[0] - 0.02, f"the loss did not fall: {losses}"
    assert train["flat_until"] is None or 10 <= train["flat_until"] <= train["steps"]
    assert train["test_images"] == (600 if results["data_source"] == "sample" else 1000)
    assert 0.0 <= train["test_accuracy"] <= 1.0 and train["test_loss"] > 0


def test_running_loss_printed_per_epoch(en_output):
    lines = [line for line in stream_text(en_output).splitlines() if "running_loss" in line and "per image" in line]
    assert len(lines) == CI["epochs"]
    batches = CI["num_images"] / BATCH
    assert batches.is_integer()  # every batch full in the CI run, so running_loss = mean per image x batches
    for line in lines:
        running = float(line.split("running_loss")[1].split(",")[0])
        per_image = float(line.split("loss per image")[1])
        assert running == pytest.approx(per_image * batches, abs=0.01)


def test_weight_decay_and_class_weights(results, en_output):
    assert results["w_weight_decay"] == pytest.approx(2.0 - 0.01 * (-16 + 0.1 * 2.0), abs=1e-5)
    assert "gradient of loss + (λ/2)·w²: tensor(-15.8000)   -16 + λ·w = -15.8" in stream_text(en_output)
    assert results["class_weight_grads"] == [[-0.25, 0.25], [0.0, 0.0]]


def test_optimizers_compared_from_the_same_start(results):
    tiny = results["tiny_optimizers"]
    assert tiny["SGD lr=0.01"] == [2.16, 2.3072, 2.4426]
    assert tiny["SGD lr=0.01, momentum=0.9"] == [2.16, 2.4512, 2.8372]
    assert tiny["Adam lr=0.001"] == [2.001, 2.002, 2.003]
    compare = results["compare"]
    assert set(compare) == {"SGD", "SGD + momentum", "Adam"}
    assert all(len(v["train_loss"]) == len(v["test_accuracy"]) == CI["compare_epochs"] for v in compare.values())
    assert compare["SGD + momentum"]["train_loss"][-1] < compare["SGD"]["train_loss"][-1]
    assert compare["Adam"]["train_loss"][-1] < compare["SGD"]["train_loss"][-1]


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_stored_outputs_come_from_the_real_sample(stored):
    """What a learner sees before running anything: the sample's 1,500 images, 47 batches of 32, the loss falling."""
    text = stream_text(stored)
    assert pick(stored, "Data: the CIFAR-10 sample shipped in sample/cifar10", "数据：课程自带的 CIFAR-10 样本 sample/cifar10") in text
    assert pick(stored, "ImageFolder: 1500", "ImageFolder：1500") in text
    assert pick(stored, "training on 1500 of them: 47 batches of up to 32 per epoch",
                "用其中 1500 张图像训练：每轮 47 个批次，每批最多 32 张") in text
    epochs = [(float(a), float(b)) for a, b in re.findall(r"running_loss +([\d.]+)\D+([\d.]+)", text)]
    assert len(epochs) == parameters_of(NOTEBOOK)["epochs"]
    assert all(running == pytest.approx(per_image * 47, rel=0.01) for running, per_image in epochs)
    assert epochs[-1][1] < epochs[0][1] - 0.05  # the loss per image fell
    accuracy = re.search(pick(stored, r"600 test images: loss [\d.]+, accuracy ([\d.]+)%",
                              r"600 张测试图像：损失 [\d.]+，准确率 ([\d.]+)%"), text)
    assert accuracy and float(accuracy.group(1)) > 15  # 600 test images; guessing gives 10 %
    assert re.search(r"version 1: tensor\([\d.]+, grad_fn=<AddBackward0>\)|写法 1: tensor\(", text)


def test_figures_drawn(output):
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 5  # learning rates, training images, loss curve, guesses, comparison


def test_tensorboard_logs_every_step(results):
    events = tensorboard_events(NAME, results)
    steps = events.Scalars("train_loss")
    assert [e.step for e in steps] == list(range(1, results["train"]["steps"] + 1))
    epochs = events.Scalars("epoch_loss")
    assert [e.step for e in epochs] == list(range(1, CI["epochs"] + 1))
    assert [e.value for e in epochs] == pytest.approx(results["train"]["epoch_losses"], abs=1e-4)
