"""CIFAR-10 images from four sources behind one interface, offline, and never a hang.

A lesson asks for data with :func:`load_cifar10` and gets a torchvision-style
:class:`~torch.utils.data.Dataset` of 3x32x32 float images in ``[0, 1]`` (what
``transforms.ToTensor()`` gives) with integer labels and a ``.classes`` list, ready for a
``DataLoader``.  The ``source`` argument picks where the images come from:

``"auto"`` (the default)
    The full CIFAR-10 when it is under ``root`` (``<root>/cifar-10-batches-py/``), else the
    real sample shipped with the course.
``"cifar10"``
    The full dataset (50,000 training and 10,000 test images) in torchvision's on-disk
    format, as ``make data`` installs it (:mod:`utils.download`).
``"sample"``
    2,100 real CIFAR-10 images shipped in ``sample/cifar10/`` (150 training and 60 test
    images per class; see ``sample/README.md``).
``"folder:<path>"``
    Images in class folders: ``<path>/train/<class>/*.png|jpg`` and ``<path>/test/<class>/*``.
``"synthetic"``
    Shapes and textures generated on the fly (:mod:`utils.synthetic`), for unit tests and
    controlled experiments.

Decoded images are held in memory as one ``uint8`` tensor, so training loops are not bound
by per-image decoding.  Bad input raises :class:`~utils.errors.DataError` with one line that
says what to do; nothing on disk is changed.
"""
from __future__ import annotations

import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from torch.utils.data import Dataset

from . import paths
from .errors import DataError
from .messages import msg
from .params import check_int
from .seed import MAX_SEED
from .synthetic import SYNTHETIC_CLASSES, make_synthetic

#: CIFAR-10's class names, in torchvision's order (label 0 is "airplane").
CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)
#: The same classes in Chinese (the 中文版's figures and feedback), in the same order.
CIFAR10_CLASSES_ZH = ("飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车")


def class_label(name: str) -> str:
    """A class name as the course prints or draws it: Chinese in the 中文版 for CIFAR-10's ten classes
    (``"cat"`` → ``"猫"``), else ``name`` unchanged (an English edition, or a class of your own folder).

    The one helper every lesson and figure uses for class names, so that the 中文版 never shows an English
    one; the data itself (``dataset.classes``, the folder names) stays as it is.
    """
    from .i18n import language

    if language() == "zh" and name in CIFAR10_CLASSES:
        return CIFAR10_CLASSES_ZH[CIFAR10_CLASSES.index(name)]
    return name


#: The real CIFAR-10 sample shipped with the course (see sample/README.md).
SAMPLE_DIR = paths.REPO_ROOT / "sample" / "cifar10"
#: torchvision's folder name for the python version of CIFAR-10.
CIFAR_DIR = "cifar-10-batches-py"
#: The command that installs the full dataset (``python -m tools data`` without make).
GET_FULL = "make data"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
SPLIT_NAMES = {True: "train", False: "test"}
SYNTHETIC_SIZES = {True: 5000, False: 1000}
_LAYOUT = "<path>/train/<class>/*.png|jpg and <path>/test/<class>/*"


@dataclass(frozen=True)
class DataSource:
    """Which images a lesson uses, and why.

    Attributes:
        kind: ``"cifar10"``, ``"sample"``, ``"folder"`` or ``"synthetic"``.
        path: the folder the images come from (``None`` for synthetic).
        reason: one short sentence saying why this source was chosen.
    """

    kind: str
    path: Path | None
    reason: str

    @property
    def real(self) -> bool:
        """Real photographs (CIFAR-10, its sample, or an image folder), not synthetic shapes."""
        return self.kind != "synthetic"

    def __str__(self) -> str:
        if self.kind == "sample":
            return msg("data.line_sample", path=paths.show(self.path), reason=self.reason, get_full=GET_FULL)
        where = f" {paths.show(self.path)}" if self.path is not None else ""
        return msg("data.line", name=msg(f"data.name_{self.kind}"), where=where, reason=self.reason)


