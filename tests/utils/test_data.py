"""utils.data: the sources behind one interface, how "auto" decides, the shipped sample, bad input."""
from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch.utils.data import DataLoader

from helpers import tree, write_cifar
from utils import (CIFAR10_CLASSES, CourseError, DataError, DataSource, ImageDataset, channel_stats, load_cifar10,
                   resolve_source)
from utils.data import CIFAR_DIR, SAMPLE_DIR, check_source
from utils.synthetic import SYNTHETIC_CLASSES

#: CIFAR-10's classes in torchvision's order (``torchvision.datasets.CIFAR10(...).classes``; label 0 is airplane).
TORCHVISION_ORDER = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

#: sha256 of the shipped sample: every file under sample/cifar10/, in sorted order of its path relative to
#: that folder, hashed as "<relative/posix/path>\0<bytes>".  When the sample is rebuilt ON PURPOSE
#: (python -m tools.make_sample, see sample/README.md), run
#:     .venv/bin/python -m pytest tests/utils/test_data.py -k checksum
#: which fails and prints the new value; paste it here, in the same commit as the new sample.
SAMPLE_SHA256 = "703f2f29f577f6107d886aee2785e802ae014b458d114f6353c6f4614bfe575c"
SAMPLE_COUNTS = {"train": 150, "test": 60}


def sample_checksum(folder: Path = SAMPLE_DIR) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


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


# ----------------------------------------------------------------------------- one interface
def test_synthetic_through_the_common_interface():
    train = load_cifar10(True, "synthetic", size=200)
    test = load_cifar10(False, "synthetic", size=50)
    assert isinstance(train, ImageDataset) and len(train) == 200 and len(test) == 50
    assert train.classes == list(SYNTHETIC_CLASSES) and train.source.kind == "synthetic" and not train.source.real
    img, label = train[0]
    assert img.shape == (3, 32, 32) and img.dtype == torch.float32 and isinstance(label, int)
    assert 0 <= img.min() and img.max() <= 1
    imgs, targets = next(iter(DataLoader(train, batch_size=64)))
    assert imgs.shape == (64, 3, 32, 32) and targets.shape == (64,)
    assert not torch.equal(train.images[:50], test.images), "train and test must be different images"
    assert repr(train) == "ImageDataset(synthetic, train, 200 images, 10 classes)"


def test_synthetic_size_and_seed():
    a, b = load_cifar10(True, "synthetic", size=20, seed=1), load_cifar10(True, "synthetic", size=20, seed=2)
    assert not torch.equal(a.images, b.images)
    with pytest.raises(CourseError, match="size must be"):
        load_cifar10(True, "synthetic", size=0)


def test_transform_is_applied_to_the_float_image():
    ds = load_cifar10(True, "synthetic", size=20, transform=lambda x: x * 0 + 5)
    assert torch.all(ds[3][0] == 5)
    assert ds.images.dtype == torch.uint8  # the stored images stay as they were


def test_channel_stats_for_uint8_and_float():
    images = torch.zeros(4, 3, 2, 2, dtype=torch.uint8)
    images[:, 1] = 255
    images[:2, 2] = 255
    mean, std = channel_stats(images)
    assert mean == pytest.approx([0.0, 1.0, 0.5]) and std[:2] == pytest.approx([0.0, 0.0])
    assert channel_stats(images.float() / 255) == (mean, std)


# ----------------------------------------------------------------------------- the full CIFAR-10 format
def test_cifar10_format(tmp_path):
    folder = write_cifar(tmp_path)
    train = load_cifar10(True, "cifar10", tmp_path)
    test = load_cifar10(False, "cifar10", tmp_path)
    assert len(train) == 20 and len(test) == 4 and train.classes == TORCHVISION_ORDER
    assert train.images.dtype == torch.uint8 and train.images.shape == (20, 3, 32, 32)
    with open(folder / "data_batch_1", "rb") as f:
        raw = pickle.load(f)
    img, label = train[0]
    assert label == raw["labels"][0]
    assert torch.equal(img, torch.from_numpy(raw["data"][0].reshape(3, 32, 32)).float() / 255)
    with open(folder / "data_batch_5", "rb") as f:
        assert train.targets[-4:] == pickle.load(f)["labels"]  # batches in order 1…5


