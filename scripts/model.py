"""model.py: the models a learner trains with ``scripts/train.py``, and how each one is trained.

The models themselves live in :mod:`utils.models` (one source for the lessons and the
scripts); this file only names them:

- ``"tudui"``: the tutorial's CIFAR-10 model :class:`~utils.models.Tudui`, trained with
  :data:`utils.recipes.TUTORIAL` (``SGD(lr=0.01)``, batches of 64, plain ``ToTensor()`` images);
- ``"fast"``: lesson 11's :class:`~utils.models.FastNet`, trained with :data:`utils.recipes.FAST`.

Both take the number of classes from the data (10 for CIFAR-10; any number >= 2 for a
``folder:`` of your own images): their last layer gives one score per class.

It also defines the checkpoint that ``train.py`` writes and ``test.py`` reads: a plain dict
that says which model it holds, so it loads with ``torch.load(..., weights_only=True)``::

    {"model": "tudui", "state_dict": {...}, "classes": ["airplane", ...],
     "normalize": {"mean": [r, g, b], "std": [r, g, b]} or None}

``classes`` records the class count too: ``load_model`` builds the model with
``len(classes)`` scores.

``python scripts/model.py`` builds each model and checks its output shape on a batch of 64
images, as one does after writing a model file.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
from torch import nn

from utils.errors import CourseError
from utils.messages import language, msg
from utils.models import FastNet, Tudui
from utils.recipes import FAST, TUTORIAL, Recipe


@dataclass(frozen=True)
class ModelEntry:
    """One trainable model: how to build it and the recipe it is trained with.

    Attributes:
        build: makes a fresh, untrained model (``build(num_classes=10)``).
        recipe: the :class:`~utils.recipes.Recipe` (batch size, epochs, normalize, lr, ...).
        about: one line for ``--help``.
    """

    build: Callable[..., nn.Module]
    recipe: Recipe
    about: str


#: The models ``train.py --model`` knows, by name.
MODELS: dict[str, ModelEntry] = {
    "tudui": ModelEntry(Tudui, TUTORIAL, "the tutorial's Tudui with the tutorial's recipe"),
    "fast": ModelEntry(FastNet, FAST, "lesson 11's FastNet with its fast recipe"),
}


class CheckpointError(CourseError, ValueError):
    """A file that is not a checkpoint written by ``scripts/train.py``."""


def build_model(name: str, num_classes: int = 10) -> nn.Module:
    """A fresh ``MODELS[name]`` model that gives ``num_classes`` scores per image."""
    return MODELS[name].build(num_classes=num_classes)


def make_checkpoint(name: str, model: nn.Module, classes: list[str],
                    normalize: tuple[list[float], list[float]] | None) -> dict:
    """The checkpoint dict for ``model`` (a ``MODELS[name]``), trained on ``classes``.

    Args:
        normalize: the ``(mean, std)`` the model's inputs were normalized with, or ``None``.
    """
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; use one of {', '.join(MODELS)}")
    return {
        "model": name,
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "classes": [str(c) for c in classes],
        "normalize": None if normalize is None else {"mean": [float(m) for m in normalize[0]],
                                                     "std": [float(s) for s in normalize[1]]},
    }


def load_model(path: str | os.PathLike[str],
                    map_location: str | torch.device = "cpu") -> tuple[nn.Module, dict]:
    """Read a ``train.py`` checkpoint safely and rebuild its model.

    Reads with ``torch.load(path, map_location=..., weights_only=True)`` (tensors and plain
    containers only: no code in the file is run), builds the model the checkpoint names and
    loads its weights.

    Returns:
        ``(model, checkpoint)``: the model in eval mode on ``map_location``, and the dict
        (``checkpoint["classes"]``, ``checkpoint["normalize"]``).

    Raises:
        CheckpointError: a missing file, a file that is not a ``train.py`` checkpoint (for
            example a bare ``state_dict``), a ``normalize`` entry that is not three finite numbers
            each (std above 0), or weights that do not fit the model it names (those of the other
            course model, say: the message names it).
    """
    shown = os.fspath(path)
    if os.path.isdir(path):
        found = sorted(p.name for p in Path(path).glob("*.pt"))
        inside = msg("checkpoint.holds", names=("、" if language() == "zh" else ", ").join(found)) if found else ""
        raise CheckpointError(msg("checkpoint.folder", path=shown, inside=inside))
    if not os.path.isfile(path):
        raise CheckpointError(msg("checkpoint.missing", path=shown))
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as err:  # not a torch file, or one holding more than tensors and plain data
        raise CheckpointError(msg("checkpoint.unreadable", path=shown, error=type(err).__name__)) from None
    keys = ("model", "state_dict", "classes", "normalize")
    if not isinstance(checkpoint, dict) or any(k not in checkpoint for k in keys):
        raise CheckpointError(msg("checkpoint.keys", path=shown, keys=", ".join(keys)))
    name, classes, normalize = checkpoint["model"], checkpoint["classes"], checkpoint["normalize"]
    if not isinstance(name, str) or name not in MODELS:
        raise CheckpointError(msg("checkpoint.unknown_model", path=shown, name=name, known=", ".join(MODELS)))
    if not isinstance(classes, list) or len(classes) < 2 or not all(isinstance(c, str) for c in classes):
        raise CheckpointError(msg("checkpoint.no_classes", path=shown))
    if normalize is not None and not _normalize_ok(normalize):
        raise CheckpointError(msg("checkpoint.bad_normalize", path=shown))
    state = checkpoint["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(t, torch.Tensor) for t in state.values()):
        raise CheckpointError(msg("checkpoint.keys", path=shown, keys=", ".join(keys)))
    if not all(torch.isfinite(t).all() for t in state.values() if t.is_floating_point()):
        raise CheckpointError(msg("checkpoint.not_finite", path=shown))
    model = build_model(name, num_classes=len(classes))
    last = list(model.state_dict())[-1]  # the last layer: one row (or bias) per class
    if isinstance(state.get(last), torch.Tensor) and state[last].ndim and state[last].shape[0] != len(classes):
        raise CheckpointError(msg("checkpoint.class_count", path=shown, classes=len(classes), scores=state[last].shape[0]))
    misfits = _misfits(model, state)
    if misfits:
        other = next((n for n in MODELS if n != name and not _misfits(build_model(n, num_classes=len(classes)), state)),
                     None)
        if other is not None:
            raise CheckpointError(msg("checkpoint.other_model", path=shown, name=name, other=other))
        raise CheckpointError(msg("checkpoint.weights_misfit", path=shown, name=name, count=len(misfits),
                                  total=len(model.state_dict()), tensor=misfits[0]))
    model.load_state_dict(state)
    model.eval()
    with torch.no_grad():
        scores = model(torch.zeros(1, 3, 32, 32)).shape[1]
    if scores != len(classes):
        raise CheckpointError(msg("checkpoint.class_count", path=shown, classes=len(classes), scores=scores))
    return model.to(map_location), checkpoint


def _normalize_ok(normalize) -> bool:
    """``{"mean": [r, g, b], "std": [r, g, b]}`` with finite numbers, each std above 0."""
    if not isinstance(normalize, dict):
        return False
    values = [normalize.get("mean"), normalize.get("std")]
    if not all(isinstance(v, (list, tuple)) and len(v) == 3 for v in values):
        return False
    numbers = [x for v in values for x in v]
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in numbers):
        return False
    return all(x > 0 for x in values[1])


def _misfits(model: nn.Module, state: dict) -> list[str]:
    """The names of ``model``'s tensors that ``state`` lacks or holds in another shape, then its extra names."""
    own = model.state_dict()
    wrong = [k for k, t in own.items() if k not in state or tuple(state[k].shape) != tuple(t.shape)]
    return wrong + [k for k in state if k not in own]


if __name__ == "__main__":
    # As after writing any model file: build it, feed it a batch of 64 images, check the output shape.
    x = torch.ones((64, 3, 32, 32))
    for model_name, entry in MODELS.items():
        print(f"{model_name}: {entry.build()(x).shape}  ({entry.about})")
