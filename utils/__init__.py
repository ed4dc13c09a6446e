"""Shared helpers of the PyTorch quick-start course (我是土堆 · PyTorch 深度学习快速入门教程).

Grouped by concern, each module small and documented:

- :mod:`utils.lesson` — ``start_lesson``: check parameters, seed, pick device and data.
- :mod:`utils.device` — ``get_device("auto" | "cpu" | "cuda" | "cuda:N")``.
- :mod:`utils.seed` — ``seed_everything(seed)``.
- :mod:`utils.data` — ``load_cifar10(train, source, root)``: real, folder or synthetic data.
- :mod:`utils.models` — the tutorial's ``Tudui`` model, ``count_parameters``, layer tables;
  lesson 08's ``TuduiPlus``, ``FastNet`` and ``train_recipe``.
- :mod:`utils.checkpoints` — ``save_checkpoint`` (a new file per run, written atomically),
  ``load_checkpoint`` (``weights_only=True``).
- :mod:`utils.training` — ``train_one_epoch``, ``evaluate``, ``fit``.
- :mod:`utils.plotting` — ``show_images``, ``show_feature_maps``, ``plot_curves``.
- :mod:`utils.tb` — ``make_writer(lesson)``: TensorBoard, one new folder per run.
- :mod:`utils.results` — ``record(name, value)`` for reports and tests.
- :mod:`utils.errors` — the course's one-line errors.
"""
from .data import SYNTHETIC_CLASSES, DataSource, ImageDataset, load_cifar10, make_synthetic, resolve_source
from .device import describe_device, get_device
from .errors import CourseError, DataError, DeviceError, ParameterError, check_int
from .lesson import Lesson, start_lesson
from .models import Tudui, conv_output_size, count_parameters, layer_table, print_layer_table
from .paths import REPO_ROOT
from .plotting import plot_curves, show_feature_maps, show_images
from .results import read_results, record
from .seed import seed_everything
from .tb import make_writer, new_run_dir
from .training import History, evaluate, fit, train_one_epoch

__all__ = [
    "SYNTHETIC_CLASSES", "DataSource", "ImageDataset", "load_cifar10", "make_synthetic", "resolve_source",
    "describe_device", "get_device",
    "CourseError", "DataError", "DeviceError", "ParameterError", "check_int",
    "Lesson", "start_lesson",
    "Tudui", "conv_output_size", "count_parameters", "layer_table", "print_layer_table",
    "REPO_ROOT",
    "plot_curves", "show_feature_maps", "show_images",
    "read_results", "record",
    "seed_everything",
    "make_writer", "new_run_dir",
    "History", "evaluate", "fit", "train_one_epoch",
]
