"""CIFAR-10-shaped data from three sources behind one interface, and never a hang.

A lesson asks for data with :func:`load_cifar10` and gets a torchvision-style
:class:`~torch.utils.data.Dataset` of 3x32x32 float images in ``[0, 1]`` (what
``transforms.ToTensor()`` gives) with integer labels and a ``.classes`` list, ready for a
``DataLoader``.  The ``source`` argument picks where the images come from:

``"cifar10"``
    The real dataset in torchvision's on-disk format (``<root>/cifar-10-batches-py/``).
    Downloaded only when ``download=True`` is passed; a failed download ends within
    seconds with a message that says where to put the files.
``"folder:<path>"``
    Images in class folders: ``<path>/train/<class>/*.png|jpg`` and ``<path>/test/<class>/*``.
``"synthetic"``
    A deterministic, offline stand-in generated on the fly: ten classes of shapes and
    textures (not CIFAR's classes), learnable by the tutorial's model.
``"auto"`` (the default)
    Real CIFAR-10 when it is under ``root``, else ``"synthetic"``.

Decoded images are held in memory as one ``uint8`` tensor, so training loops are not bound
by per-image PIL decoding.  Bad input raises :class:`~utils.errors.DataError` with one
line that says what to do; nothing on disk is changed.
"""
from __future__ import annotations

import math
import pickle
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from torch.utils.data import Dataset

from . import paths
from .errors import DataError, check_int

#: Class names of the synthetic source: shapes and textures, deliberately not CIFAR's.
SYNTHETIC_CLASSES = (
    "disc", "ring", "square", "triangle", "cross",
    "h-stripes", "v-stripes", "diagonal", "checker", "dots",
)
#: torchvision's folder name for the python version of CIFAR-10.
CIFAR_DIR = "cifar-10-batches-py"
CIFAR_URL_PAGE = "https://www.cs.toronto.edu/~kriz/cifar.html"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
SPLIT_NAMES = {True: "train", False: "test"}
SYNTHETIC_SIZES = {True: 5000, False: 1000}

_HOW_TO_ADD = (
    f"download cifar-10-python.tar.gz from {CIFAR_URL_PAGE} and extract it so that "
    "{where} holds data_batch_1 … data_batch_5 and test_batch"
)


@dataclass(frozen=True)
class DataSource:
    """Which source a lesson uses and why.

    Attributes:
        kind: ``"cifar10"``, ``"folder"`` or ``"synthetic"``.
        path: the folder the images come from (``None`` for synthetic).
        reason: one short sentence saying why this source was chosen.
    """

    kind: str
    path: Path | None
    reason: str

    def __str__(self) -> str:
        where = f" from {paths.show(self.path)}" if self.path is not None else ""
        return f"Data: {self.kind}{where} ({self.reason})"


def resolve_source(source: str = "auto", root: str | Path = "data") -> DataSource:
    """Decide which data source ``source`` means on this machine, without loading anything.

    Args:
        source: ``"auto"``, ``"cifar10"``, ``"synthetic"`` or ``"folder:<path>"``.
        root: the data root that holds ``cifar-10-batches-py/`` (relative paths are taken
            from the repository root).

    Raises:
        DataError: for an unknown source name or an empty ``folder:`` path.
    """
    if not isinstance(source, str):
        raise DataError(f"data_source must be a string such as 'auto' (got {source!r}).")
    name = source.strip()
    cifar = paths.resolve(root) / CIFAR_DIR
    if name == "auto":
        if cifar.exists():
            return DataSource("cifar10", cifar, "auto: real CIFAR-10 found")
        return DataSource(
            "synthetic", None,
            f"auto: no CIFAR-10 in {paths.show(cifar)}; add it there to train on real images",
        )
    if name == "cifar10":
        return DataSource("cifar10", cifar, "asked for by data_source='cifar10'")
    if name == "synthetic":
        return DataSource("synthetic", None, "asked for by data_source='synthetic'; offline shapes and textures")
    if name.startswith("folder:"):
        folder = name[len("folder:"):].strip()
        if not folder:
            raise DataError("data_source='folder:' needs a path, e.g. data_source='folder:data/cifar10-images'.")
        return DataSource("folder", paths.resolve(folder), f"asked for by data_source={name!r}")
    raise DataError(
        f"unknown data_source {source!r}; use 'auto', 'cifar10', 'synthetic' or 'folder:<path>'."
    )


