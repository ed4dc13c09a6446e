"""09_pretrained: VGG16 built, run on CIFAR-10 photos and modified two ways; weights=; reused layers against from scratch."""
from __future__ import annotations

import json
import re

import pytest

from helpers import REPO_ROOT, ci_parameters, edition, not_answered, notebook_outputs, pick, stored_notebooks, stream_text

pytestmark = pytest.mark.notebook

NAME = "09_pretrained"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
VGG16_PARAMS = 138_357_544  # torchvision's own count (VGG16_Weights.IMAGENET1K_V1.meta["num_params"])


def test_vgg16_counts_and_shapes(results):
    assert results["vgg16_children"] == ["features", "avgpool", "classifier"]
    assert results["vgg16_params"] == VGG16_PARAMS
    assert results["vgg16_params_added"] - VGG16_PARAMS == 1000 * 10 + 10  # Linear(1000, 10) appended
    assert VGG16_PARAMS - results["vgg16_params_replaced"] == (4096 * 1000 + 1000) - (4096 * 10 + 10)
    assert results["classifier_added"][-1] == "Linear" and len(results["classifier_added"]) == 8
    assert results["last_layer_replaced"] == "Linear(in_features=4096, out_features=10, bias=True)"


def test_a_cifar10_batch_goes_through(results):
    assert results["feature_shape"] == [4, 512, 1, 1]  # five poolings: 32 -> 1
    assert results["pooled_shape"] == [4, 512, 7, 7]  # AdaptiveAvgPool2d((7, 7)) whatever comes in
    assert results["output_shape"] == [4, 1000]
    assert results["output_added_shape"] == results["output_replaced_shape"] == [4, 10]


def test_weights_api_without_a_download(results):
    assert any("'pretrained' is deprecated" in w for w in results["pretrained_warnings"])
    assert results["weights_url"].endswith("/vgg16-397923af.pth")
    assert 500 < results["weights_megabytes"] < 560
    assert results["reload_identical"] is True


def test_transfer_experiment(results, output):
    params = ci_parameters(NOTEBOOK, "cpu")
    n_new = params.get("num_images", 30)
    assert results["pretrain_size"] == 5 * params.get("pretrain_images", 150)
    assert results["few_shot_size"] == 5 * n_new
    if results["data_source"] == "sample":
        assert results["new_test_size"] == 300 and results["new_test_labels"] == [60] * 5
    accs = [results["pretrained_accuracy"]] + results["reused_accuracies"] + results["scratch_accuracies"]
    assert len(accs) == 5 and all(0.0 <= a <= 1.0 for a in accs)
    gain = sum(results["reused_accuracies"]) / 2 - sum(results["scratch_accuracies"]) / 2
    assert results["mean_gain_points"] == pytest.approx(100 * gain, abs=0.01)
    assert pick(output, "difference:", "差距：") in stream_text(output)


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_stored_run_shows_reused_layers_winning_on_the_sample(stored):
    """The stored outputs come from the default parameters on the shipped sample: reused layers win, by how much."""
    text = stream_text(stored)
    assert pick(stored, "Data: the CIFAR-10 sample shipped in sample/cifar10", "数据：课程自带的 CIFAR-10 样本 sample/cifar10") in text
    diff = re.search(pick(stored, r"difference: +([+-]\d+\.\d) points", r"差距： *([+-]\d+\.\d) 个百分点"), text)
    assert diff and float(diff.group(1)) > 0, "the stored run must show the reused layers ahead"
    assert "138,357,544" in text and "134,301,514" in text and "138,367,554" in text
    first = re.search(pick(stored, r"test accuracy on the first five classes (\d+\.\d)%", r"在前五个类别上的测试准确率 (\d+\.\d)%"), text)
    assert first and float(first.group(1)) > 35, "the first network learns its five classes (chance: 20%)"


def test_figures_and_exercises(output):
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 3  # the VGG16 batch, the new classes, the result
    text = stream_text(output)
    for id in ("09.1", "09.2", "09.3"):
        assert not_answered(output, id) in text
    assert '"output_type": "error"' not in json.dumps(notebook_outputs(output))
