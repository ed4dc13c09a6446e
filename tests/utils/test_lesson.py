"""utils.lesson: check_parameters stops a wrong parameter with one line; find_cifar10 names the images a lesson uses."""
from __future__ import annotations

import re

import pytest
import torch

from utils.i18n import language
from helpers import write_cifar

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_check_parameters_accepts_good_values_and_names_the_wrong_one():
    from utils import check_parameters
    from utils.errors import DataError, DeviceError, ParameterError

    check_parameters(device="cpu", data_source="sample", data_root="data", seed=0, batch_size=64, num_images=8,
                     epochs="auto", progress=True, limits={"num_images": (1, 64)})
    for kwargs, error, name in [({"seed": -1}, ParameterError, "seed"), ({"batch_size": 0}, ParameterError, "batch_size"),
                                ({"progress": "yes"}, ParameterError, "progress"), ({"epochs": "many"}, ParameterError, "epochs"),
                                ({"device": "gpu"}, DeviceError, "device"), ({"data_source": "imagenet"}, DataError, "data_source"),
                                ({"num_images": 65, "limits": {"num_images": (1, 64)}}, ParameterError, "num_images")]:
        with pytest.raises(error, match=name) as caught:
            check_parameters(**kwargs)
        assert "\n" not in str(caught.value)
    with pytest.raises(TypeError, match="no parameter 'batchsize'"):
        check_parameters(batchsize=32)


def test_weights_file_is_empty_or_an_existing_file(tmp_path, monkeypatch):
    from utils import check_parameters
    from utils.errors import ParameterError
    from utils.i18n import set_language

    monkeypatch.chdir(tmp_path)
    (tmp_path / "vgg16.pth").write_bytes(b"")
    check_parameters(weights_file="")  # empty: nothing to load
    check_parameters(weights_file="vgg16.pth")  # relative to the notebook's folder (the working directory)
    check_parameters(weights_file=str(tmp_path / "vgg16.pth"), pretrain_images=150, pretrain_epochs=8)
    for value, words in [("missing.pth", ["weights_file='missing.pth'", "no such file", 'weights_file = ""']),
                         (str(tmp_path), ["no such file"]), (3, ["weights_file must be a text"])]:
        with pytest.raises(ParameterError) as caught:
            check_parameters(weights_file=value)
        assert all(w in str(caught.value) for w in words) and "\n" not in str(caught.value)
    try:
        with pytest.raises(ParameterError, match="没有这个文件"):
            check_parameters(weights_file="missing.pth", language="zh")
    finally:
        set_language("en")
    for name in ("pretrain_images", "pretrain_epochs"):
        with pytest.raises(ParameterError, match=name):
            check_parameters(**{name: 0})


def test_check_parameters_sets_the_language():
    from utils import check_parameters
    from utils.i18n import language

    check_parameters(language="zh", seed=1)
    assert language() == "zh"


def test_find_cifar10_names_the_source_and_an_absolute_folder(tmp_path, capsys):
    from utils import find_cifar10
    from utils.data import SAMPLE_DIR
    from utils.errors import DataError

    kind, path = find_cifar10("auto", tmp_path / "nothing-installed")
    assert (kind, path) == ("sample", str(SAMPLE_DIR))
    assert capsys.readouterr().out.startswith("Data: the CIFAR-10 sample")
    write_cifar(tmp_path)
    kind, path = find_cifar10("auto", tmp_path)
    assert (kind, path) == ("cifar10", str(tmp_path))  # torchvision's root: the folder holding cifar-10-batches-py
    assert find_cifar10(f"folder:{SAMPLE_DIR}", "data") == ("folder", str(SAMPLE_DIR))
    with pytest.raises(DataError, match="does not exist"):
        find_cifar10(f"folder:{tmp_path / 'absent'}", "data")
    with pytest.raises(DataError, match="unit tests"):
        find_cifar10("synthetic", "data")


@pytest.mark.parametrize("count", [3, 12])
def test_find_cifar10_refuses_a_folder_whose_class_count_is_not_ten_before_anything_is_written(tmp_path, capsys, count):
    """Issue 23, item 1: the lessons' models have 10 outputs, so a 12-class folder ended in PyTorch's
    ``IndexError: Target 11 is out of bounds`` (and a 3-class one trained a model with 7 unused outputs).
    Now the set-up cell stops with one line, before any SummaryWriter or checkpoint exists."""
    from utils import find_cifar10
    from utils.errors import DataError

    for split in ("train", "test"):
        for i in range(count):
            (tmp_path / "images" / split / f"class{i:02d}").mkdir(parents=True)
    before = sorted(p for p in tmp_path.rglob("*"))
    with pytest.raises(DataError) as raised:
        find_cifar10(f"folder:{tmp_path / 'images'}", "data")
    message = str(raised.value)
    assert "\n" not in message and f"has {count} classes" in message and "scripts/train.py" in message
    assert capsys.readouterr().out == ""  # no Data line for data that will not be used
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written
