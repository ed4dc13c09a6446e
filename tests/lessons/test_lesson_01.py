"""01_data: Dataset, TensorBoard, transforms, torchvision's datasets and the DataLoader (papermill, CI parameters)."""
from __future__ import annotations

import json
import math

import pytest

from helpers import (REPO_ROOT, ci_parameters, edition, not_answered, notebook_outputs, pick, stored_notebooks,
                     stream_text, tensorboard_events)
from utils import CIFAR10_CLASSES

pytestmark = pytest.mark.notebook

NAME = "01_data"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"


def test_my_dataset_reads_one_class_folder(results):
    # MyData always reads the shipped sample's PNG files (the full CIFAR-10 has none): 150 per class
    assert results["cat_images"] == results["dog_images"] == 150
    assert results["cat_item"] == ["PngImageFile", [32, 32], "cat"]  # a PIL image, opened in __getitem__, and its label


def test_adding_datasets(results):
    assert results["concat_size"] == 300  # the sum of the two lengths
    assert results["concat_labels"] == ["cat", "cat", "dog", "dog"]  # indices 0, 149, 150, 299
    assert results["concat_second_is_dog_0"] is True


def test_tensorboard_scalar_and_images_read_back(results):
    events = tensorboard_events(NAME, results)
    tags = events.Tags()
    points = [(e.step, e.value) for e in events.Scalars("y=2x")]
    assert points == [(i, 2.0 * i) for i in range(100)]  # add_scalar(tag, scalar_value, global_step)
    train = events.Images("train")
    assert [(e.step, e.width, e.height) for e in train] == [(1, 32, 32), (2, 32, 32)]  # HWC read as 32x32, not 3 wide
    batches = ci_parameters(NOTEBOOK, "cpu")["max_batches"]
    for epoch in range(2):
        assert [e.step for e in events.Images(f"Epoch: {epoch}")] == list(range(batches))
    assert {"train", "Epoch: 0", "Epoch: 1"} <= set(tags["images"])


def test_hwc_array_needs_dataformats(results, output):
    assert results["img_array_shape"] == [32, 32, 3]
    text = stream_text(output)
    assert pick(output, "without dataformats: TypeError", "不写 dataformats： TypeError") in text  # the default is CHW
    assert pick(output, "with dataformats='HWC': logged", "用 dataformats='HWC'：记录成功") in text


def test_to_tensor(results):
    assert results["to_tensor_shape"] == [3, 32, 32]
    assert results["to_tensor_dtype"] == "torch.float32"
    low, high = results["to_tensor_range"]
    assert 0.0 <= low < high <= 1.0 and high - low > 0.3  # a photo in [0, 1]
    assert results["to_tensor_is_bytes_over_255"] is True


def test_normalize_arithmetic(results):
    assert results["normalize_by_hand"] == pytest.approx(results["normalize_torch"], abs=1e-6)
    assert results["normalize_matches_formula"] is True  # (input - 0.5) / 0.5 everywhere
    low, high = results["normalized_range"]
    assert -1.0 <= low < high <= 1.0
    to_low, to_high = results["to_tensor_range"]
    assert low == pytest.approx(2 * to_low - 1, abs=1e-6) and high == pytest.approx(2 * to_high - 1, abs=1e-6)


def test_resize_compose_random_crop(results):
    assert results["resize_size"] == [64, 64]
    assert results["compose_shape"] == [3, 16, 16]  # Resize(16) keeps the square, ToTensor puts channels first
    assert results["crop_shapes"] == [[3, 24, 24]] * 5
    assert results["crops_all_different"] is True


def test_torchvision_dataset(results):
    assert results["classes"] == list(CIFAR10_CLASSES)
    assert results["first_item_shape"] == [3, 32, 32]
    if results["data_source"] == "sample":
        assert (results["train_size"], results["test_size"]) == (1500, 600)
    elif results["data_source"] == "cifar10":
        assert (results["train_size"], results["test_size"]) == (50_000, 10_000)


def test_batch_size_and_drop_last(results):
    n, size = results["test_size"], 64
    sizes, dropped = results["batch_sizes"], results["drop_last_sizes"]
    assert len(sizes) == math.ceil(n / size) and sizes[:-1] == [size] * (len(sizes) - 1)
    assert sizes[-1] == n - (len(sizes) - 1) * size and sum(sizes) == n
    assert dropped == sizes[:-1]  # drop_last=True drops the incomplete last batch, nothing else
    if results["data_source"] == "sample":
        assert (len(sizes), sizes[-1], len(dropped)) == (10, 24, 9)


def test_shuffle_changes_the_first_batch_between_epochs(results):
    assert results["unshuffled_same_first_batch"] is True
    assert results["shuffled_same_first_batch"] is False


def test_spawned_process_cannot_find_a_notebook_class(results):
    assert results["spawn_error"].startswith("AttributeError: Can't get attribute 'MyData'")


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_stored_outputs_show_the_sample(stored):
    text = stream_text(stored)
    assert pick(stored, "600 images, batch_size=64: 10 batches, the last one has 24 images",
                "600 张图像，batch_size=64：10 个批次，最后一个批次有 24 张图像") in text
    assert pick(stored, "ConcatDataset 300 = 150 + 150", "ConcatDataset 300 = 150 + 150") in text


def test_figures_show_real_images(output):
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 7  # one image, cats + dogs, Normalize, Resize, crops, two shuffled batches
    assert '"output_type": "error"' not in json.dumps(notebook_outputs(output))


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("01.1", "01.2", "01.3", "01.4"):
        assert not_answered(output, id) in text
