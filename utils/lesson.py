"""The first cell after a lesson's parameters: check them, seed, pick device and data."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from . import paths
from .data import DataSource, ImageDataset, check_source, load_cifar10, resolve_source
from .errors import DataError
from .device import describe_device, get_device
from .i18n import set_language, tr
from .params import check_bool, check_int
from .results import record
from .seed import seed_everything
from .tb import make_writer


@dataclass
class Lesson:
    """What :func:`start_lesson` set up; pass it around instead of the raw parameters.

    Attributes:
        name: the notebook's name, e.g. ``"02_convolution"`` (names its TensorBoard folder).
        device: the :class:`torch.device` to run on.
        data: which data source is used, and why.
        seed: the seed everything was seeded with.
        generator: a seeded generator for ``DataLoader(..., shuffle=True, generator=...)``.
    """

    name: str
    device: torch.device
    data: DataSource
    seed: int
    generator: torch.Generator

    def dataset(self, train: bool = True, **kwargs) -> ImageDataset:
        """:func:`utils.data.load_cifar10` from this lesson's source (``kwargs``: transform, size)."""
        return load_cifar10(train, self.data, seed=self.seed, **kwargs)

    def writer(self):
        """A TensorBoard writer in a new folder ``runs/<lesson name>/<time>``; prints the folder."""
        writer = make_writer(self.name)
        print(tr("TensorBoard run folder:", "TensorBoard 运行文件夹："), paths.show(writer.log_dir))
        return writer


def start_lesson(
    name: str,
    *,
    device: str = "auto",
    data_source: str = "auto",
    data_root: str | Path = "data",
    seed: int = 0,
    batch_size: int | None = None,
    progress: bool = True,
    interactive: bool | None = None,
    language: str = "en",
) -> Lesson:
    """Check a lesson's shared parameters, seed everything, pick device and data; print one line each.

    Args:
        name: the notebook's name, e.g. ``"02_convolution"``.
        device, data_source, data_root, seed, batch_size, progress, interactive: the
            parameters every lesson has (``interactive`` only where the lesson opens TensorBoard).
        language: ``"en"`` or ``"zh"``: the language of the lines the course prints from now on
            (device, data, exercise feedback); see :mod:`utils.i18n`.

    Raises:
        CourseError: a one-line :class:`DeviceError`, :class:`DataError` or
            :class:`ParameterError` naming the parameter and the fix, before anything is
            written anywhere.
    """
    set_language(language)
    seed = check_int("seed", seed, minimum=0)
    if batch_size is not None:
        check_int("batch_size", batch_size, minimum=1, maximum=4096)
    check_bool("progress", progress)
    if interactive is not None:
        check_bool("interactive", interactive)
    torch_device = get_device(device)
    source = check_source(resolve_source(data_source, data_root))
    generator = seed_everything(seed)
    no_gpu = torch_device.type == "cpu" and device != "cpu"
    why = tr("; no GPU found: utils.gpu_diagnosis() says why", "；没有找到 GPU，原因见 utils.gpu_diagnosis()") if no_gpu else ""
    print(tr(f"Device: {describe_device(torch_device)} (asked for device={device!r}{why})",
             f"设备：{describe_device(torch_device)}（参数 device={device!r}{why}）"))
    print(source)
    print(tr(f"Seed: {seed}", f"随机种子：{seed}"))
    record("device", describe_device(torch_device), show=False)  # for papermill reports
    record("data_source", source.kind, show=False)
    return Lesson(name, torch_device, source, seed, generator)


