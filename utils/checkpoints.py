"""Checkpoints: one new file per run, written atomically, loaded safely.

``save_checkpoint(model, "10_capstone")`` writes the model's ``state_dict`` to a new file
``checkpoints/10_capstone/<YYYYmmdd-HHMMSS>.pt`` (or under ``$COURSE_CHECKPOINT_DIR`` when
that is set, as the test suite does), and never overwrites an earlier run: the name is
claimed atomically first (an empty placeholder), then filled.

Saving is atomic: the bytes go to a temporary file in the same folder, which is flushed and
``fsync``-ed and only then renamed to its final name with :func:`os.replace`.  A save that is
interrupted (an error, Ctrl-C, a full disk) removes its temporary file (and the placeholder
of a new checkpoint) and leaves no half file under the final name.

``load_checkpoint(path)`` reads with ``torch.load(..., weights_only=True)``: tensors and plain
containers only, no arbitrary Python objects (so no code from the file is run).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch
from torch import nn

from . import paths

#: The environment variable that moves every checkpoint folder (tests point it at a temp dir).
ENV_VAR = "COURSE_CHECKPOINT_DIR"


def new_checkpoint_path(lesson: str, root: str | os.PathLike[str] | None = None, suffix: str = ".pt") -> Path:
    """Claim a new checkpoint name ``<root>/<lesson>/<YYYYmmdd-HHMMSS>[-N].pt`` and return it.

    The name is claimed atomically by :func:`utils.paths.new_path` (an empty placeholder file is
    created), so two saves in the same second, even from two processes, never share a name.
    :func:`save_atomic` then replaces the placeholder with the whole file.

    Args:
        lesson: the notebook's name, e.g. ``"10_capstone"``.
        root: default ``$COURSE_CHECKPOINT_DIR`` or ``<repo>/checkpoints``.
        suffix: the file name's ending.
    """
    paths.check_component(lesson, "lesson")
    folder = (paths.checkpoint_root() if root is None else paths.resolve(root)) / lesson
    return paths.new_path(folder, suffix=suffix, folder=False)


def save_atomic(obj: Any, path: str | os.PathLike[str]) -> Path:
    """``torch.save(obj)`` to ``path`` so that ``path`` never holds a partly written file.

    :func:`utils.paths.write_atomic`: a temporary file in the same folder, flushed, fsynced and
    renamed onto ``path``; on any failure, or an interrupt, the temporary file is removed and an
    existing file at ``path`` is left as it was.

    Returns:
        ``path`` as an absolute :class:`~pathlib.Path`.
    """
    return paths.write_atomic(path, lambda f: torch.save(obj, f))


def save_checkpoint(model: nn.Module | dict, lesson: str, root: str | os.PathLike[str] | None = None) -> Path:
    """Save ``model.state_dict()`` (or a dict of tensors) atomically to a new file; return its path.

    Args:
        model: a module (its ``state_dict()`` is saved) or a ``state_dict``-like dict.
        lesson: the notebook's name; the file goes to ``<root>/<lesson>/<time>.pt``.
        root: default ``$COURSE_CHECKPOINT_DIR`` or ``<repo>/checkpoints``.
    """
    state = model.state_dict() if isinstance(model, nn.Module) else model
    path = new_checkpoint_path(lesson, root)
    try:
        return save_atomic(state, path)
    except BaseException:
        if path.exists() and path.stat().st_size == 0:
            path.unlink()  # the placeholder: a failed save leaves no name behind
        raise


def load_checkpoint(path: str | os.PathLike[str], map_location: str | torch.device = "cpu") -> dict:
    """Read a checkpoint with ``torch.load(path, map_location=..., weights_only=True)``.

    Pass the result to ``model.load_state_dict(...)``.  ``map_location`` puts the tensors on
    that device (default CPU), so a checkpoint saved on a GPU loads on a laptop.
    """
    return torch.load(paths.resolve(path), map_location=map_location, weights_only=True)


__all__ = ["ENV_VAR", "load_checkpoint", "new_checkpoint_path", "save_atomic", "save_checkpoint"]
