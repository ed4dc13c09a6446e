"""model.py: the models a learner trains with ``scripts/train.py``, and how each one is trained.

The models themselves live in :mod:`utils.models` (one source for the lessons and the
scripts); this file only names them:

- ``"tudui"``: the tutorial's CIFAR-10 model :class:`~utils.models.Tudui`, trained with
  :data:`utils.recipes.TUTORIAL` (``SGD(lr=0.01)``, batches of 64, plain ``ToTensor()`` images);
- ``"fast"``: lesson 08's :class:`~utils.models.FastNet`, trained with :data:`utils.recipes.FAST`.

It also defines the checkpoint that ``train.py`` writes and ``test.py`` reads: a plain dict
that says which model it holds, so it loads with ``torch.load(..., weights_only=True)``::

    {"model": "tudui", "state_dict": {...}, "classes": ["airplane", ...],
     "normalize": {"mean": [r, g, b], "std": [r, g, b]} or None}

``python scripts/model.py`` builds each model and checks its output shape on a batch of 64
images, as one does after writing a model file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from utils.errors import CourseError
from utils.models import FastNet, Tudui
from utils.recipes import FAST, TUTORIAL, Recipe


@dataclass(frozen=True)
class ModelEntry:
    """One trainable model: how to build it and the recipe it is trained with.

    Attributes:
        build: makes a fresh, untrained model (``build()``).
        recipe: the :class:`~utils.recipes.Recipe` (batch size, epochs, normalize, lr, ...).
        about: one line for ``--help``.
    """

    build: Callable[[], nn.Module]
    recipe: Recipe
    about: str


#: The models ``train.py --model`` knows, by name.
MODELS: dict[str, ModelEntry] = {
    "tudui": ModelEntry(Tudui, TUTORIAL, "the tutorial's Tudui with the tutorial's recipe"),
    "fast": ModelEntry(FastNet, FAST, "lesson 08's FastNet with its fast recipe"),
}


class CheckpointError(CourseError, ValueError):
    """A file that is not a checkpoint written by ``scripts/train.py``."""


def build_model(name: str) -> nn.Module:
    """A fresh ``MODELS[name]`` model."""
    return MODELS[name].build()


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
            example a bare ``state_dict``), or weights that do not fit the model it names.
    """
    shown = os.fspath(path)
    if not os.path.isfile(path):
        raise CheckpointError(f"checkpoint {shown} does not exist; train one with: python scripts/train.py")
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as err:  # not a torch file, or one holding more than tensors and plain data
        raise CheckpointError(f"{shown} is not a checkpoint written by scripts/train.py "
                              f"({type(err).__name__}); train one with: python scripts/train.py") from None
    keys = ("model", "state_dict", "classes", "normalize")
    if not isinstance(checkpoint, dict) or any(k not in checkpoint for k in keys):
        raise CheckpointError(f"{shown} is not a checkpoint written by scripts/train.py (it needs the keys "
                              f"{', '.join(keys)}; a bare state_dict does not say which model it is for)")
    name, classes, normalize = checkpoint["model"], checkpoint["classes"], checkpoint["normalize"]
    if not isinstance(name, str) or name not in MODELS:
        raise CheckpointError(f"{shown} holds a model {name!r} this course does not know "
                              f"(known: {', '.join(MODELS)})")
    if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
        raise CheckpointError(f"{shown} has no list of class names")
    if normalize is not None and not (isinstance(normalize, dict) and len(normalize.get("mean", ())) == 3
                                      and len(normalize.get("std", ())) == 3):
        raise CheckpointError(f"{shown} has a normalize entry that is not {{'mean': [r, g, b], 'std': [r, g, b]}}")
    model = build_model(name)
    try:
        model.load_state_dict(checkpoint["state_dict"])
    except (RuntimeError, TypeError, AttributeError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise CheckpointError(f"{shown}: its weights do not fit the {name!r} model ({first})") from None
    model.eval()
    with torch.no_grad():
        scores = model(torch.zeros(1, 3, 32, 32)).shape[1]
    if scores != len(classes):
        raise CheckpointError(f"{shown} names {len(classes)} classes, but its model gives {scores} scores")
    return model.to(map_location), checkpoint


if __name__ == "__main__":
    # As after writing any model file: build it, feed it a batch of 64 images, check the output shape.
    x = torch.ones((64, 3, 32, 32))
    for model_name, entry in MODELS.items():
        print(f"{model_name}: {entry.build()(x).shape}  ({entry.about})")
