"""Shared helpers of the PyTorch quick-start course (我是土堆 · PyTorch 深度学习快速入门教程).

One package, one concern per module; a lesson imports what it needs with ``from utils import ...``:

- :mod:`utils.lesson` — ``start_lesson``: check parameters, seed, pick device and data.
- :mod:`utils.params` — ``check_int``, ``check_float``, ``check_bool``, …: one-line parameter errors.
- :mod:`utils.device` — ``get_device("auto" | "cpu" | "cuda" | "cuda:N" | "mps")``, ``gpu_diagnosis()``.
- :mod:`utils.seed` — ``seed_everything(seed)``.
- :mod:`utils.data` — ``load_cifar10(train, source, root)``: full CIFAR-10, the shipped sample,
  an image folder, or synthetic shapes; ``channel_stats``.
- :mod:`utils.download` — ``download_cifar10``, ``install_archive`` (``make data``).
- :mod:`utils.models` — the tutorial's ``Tudui``; lesson 08's ``TuduiPlus``, ``FastNet``, ``FlipTTA``.
- :mod:`utils.summary` — ``count_parameters``, ``print_layer_table``, ``conv_output_size``.
- :mod:`utils.augment` — ``random_flip``, ``random_crop`` on whole batches.
- :mod:`utils.training` — ``train_one_epoch``, ``evaluate``, ``fit`` and their callbacks.
- :mod:`utils.recipes` — ``Recipe`` and ``train_recipe``: lesson 08's improvements.
- :mod:`utils.checkpoints` — ``save_checkpoint`` (a new file per run, atomic), ``load_checkpoint``.
- :mod:`utils.plotting` — ``show_images``, ``show_columns``, ``show_feature_maps``, ``plot_curves``.
- :mod:`utils.tb` — ``make_writer(lesson)``: TensorBoard, one new folder per run.
- :mod:`utils.results` — ``record(name, value)`` for reports and tests.
- :mod:`utils.paths` — where things go; ``new_path``: new names, claimed atomically.
- :mod:`utils.errors` — the course's one-line errors.
- :mod:`utils.exercises` — ``check(id, answer)``: exercises with instant feedback.
"""
from .data import CIFAR10_CLASSES, DataSource, ImageDataset, channel_stats, load_cifar10, resolve_source
from .device import describe_device, get_device, gpu_diagnosis
from .errors import CourseError, DataError, DeviceError, ParameterError
from .lesson import Lesson, start_lesson
from .models import FastNet, FlipTTA, Tudui, TuduiPlus
from .params import check_bool, check_choice, check_float, check_int, check_str
from .paths import REPO_ROOT
from .plotting import plot_curves, show_columns, show_feature_maps, show_images
from .results import read_results, record
from .seed import seed_everything
from .summary import conv_output_size, count_parameters, layer_table, print_layer_table
from .tb import make_writer
from .training import History, evaluate, fit, train_one_epoch

__all__ = [
    "CIFAR10_CLASSES", "DataSource", "ImageDataset", "channel_stats", "load_cifar10", "resolve_source",
    "describe_device", "get_device", "gpu_diagnosis",
    "CourseError", "DataError", "DeviceError", "ParameterError",
    "Lesson", "start_lesson",
    "FastNet", "FlipTTA", "Tudui", "TuduiPlus",
    "check_bool", "check_choice", "check_float", "check_int", "check_str",
    "REPO_ROOT",
    "plot_curves", "show_columns", "show_feature_maps", "show_images",
    "read_results", "record",
    "seed_everything",
    "conv_output_size", "count_parameters", "layer_table", "print_layer_table",
    "make_writer",
    "History", "evaluate", "fit", "train_one_epoch",
]