def resolve_source(source: str = "auto", root: str | Path = "data") -> DataSource:
    """Decide which data source ``source`` means on this machine, without loading anything.

    Args:
        source: ``"auto"``, ``"cifar10"``, ``"sample"``, ``"synthetic"`` or ``"folder:<path>"``.
        root: the data root that holds ``cifar-10-batches-py/`` (relative paths are taken
            from the repository root).

    Raises:
        DataError: for an unknown source name, an empty ``folder:`` path, or a data root
            that is not a path.
    """
    if not isinstance(source, str):
        raise DataError(msg("data.source_type", value=source))
    if not isinstance(root, (str, Path)) or not str(root).strip():
        raise DataError(msg("data.root_type", value=root))
    name = source.strip()
    cifar = paths.resolve(root) / CIFAR_DIR
    if name == "auto":
        if cifar.exists():
            return DataSource("cifar10", cifar, msg("data.reason_installed"))
        return DataSource("sample", SAMPLE_DIR, msg("data.reason_not_installed", path=paths.show(cifar)))
    if name == "cifar10":
        return DataSource("cifar10", cifar, msg("data.reason_asked", source=name))
    if name == "sample":
        return DataSource("sample", SAMPLE_DIR, msg("data.reason_asked", source=name))
    if name == "synthetic":
        return DataSource("synthetic", None, msg("data.reason_synthetic"))
    if name.startswith("folder:"):
        folder = name[len("folder:"):].strip()
        if not folder:
            raise DataError(msg("data.folder_without_path"))
        return DataSource("folder", paths.resolve(folder), msg("data.reason_asked", source=name))
    raise DataError(msg("data.source_unknown", value=source))


def check_source(choice: DataSource) -> DataSource:
    """Raise :class:`DataError` now if ``choice`` cannot be loaded (a missing folder), else return it.

    A lesson's set-up cell calls this, so a wrong path stops the lesson before anything runs.
    """
    if choice.kind == "folder" and not choice.path.is_dir():
        raise DataError(msg("data.folder_missing", path=paths.show(choice.path), layout=_LAYOUT))
    if choice.kind == "folder":
        for train in (True, False):  # the layout and the class count, before any image is decoded
            folder_classes(choice.path, train)
    if choice.kind == "cifar10" and not choice.path.is_dir():
        raise DataError(msg("data.cifar10_missing", path=paths.show(choice.path), get_full=GET_FULL))
    if choice.kind == "sample" and not choice.path.is_dir():
        raise DataError(msg("data.sample_missing", path=paths.show(choice.path)))
    return choice


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

    def __getitems__(self, indices: list[int]) -> list[tuple[torch.Tensor, int]]:
        """The items at ``indices``, as ``[dataset[i] for i in indices]`` gives them, converted in one go.

        A ``DataLoader`` asks for a whole batch this way when a dataset has this method, so the
        ``uint8`` to ``float`` conversion (and a ``Normalize``) runs once per batch instead of once
        per image.  Any other ``transform`` (one that may treat each image differently) still
        runs image by image.
        """
        from torchvision.transforms import Normalize

        if self.transform is not None and not isinstance(self.transform, Normalize):
            return [self[i] for i in indices]
        images = self.images[indices].float().div_(255)
        if self.transform is not None:
            images = self.transform(images)  # Normalize works on a batch, channel by channel, as on one image
        return list(zip(images, (self.targets[i] for i in indices)))

    def __repr__(self) -> str:
        split = SPLIT_NAMES[self.train]
        return f"ImageDataset({self.source.kind}, {split}, {len(self)} images, {len(self.classes)} classes)"


_CACHE: dict[tuple, tuple[torch.Tensor, list[int], list[str]]] = {}


