"""07_loss: the tutorial's loss values, cross-entropy three ways, the notes' corrections, its options,
the untrained model near ln 10 on real images."""
from __future__ import annotations

import json
import math
import re

import pytest

from helpers import tensorboard_events, REPO_ROOT, ci_parameters, notebook_outputs, parameters_of, stream_text

pytestmark = pytest.mark.notebook
NAME = "07_loss"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
CI = ci_parameters(NOTEBOOK, "cpu")
DEFAULTS = parameters_of(NOTEBOOK)


@pytest.fixture
def en_output(executed):
    """The English run: for tests that read what the code prints in English."""
    return executed(NAME)


def test_l1_and_mse_of_the_tutorial(output, results):
    l1_mean, l1_sum = results["l1"]
    mse_mean, mse_sum = results["mse"]
    assert l1_mean == pytest.approx((0 + 0 + 2) / 3, abs=1e-6) and l1_sum == 2.0
    assert mse_mean == pytest.approx((0 + 0 + 4) / 3, abs=1e-6) and mse_sum == 4.0
    text = stream_text(output)
    assert "tensor(0.6667)\ntensor(2.)\n" in text  # what notes 002 and 003 print
    assert "tensor(1.3333)\ntensor(4.)\n" in text


def test_integer_tensors_fail_and_broadcasting_trap(output, results):
    int_errors = re.findall(r"^(?:L1Loss|MSELoss)\(\): (\w+): ", stream_text(output), re.M)
    assert len(int_errors) == 2
    assert set(int_errors) <= {"RuntimeError", "NotImplementedError"}
    # (3, 1) against (3,): every input against every target, |i - t| over the 3 x 3 grid
    grid = [abs(i - t) for i in (1, 2, 3) for t in (1, 2, 5)]
    assert results["broadcast_loss"] == pytest.approx(sum(grid) / 9, abs=1e-5)
    assert "Using a target size" in stream_text(output)


def test_cross_entropy_three_ways(results):
    want = -0.2 + math.log(math.exp(0.1) + math.exp(0.2) + math.exp(0.3))
    assert results["cross_entropy"] == pytest.approx([want] * 3, abs=1e-5)


def test_note_001_corrections_are_measured(en_output):
    text = stream_text(en_output)
    assert "largest score 0.3 at index 2: cat, probability 0.3672" in text  # not "the person, 0.3"
    assert "true class 1: dog, probability 0.3322" in text
    rows = dict(re.findall(r"x = (\[[^\]]+\]):  log\(sum exp\) = [\d.]+,  loss = ([\d.]+)", text))
    assert len(rows) == 5
    for row, loss in rows.items():
        values = json.loads(row)
        if len(set(values)) == 1:  # equal scores: ln 3, however high they are
            assert float(loss) == pytest.approx(math.log(3), abs=1e-4)
    assert float(rows["[0.9, 0.9, 0.9]"]) < float(rows["[0.1, 0.2, 0.3]"])


def test_cross_entropy_options_printed(output, en_output):
    text = stream_text(en_output)
    assert "reduction='none': tensor([1.1019, 0.4076, 2.2395])" in text
    assert "CrossEntropyLoss(weight=...): tensor(1.6456)\nby hand:                      tensor(1.6456)" in text
    assert "ignore_index=-100: tensor(1.6707)\nmean of samples 0 and 2: tensor(1.6707)" in text
    assert ("label_smoothing=0.1: tensor([1.1019, 0.5076, 2.1729])\n"
            "by hand:             tensor([1.1019, 0.5076, 2.1729])") in text
    assert "Expected input batch_size (1) to match target batch_size (3)" in text
    assert not [o for o in notebook_outputs(output) if o.get("output_type") == "error"]


def test_untrained_model_loss_is_near_ln10_on_real_images(results):
    assert results["data_source"] != "synthetic"
    untrained = results["untrained"]
    test_images = 600 if results["data_source"] == "sample" else 10_000
    assert untrained["images"] == min(CI["max_batches"] * DEFAULTS["batch_size"], test_images)
    assert untrained["ln10"] == pytest.approx(math.log(10))
    assert abs(untrained["mean_loss"] - math.log(10)) < 0.3
    assert results["grad_shape"] == [32, 3, 5, 5]


def test_tutorial_loop_prints_one_loss_per_image(output):
    text = stream_text(output)
    losses = [float(v) for v in re.findall(r"tensor\(([\d.]+), grad_fn=<NllLossBackward0>\)", text)]
    assert len(losses) == CI["num_images"]
    assert all(1.5 < v < 3.5 for v in losses)  # an untrained model: near ln 10


def test_stored_outputs_come_from_the_real_sample():
    """What a learner sees before running anything: the sample's 600 test images, ln 10 on all of them."""
    text = stream_text(NOTEBOOK)
    assert "Data: the CIFAR-10 sample shipped in sample/cifar10" in text
    images, mean_loss = re.search(r"(\d+) real test images: mean loss ([\d.]+)", text).groups()
    assert int(images) == 600
    assert abs(float(mean_loss) - math.log(10)) < 0.1


def test_figures_drawn(output):
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 4  # L1 vs MSE, cross-entropy curve, images, loss histogram


def test_tensorboard_logs(results):
    events = tensorboard_events(NAME, results)
    tags = events.Tags()
    assert "imgs" in tags["images"] and "loss/untrained_per_image" in tags["histograms"]
    losses = events.Scalars("loss/batch_size_1")
    assert [e.step for e in losses] == list(range(CI["num_images"]))
    assert all(1.5 < e.value < 3.5 for e in losses)


def test_the_notes_are_cited_by_title_and_the_lesson_stays_short():
    """A learner can find "Loss Function的作用", not "note 001" (the course's own file numbers)."""
    for notebook in (NOTEBOOK, REPO_ROOT / "notebooks" / "zh" / f"{NAME}.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        assert not re.search(r"[Nn]otes? 00\d|笔记 ?00\d", text), notebook
        assert "Loss Function的作用" in text and "pytorch(6)——神经网络基本骨架nn.module的使用" in text
        assert len(json.loads(text)["cells"]) <= 56
