"""00_setup: GPU diagnosis, the data the lessons use, images as tensors (papermill, CI parameters)."""
from __future__ import annotations

import json

import pytest

from helpers import edition, not_answered, pick, REPO_ROOT, stored_notebooks, ci_parameters, notebook_outputs, stream_text
from utils import CIFAR10_CLASSES, gpu_diagnosis

NAME = "00_setup"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"


def test_gpu_diagnosis_is_this_machines(results, output):
    """The lesson prints utils.gpu_diagnosis(): one line, the same this test process gets."""
    from utils.i18n import set_language

    line = results["gpu_diagnosis"]
    set_language(edition(output))
    assert line == gpu_diagnosis()
    assert line.startswith(pick(output, "GPU: ", "GPU：")) and "\n" not in line
    assert line in stream_text(output)


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_stored_outputs_show_a_diagnosis_and_the_sample(stored):
    text = stream_text(stored)
    gpu = pick(stored, "GPU: ", "GPU：")  # utils.gpu_diagnosis() speaks the edition's language
    assert f"\n{gpu}" in text or text.startswith(gpu)
    assert pick(stored, "Data: the CIFAR-10 sample shipped in sample/cifar10",
                "数据：课程自带的 CIFAR-10 样本 sample/cifar10") in text
    assert pick(stored, "ImageFolder 1500 training images, 600 test images", "ImageFolder 1500 张训练图像， 600 张测试图像") in text


def test_dataset_sizes_and_classes(results):
    assert results["classes"] == list(CIFAR10_CLASSES)
    train, test = results["train_per_class"], results["test_per_class"]
    assert sum(train) == results["train_size"] and sum(test) == results["test_size"]
    if results["data_source"] == "sample":  # counted from the shipped PNG files
        assert train == [150] * 10 and test == [60] * 10
        assert results["stored_megabytes"] == 1500 * 3 * 32 * 32 / 1e6  # uint8: one byte per value
    elif results["data_source"] == "cifar10":
        assert train == [5000] * 10 and test == [1000] * 10


def test_images_are_real_tensors_in_0_1(results):
    assert results["image_shape"] == [3, 32, 32]
    low, high = results["image_range"]
    assert 0.0 <= low < high <= 1.0 and high - low > 0.3  # a photo, not a blank image
    assert results["png_shape"] == [32, 32, 3]  # a decoded file is H x W x C; ToTensor makes it C x H x W
    assert results["batch_shape"] == [64, 3, 32, 32]


def test_unshuffled_first_batch_follows_the_dataset_order(results):
    first = results["first_test_batch"]
    assert sum(first.values()) == 64
    if results["data_source"] == "sample":  # read class folder by class folder: 60 airplanes, then automobiles
        assert first == {"airplane": 60, "automobile": 4}


def test_figures_show_class_names(output):
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 2  # shuffled training batch, unshuffled test batch
    figures = " ".join("".join(o["data"].get("text/plain", "")) for o in pngs)
    assert f"with {ci_parameters(NOTEBOOK, 'cpu')['num_images']} Axes" in figures  # num_images is honoured


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("00.1", "00.2", "00.3"):
        assert not_answered(output, id) in text
    assert '"output_type": "error"' not in json.dumps(notebook_outputs(output))


def test_the_chinese_run_shows_no_english_course_message(executed):
    """The 中文版, run with CI parameters: no course message that has a Chinese version comes out in English."""
    from helpers import english_course_messages, stream_text

    run = executed(NAME, edition="zh")
    assert english_course_messages(run) == []
    assert any("\u4e00" <= ch <= "\u9fff" for ch in stream_text(run))