def load_cifar10(
    train: bool = True,
    source: str | DataSource = "auto",
    root: str | Path = "data",
    *,
    transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    size: int | None = None,
    seed: int = 0,
) -> ImageDataset:
    """Load a CIFAR-10 split from the chosen source.

    Args:
        train: the training split (``True``) or the test split (``False``).
        source: ``"auto"``, ``"cifar10"``, ``"sample"``, ``"synthetic"``, ``"folder:<path>"``,
            or a :class:`DataSource` that :func:`resolve_source` already chose.
        root: the data root holding ``cifar-10-batches-py/`` (relative to the repo root).
        transform: applied to each ``(3, 32, 32)`` float image, e.g. ``transforms.Normalize``.
        size: for ``"synthetic"`` only: how many images (default 5000 train, 1000 test).
        seed: for ``"synthetic"`` only: which images; each split uses its own stream.

    Returns:
        An :class:`ImageDataset`.

    Raises:
        DataError: unknown source, missing or corrupt files, an empty class folder, or an
            image that is not 32x32.  Nothing on disk is changed.
    """
    choice = source if isinstance(source, DataSource) else resolve_source(source, root)
    check_source(choice)
    if choice.kind == "synthetic":
        n = check_int("size", SYNTHETIC_SIZES[train] if size is None else size)
        key = ("synthetic", train, n, check_int("seed", seed, minimum=0, maximum=MAX_SEED))
        if key not in _CACHE:  # each split its own stream, within torch's 64-bit seeds
            images, targets = make_synthetic(n, seed=(seed * 2 + (0 if train else 1)) % (MAX_SEED + 1))
            _CACHE[key] = (images, targets, list(SYNTHETIC_CLASSES))
    else:
        key = (choice.kind, str(choice.path), train, _stamp(choice.path))
        if key not in _CACHE:
            reader = read_cifar_batches if choice.kind == "cifar10" else _read_image_folders
            _CACHE[key] = reader(choice.path, train)
    images, targets, classes = _CACHE[key]
    return ImageDataset(images, targets, classes, choice, train, transform)


def channel_stats(images: torch.Tensor) -> tuple[list[float], list[float]]:
    """Per-channel mean and standard deviation of ``images`` ``(N, C, H, W)`` (uint8 0…255 or float 0…1).

    Returns values for ``[0, 1]`` images, ready for ``transforms.Normalize(mean, std)``.
    """
    x = images.float()
    if images.dtype == torch.uint8:
        x = x / 255
    return x.mean(dim=(0, 2, 3)).tolist(), x.std(dim=(0, 2, 3)).tolist()


def normalized(images: torch.Tensor, normalize: tuple[list[float], list[float]] | None = None) -> torch.Tensor:
    """uint8 images ``(N, C, H, W)`` as the model sees them: floats in ``[0, 1]`` (what ``ToTensor`` does), then,
    given ``normalize = (mean, std)`` (:func:`channel_stats`), each channel normalized (``transforms.Normalize``)."""
    x = images.float().div(255)
    if normalize is not None:
        mean, std = (torch.tensor(v, dtype=x.dtype)[:, None, None] for v in normalize)
        x = (x - mean) / std
    return x


def _stamp(path: Path) -> float:
    """A cache key part that changes when the folder's top level changes."""
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


# --------------------------------------------------------------------------- the full CIFAR-10
#: Everything a CIFAR-10 batch's pickle may name: numpy's array and dtype rebuilders (and ``_codecs.encode``, which
#: Python 3 uses for the raw bytes of an array in a protocol-2 pickle).  Anything else — ``os.system``, a class of
#: some module — is refused before it is imported, so no code from a data file ever runs.
SAFE_PICKLE_GLOBALS = frozenset({
    *((f"numpy.{core}.multiarray", "_reconstruct") for core in ("core", "_core")),
    *((f"numpy.{core}.multiarray", "scalar") for core in ("core", "_core")),
    *((f"numpy.{core}.numeric", "_frombuffer") for core in ("core", "_core")),
    ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
})


class _UnsafePickle(Exception):
    """A pickle that names something a CIFAR-10 batch never holds (:data:`SAFE_PICKLE_GLOBALS`)."""


class _BatchUnpickler(pickle.Unpickler):
    """``pickle.Unpickler`` that admits only :data:`SAFE_PICKLE_GLOBALS`: a CIFAR-10 batch, and nothing that runs."""

    def find_class(self, module: str, name: str):
        if (module, name) not in SAFE_PICKLE_GLOBALS:
            raise _UnsafePickle(f"{module}.{name}")
        if module.startswith(("numpy.core.", "numpy._core.")):  # numpy 2 moved numpy.core to numpy._core
            import importlib

            tail = module.split(".", 2)[2]
            for base in ("numpy._core", "numpy.core"):
                try:
                    return getattr(importlib.import_module(f"{base}.{tail}"), name)
                except (ImportError, AttributeError):
                    continue
        return super().find_class(module, name)

    def persistent_load(self, pid):
        raise _UnsafePickle("a persistent id")


