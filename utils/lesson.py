"""The first cell after a lesson's parameters: check them, seed, pick device and data."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from . import paths
from .data import DataSource, ImageDataset, check_source, load_cifar10, resolve_source
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
