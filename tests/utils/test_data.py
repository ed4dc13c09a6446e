"""utils.data: the three sources behind one interface, and every bad-input case."""
from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch.utils.data import DataLoader

from utils import SYNTHETIC_CLASSES, DataError, ImageDataset, load_cifar10, make_synthetic, resolve_source
from utils.data import CIFAR_DIR

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def snapshot(root: Path) -> dict[str, tuple[int, float]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime) for p in sorted(root.rglob("*"))}


def write_cifar(root: Path, per_batch: int = 4, rng=np.random.default_rng(0)) -> Path:
    """Write a tiny dataset in torchvision's CIFAR-10 python format."""
    folder = root / CIFAR_DIR
    folder.mkdir(parents=True)
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": CLASSES, "num_vis": 3072}, f)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        entry = {"data": rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8),
                 "labels": rng.integers(0, 10, per_batch).tolist(), "batch_label": name}
        with open(folder / name, "wb") as f:
            pickle.dump(entry, f)
    return folder


def write_folder(root: Path, classes=("cat", "dog"), per_class: int = 3, size=(32, 32)) -> Path:
    rng = np.random.default_rng(1)
    for split in ("train", "test"):
        for name in classes:
            d = root / split / name
            d.mkdir(parents=True)
            for i in range(per_class):
                suffix = ".png" if i % 2 == 0 else ".jpg"
                Image.fromarray(rng.integers(0, 256, (*size[::-1], 3), dtype=np.uint8)).save(d / f"{i}{suffix}")
    return root


# ------------------------------------------------------------------ synthetic
def test_synthetic_shapes_and_interface():
    train = load_cifar10(True, "synthetic", size=200)
    test = load_cifar10(False, "synthetic", size=50)
    assert isinstance(train, ImageDataset) and len(train) == 200 and len(test) == 50
    assert train.classes == list(SYNTHETIC_CLASSES)
    assert not set(train.classes) & set(CLASSES), "synthetic classes must not pretend to be CIFAR's"
    img, label = train[0]
    assert img.shape == (3, 32, 32) and img.dtype == torch.float32 and isinstance(label, int)
    assert 0 <= img.min() and img.max() <= 1
    imgs, targets = next(iter(DataLoader(train, batch_size=64)))
    assert imgs.shape == (64, 3, 32, 32) and targets.shape == (64,)
    assert train.source.kind == "synthetic"


def test_synthetic_is_deterministic_and_balanced():
    a, la = make_synthetic(300, seed=3)
    b, lb = make_synthetic(300, seed=3)
    c, _ = make_synthetic(300, seed=4)
    assert torch.equal(a, b) and la == lb
    assert not torch.equal(a, c)
    assert np.bincount(la).tolist() == [30] * 10
    train, test = load_cifar10(True, "synthetic", size=100), load_cifar10(False, "synthetic", size=100)
    assert not torch.equal(train.images, test.images), "train and test must be different images"


def test_synthetic_class_decides_the_picture():
    """Same-class images are more alike than other-class images (the task is learnable)."""
    images, labels = make_synthetic(1000, seed=0)
    feats = images.float().flatten(1)
    labels = torch.tensor(labels)
    means = torch.stack([feats[labels == c].mean(0) for c in range(10)])
    nearest = torch.cdist(feats, means).argmin(1)
    assert (nearest == labels).float().mean() > 0.3  # a nearest-class-mean classifier beats chance (0.1)


def test_transform_is_applied():
    ds = load_cifar10(True, "synthetic", size=20, transform=lambda x: x * 0 + 5)
    assert torch.all(ds[3][0] == 5)


# ------------------------------------------------------------------ real CIFAR-10 format
def test_cifar10_format(tmp_path):
    folder = write_cifar(tmp_path)
    train = load_cifar10(True, "cifar10", tmp_path)
    test = load_cifar10(False, "cifar10", tmp_path)
    assert len(train) == 20 and len(test) == 4 and train.classes == CLASSES
    raw = pickle.load(open(folder / "data_batch_1", "rb"))
    img, label = train[0]
    assert label == raw["labels"][0]
    expected = torch.from_numpy(raw["data"][0].reshape(3, 32, 32)).float() / 255
    assert torch.allclose(img, expected)


def test_auto_prefers_real_data(tmp_path):
    assert resolve_source("auto", tmp_path).kind == "synthetic"
    assert "no CIFAR-10" in resolve_source("auto", tmp_path).reason
    write_cifar(tmp_path)
    choice = resolve_source("auto", tmp_path)
    assert choice.kind == "cifar10" and "found" in str(choice)
    assert load_cifar10(True, "auto", tmp_path).classes == CLASSES