def load_batch(file: Path) -> object:
    """What a CIFAR-10 batch file holds, unpickled with :class:`_BatchUnpickler` (no code in the file is run).

    Raises :class:`DataError` (one line) for a file that cannot be read or is not a pickle of arrays, lists,
    numbers and text: one that names a function or a class (``os.system``, a module that is not there) says
    so, and that nothing in it was run.
    """
    again = msg("data.again", get_full=GET_FULL)
    try:
        with open(file, "rb") as f:
            return _BatchUnpickler(f, encoding="latin1").load()
    except _UnsafePickle as err:
        raise DataError(msg("data.unsafe_batch", path=paths.show(file), name=str(err), again=again)) from None
    except OSError as err:
        raise DataError(msg("data.unreadable_batch", path=paths.show(file), error=err.strerror or type(err).__name__,
                            again=again)) from None
    except Exception as err:  # noqa: BLE001 — a broken pickle raises nearly anything (EOFError, KeyError, ...)
        raise DataError(msg("data.unreadable_batch", path=paths.show(file), error=type(err).__name__,
                            again=again)) from None


def _unpickle(file: Path) -> dict:
    entry = load_batch(file)
    if not isinstance(entry, dict):
        raise DataError(msg("data.not_a_batch", path=paths.show(file), again=msg("data.again", get_full=GET_FULL)))
    return entry


def _whole_numbers(values) -> list[int] | None:
    """``values`` as a list of ``int`` if it is a list (or 1-D array) of whole numbers, else ``None``."""
    if isinstance(values, np.ndarray):
        if values.ndim != 1 or not np.issubdtype(values.dtype, np.integer):
            return None
        return [int(v) for v in values]
    if not isinstance(values, (list, tuple)):
        return None
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in values):
        return None
    return [int(v) for v in values]


def read_cifar_batches(folder: Path, train: bool) -> tuple[torch.Tensor, list[int], list[str]]:
    """Read torchvision's CIFAR-10 python format: pickled dicts of ``data`` and ``labels``.

    Returns ``(images, targets, classes)``: a ``uint8`` tensor ``(N, 3, 32, 32)``, a list of
    ``int`` and the class names.  Raises :class:`DataError` for missing or malformed files.
    Every file is read with :func:`load_batch`, which runs no code a file may hold.
    """
    names = [f"data_batch_{i}" for i in range(1, 6)] if train else ["test_batch"]
    again = msg("data.again", get_full=GET_FULL)
    if not folder.is_dir():
        raise DataError(msg("data.no_cifar10_folder", path=paths.show(folder), get_full=GET_FULL))
    missing = [n for n in names + ["batches.meta"] if not (folder / n).is_file()]
    if missing:
        raise DataError(msg("data.incomplete", path=paths.show(folder), missing=", ".join(missing), again=again))
    meta = _unpickle(folder / "batches.meta")
    classes = meta.get("label_names")
    if not isinstance(classes, list) or not classes or not all(isinstance(c, (str, bytes)) for c in classes):
        raise DataError(msg("data.no_label_names", path=paths.show(folder / "batches.meta"), again=again))
    chunks, targets = [], []
    for name in names:
        entry = _unpickle(folder / name)
        data, labels = entry.get("data"), entry.get("labels")
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * 32 * 32:
            raise DataError(msg("data.bad_batch", path=paths.show(folder / name), again=again))
        numbers = _whole_numbers(labels)
        if numbers is None:
            raise DataError(msg("data.labels_not_numbers", path=paths.show(folder / name), again=again))
        if len(numbers) != len(data):
            raise DataError(msg("data.bad_batch", path=paths.show(folder / name), again=again))
        if any(not 0 <= t < len(classes) for t in numbers):
            raise DataError(msg("data.bad_labels", path=paths.show(folder / name), last=len(classes) - 1, again=again))
        chunks.append(data.reshape(-1, 3, 32, 32))
        targets.extend(numbers)
    names_out = [c.decode("latin1") if isinstance(c, bytes) else c for c in classes]
    return torch.from_numpy(np.concatenate(chunks)), targets, names_out


# --------------------------------------------------------------------------- image folders
def _too_large(file, image_module) -> DataError:
    """The one-line error for an image PIL refuses to open (a decompression bomb, or a huge photo)."""
    limit = image_module.MAX_IMAGE_PIXELS
    size = msg("data.too_large_size", pixels=2 * limit) if limit else ""
    return DataError(msg("data.too_large", path=paths.show(file), size=size))