class ImageDataset(Dataset):
    """Images held in memory, served one at a time like ``torchvision.datasets.CIFAR10``.

    ``dataset[i]`` is ``(image, label)``: ``image`` a float tensor of shape ``(3, 32, 32)``
    in ``[0, 1]`` (then passed through ``transform`` if one is given), ``label`` an ``int``.

    Attributes:
        images: all images as one ``uint8`` tensor of shape ``(N, 3, 32, 32)``.
        targets: the labels, a list of ``int`` (as torchvision has it).
        classes: the class names; ``classes[label]`` names a label.
        source: the :class:`DataSource` the images came from.
        train: ``True`` for the training split.
        transform: an optional callable applied to each float image tensor.
    """

    def __init__(
        self,
        images: torch.Tensor,
        targets: list[int],
        classes: list[str],
        source: DataSource,
        train: bool,
        transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ) -> None:
        self.images = images
        self.targets = targets
        self.classes = list(classes)
        self.source = source
        self.train = train
        self.transform = transform

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        image = self.images[index].float().div_(255)
        if self.transform is not None:
            image = self.transform(image)
        return image, self.targets[index]

    def __repr__(self) -> str:
        split = SPLIT_NAMES[self.train]
        return f"ImageDataset({self.source.kind}, {split}, {len(self)} images, {len(self.classes)} classes)"


_CACHE: dict[tuple, tuple[torch.Tensor, list[int], list[str]]] = {}


def load_cifar10(
    train: bool = True,
    source: str = "auto",
    root: str | Path = "data",
    *,
    transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    download: bool = False,
    size: int | None = None,
    seed: int = 0,
) -> ImageDataset:
    """Load a CIFAR-10-shaped split from the chosen source.

    Args:
        train: the training split (``True``) or the test split (``False``).
        source: ``"auto"``, ``"cifar10"``, ``"synthetic"`` or ``"folder:<path>"``.
        root: the data root holding ``cifar-10-batches-py/`` (relative to the repo root).
        transform: applied to each ``(3, 32, 32)`` float image, e.g. ``transforms.Normalize``.
        download: for ``"cifar10"`` only: fetch the dataset into ``root`` if it is missing.
        size: for ``"synthetic"`` only: how many images (default 5000 train, 1000 test).
        seed: for ``"synthetic"`` only: which images; each split uses its own stream.

    Returns:
        An :class:`ImageDataset`.

    Raises:
        DataError: unknown source, missing or corrupt files, an empty class folder, an
            image that is not 32x32, or a failed download.  Nothing on disk is changed.
    """
    choice = resolve_source(source, root)
    if choice.kind == "synthetic":
        n = check_int("size", SYNTHETIC_SIZES[train] if size is None else size)
        key = ("synthetic", train, n, check_int("seed", seed, minimum=0))
        if key not in _CACHE:
            images, targets = make_synthetic(n, seed=seed * 2 + (0 if train else 1))
            _CACHE[key] = (images, targets, list(SYNTHETIC_CLASSES))
    elif choice.kind == "cifar10":
        if download and not choice.path.exists():
            _download_cifar10(paths.resolve(root))
        key = ("cifar10", str(choice.path), train, _stamp(choice.path))
        if key not in _CACHE:
            _CACHE[key] = _read_cifar_batches(choice.path, train)
    else:
        key = ("folder", str(choice.path), train, _stamp(choice.path))
        if key not in _CACHE:
            _CACHE[key] = _read_image_folders(choice.path, train)
    images, targets, classes = _CACHE[key]
    return ImageDataset(images, targets, classes, choice, train, transform)


def _stamp(path: Path) -> float:
    """A cache key part that changes when the folder's top level changes."""
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