# --------------------------------------------------------------------------- plain-PyTorch set-up
#: What each parameter a lesson may have must be: ("int", minimum, maximum), ("bool",),
#: ("str",), ("int_or_auto", minimum, maximum), or a special name checked below.
PARAMETER_RULES: dict[str, tuple] = {
    "device": ("device",),
    "data_source": ("data_source",),
    "data_root": ("str",),
    "log_dir": ("str",),
    "seed": ("int", 0, 2**64 - 1),
    "batch_size": ("int", 1, 4096),
    "num_images": ("int", 0, 50_000),
    "max_batches": ("int", 1, 10_000),
    "epochs": ("int_or_auto", 1, 200),
    "final_epochs": ("int_or_auto", 1, 200),
    "compare_epochs": ("int", 1, 100),
    "progress": ("bool",),
    "interactive": ("bool",),
}


def check_parameters(language: str = "en", limits: dict[str, tuple[int, int]] | None = None, **values) -> None:
    """Check a lesson's parameters; raise one line naming the first wrong one, else do nothing.

    This is the one course call in a lesson's set-up cell: the lesson itself then uses the
    values with plain PyTorch (``torch.device(device)``, ``DataLoader(..., batch_size=batch_size)``).

    Args:
        language: ``"en"`` or ``"zh"``: the language of the lines the course prints from now on
            (the data line, exercise feedback; see :mod:`utils.i18n`).
        limits: ``{name: (minimum, maximum)}`` for a whole-number parameter whose range is the
            lesson's own (e.g. ``num_images`` up to ``batch_size``).
        values: the parameters by name (see :data:`PARAMETER_RULES`).

    Raises:
        ParameterError, DeviceError, DataError: one line saying which value to change and how;
            nothing is written anywhere.

    >>> check_parameters(seed=0, batch_size=64)
    """
    from .params import check_str

    set_language(language)
    from .plotting import use_cjk_font

    use_cjk_font()  # Chinese text in figures draws with a Chinese font (see utils.plotting)
    limits = limits or {}
    for name, value in values.items():
        if name not in PARAMETER_RULES:
            raise TypeError(f"check_parameters() knows no parameter {name!r}; known: {', '.join(PARAMETER_RULES)}")
        kind, *bounds = PARAMETER_RULES[name]
        if name in limits:
            bounds = list(limits[name])
        if kind == "device":
            get_device(value)
        elif kind == "data_source":
            resolve_source(value, values.get("data_root", "data"))
        elif kind == "str":
            check_str(name, value, "data")
        elif kind == "bool":
            check_bool(name, value)
        elif kind == "int_or_auto":
            if value != "auto":
                check_int(name, value, *bounds)
        else:
            check_int(name, value, *bounds)


def find_cifar10(data_source: str = "auto", data_root: str | Path = "data") -> tuple[str, str]:
    """Where this lesson's CIFAR-10 images are: ``("cifar10", root)``, ``("sample", path)`` or
    ``("folder", path)``; print which (the *Data* line).

    ``("cifar10", root)``: the full dataset that ``make data`` installed, to be opened with
    ``torchvision.datasets.CIFAR10(root, train=..., download=False)``.  ``("sample", path)`` and
    ``("folder", path)``: the 2,100-image sample shipped in ``sample/cifar10``, or a ``folder:<path>`` source,
    laid out as ``path/train/<class>/*.png`` and ``path/test/<class>/*.png``, to be opened with
    ``torchvision.datasets.ImageFolder(os.path.join(path, "train"))``.  The paths are absolute,
    so they work from any folder.

    Args:
        data_source: ``"auto"`` (the full set when it is installed, else the sample),
            ``"cifar10"``, ``"sample"`` or ``"folder:<path>"``.
        data_root: the folder ``make data`` installs into (relative paths start at the repository root).

    Raises:
        DataError: one line saying what to do when the images are not there.
    """
    source = check_source(resolve_source(data_source, data_root))
    if source.kind == "synthetic":
        raise DataError("data_source='synthetic' is for the unit tests; lessons use 'auto', 'cifar10', 'sample' "
                        "or 'folder:<path>'.")
    print(source)
    if source.kind == "cifar10":
        return "cifar10", str(source.path.parent)
    return source.kind, str(source.path)
