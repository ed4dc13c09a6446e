"""tools/make_sample.py: the shipped sample is rebuilt byte for byte from its source, splits disjoint."""
from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import tree
from tools import make_sample
from utils import load_cifar10
from utils.data import CIFAR10_CLASSES


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A fake source like the real one: train/<class>/<name>.jpg, 32x32, 6 images per class."""
    root = tmp_path_factory.mktemp("source")
    rng = np.random.default_rng(0)
    for name in CIFAR10_CLASSES:
        folder = root / "cifar10" / "train" / name
        folder.mkdir(parents=True)
        for i in range(6):
            Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(folder / f"{i:04d}.jpg", quality=90)
    (root / "cifar10" / "README.txt").write_text("not an image")
    return root


def build(source: Path, out: Path, *extra: str) -> int:
    return make_sample.main([str(source), "--out", str(out), "--train", "3", "--test", "2", *extra])


def test_the_same_source_gives_the_same_bytes(source, tmp_path, capsys):
    assert build(source, tmp_path / "a") == 0 and build(source, tmp_path / "b") == 0
    assert "wrote 30 training and 20 test images" in capsys.readouterr().out
    first = tree(tmp_path / "a")
    assert first == tree(tmp_path / "b") and len([k for k, v in first.items() if v is not None]) == 50
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"], "no staging folder is left behind"


def test_a_tar_source_gives_the_same_bytes_as_the_folder(source, tmp_path):
    archive = tmp_path / "source.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source / "cifar10", arcname="cifar10")
    assert build(source, tmp_path / "from-folder") == 0 and build(archive, tmp_path / "from-tar") == 0
    assert tree(tmp_path / "from-folder") == tree(tmp_path / "from-tar")


def test_layout_counts_and_disjoint_splits(source, tmp_path):
    out = tmp_path / "sample"
    assert build(source, out) == 0
    for split, count in (("train", 3), ("test", 2)):
        assert sorted(p.name for p in (out / split).iterdir()) == sorted(CIFAR10_CLASSES)
        assert all(len(list((out / split / name).glob("*.png"))) == count for name in CIFAR10_CLASSES)
    for name in CIFAR10_CLASSES:
        train = {p.stem for p in (out / "train" / name).iterdir()}
        test = {p.stem for p in (out / "test" / name).iterdir()}
        assert not train & test and train | test <= {f"{i:04d}" for i in range(6)}
    ds = load_cifar10(True, f"folder:{out}")
    assert ds.classes == list(CIFAR10_CLASSES) and len(ds) == 30


def test_png_keeps_the_decoded_pixels(source, tmp_path):
    out = tmp_path / "sample"
    assert build(source, out) == 0
    png = next((out / "test" / "cat").iterdir())
    with Image.open(source / "cifar10" / "train" / "cat" / f"{png.stem}.jpg") as jpg:
        assert np.array_equal(np.asarray(Image.open(png)), np.asarray(jpg.convert("RGB")))


def test_another_seed_would_draw_other_images(source, monkeypatch):
    found = make_sample.read_source(source)
    first = make_sample.draw(found, 3, 2)
    monkeypatch.setattr(make_sample, "SEED", make_sample.SEED + 1)
    assert make_sample.draw(found, 3, 2) != first


def test_an_existing_sample_is_replaced_only_with_force(source, tmp_path, capsys):
    out = tmp_path / "sample"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert build(source, out) == 2
    assert "exists already; pass --force" in capsys.readouterr().err and (out / "keep.txt").exists()
    assert build(source, out, "--force") == 0 and not (out / "keep.txt").exists()


@pytest.mark.parametrize("problem, message", [("too few", "6 images in the source; 9 are needed"),
                                              ("wrong size", "expected a 32x32 image")])
def test_a_bad_source_builds_nothing(source, tmp_path, capsys, problem, message):
    if problem == "wrong size":
        bad = tmp_path / "bad"
        for name in CIFAR10_CLASSES:
            (bad / "train" / name).mkdir(parents=True)
            for i in range(6):
                Image.new("RGB", (40, 40) if name == "truck" else (32, 32)).save(bad / "train" / name / f"{i}.jpg")
        code = build(bad, tmp_path / "out")
    else:
        code = make_sample.main([str(source), "--out", str(tmp_path / "out"), "--train", "5", "--test", "4"])
    assert code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
