"""TensorBoard: one new run folder per run, under ``runs/<lesson>/``; nothing is overwritten."""
from __future__ import annotations

from pathlib import Path

from torch.utils.tensorboard import SummaryWriter

from . import paths


def new_run_dir(lesson: str, root: str | Path | None = None) -> Path:
    """Create and return a fresh folder ``<root>/<lesson>/<YYYYmmdd-HHMMSS>[-N]``.

    Args:
        lesson: the notebook's name, e.g. ``"02_convolution"``.
        root: where runs live; default ``$COURSE_RUNS_DIR`` or ``<repo>/runs``.

    The folder is claimed atomically (:func:`utils.paths.new_path`), so two runs in the same
    second get ``…-2``, ``…-3`` and never share, or overwrite, a folder.
    """
    paths.check_component(lesson, "lesson")
    return paths.new_path((paths.runs_root() if root is None else paths.resolve(root)) / lesson)


def make_writer(lesson: str, root: str | Path | None = None) -> SummaryWriter:
    """A :class:`SummaryWriter` writing into a new :func:`new_run_dir`; see ``writer.log_dir``.

    Open the logs with ``tensorboard --logdir runs`` (or ``%tensorboard --logdir runs``).
    """
    return SummaryWriter(log_dir=str(new_run_dir(lesson, root)))
