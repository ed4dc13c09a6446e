"""01_module: the numbers, shapes, figures and TensorBoard logs the lesson produces (papermill, CI parameters)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from utils import read_results
from helpers import notebook_outputs, stream_text


def test_module_basics(executed):
    results = read_results(executed("01_module"))
    assert results["plus_one"] == 2.0


def test_the_three_models_are_one_model(executed):
    results = read_results(executed("01_module"))
    assert results["output_shape"] == [64, 10]
    assert results["same_outputs"] is True
    assert results["num_parameters"] == 145_578


def test_shape_table_and_formula(executed):
    results = read_results(executed("01_module"))
    assert results["table_shapes"] == [[32, 32, 32], [32, 16, 16], [32, 16, 16], [32, 8, 8], [64, 8, 8],
                                       [64, 4, 4], [1024], [64], [10]]
    assert results["spatial_sizes"] == [32, 16, 16, 8, 8, 4]
    assert results["formula_matches"] is True
    assert results["flatten_size"] == 1024


def test_real_images_and_figures(executed):
    out = executed("01_module")
    results = read_results(out)
    assert results["real_output_shape"] == [64, 10]
    assert 0.1 <= results["max_untrained_probability"] < 0.3  # untrained: about 1/10 per class
    pngs = [o for o in notebook_outputs(out) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 3  # input images, class probabilities, one image through the layers


def test_super_init_error_is_shown(executed):
    text = stream_text(executed("01_module"))
    assert "AttributeError: cannot assign module before Module.__init__() call" in text
    assert '"output_type": "error"' not in json.dumps(notebook_outputs(executed("01_module")))


def test_tensorboard_graph_and_images(executed):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    run = Path(os.environ["COURSE_RUNS_DIR"]) / "01_module" / read_results(executed("01_module"))["run_folder"]
    assert any(p.name.startswith("events.out.tfevents") for p in run.iterdir())
    events = EventAccumulator(str(run))
    events.Reload()
    tags = events.Tags()
    assert tags["graph"] is True
    assert "input" in tags["images"]
    graph = events.Graph()
    ops = " ".join(node.name for node in graph.node)
    assert "Conv2d" in ops and "Linear" in ops