def test_cifar10_missing_says_what_to_run(tmp_path):
    with pytest.raises(DataError, match=r"no CIFAR-10 in .*cifar-10-batches-py: run make data"):
        load_cifar10(True, "cifar10", tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


def test_cifar10_incomplete_and_corrupt(tmp_path):
    folder = write_cifar(tmp_path)
    (folder / "data_batch_3").unlink()
    with pytest.raises(DataError, match="incomplete .*missing data_batch_3"):
        load_cifar10(True, "cifar10", tmp_path)
    (folder / "test_batch").write_bytes(b"not a pickle")
    with pytest.raises(DataError, match="not a readable CIFAR-10 batch"):
        load_cifar10(False, "cifar10", tmp_path)
    for entry, message in [({"data": np.zeros((2, 100), np.uint8), "labels": [0, 1]}, "3x32x32"),
                           ({"data": np.zeros((2, 3072), np.uint8), "labels": [0]}, "3x32x32"),
                           ({"data": np.zeros((2, 3072), np.uint8), "labels": [0, 12]}, "labels outside"),
                           (["not", "a", "dict"], "is not a CIFAR-10 batch")]:
        with open(folder / "test_batch", "wb") as f:
            pickle.dump(entry, f)
        before = tree(tmp_path)
        with pytest.raises(DataError, match=message):
            load_cifar10(False, "cifar10", tmp_path)
        assert tree(tmp_path) == before, "reading must not change anything on disk"
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"num_vis": 3072}, f)
    with pytest.raises(DataError, match="has no label_names"):
        load_cifar10(False, "cifar10", tmp_path)


# ----------------------------------------------------------------------------- what "auto" means
def test_auto_takes_the_full_dataset_when_it_is_installed(tmp_path):
    write_cifar(tmp_path)
    choice = resolve_source("auto", tmp_path)
    assert choice == DataSource("cifar10", tmp_path / CIFAR_DIR, choice.reason) and "installed" in choice.reason
    assert load_cifar10(True, "auto", tmp_path).source.kind == "cifar10"
    assert "the full CIFAR-10" in str(choice)


@pytest.mark.parametrize("root", ["empty", "missing"])
def test_auto_takes_the_sample_otherwise(tmp_path, root):
    if root == "empty":
        (tmp_path / root).mkdir()
    choice = resolve_source("auto", tmp_path / root)
    assert choice.kind == "sample" and choice.path == SAMPLE_DIR
    assert "no full CIFAR-10" in choice.reason
    assert "make data" in str(choice)  # the data line says how to get all 60,000 images
    assert not (tmp_path / "missing").exists()


def test_sources_by_name(tmp_path):
    write_cifar(tmp_path)  # installed, but each name still means its own source
    assert resolve_source("sample", tmp_path).kind == "sample"
    assert resolve_source("synthetic", tmp_path).kind == "synthetic"
    assert resolve_source("cifar10", tmp_path).kind == "cifar10"
    folder = resolve_source(f"folder:{tmp_path / 'imgs'}", tmp_path)
    assert folder.kind == "folder" and folder.path == tmp_path / "imgs"
    assert resolve_source(" sample ", tmp_path).kind == "sample"
    assert resolve_source("folder:data/my-images").path == SAMPLE_DIR.parent.parent / "data" / "my-images"


@pytest.mark.parametrize("breakage", ["empty folder", "missing batch", "corrupt batch", "a file"])
def test_a_broken_install_is_an_error_not_a_fallback(tmp_path, breakage):
    if breakage == "a file":
        (tmp_path / CIFAR_DIR).write_text("not a folder")
    elif breakage == "empty folder":
        (tmp_path / CIFAR_DIR).mkdir()
    else:
        folder = write_cifar(tmp_path, skip=("test_batch",) if breakage == "missing batch" else ())
        if breakage == "corrupt batch":
            (folder / "data_batch_2").write_bytes(b"\x80\x04garbage")
    assert resolve_source("auto", tmp_path).kind == "cifar10"
    before = tree(tmp_path)
    with pytest.raises(DataError) as info:
        load_cifar10(True, "auto", tmp_path) and load_cifar10(False, "auto", tmp_path)
    assert "make data" in str(info.value) and "\n" not in str(info.value)
    assert tree(tmp_path) == before


# ----------------------------------------------------------------------------- the shipped sample
def sample_files(split: str) -> dict[str, list[Path]]:
    return {d.name: sorted(d.iterdir()) for d in sorted((SAMPLE_DIR / split).iterdir())}