def _decode(file: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as img:
            if img.size != (32, 32):  # from the header: a large image is refused without decoding it
                width, height = img.size
                raise DataError(msg("data.wrong_size", path=paths.show(file), width=width, height=height))
            array = np.asarray(img.convert("RGB"))
    except DataError:
        raise
    except Image.DecompressionBombError:
        raise _too_large(file, Image) from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError, IndexError) as err:
        # a truncated or empty file, another format under an image suffix: PIL's decoders raise any of these
        raise DataError(msg("data.unreadable_image", path=paths.show(file), error=type(err).__name__)) from None
    return array


def hidden(name: str) -> bool:
    """A hidden file or folder: its name starts with a dot (``.ipynb_checkpoints``, macOS's ``._x.jpg``, ``.DS_Store``)."""
    return name.startswith(".")


def _subfolders(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.name)


def hidden_entries(folder: Path) -> list[Path]:
    """The hidden entries of an image folder that :func:`load_cifar10` leaves out: hidden folders in
    ``train/`` and ``test/`` and hidden files or folders in their class folders (``scripts/train.py`` names them)."""
    found: list[Path] = []
    for split in SPLIT_NAMES.values():
        split_dir = folder / split
        if not split_dir.is_dir():
            continue
        for sub in _subfolders(split_dir):
            if hidden(sub.name):
                found.append(sub)
            else:
                found.extend(sorted(p for p in sub.iterdir() if hidden(p.name)))
    return found


def folder_classes(folder: Path, train: bool = True) -> list[str]:
    """The class names of an image folder's split (its sub-folders, sorted as ImageFolder does; hidden ones,
    such as Jupyter's ``.ipynb_checkpoints``, are not classes).

    Only folders are listed, no image is opened, so a lesson's set-up cell (and ``train.py``)
    can check the layout before any long work.  Raises :class:`DataError` for a missing
    split folder, fewer than two classes (a classifier needs at least two), or a split whose
    classes differ from ``train/``'s.
    """
    split = SPLIT_NAMES[train]
    if not folder.is_dir():
        raise DataError(msg("data.folder_missing", path=paths.show(folder), layout=_LAYOUT))
    train_dir, split_dir = folder / "train", folder / split
    if not split_dir.is_dir():
        raise DataError(msg("data.no_split", path=paths.show(folder), split=split, layout=_LAYOUT))
    classes = [p.name for p in _subfolders(train_dir if train_dir.is_dir() else split_dir) if not hidden(p.name)]
    here = [p.name for p in _subfolders(split_dir) if not hidden(p.name)]
    if not classes:
        raise DataError(msg("data.no_classes", path=paths.show(split_dir), layout=_LAYOUT))
    if len(classes) < 2:
        raise DataError(msg("data.one_class", path=paths.show(train_dir), name=classes[0], layout=_LAYOUT))
    if here != classes:
        raise DataError(msg("data.classes_differ", path=paths.show(split_dir), here=here, classes=classes))
    return classes


def _image_files(class_dir: Path) -> list[Path]:
    """The images of one class folder as :func:`load_cifar10` reads them: its ``.png``/``.jpg`` files, not hidden
    ones; :class:`DataError` for one that is not a file (a broken link, a link loop, a pipe), which would hang or fail."""
    found = []
    for p in sorted(class_dir.iterdir()):
        if hidden(p.name) or p.suffix.lower() not in IMAGE_SUFFIXES or p.is_dir():
            continue
        if not p.is_file():
            raise DataError(msg("data.not_a_file", path=paths.show(p)))
        found.append(p)
    return found


def _read_image_folders(folder: Path, train: bool) -> tuple[torch.Tensor, list[int], list[str]]:
    """Read ``<folder>/<split>/<class>/*`` images, classes in sorted order (as ImageFolder does); hidden files
    and folders are left out (:func:`hidden_entries`)."""
    split_dir = folder / SPLIT_NAMES[train]
    classes = folder_classes(folder, train)
    files, targets = [], []
    for label, name in enumerate(classes):
        found = _image_files(split_dir / name)
        if not found:
            raise DataError(msg("data.empty_class", path=paths.show(split_dir / name)))
        files.extend(found)
        targets.extend([label] * len(found))
    with ThreadPoolExecutor(max_workers=4) as pool:
        arrays = list(pool.map(_decode, files, chunksize=256))
    images = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    return images, targets, classes


