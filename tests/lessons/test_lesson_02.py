"""02_module: the numbers, shapes, figures and TensorBoard logs the lesson produces (papermill, CI parameters)."""
from __future__ import annotations

import json

from helpers import tensorboard_events, not_answered, REPO_ROOT, notebook_outputs, stream_text

NAME = "02_module"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"


def test_documentation_example_runs(results, output):
    # conv1 = Conv2d(1, 20, 5) and conv2 = Conv2d(20, 20, 5) without padding: 32 -> 28 -> 24
    assert results["doc_output_shape"] == [1, 20, 24, 24]
    assert results["doc_min_after_relu"] == 0.0  # F.relu: nothing below 0, and some values clipped to 0
    assert results["seq_output_shape"] == [1, 64, 24, 24]  # the tutorial's Sequential example: 64 channels
    text = stream_text(output)
    assert "Model(\n  (conv1): Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1))" in text
    assert "(relu1): ReLU()" in text  # the OrderedDict example names its layers


def test_torch_nn_overview_maps_families_to_lessons():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    overview = next("".join(c["source"]) for c in cells
                    if c["cell_type"] == "markdown" and "Convolution Layers" in "".join(c["source"]))
    for family in ("Containers", "Convolution Layers", "Pooling Layers", "Padding Layers", "Non-linear Activations",
                   "Normalization Layers", "Recurrent Layers", "Transformer Layers", "Linear Layers",
                   "Dropout Layers", "Distance Functions", "Loss Functions"):
        assert family in overview, family
    lessons = {nb.name[:2] for nb in (REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    for lesson in ("03", "04", "05", "06", "07"):
        assert lesson in lessons and f"{lesson} · " in overview


def test_module_basics(results):
    assert results["plus_one"] == 2.0


def test_the_three_models_are_one_model(results):
    assert results["output_shape"] == [64, 10]
    assert results["same_outputs"] is True
    assert results["counts_agree"] is True
    assert results["num_parameters"] == 145_578


def test_shape_table(results):
    assert results["table_shapes"] == [[32, 32, 32], [32, 16, 16], [32, 16, 16], [32, 8, 8], [64, 8, 8],
                                       [64, 4, 4], [1024], [64], [10]]
    assert results["spatial_sizes"] == [32, 16, 16, 8, 8, 4]
    assert results["flatten_size"] == 1024


def test_real_images_and_figures(results, output):
    assert results["real_output_shape"] == [64, 10]
    assert 0.1 <= results["max_untrained_probability"] < 0.3  # untrained: about 1/10 per class
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 2  # input images, class probabilities


def test_super_init_error_is_shown(output):
    text = stream_text(output)
    assert "AttributeError: cannot assign module before Module.__init__() call" in text
    assert '"output_type": "error"' not in json.dumps(notebook_outputs(output))


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("02.1", "02.2", "02.3", "02.4"):
        assert not_answered(output, id) in text


def test_tensorboard_graph_and_images(results):
    events = tensorboard_events(NAME, results)
    tags = events.Tags()
    assert tags["graph"] is True
    assert "input" in tags["images"]
    graph = events.Graph()
    ops = " ".join(node.name for node in graph.node)
    assert "Conv2d" in ops and "Linear" in ops