def test_cifar10_missing_says_where_to_put_it(tmp_path):
    with pytest.raises(DataError, match=r"no CIFAR-10 in .*cifar-10-batches-py.*data_batch_1"):
        load_cifar10(True, "cifar10", tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


def test_cifar10_incomplete_and_corrupt(tmp_path):
    folder = write_cifar(tmp_path)
    (folder / "data_batch_3").unlink()
    before = snapshot(tmp_path)
    with pytest.raises(DataError, match="incomplete .*missing data_batch_3"):
        load_cifar10(True, "cifar10", tmp_path)
    (folder / "test_batch").write_bytes(b"not a pickle")
    with pytest.raises(DataError, match="not a readable CIFAR-10 batch"):
        load_cifar10(False, "cifar10", tmp_path)
    with open(folder / "test_batch", "wb") as f:
        pickle.dump({"data": np.zeros((2, 100), np.uint8), "labels": [0, 1]}, f)
    with pytest.raises(DataError, match="3x32x32"):
        load_cifar10(False, "cifar10", tmp_path)
    with open(folder / "test_batch", "wb") as f:
        pickle.dump({"data": np.zeros((2, 3072), np.uint8), "labels": [0, 12]}, f)
    with pytest.raises(DataError, match="labels outside"):
        load_cifar10(False, "cifar10", tmp_path)
    assert snapshot(tmp_path).keys() == before.keys()


def test_download_fails_fast_without_network(tmp_path, monkeypatch):
    import time
    import torchvision

    def offline(*args, **kwargs):
        (tmp_path / "data" / "cifar-10-python.tar.gz").write_bytes(b"partial")
        raise OSError("Network is unreachable")

    monkeypatch.setattr(torchvision.datasets, "CIFAR10", offline)
    (tmp_path / "data").mkdir()
    start = time.time()
    with pytest.raises(DataError, match="could not download CIFAR-10.*data_batch_1"):
        load_cifar10(True, "cifar10", tmp_path / "data", download=True)
    assert time.time() - start < 30
    assert list((tmp_path / "data").iterdir()) == [], "a half download must not be left behind"


# ------------------------------------------------------------------ image folders
def test_folder_source(tmp_path):
    write_folder(tmp_path / "imgs")
    train = load_cifar10(True, f"folder:{tmp_path / 'imgs'}")
    test = load_cifar10(False, f"folder:{tmp_path / 'imgs'}")
    assert train.classes == ["cat", "dog"] and len(train) == 6 and len(test) == 6
    assert train.targets == [0, 0, 0, 1, 1, 1]
    png = np.array(Image.open(tmp_path / "imgs" / "train" / "cat" / "0.png"))
    assert torch.allclose(train[0][0], torch.from_numpy(png).permute(2, 0, 1).float() / 255)
    assert train.source.kind == "folder"


@pytest.mark.parametrize("breakage, message", [
    ("missing", "does not exist"),
    ("no_test", "has no test/ folder"),
    ("empty_class", "has no .png or .jpg images"),
    ("wrong_size", "is 40x30, not 32x32"),
    ("not_image", "not a readable image"),
    ("other_classes", "has class folders"),
])
def test_folder_bad_input(tmp_path, breakage, message):
    root = tmp_path / "imgs"
    if breakage != "missing":
        write_folder(root)
    if breakage == "no_test":
        for p in sorted((root / "test").rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        (root / "test").rmdir()
    elif breakage == "empty_class":
        for p in (root / "test" / "dog").iterdir():
            p.unlink()
    elif breakage == "wrong_size":
        Image.new("RGB", (40, 30)).save(root / "test" / "cat" / "big.png")
    elif breakage == "not_image":
        (root / "test" / "cat" / "broken.jpg").write_bytes(b"\x00garbage")
    elif breakage == "other_classes":
        (root / "test" / "dog").rename(root / "test" / "wolf")
    before = snapshot(tmp_path)
    with pytest.raises(DataError, match=message):
        load_cifar10(False, f"folder:{root}")
    assert snapshot(tmp_path) == before, "bad input must not change anything on disk"


@pytest.mark.parametrize("source, message", [
    ("imagenet", "unknown data_source 'imagenet'"),
    ("folder:", "needs a path"),
    (42, "must be a string"),
])
def test_unknown_sources(source, message):
    with pytest.raises(DataError, match=message):
        resolve_source(source)


def test_messages_are_one_line(tmp_path):
    for call in (lambda: load_cifar10(True, "cifar10", tmp_path),
                 lambda: load_cifar10(True, f"folder:{tmp_path}/x"),
                 lambda: resolve_source("bogus")):
        with pytest.raises(DataError) as info:
            call()
        assert "\n" not in str(info.value)
