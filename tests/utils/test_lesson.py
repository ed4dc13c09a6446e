"""utils.lesson: check_parameters stops a wrong parameter with one line; find_cifar10 names the images a lesson uses."""
from __future__ import annotations

import re
from pathlib import Path

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


def vgg16_like(path: Path) -> Path:
    """A state_dict with VGG16's names and shapes, a few bytes big: each tensor one number, expanded (stride 0)."""
    import torch
    import torchvision

    with torch.device("meta"):
        shapes = {k: t.shape for k, t in torchvision.models.vgg16(weights=None).state_dict().items()}
    torch.save({k: torch.zeros(1).expand(shape) for k, shape in shapes.items()}, path)
    return path


def test_weights_file_is_empty_or_an_existing_file(tmp_path, monkeypatch):
    from utils import check_parameters
    from utils.errors import ParameterError
    from utils.i18n import set_language

    monkeypatch.chdir(tmp_path)
    vgg16_like(tmp_path / "vgg16.pth")
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


def md5s_of_torchvision(monkeypatch, folder: Path) -> Path:
    """Make torchvision's CIFAR10 (and so find_cifar10's check) take the tiny CIFAR-10 in ``folder`` for the real
    one: its MD5 lists become those of these files."""
    from torchvision.datasets import CIFAR10

    from helpers import md5_of

    monkeypatch.setattr(CIFAR10, "train_list", [[n, md5_of(folder / n)] for n, _ in CIFAR10.train_list])
    monkeypatch.setattr(CIFAR10, "test_list", [[n, md5_of(folder / n)] for n, _ in CIFAR10.test_list])
    monkeypatch.setattr(CIFAR10, "meta", {**CIFAR10.meta, "md5": md5_of(folder / CIFAR10.meta["filename"])})
    return folder


def test_find_cifar10_names_the_source_and_an_absolute_folder(tmp_path, capsys, monkeypatch):
    from utils import find_cifar10
    from utils.data import SAMPLE_DIR
    from utils.errors import DataError

    kind, path = find_cifar10("auto", tmp_path / "nothing-installed")
    assert (kind, path) == ("sample", str(SAMPLE_DIR))
    assert capsys.readouterr().out.startswith("Data: the CIFAR-10 sample")
    md5s_of_torchvision(monkeypatch, write_cifar(tmp_path))
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


# ----------------------------------------------------------------------------- issue 29, item 7: the lessons' inputs
def ten_class_folder(root: Path, size: int = 32) -> Path:
    """A ``folder:`` source of CIFAR-10's ten classes, one training and one test image each (real PNGs)."""
    import numpy as np
    from PIL import Image

    from utils.data import CIFAR10_CLASSES

    rng = np.random.default_rng(0)
    for split in ("train", "test"):
        for name in CIFAR10_CLASSES:
            (root / split / name).mkdir(parents=True)
            Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8)).save(root / split / name / "0.png")
    return root


def breakage(root: Path, kind: str) -> None:
    """Make one of the folders a careless or unlucky learner has."""
    import os

    import numpy as np
    from PIL import Image

    cat = root / "train" / "cat"
    if kind == "empty file":
        (cat / "empty.png").write_bytes(b"")
    elif kind == "macOS ._ file":
        (cat / "._0.png").write_bytes(b"\0\5\26\7\0\2\0\0Mac OS X")
    elif kind == "one 64x64 image":
        Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(cat / "big.png")
    elif kind == "all 64x64":
        for image in root.rglob("*.png"):
            Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(image)
    elif kind == "empty class":
        (root / "test" / "dog" / "0.png").unlink()
    elif kind == "Jupyter checkpoints":
        (root / "train" / ".ipynb_checkpoints").mkdir()
    elif kind == "pipe":
        os.mkfifo(cat / "pipe.png")
    elif kind == "cut-short png":
        (cat / "cut.png").write_bytes((cat / "0.png").read_bytes()[:60])


FOLDER_CASES = {
    "empty file": ["train/cat/empty.png is not a readable image"],
    "macOS ._ file": ["train/cat/._0.png is a hidden file", "ImageFolder", "delete it"],
    "one 64x64 image": ["train/cat/big.png is 64x64, not 32x32"],
    "all 64x64": ["is 64x64, not 32x32", "resize"],
    "empty class": ["test/dog has no .png or .jpg images"],
    "Jupyter checkpoints": ["train/.ipynb_checkpoints is a hidden folder", "take it for a class"],
    "pipe": ["train/cat/pipe.png is not an image file"],
    "cut-short png": ["train/cat/cut.png is not a readable image"],
}