# --------------------------------------------------------------------------- what the lessons' torchvision reads
def _more(items: list) -> str:
    return msg("data.more_hidden", count=len(items) - 1) if len(items) > 1 else ""


def check_image_folder(folder: Path) -> None:
    """Check a ``folder:`` source as ``torchvision.datasets.ImageFolder`` will read it in a lesson; one line if it cannot.

    The lessons open ``<folder>/train`` and ``<folder>/test`` with torchvision's ``ImageFolder``, which takes
    every sub-folder for a class (a hidden ``.ipynb_checkpoints`` too) and every file with an image suffix,
    at any depth, for an image (macOS's hidden ``._x.jpg`` too).  So this finds the same files, by
    torchvision's own rules, and refuses — naming it — a hidden folder or image it would read, a class
    without images, a file that is no image (an empty file, a pipe, a broken link), an image that cannot be
    decoded, and one that is not 32x32 (the lessons' models take CIFAR-10's size).  Hidden files that
    ImageFolder skips (``.DS_Store``) are skipped here too.  Every image is decoded once; nothing is written.
    """
    from torchvision.datasets.folder import IMG_EXTENSIONS

    files: list[Path] = []
    for split in SPLIT_NAMES.values():
        split_dir = folder / split
        classes = _subfolders(split_dir)
        hidden_classes = [p for p in classes if hidden(p.name)]
        if hidden_classes:
            raise DataError(msg("data.hidden_class", path=paths.show(hidden_classes[0]), more=_more(hidden_classes)))
        for class_dir in classes:
            found = []
            for root, _, names in sorted(os.walk(class_dir, followlinks=True)):  # as ImageFolder walks it
                found += [Path(root) / n for n in sorted(names) if n.lower().endswith(IMG_EXTENSIONS)]
            if not found:
                raise DataError(msg("data.empty_class", path=paths.show(class_dir)))
            shown = [p for p in found if any(hidden(part) for part in p.relative_to(class_dir).parts)]
            if shown:
                raise DataError(msg("data.hidden_image", path=paths.show(shown[0]), more=_more(shown)))
            odd = [p for p in found if not p.is_file()]
            if odd:
                raise DataError(msg("data.not_a_file", path=paths.show(odd[0])))
            files += found
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in pool.map(_decode, files, chunksize=64):  # DataError: not an image, or not 32x32
            pass


_INTACT: dict[tuple, bool] = {}


def check_cifar10_files(folder: Path) -> None:
    """Check an installed CIFAR-10 as ``torchvision.datasets.CIFAR10`` will, before a lesson opens it: every file
    there, with the MD5 torchvision knows; else one line that says what to do, offline too.

    torchvision's own answer to a damaged file is "Dataset not found or corrupted. You can use download=True",
    which needs a network.  Each file's answer is kept for the session (the same size and time stamp: not
    read again), so running a set-up cell again costs nothing.
    """
    from torchvision.datasets import CIFAR10
    from torchvision.datasets.utils import check_integrity

    expected = [*CIFAR10.train_list, *CIFAR10.test_list, (CIFAR10.meta["filename"], CIFAR10.meta["md5"])]
    missing, damaged = [], []
    for name, md5 in expected:
        file = folder / name
        try:
            info = file.stat()
        except OSError:
            missing.append(name)
            continue
        key = (str(file), info.st_size, info.st_mtime_ns, md5)
        if key not in _INTACT:
            _INTACT[key] = file.is_file() and check_integrity(str(file), md5)
        if not _INTACT[key]:
            damaged.append(name)
    if missing or damaged:
        reinstall = msg("data.reinstall", path=paths.show(folder), get_full=GET_FULL)
        if missing:
            raise DataError(msg("data.cifar10_incomplete", path=paths.show(folder), names=", ".join(missing),
                                reinstall=reinstall))
        raise DataError(msg("data.cifar10_damaged", path=paths.show(folder), names=", ".join(damaged),
                            reinstall=reinstall))


__all__ = ["CIFAR10_CLASSES", "CIFAR_DIR", "DataSource", "ImageDataset", "SAFE_PICKLE_GLOBALS", "SAMPLE_DIR",
           "SYNTHETIC_CLASSES", "channel_stats", "check_cifar10_files", "check_image_folder", "check_source",
           "folder_classes", "hidden_entries", "load_batch", "load_cifar10", "make_synthetic", "normalized",
           "read_cifar_batches", "resolve_source"]
