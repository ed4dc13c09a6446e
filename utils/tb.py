"""TensorBoard: one new run folder per run, under ``runs/<lesson>/``; nothing is overwritten.

The writer creates its event file when the first value is logged, not when it is made: a run
that stops before logging anything (a wrong parameter, a class count that does not fit) leaves
no stub event file for TensorBoard to list.
"""
from __future__ import annotations

from pathlib import Path

from torch.utils.tensorboard import SummaryWriter

from . import paths


def new_run_dir(lesson: str, root: str | Path | None = None) -> Path:
    """Create and return a fresh folder ``<root>/<lesson>/<YYYYmmdd-HHMMSS>[-N]``.

    Args:
        lesson: the notebook's name, e.g. ``"03_convolution"``.
        root: where runs live; default ``$COURSE_RUNS_DIR`` or ``<repo>/runs``.

    The folder is claimed atomically (:func:`utils.paths.new_path`), so two runs in the same
    second get ``…-2``, ``…-3`` and never share, or overwrite, a folder.
    """
    paths.check_component(lesson, "lesson")
    return paths.new_path((paths.runs_root() if root is None else paths.resolve(root)) / lesson)


class LazySummaryWriter(SummaryWriter):
    """A :class:`SummaryWriter` whose event file is created by the first ``add_*`` call, not by ``__init__``."""

    def __init__(self, *args, **kwargs) -> None:
        self._waiting = True  # SummaryWriter.__init__ asks for its file writer: not yet
        super().__init__(*args, **kwargs)
        self._waiting = False

    def _get_file_writer(self):
        if self._waiting:
            return None
        return super()._get_file_writer()


def make_writer(lesson: str, root: str | Path | None = None) -> SummaryWriter:
    """A :class:`SummaryWriter` writing into a new :func:`new_run_dir`; see ``writer.log_dir``.

    Its event file appears with the first logged value (:class:`LazySummaryWriter`).  Open the
    logs with ``tensorboard --logdir runs`` (or ``%tensorboard --logdir runs``).
    """
    return LazySummaryWriter(log_dir=str(new_run_dir(lesson, root)))
