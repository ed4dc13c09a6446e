"""Shared helpers of the PyTorch quick-start course (我是土堆 · PyTorch 深度学习快速入门教程).

One package, one concern per module; a lesson imports what it needs with ``from utils import ...``:

- :mod:`utils.lesson` — ``check_parameters`` and ``find_cifar10``: a lesson's one set-up cell.
- :mod:`utils.params` — ``check_int``, ``check_float``, ``check_bool``, …: one-line parameter errors.
- :mod:`utils.device` — ``get_device("auto" | "cpu" | "cuda" | "cuda:N" | "mps")``, ``gpu_diagnosis()``.
- :mod:`utils.seed` — ``seed_everything(seed)``.
- :mod:`utils.data` — ``load_cifar10(train, source, root)``: full CIFAR-10, the shipped sample,
  an image folder, or synthetic shapes; ``channel_stats``.
- :mod:`utils.download` — ``download_cifar10``, ``install_archive`` (``make data``).
- :mod:`utils.models` — the tutorial's ``Tudui``; ``TuduiPlus``, lesson 11's ``FastNet`` and ``FlipTTA``.
- :mod:`utils.summary` — ``count_parameters``, ``print_layer_table``, ``conv_output_size``.
- :mod:`utils.augment` — ``random_flip``, ``random_crop`` on whole batches.
- :mod:`utils.device_data` — ``DeviceLoader``: training images kept on the GPU, batches cut there.
- :mod:`utils.precision` — ``pick_precision``: bf16 or fp32, from the hardware; ``autocast``.
- :mod:`utils.training` — ``train_one_epoch``, ``evaluate``, ``fit`` and their callbacks.
- :mod:`utils.recipes` — ``Recipe`` and ``train_recipe``: lesson 11's improvements, for scripts/train.py.
- :mod:`utils.project` — lesson 10's project folder (``project_folder``, ``mark_project``) and ``run_script``.
- :mod:`utils.checkpoints` — ``save_checkpoint`` (a new file per run, atomic), ``load_checkpoint``.
- :mod:`utils.plotting` — ``show_images``, ``show_columns``, ``show_feature_maps``, ``plot_curves``.
- :mod:`utils.results` — ``record(name, value)`` for reports and tests.
- :mod:`utils.paths` — where things go; ``new_path``: new names, claimed atomically; ``write_atomic``: no half-written files.
- :mod:`utils.errors` — the course's one-line errors.
- :mod:`utils.messages` — ``MESSAGES``, ``msg(key, **fields)``: every course message, in English and Chinese.
- :mod:`utils.i18n` — ``set_language``, ``language()``: which of the two the course speaks; ``tr(en, zh)`` for exercises;
  ``system_language()``: the commands' language, from the locale (``COURSE_LANGUAGE`` overrides it).
- :mod:`utils.cli` — ``command()``: what every command does first (its language; SIGTERM and SIGHUP as Ctrl-C).
- :mod:`utils.synthetic` — shapes and textures standing in for CIFAR-10 in unit tests.
- :mod:`utils.exercises` — ``check(id, answer)``: exercises with instant feedback.
"""
from __future__ import annotations

from importlib import import_module

# Each public name and the module that defines it.  They are imported on first use (PEP 562),
# so `import utils` is quick: a script that needs no plotting does not load matplotlib.
_WHERE: dict[str, str] = {
    **dict.fromkeys(('CIFAR10_CLASSES', 'DataSource', 'class_label', 'ImageDataset', 'channel_stats', 'load_cifar10', 'resolve_source'), 'data'),
    **dict.fromkeys(('describe_device', 'get_device', 'gpu_diagnosis'), 'device'),
    **dict.fromkeys(('CourseError', 'DataError', 'DeviceError', 'ParameterError'), 'errors'),
    **dict.fromkeys(('check_parameters', 'find_cifar10'), 'lesson'),
    **dict.fromkeys(('FastNet', 'FlipTTA', 'Tudui', 'TuduiPlus'), 'models'),
    **dict.fromkeys(('check_bool', 'check_choice', 'check_float', 'check_int', 'check_str'), 'params'),
    'REPO_ROOT': 'paths',
    **dict.fromkeys(('plot_curves', 'show_columns', 'show_feature_maps', 'show_images'), 'plotting'),
    **dict.fromkeys(('read_results', 'record'), 'results'),
    'seed_everything': 'seed',
    **dict.fromkeys(('conv_output_size', 'count_parameters', 'layer_table', 'print_layer_table'), 'summary'),
    **dict.fromkeys(('History', 'evaluate', 'fit', 'train_one_epoch'), 'training'),
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    else:
        try:
            value = import_module(f".{name}", __name__)  # a submodule: utils.paths, utils.data, ...
        except ModuleNotFoundError:
            raise AttributeError(f"module 'utils' has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
