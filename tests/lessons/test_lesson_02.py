"""02_convolution: the tutorial's numbers, shapes, figures and TensorBoard logs (papermill, CI parameters)."""
from __future__ import annotations

import os
from pathlib import Path

from utils import read_results
from helpers import notebook_outputs


def test_tutorial_conv2d_numbers(executed):
    results = read_results(executed("02_convolution"))
    assert results["stride1"] == [[10, 12, 12], [18, 16, 16], [13, 9, 3]]
    assert results["stride2"] == [[10, 12], [13, 3]]
    assert results["padding1"] == [[1, 3, 4, 10, 8], [5, 10, 12, 12, 6], [7, 18, 16, 16, 8],
                                   [11, 13, 9, 3, 4], [14, 13, 9, 7, 4]]
    assert results["dilation2"] == [[7]]
    assert results["by_hand_matches"] is True


def test_formula_and_padding(executed):
    results = read_results(executed("02_convolution"))
    assert results["formula_matches"] is True
    assert results["reflect_matches"] is True


def test_conv2d_on_images(executed):
    results = read_results(executed("02_convolution"))
    assert results["imgs_shape"] == [64, 3, 32, 32]
    assert results["output_shape"] == [64, 6, 30, 30]
    assert results["output_size_by_formula"] == 30
    assert results["real_by_hand_close"] is True
    assert results["reshaped_shape"] == [128, 3, 30, 30]


def test_figures_and_shown_error(executed):
    outputs = notebook_outputs(executed("02_convolution"))
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 6  # window, padding, padding layers, inputs, feature maps, reshaped outputs
    text = "".join("".join(o.get("text", "")) for o in outputs if o.get("output_type") == "stream")
    assert "AssertionError:" in text and "3 channels" in text  # add_images refuses 6 channels


def test_tensorboard_images_per_step(executed):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    results = read_results(executed("02_convolution"))
    assert results["logged_steps"] == 2  # max_batches in tests/ci_parameters.yaml
    run = Path(os.environ["COURSE_RUNS_DIR"]) / "02_convolution" / results["run_folder"]
    events = EventAccumulator(str(run), size_guidance={"images": 0})
    events.Reload()
    assert events.Tags()["graph"] is True
    assert [e.step for e in events.Images("input")] == [0, 1]
    assert [e.step for e in events.Images("output")] == [0, 1]