def test_sample_layout_and_counts():
    assert sorted(p.name for p in SAMPLE_DIR.iterdir()) == ["test", "train"]
    for split, count in SAMPLE_COUNTS.items():
        files = sample_files(split)
        assert list(files) == sorted(TORCHVISION_ORDER) == TORCHVISION_ORDER  # alphabetical is torchvision's order
        assert {name: len(found) for name, found in files.items()} == {name: count for name in TORCHVISION_ORDER}
        assert all(f.suffix == ".png" and f.is_file() for found in files.values() for f in found)
    assert list(CIFAR10_CLASSES) == TORCHVISION_ORDER


def test_sample_images_are_32x32_rgb():
    for split in SAMPLE_COUNTS:
        for found in sample_files(split).values():
            for file in found:
                with Image.open(file) as img:
                    assert (img.format, img.mode, img.size) == ("PNG", "RGB", (32, 32)), file


def test_sample_splits_are_disjoint():
    train, test = sample_files("train"), sample_files("test")
    for name in TORCHVISION_ORDER:
        assert not {f.name for f in train[name]} & {f.name for f in test[name]}, name
    train_pixels = {bytes(img.numpy()) for img in load_cifar10(True, "sample").images}
    test_pixels = {bytes(img.numpy()) for img in load_cifar10(False, "sample").images}
    assert len(train_pixels) == 1500 and len(test_pixels) == 600, "the same picture twice within a split"
    assert not train_pixels & test_pixels, "the same picture in both splits"


@pytest.mark.parametrize("train, n", [(True, 1500), (False, 600)])
def test_auto_without_a_dataset_loads_the_sample(tmp_path, train, n):
    ds = load_cifar10(train, "auto", root=tmp_path)
    assert isinstance(ds, ImageDataset) and ds.source.kind == "sample" and ds.train is train
    assert ds.images.dtype == torch.uint8 and tuple(ds.images.shape) == (n, 3, 32, 32)
    assert ds.classes == TORCHVISION_ORDER
    assert len(ds.targets) == n and Counter(ds.targets) == {label: n // 10 for label in range(10)}
    first = sample_files("train" if train else "test")["airplane"][0]
    assert ds.targets[0] == 0 and torch.equal(ds.images[0], torch.from_numpy(np.array(Image.open(first))).permute(2, 0, 1))
    assert list(tmp_path.iterdir()) == []


def test_sample_checksum():
    found = sample_checksum()
    assert found == SAMPLE_SHA256, (
        f"the shipped sample changed (sha256 {found}); if that was on purpose, update SAMPLE_SHA256 (see its comment)")


# ----------------------------------------------------------------------------- image folders
def test_folder_source(tmp_path):
    write_folder(tmp_path / "imgs")
    train = load_cifar10(True, f"folder:{tmp_path / 'imgs'}")
    test = load_cifar10(False, f"folder:{tmp_path / 'imgs'}")
    assert train.classes == ["cat", "dog"] and len(train) == 6 and len(test) == 6
    assert train.targets == [0, 0, 0, 1, 1, 1]
    png = np.array(Image.open(tmp_path / "imgs" / "train" / "cat" / "0.png"))
    assert torch.allclose(train[0][0], torch.from_numpy(png).permute(2, 0, 1).float() / 255)
    assert train.source.kind == "folder" and train.source.real


@pytest.mark.parametrize("breakage, message", [
    ("missing", "does not exist"),
    ("no_test", "has no test/ folder"),
    ("empty_class", "has no .png or .jpg images"),
    ("wrong_size", "is 40x30, not 32x32"),
    ("not_image", "not a readable image"),
    ("other_classes", "has class folders"),
    ("no_classes", "has no class folders"),
])
def test_folder_bad_input(tmp_path, breakage, message):
    root = tmp_path / "imgs"
    if breakage == "no_classes":
        (root / "train").mkdir(parents=True)
        (root / "test").mkdir()
    elif breakage != "missing":
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
    before = tree(tmp_path)
    with pytest.raises(DataError, match=message) as info:
        load_cifar10(False, f"folder:{root}")
    assert "\n" not in str(info.value)
    assert tree(tmp_path) == before, "bad input must not change anything on disk"


def test_check_source_stops_a_missing_folder_early(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        check_source(resolve_source(f"folder:{tmp_path / 'nope'}"))
    with pytest.raises(DataError, match="no CIFAR-10 in"):
        check_source(resolve_source("cifar10", tmp_path))
    assert check_source(resolve_source("sample")).kind == "sample"


@pytest.mark.parametrize("source, root, message", [
    ("imagenet", "data", "unknown data_source 'imagenet'"),
    ("folder:", "data", "needs a path"),
    ("folder:  ", "data", "needs a path"),
    (42, "data", "data_source must be one of"),
    (None, "data", "data_source must be one of"),
    ("auto", 5, "data_root must be a folder path"),
    ("auto", "  ", "data_root must be a folder path"),
])
def test_unknown_sources_and_roots(source, root, message):
    with pytest.raises(DataError, match=message) as info:
        resolve_source(source, root)
    assert "\n" not in str(info.value)


def test_a_dataloader_batch_equals_the_items_one_by_one():
    """ImageDataset.__getitems__ (a whole batch at once) gives exactly what dataset[i] gives, for every transform."""
    import torch
    from torch.utils.data import DataLoader, Subset
    from torchvision import transforms

    for transform in (None, transforms.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]), transforms.RandomHorizontalFlip(p=1.0)):
        data = load_cifar10(True, "sample", transform=transform)
        indices = [7, 1499, 0, 750]
        imgs, targets = next(iter(DataLoader(Subset(data, indices), batch_size=4)))
        one_by_one = [data[i] for i in indices]
        assert torch.equal(imgs, torch.stack([img for img, _ in one_by_one])), transform
        assert targets.tolist() == [label for _, label in one_by_one]


