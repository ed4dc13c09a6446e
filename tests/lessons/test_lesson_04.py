"""04_pooling: the tutorial's numbers, the output-size formula, real images, the reasons for pooling, TensorBoard."""
from __future__ import annotations

import json

import pytest
import torch
from torch import nn

from helpers import not_answered, REPO_ROOT, ci_parameters, notebook_outputs, stream_text, tensorboard_events
from utils import conv_output_size

pytestmark = pytest.mark.notebook
NAME = "04_pooling"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"


def test_tutorial_ceil_mode_example(results):
    """The two outputs the tutorial prints for MaxPool2d(kernel_size=3) with ceil_mode=True and False."""
    assert results["ceil_true"] == [[2.0, 3.0], [5.0, 1.0]]
    assert results["ceil_false"] == [[2.0]]


def test_padding_is_minus_infinity(results):
    """Pooling an all-negative input with padding=1 never keeps a padded 0."""
    assert results["negative_padding_max"] < 0


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
    assert mean_max > mean_avg and mean_max > mean_input  # what exercise 04.4 asks to explain
    assert abs(mean_avg - mean_input) < 0.05 and 0 <= mean_input <= 1


def test_tutorial_reasons_are_measured(results):
    """(1) MaxPool2d(2) leaves a quarter of the memory; (2) it widens the receptive field of the next conv."""
    before, after = results["megabytes_before_after"]
    assert before == pytest.approx(64 * 32 * 32 * 32 * 4 / 1e6) and after * 4 == pytest.approx(before)
    fields = results["receptive_fields"]
    single, double, pooled = (fields[name] for name in
                              ("conv 5x5", "conv 5x5, conv 5x5", "conv 5x5, MaxPool2d(2), conv 5x5"))
    assert single == [5, 5]
    assert double == [5 + 4, 5 + 4]  # a second 5x5 kernel adds 2 pixels on each side
    assert pooled == [5 + 1 + 2 * 4, 5 + 1 + 2 * 4]  # after a 2x2 pooling each kernel step spans 2 pixels
    assert pooled[0] > double[0]


def test_figures_show_real_classes(output):
    outputs = notebook_outputs(output)
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 2  # the windows on the 5x5 input, the pooled photos
    assert any("with 16 Axes" in "".join(o["data"].get("text/plain", "")) for o in pngs)  # 4 images x 4 columns
    assert '"output_type": "error"' not in json.dumps(outputs)


def test_stored_lesson_is_grounded():
    """No claim the notes do not support (the misspelling `ceil_model`), no lesson-defined copy of show_columns."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    source = json.dumps(cells, ensure_ascii=False)
    assert "ceil_model" not in source and "def show_side_by_side" not in source
    assert "show_columns(" in source
    assert "防止过拟合或欠拟合" in source  # the third reason is quoted as the tutorial's claim
    text = stream_text(NOTEBOOK)
    assert "ImageFolder 600 test images" in text


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("04.1", "04.2", "04.3", "04.4"):
        assert not_answered(output, id) in text


def test_tensorboard_images_logged(results):
    steps = ci_parameters(NOTEBOOK, "cpu")["max_batches"]
    assert results["tb_steps"] == steps
    events = tensorboard_events(NAME, results)  # the run folder the lesson's SummaryWriter wrote
    assert set(events.Tags()["images"]) >= {"input", "output"}
    inputs, outputs = events.Images("input"), events.Images("output")
    assert [e.step for e in inputs] == [e.step for e in outputs] == list(range(steps))
    # the pooled grid is a third of the input grid: 10x10 images instead of 32x32
    first_input, first_output = inputs[0], outputs[0]
    assert first_output.width * 3 <= first_input.width and first_output.height * 3 <= first_input.height


def test_next_cell_does_not_call_max_pooling_linear_or_value_preserving():
    """Lesson 05 measures MaxPool2d(2) as the least linear part of the model: 04 says it is not linear."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    next_cell = "".join(next(c["source"] for c in cells if "".join(c["source"]).startswith("## Next")))
    assert "never changes a value" not in next_cell and "**not** linear" in next_cell


def test_exercises_refuse_shortcuts():
    """04.2 forbids PyTorch's pooling (a wrapper gives the right numbers but is refused); 04.3 is a
    prediction, so the right numbers computed by a layer (a tensor) are refused, typed ones accepted."""
    import importlib.util

    from utils.exercises import verdict
    from utils.i18n import set_language

    spec = importlib.util.spec_from_file_location("solutions_lesson03", REPO_ROOT / "solutions" / "lesson04.py")
    solutions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(solutions)
    x = torch.randn(7, 8)
    for shortcut in (solutions._wraps_max_pool2d, solutions._wraps_max_pool_layer):
        assert torch.equal(shortcut(x, 3, ceil_mode=True), nn.MaxPool2d(3, ceil_mode=True)(x[None, None])[0, 0])
        ok, problem = verdict("04.2", shortcut)
        assert ok is False and "PyTorch's own pooling" in problem
        set_language("zh")
        assert "PyTorch 自带的池化" in verdict("04.2", shortcut)[1]
        set_language("en")
    assert verdict("04.2", solutions.my_max_pool2d) == (True, "")
    computed = nn.MaxPool2d(2)(solutions.TUTORIAL_INPUT.reshape(1, 1, 5, 5))
    assert computed[0, 0].tolist() == [[2, 3], [5, 3]]
    assert verdict("04.3", [[2, 3], [5, 3]]) == (True, "")
    ok, problem = verdict("04.3", computed)
    assert ok is False and "prediction" in problem
