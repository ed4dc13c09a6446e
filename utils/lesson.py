"""The first cell after a lesson's parameters: check them, seed, pick device and data."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from . import paths
from .data import DataSource, ImageDataset, load_cifar10, resolve_source
from .device import describe_device, get_device
from .errors import DataError, ParameterError, check_int
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
        data_root: the data root, resolved against the repository root.
        seed: the seed everything was seeded with.
        generator: a seeded generator for ``DataLoader(..., shuffle=True, generator=...)``.
    """

    name: str
    device: torch.device
    data: DataSource
    data_root: Path
    seed: int
    generator: torch.Generator

    def dataset(self, train: bool = True, **kwargs) -> ImageDataset:
        """:func:`utils.data.load_cifar10` from this lesson's source (``kwargs``: transform, size)."""
        source = "folder:" + str(self.data.path) if self.data.kind == "folder" else self.data.kind
        return load_cifar10(train, source, self.data_root, seed=self.seed, **kwargs)

    def writer(self):
        """A TensorBoard writer in a new folder ``runs/<lesson name>/<time>``; prints the folder."""
        writer = make_writer(self.name)
        print("TensorBoard run folder:", paths.show(writer.log_dir))
        return writer


def start_lesson(
    name: str,
    *,
    device: str = "auto",
    data_source: str = "auto",
    data_root: str | Path = "data",
    seed: int = 0,
    batch_size: int | None = None,
) -> Lesson:
    """Validate a lesson's parameters, seed everything, pick device and data; print one line each.

    Raises:
        CourseError: a one-line :class:`DeviceError`, :class:`DataError` or
            :class:`ParameterError` naming the fix, before anything is written anywhere.
    """
    seed = check_int("seed", seed, minimum=0)
    if batch_size is not None:
        check_int("batch_size", batch_size)
    if not isinstance(data_root, (str, Path)):
        raise ParameterError(f"data_root must be a folder path such as 'data' (got {data_root!r}).")
    torch_device = get_device(device)
    source = resolve_source(data_source, data_root)
    if source.kind == "folder" and not source.path.is_dir():
        raise DataError(f"data folder {paths.show(source.path)} does not exist; point data_source='folder:<path>' at "
                        "a folder with train/<class>/ and test/<class>/ image folders.")
    generator = seed_everything(seed)
    print(f"Device: {describe_device(torch_device)} (asked for device={device!r})")
    print(source)
    print(f"Seed: {seed}")
    record("device", describe_device(torch_device), show=False)  # for papermill reports
    record("data_source", source.kind, show=False)
    return Lesson(name, torch_device, source, paths.resolve(data_root), seed, generator)