@pytest.mark.parametrize("kind", list(FOLDER_CASES))
def test_find_cifar10_checks_a_folder_as_imagefolder_will_read_it(tmp_path, capsys, kind):
    """Issue 29, item 7: these folders got past the set-up cell and failed later inside torchvision or the model
    (UnidentifiedImageError, a stack RuntimeError, mat1 and mat2 shapes, FileNotFoundError, "11 classes")."""
    import os

    from utils import find_cifar10
    from utils.errors import DataError

    if kind == "pipe" and not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    root = ten_class_folder(tmp_path / "images")
    assert find_cifar10(f"folder:{root}", "data") == ("folder", str(root))  # the good folder passes
    capsys.readouterr()
    breakage(root, kind)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(DataError) as caught:
        find_cifar10(f"folder:{root}", "data")
    message = str(caught.value)
    assert "\n" not in message and all(w in message for w in FOLDER_CASES[kind]), message
    assert "11 classes" not in message
    assert capsys.readouterr().out == "" and sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_hidden_files_imagefolder_skips_are_no_problem(tmp_path, capsys):
    from utils import find_cifar10

    root = ten_class_folder(tmp_path / "images")
    (root / "train" / "cat" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # no image suffix: ImageFolder skips it
    assert find_cifar10(f"folder:{root}", "data")[0] == "folder"


def test_a_damaged_installed_cifar10_says_what_to_do_offline(tmp_path, capsys, monkeypatch):
    """Issue 29, item 7: a truncated data_batch_1 got torchvision's "Dataset not found or corrupted. You can use
    download=True", advice that needs a network; the set-up cell now says how to install it again from an archive."""
    from utils import find_cifar10
    from utils.errors import DataError
    from utils.i18n import set_language

    folder = md5s_of_torchvision(monkeypatch, write_cifar(tmp_path))
    assert find_cifar10("auto", tmp_path)[0] == "cifar10"
    capsys.readouterr()
    batch = folder / "data_batch_1"
    batch.write_bytes(batch.read_bytes()[:1000])  # a copy cut short
    with pytest.raises(DataError) as caught:
        find_cifar10("auto", tmp_path)
    message = str(caught.value)
    assert "\n" not in message and "data_batch_1" in message and "damaged" in message
    assert "make data ARCHIVE=" in message and "download=True" not in message
    (folder / "test_batch").unlink()
    with pytest.raises(DataError, match=r"incomplete \(missing test_batch\)"):
        find_cifar10("cifar10", tmp_path)
    try:
        with pytest.raises(DataError, match="不完整"):
            set_language("zh")
            find_cifar10("cifar10", tmp_path)
    finally:
        set_language("en")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("where", ["a file", "inside a file", "a name too long"])
def test_a_log_dir_that_cannot_hold_runs_is_one_line(tmp_path, monkeypatch, where):
    """Issue 29, item 7: log_dir naming a file (or lying in one) ended in NotADirectoryError, 95 lines."""
    from utils import check_parameters
    from utils.errors import ParameterError

    monkeypatch.chdir(tmp_path)
    (tmp_path / "logs.txt").write_text("my notes")
    value = {"a file": "logs.txt", "inside a file": "logs.txt/runs", "a name too long": "x" * 300}[where]
    with pytest.raises(ParameterError) as caught:
        check_parameters(log_dir=value)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"log_dir={value!r} cannot hold TensorBoard runs")
    assert ("is a file" in message) if where != "a name too long" else ("too long" in message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logs.txt"]
    check_parameters(log_dir="logs")  # a folder still to be made is fine: nothing is made yet
    assert not (tmp_path / "logs").exists()


def test_a_log_dir_in_a_read_only_folder_is_one_line(read_only_folder, monkeypatch):
    from utils import check_parameters
    from utils.errors import ParameterError

    monkeypatch.chdir(read_only_folder)
    with pytest.raises(ParameterError) as caught:
        check_parameters(log_dir="logs")
    assert "cannot be written" in str(caught.value) and "log_dir='logs'" in str(caught.value)


@pytest.mark.parametrize("kind, words", [
    ("cut short", ["cannot be loaded with torch.load", "cut short"]),
    ("another model", ["holds no VGG16 weights", "missing", "features.0.weight"]),
    ("a last layer of 10 classes", ["classifier.6.weight has the shape [10, 4096]", "[1000, 4096]"]),
    ("a whole model", ["cannot be loaded with torch.load"]),
    ("not a torch file", ["cannot be loaded with torch.load"]),
])
def test_a_weights_file_that_is_no_vgg16_state_dict_is_one_line(tmp_path, monkeypatch, kind, words):
    """Issue 29, item 7: a truncated or wrong-model weights_file got past the set-up cell and failed in lesson 09's
    load_state_dict with a RuntimeError; it is now checked, cheaply, as the lesson will load it."""
    from utils import Tudui, check_parameters
    from utils.errors import ParameterError

    monkeypatch.chdir(tmp_path)
    path = vgg16_like(tmp_path / "vgg16.pth")
    if kind == "cut short":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "another model":
        torch.save(Tudui().state_dict(), path)
    elif kind == "a last layer of 10 classes":
        state = torch.load(path, weights_only=True)
        state["classifier.6.weight"], state["classifier.6.bias"] = torch.zeros(10, 4096), torch.zeros(10)
        torch.save(state, path)
    elif kind == "a whole model":
        torch.save(Tudui(), path)  # torch.save(model): weights_only=True refuses it, as the lesson's load would
    else:
        path.write_text("<html>the download page, saved by mistake</html>")
    with pytest.raises(ParameterError) as caught:
        check_parameters(weights_file="vgg16.pth")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("weights_file='vgg16.pth'") and all(w in message for w in words)


def test_epochs_written_another_way_says_that_auto_is_allowed():
    """Issue 29, item 8: epochs='Auto' was refused without saying that "auto" is allowed."""
    from utils import check_parameters
    from utils.errors import ParameterError
    from utils.i18n import set_language

    check_parameters(epochs="auto", final_epochs=3)
    with pytest.raises(ParameterError) as caught:
        check_parameters(epochs="Auto")
    assert str(caught.value) == ("epochs must be a whole number from 1 to 200 or 'auto' (got 'Auto'); "
                                 "fix the parameters cell or the -p option.")
    try:
        with pytest.raises(ParameterError, match="或者 'auto'"):
            check_parameters(final_epochs=0, language="zh")
    finally:
        set_language("en")