def test_class_label_is_chinese_in_the_chinese_edition_only():
    from utils.data import CIFAR10_CLASSES, CIFAR10_CLASSES_ZH, class_label
    from utils.i18n import set_language

    assert [class_label(c) for c in CIFAR10_CLASSES] == list(CIFAR10_CLASSES)
    set_language("zh")
    assert [class_label(c) for c in CIFAR10_CLASSES] == list(CIFAR10_CLASSES_ZH)
    assert class_label("tulip") == "tulip"  # a class of a learner's own folder stays as it is


# ----------------------------------------------------------------------------- issue 29: files that try to do harm
class RunsACommand:
    """What a booby-trapped batch holds: unpickling it calls ``os.system(command)``."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        import os

        return os.system, (self.command,)


def booby_trapped_batch(folder: Path, marker: Path, name: str = "data_batch_1") -> Path:
    """Replace ``folder/name`` with a pickle that would ``touch marker`` if it were unpickled the usual way."""
    with open(folder / name, "wb") as f:
        pickle.dump(RunsACommand(f"touch '{marker}'"), f, protocol=2)
    return folder / name


def test_a_batch_that_runs_a_command_is_refused_and_nothing_runs(tmp_path):
    """Issue 29, item 1: pickle.load of such a file ran its command; the course's reader never does."""
    folder = write_cifar(tmp_path)
    marker = tmp_path / "it-ran"
    booby_trapped_batch(folder, marker)
    with pytest.raises(DataError) as caught:
        load_cifar10(True, "cifar10", tmp_path)
    message = str(caught.value)
    assert not marker.exists(), "the command in the file ran"
    assert "data_batch_1 is not a CIFAR-10 batch" in message and "system" in message and "nothing in it was run" in message
    assert "\n" not in message


@pytest.mark.parametrize("entry, words", [
    ({"data": np.zeros((4, 3072), np.uint8), "labels": ["cat", "dog", "cat", "dog"]}, ["labels that are not"]),
    ({"data": np.zeros((4, 3072), np.uint8), "labels": 7}, ["labels that are not"]),
    ({"data": np.zeros((4, 3072), np.uint8), "labels": [0.5, 1, 2, 3]}, ["labels that are not"]),
    ({"data": np.zeros((4, 3072), np.float32), "labels": [0, 1, 2, 3]}, ["3x32x32 images"]),
])
def test_labels_that_are_text_or_one_number_are_one_line(tmp_path, entry, words):
    """Issue 29, item 6: string or integer labels ended in a ValueError or TypeError traceback."""
    folder = write_cifar(tmp_path)
    with open(folder / "data_batch_1", "wb") as f:
        pickle.dump(entry, f, protocol=2)
    with pytest.raises(DataError) as caught:
        load_cifar10(True, "cifar10", tmp_path)
    assert all(w in str(caught.value) for w in words) and "\n" not in str(caught.value)