# --------------------------------------------------------------------------- real CIFAR-10
def _unpickle(file: Path) -> dict:
    try:
        with open(file, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as err:
        raise DataError(f"{paths.show(file)} is not a readable CIFAR-10 batch ({err}); delete the folder and extract the archive again.") from None
    if not isinstance(entry, dict):
        raise DataError(f"{paths.show(file)} is not a CIFAR-10 batch; delete the folder and extract the archive again.")
    return entry


def _read_cifar_batches(folder: Path, train: bool) -> tuple[torch.Tensor, list[int], list[str]]:
    """Read torchvision's CIFAR-10 python format: pickled dicts of ``data`` and ``labels``."""
    names = [f"data_batch_{i}" for i in range(1, 6)] if train else ["test_batch"]
    if not folder.is_dir():
        raise DataError(f"no CIFAR-10 in {paths.show(folder)}: " + _HOW_TO_ADD.format(where=paths.show(folder))
                        + ", or use data_source='synthetic'.")
    missing = [n for n in names + ["batches.meta"] if not (folder / n).is_file()]
    if missing:
        raise DataError(f"CIFAR-10 in {paths.show(folder)} is incomplete (missing {', '.join(missing)}): "
                        + _HOW_TO_ADD.format(where=paths.show(folder)) + ".")
    meta = _unpickle(folder / "batches.meta")
    classes = meta.get("label_names")
    if not isinstance(classes, list) or not classes:
        raise DataError(f"{paths.show(folder / 'batches.meta')} has no label_names; extract the archive again.")
    chunks, targets = [], []
    for name in names:
        entry = _unpickle(folder / name)
        data, labels = entry.get("data"), entry.get("labels")
        if not isinstance(data, np.ndarray) or data.ndim != 2 or data.shape[1] != 3 * 32 * 32 \
                or labels is None or len(labels) != len(data):
            raise DataError(f"{paths.show(folder / name)} does not hold 3x32x32 images with one label each; extract the archive again.")
        if any(not 0 <= int(t) < len(classes) for t in labels):
            raise DataError(f"{paths.show(folder / name)} has labels outside 0…{len(classes) - 1}; extract the archive again.")
        chunks.append(np.asarray(data, dtype=np.uint8).reshape(-1, 3, 32, 32))
        targets.extend(int(t) for t in labels)
    return torch.from_numpy(np.concatenate(chunks)), targets, [str(c) for c in classes]


def _download_cifar10(root: Path) -> None:
    """Download with torchvision, giving up within seconds when there is no network."""
    import torchvision

    archive = root / "cifar-10-python.tar.gz"
    had_root, had_archive = root.exists(), archive.exists()
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(10)
    try:
        torchvision.datasets.CIFAR10(str(root), train=True, download=True)
    except Exception as err:  # network errors come in many types
        if not had_archive and archive.exists():
            archive.unlink()  # never leave a half-downloaded file behind
        if not had_root and root.exists() and not any(root.iterdir()):
            root.rmdir()
        raise DataError(
            f"could not download CIFAR-10 ({type(err).__name__}); "
            + _HOW_TO_ADD.format(where=paths.show(root / CIFAR_DIR))
            + ", or use data_source='synthetic'."
        ) from None
    finally:
        socket.setdefaulttimeout(old_timeout)


# --------------------------------------------------------------------------- image folders
def _decode(file: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as img:
            array = np.asarray(img.convert("RGB"))
    except (OSError, UnidentifiedImageError) as err:
        raise DataError(f"{paths.show(file)} is not a readable image ({type(err).__name__}); remove or replace it.") from None
    if array.shape != (32, 32, 3):
        raise DataError(f"{paths.show(file)} is {array.shape[1]}x{array.shape[0]}, not 32x32; "
                        "resize the images to 32x32 (CIFAR-10 size) first.")
    return array


def _read_image_folders(folder: Path, train: bool) -> tuple[torch.Tensor, list[int], list[str]]:
    """Read ``<folder>/<split>/<class>/*`` images, classes in sorted order (as ImageFolder does)."""
    split = SPLIT_NAMES[train]
    layout = "<path>/train/<class>/*.png|jpg and <path>/test/<class>/*"
    if not folder.is_dir():
        raise DataError(f"data folder {paths.show(folder)} does not exist; point data_source='folder:<path>' at a folder laid out as {layout}.")
    train_dir, split_dir = folder / "train", folder / split
    if not split_dir.is_dir():
        raise DataError(f"{paths.show(folder)} has no {split}/ folder; lay it out as {layout}.")
    classes = sorted(p.name for p in (train_dir if train_dir.is_dir() else split_dir).iterdir() if p.is_dir())
    here = sorted(p.name for p in split_dir.iterdir() if p.is_dir())
    if not classes:
        raise DataError(f"{paths.show(split_dir)} has no class folders; lay it out as {layout}.")
    if here != classes:
        raise DataError(f"{paths.show(split_dir)} has class folders {here}, but train/ has {classes}; use the same classes in both.")
    files, targets = [], []
    for label, name in enumerate(classes):
        found = sorted(p for p in (split_dir / name).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not found:
            raise DataError(f"class folder {paths.show(split_dir / name)} has no .png or .jpg images; add some or remove the folder.")
        files.extend(found)
        targets.extend([label] * len(found))
    with ThreadPoolExecutor(max_workers=4) as pool:
        arrays = list(pool.map(_decode, files, chunksize=256))
    images = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    return images, targets, classes


# --------------------------------------------------------------------------- synthetic
#: Each synthetic class's foreground colour (RGB in [0, 1]), jittered per image.
_PALETTE = torch.tensor([
    [0.90, 0.20, 0.20], [0.20, 0.75, 0.25], [0.20, 0.35, 0.90], [0.95, 0.80, 0.15], [0.75, 0.25, 0.85],
    [0.15, 0.80, 0.85], [0.95, 0.55, 0.10], [0.55, 0.35, 0.20], [0.95, 0.95, 0.95], [0.10, 0.10, 0.10],
])


def make_synthetic(n: int, seed: int = 0) -> tuple[torch.Tensor, list[int]]:
    """Generate ``n`` CIFAR-shaped images whose class decides the picture.

    Each class is a shape or a texture (see :data:`SYNTHETIC_CLASSES`) drawn at a random
    place, size, angle, frequency and phase, in its own (jittered) colour on a contrasting
    random background, with a little pixel noise.  Colour is a hint that a model picks up
    first; shapes and textures are needed to tell similar colours apart.

    Args:
        n: number of images; labels cycle through the ten classes, then are shuffled.
        seed: the same ``(n, seed)`` always gives the same images.

    Returns:
        ``(images, targets)``: a ``uint8`` tensor ``(n, 3, 32, 32)`` and a list of ``int``.
    """
    g = torch.Generator().manual_seed(seed)

    def uniform(lo: float, hi: float) -> torch.Tensor:
        return lo + (hi - lo) * torch.rand(n, 1, 1, generator=g)

    labels = torch.arange(n) % len(SYNTHETIC_CLASSES)
    labels = labels[torch.randperm(n, generator=g)]
    coords = torch.arange(32, dtype=torch.float32) + 0.5
    y, x = coords.view(1, 32, 1), coords.view(1, 1, 32)
    cx, cy = uniform(10, 22), uniform(10, 22)
    r = uniform(7, 12)
    angle = uniform(-0.35, 0.35)
    dx0, dy0 = x - cx, y - cy
    dx = dx0 * torch.cos(angle) + dy0 * torch.sin(angle)
    dy = -dx0 * torch.sin(angle) + dy0 * torch.cos(angle)
    dist = torch.sqrt(dx ** 2 + dy ** 2)
    period = uniform(5, 9)
    phase = uniform(0, 2 * math.pi)
    k = 2 * math.pi / period
    t = (dy + r) / (1.8 * r)  # 0 at the triangle's tip, 1 at its base
    masks = torch.stack([
        dist < r,                                                     # disc
        (dist < r) & (dist > 0.55 * r),                               # ring
        (dx.abs() < 0.8 * r) & (dy.abs() < 0.8 * r),                  # square
        (t >= 0) & (t <= 1) & (dx.abs() <= 0.9 * r * t),              # triangle
        ((dx.abs() < 0.3 * r) & (dy.abs() < r)) | ((dy.abs() < 0.3 * r) & (dx.abs() < r)),  # cross
        torch.sin(k * y + phase).expand(n, 32, 32) > 0,               # h-stripes
        torch.sin(k * x + phase).expand(n, 32, 32) > 0,               # v-stripes
        torch.sin(k * (x + y) / math.sqrt(2) + phase) > 0,            # diagonal
        torch.sin(k * x + phase) * torch.sin(k * y + phase) > 0,      # checker
        ((torch.remainder(x + phase, period) - period / 2) ** 2
         + (torch.remainder(y + phase, period) - period / 2) ** 2) < (period / 3.2) ** 2,  # dots
    ], dim=1)  # (n, classes, 32, 32)
    mask = masks[torch.arange(n), labels].unsqueeze(1).float()  # (n, 1, 32, 32)
    # foreground: the class's own colour, jittered; background: a random colour, darkened
    # or lightened away from the foreground so the shape always stands out
    foreground = (_PALETTE[labels].view(n, 3, 1, 1) + 0.3 * (torch.rand(n, 3, 1, 1, generator=g) - 0.5)).clamp(0, 1)
    lightness = foreground.mean(dim=1, keepdim=True)
    background = torch.rand(n, 3, 1, 1, generator=g) * 0.45
    background = torch.where(lightness > 0.5, background, 1 - background)
    images = mask * foreground + (1 - mask) * background
    images = images + 0.06 * torch.randn(n, 3, 32, 32, generator=g)
    images = (images.clamp(0, 1) * 255).round().to(torch.uint8)
    return images, labels.tolist()
