"""03_convolution: the tutorial's numbers, padding's default, groups, real images, figures, TensorBoard."""
from __future__ import annotations

import json
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import tensorboard_events, not_answered, pick, REPO_ROOT, ci_parameters, notebook_outputs, stream_text
from utils import CIFAR10_CLASSES

pytestmark = pytest.mark.notebook
NAME = "03_convolution"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"

#: The tutorial's 5x5 input and 3x3 kernel (section 2.1 of its notes).
INPUT = torch.tensor([[1, 2, 0, 3, 1], [0, 1, 2, 3, 1], [1, 2, 1, 0, 0], [5, 2, 3, 1, 1], [2, 1, 0, 1, 1]])
KERNEL = torch.tensor([[1, 2, 1], [0, 1, 0], [2, 1, 0]])


def test_tutorial_conv2d_numbers(results):
    """The lesson's outputs are the ones the tutorial prints (output, output2, output3)."""
    assert results["stride1"] == [[10, 12, 12], [18, 16, 16], [13, 9, 3]]
    assert results["stride2"] == [[10, 12], [13, 3]]
    assert results["padding1"] == [[1, 3, 4, 10, 8], [5, 10, 12, 12, 6], [7, 18, 16, 16, 8],
                                   [11, 13, 9, 3, 4], [14, 13, 9, 7, 4]]
    # the tutorial prints no dilation example: compare with PyTorch here
    assert results["dilation2"] == F.conv2d(INPUT[None, None], KERNEL[None, None], dilation=2)[0, 0].tolist()
    assert results["by_hand_matches"] is True


def test_padding_default_is_zero_not_one(results):
    """The notes' section 2.2 says padding defaults to 1; the lesson shows PyTorch's 0."""
    assert results["default_padding"] == nn.Conv2d(1, 1, 3).padding[0] == 0
    assert "default padding: 0" in stream_text(NOTEBOOK)
    assert "Conv2d(1, 1, 3) on the 5x5 input -> [1, 1, 3, 3]" in stream_text(NOTEBOOK)


def test_formula_and_padding(results):
    assert results["formula_matches"] is True
    assert results["reflect_matches"] is True


def test_groups_parameters_and_split(results, output):
    # the lesson prints one line per groups value: "groups=2: weight [4, 2, 3, 3]: 72 weights + 4 biases = 76 parameters"
    counts = {int(g): int(n) for g, n in re.findall(r"groups=(\d)\D[^\n]*= (\d+) ", stream_text(output))}
    assert set(counts) == {1, 2, 4}
    for groups, n in counts.items():
        assert n == 4 * (4 // groups) * 3 * 3 + 4  # (out, in / groups, k, k) weights + one bias per output
    assert counts[1] > counts[2] > counts[4]
    assert results["groups_split_matches"] is True


def test_conv2d_on_real_images(results, output):
    batch = ci_parameters(NOTEBOOK, "cpu").get("batch_size", 64)
    assert results["reshaped_shape"] == [2 * batch, 3, 30, 30]  # 6 channels -> two 3-channel pictures per image
    assert results["real_by_hand_close"] is True
    assert results["gallery_classes"] == list(CIFAR10_CLASSES)  # one real image per class, named
    text = stream_text(output)
    assert f"outputs: torch.Size([{batch}, 6, 30, 30])" in text
    assert pick(output, "by the formula: 30", "按公式： 30") in text


def test_figures_and_shown_error(output):
    outputs = notebook_outputs(output)
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 7  # window, padding, padding layers, gallery, feature maps, edges, reshaped outputs
    text = stream_text(output)
    assert "AssertionError:" in text and "3 channels" in text  # add_images refuses 6 channels
    assert '"output_type": "error"' not in json.dumps(outputs)


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("03.1", "03.2", "03.3", "03.4", "03.5"):
        assert not_answered(output, id) in text


def test_stored_outputs_come_from_the_sample():
    text = stream_text(NOTEBOOK)
    assert "Data: the CIFAR-10 sample shipped in sample/cifar10" in text
    assert "ImageFolder 600 test images" in text
    assert "gallery: ['airplane', 'automobile'" in text
    source = json.dumps(json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"])
    assert "add_graph" not in source  # its torch.jit trace warns (FutureWarning); section 2.2 has no graph


def test_tensorboard_images_per_step(results):
    steps = ci_parameters(NOTEBOOK, "cpu")["max_batches"]
    assert results["logged_steps"] == steps
    events = tensorboard_events(NAME, results)
    assert [e.step for e in events.Images("input")] == list(range(steps))
    assert [e.step for e in events.Images("output")] == list(range(steps))
    # each step is one grid of 8 pictures per row: 64 inputs of 32 px make 8 rows, 128 outputs of 30 px make 16
    first_input, first_output = events.Images("input")[0], events.Images("output")[0]
    assert first_output.height // 30 == 2 * (first_input.height // 32)


def test_exercise_02_3_refuses_the_library_convolution():
    """03.3 forbids PyTorch's convolution: a wrapper around F.conv2d or nn.Conv2d gives the right numbers
    but is refused, with the reason, in both languages; the loops of the solution pass."""
    import importlib.util

    from utils.exercises import verdict
    from utils.i18n import set_language

    spec = importlib.util.spec_from_file_location("solutions_lesson02", REPO_ROOT / "solutions" / "lesson03.py")
    solutions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(solutions)
    assert verdict("03.3", solutions.my_conv2d) == (True, "")
    for shortcut in (solutions._wraps_conv2d, solutions._wraps_conv2d_layer):
        x, k = torch.randint(-3, 4, (6, 7)), torch.randint(-3, 4, (3, 3))
        assert torch.equal(shortcut(x, k, stride=2).long(), F.conv2d(x[None, None], k[None, None], stride=2)[0, 0])
        ok, problem = verdict("03.3", shortcut)
        assert ok is False and "PyTorch's own convolution" in problem
        set_language("zh")
        assert "PyTorch 自带的卷积" in verdict("03.3", shortcut)[1]
        set_language("en")