def test_a_batch_naming_a_module_that_is_not_there_is_one_line(tmp_path):
    """Issue 29, item 6: a pickle of a class from a missing module gave ModuleNotFoundError; now nothing is imported."""
    folder = write_cifar(tmp_path)
    data = pickle.dumps({"data": 1}, protocol=2).replace(b"\x7d", b"cno_such_module\nThing\n)\x81", 1)  # {} → Thing()
    (folder / "data_batch_2").write_bytes(data)
    with pytest.raises(DataError, match=r"data_batch_2 is not a CIFAR-10 batch: it asks to run no_such_module\.Thing"):
        load_cifar10(True, "cifar10", tmp_path)


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_real_batches_still_load_with_every_pickle_protocol(tmp_path, protocol):
    """The reader admits what numpy writes for an array (protocol 2 as CIFAR-10's files, 4 and 5 as a re-save)."""
    folder = write_cifar(tmp_path)
    batch = pickle.load(open(folder / "test_batch", "rb"))
    batch["labels"] = np.asarray(batch["labels"], dtype=np.int64)  # an array of labels is fine too
    with open(folder / "test_batch", "wb") as f:
        pickle.dump(batch, f, protocol=protocol)
    test = load_cifar10(False, "cifar10", tmp_path)
    assert len(test) == 4 and test.targets == batch["labels"].tolist()


# ----------------------------------------------------------------------------- issue 29: odd files in an image folder
def test_a_link_loop_and_a_broken_link_are_named_as_themselves(tmp_path):
    """Issue 29, items 6 and 8: a link loop gave ``RuntimeError: Symlink loop``, a broken link was named by its target."""
    root = write_folder(tmp_path / "images")
    cat = root / "train" / "cat"
    (cat / "loop.png").symlink_to(cat / "loop2.png")
    (cat / "loop2.png").symlink_to(cat / "loop.png")
    with pytest.raises(DataError) as caught:
        load_cifar10(True, f"folder:{root}")
    assert "loop.png is not an image file" in str(caught.value) and "\n" not in str(caught.value)
    for link in ("loop.png", "loop2.png"):
        (cat / link).unlink()
    (cat / "gone.png").symlink_to(tmp_path / "deleted-target.png")
    with pytest.raises(DataError) as caught:
        load_cifar10(True, f"folder:{root}")
    assert "train/cat/gone.png is not an image file" in str(caught.value)
    assert "deleted-target" not in str(caught.value)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_named_like_an_image_does_not_hang(tmp_path):
    """Issue 29, item 6: opening a FIFO called x.png waits for a writer for ever."""
    import os

    root = write_folder(tmp_path / "images")
    os.mkfifo(root / "train" / "dog" / "x.png")
    with pytest.raises(DataError, match="x.png is not an image file"):
        load_cifar10(True, f"folder:{root}")


def test_hidden_files_and_folders_are_left_out_and_can_be_named(tmp_path):
    """Issue 29, items 7 and 8: Jupyter's .ipynb_checkpoints became a class, macOS's ._x.jpg an unreadable image."""
    from utils.data import hidden_entries

    root = write_folder(tmp_path / "images")
    (root / "train" / ".ipynb_checkpoints").mkdir()
    (root / "train" / "cat" / "._0.jpg").write_bytes(b"\0\5\26\7")  # AppleDouble: not an image
    (root / "test" / "dog" / ".DS_Store").write_bytes(b"\0")
    train = load_cifar10(True, f"folder:{root}")
    assert train.classes == ["cat", "dog"] and len(train) == 6
    assert [p.relative_to(root).as_posix() for p in hidden_entries(root)] == [
        "train/.ipynb_checkpoints", "train/cat/._0.jpg", "test/dog/.DS_Store"]


def test_normalized_images_are_what_totensor_and_normalize_give():
    """What FastNet's whitening layer is measured on (scripts/train.py, tools/ablation.py): the images as the model
    sees them, the same numbers as ToTensor() then Normalize(mean, std) on each picture."""
    from PIL import Image
    from torchvision import transforms

    from utils.data import channel_stats, normalized

    images = torch.randint(0, 256, (4, 3, 8, 8), dtype=torch.uint8)
    stats = channel_stats(images)
    pipeline = transforms.Compose([transforms.ToTensor(), transforms.Normalize(*stats)])
    expected = torch.stack([pipeline(Image.fromarray(img.permute(1, 2, 0).numpy())) for img in images])
    assert torch.allclose(normalized(images, stats), expected, atol=1e-6)
    assert torch.equal(normalized(images), images.float() / 255)
    assert normalized(images, stats).mean(dim=(0, 2, 3)).abs().max() < 1e-5  # each channel centred
