"""Training recipes for lessons 10 and 11: the tutorial's, and the improvements it turns on one by one.

A :class:`Recipe` says *how* to train — optimizer settings, augmentation, a learning-rate
schedule — as one small object, and :func:`train_recipe` trains a model with it by plugging
the matching callbacks into :func:`utils.training.fit`.  ``Recipe()`` is the tutorial's recipe:
``SGD(lr=0.01)``, plain cross-entropy, a constant learning rate, no augmentation.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

import torch
from torch import nn
from torch.utils.data import DataLoader

from .augment import random_crop, random_flip
from .precision import pick_precision
from .training import BatchTransform, Callback, History, LRSchedule, fit


@dataclass(frozen=True)
class Recipe:
    """How to train a model; every switch off is the tutorial's recipe.

    Attributes:
        batch_size: images per training batch.
        epochs: passes over the training images.
        normalize: feed the model ``Normalize(mean, std)``-ed images, with each colour channel's
            mean and standard deviation measured on the training images (:func:`utils.data.channel_stats`).
        lr: the learning rate; with ``one_cycle`` its peak.
        momentum, nesterov: as in ``torch.optim.SGD`` (lesson 08).
        weight_decay: L2 regularization of weight matrices and kernels (not biases or BatchNorm).
        label_smoothing: as in ``nn.CrossEntropyLoss`` (the training loss only).
        flip: mirror each training image left-right with probability 1/2.
        shift: move each training image by up to this many pixels in x and y (0: never).
        one_cycle: ``OneCycleLR``: the rate rises linearly for the first 20 % of the steps to
            ``lr`` (a little longer in a run of under 8 steps, see :func:`warm_up_fraction`),
            then falls linearly to almost zero; stepped after every batch.
        channels_last: store images and weights channels-last (faster convolutions on CPUs).
        precision: ``"fp32"``, ``"bf16"`` or ``"auto"``: bf16 autocast where the hardware has
            bf16 units (Intel AMX, recent NVIDIA GPUs), else fp32 (:func:`utils.precision.pick_precision`).
    """

    batch_size: int = 64
    epochs: int = 10
    normalize: bool = False
    lr: float = 0.01
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    label_smoothing: float = 0.0
    flip: bool = False
    shift: int = 0
    one_cycle: bool = False
    channels_last: bool = False
    precision: str = "fp32"

    def but(self, **changes) -> "Recipe":
        """A copy with some settings changed: ``recipe.but(flip=True)``."""
        return replace(self, **changes)

    def scaled_to(self, images: int, min_steps: int = 20) -> "Recipe":
        """This recipe for a training set of ``images`` images.

        A batch size meant for 50,000 images gives a small set only a few steps per epoch (512 on
        the 1,500-image sample: 3 steps), too few to learn.  So the batch size is halved until an
        epoch has at least ``min_steps`` steps, and the learning rate is halved with it (the
        linear scaling rule: the rate is proportional to the batch size).  The full CIFAR-10
        keeps the recipe as it is.
        """
        batch_size, lr = self.batch_size, self.lr
        while batch_size > 16 and images / batch_size < min_steps:
            batch_size, lr = batch_size // 2, lr / 2
        return self.but(batch_size=batch_size, lr=lr)

    def optimizer(self, model: nn.Module) -> torch.optim.SGD:
        """SGD over ``model``'s parameters, with weight decay on weights and kernels only."""
        decay = [p for p in model.parameters() if p.ndim > 1]
        no_decay = [p for p in model.parameters() if p.ndim <= 1]
        return torch.optim.SGD([{"params": decay, "weight_decay": self.weight_decay},
                                {"params": no_decay, "weight_decay": 0.0}],
                               lr=self.lr, momentum=self.momentum, nesterov=self.nesterov)

    def augment(self, imgs: torch.Tensor) -> torch.Tensor:
        """This recipe's changes to a training batch: flip, shift, memory layout."""
        if self.flip:
            imgs = random_flip(imgs)
        if self.shift:
            imgs = random_crop(imgs, self.shift)
        return imgs.contiguous(memory_format=torch.channels_last) if self.channels_last else imgs

    def callbacks(self, optimizer: torch.optim.Optimizer, total_steps: int) -> list[Callback]:
        """The callbacks that carry out this recipe in :func:`~utils.training.fit`."""
        found: list[Callback] = [BatchTransform(self.augment)]
        if self.one_cycle:
            found.append(LRSchedule(torch.optim.lr_scheduler.OneCycleLR(
                optimizer, max_lr=self.lr, total_steps=total_steps, pct_start=warm_up_fraction(total_steps),
                anneal_strategy="linear", cycle_momentum=False)))
        return found


def warm_up_fraction(total_steps: int, fraction: float = 0.2) -> float:
    """The share of ``total_steps`` that ``OneCycleLR`` rises for: ``fraction``, or more for a short run.

    ``OneCycleLR`` ends its rise at step ``pct_start * total_steps - 1`` and divides by that
    step's distance from 0 (and from the last step); at 0 it stops with ``ZeroDivisionError``,
    as with 5 steps and 20 % (a few images, one epoch).  So a short run rises for at least 1.5
    steps (up to step 0.5), which never lands on a step; a run of one step gets 0.5.
    """
    if total_steps < 2:
        return 0.5
    return min(max(fraction, 1.5 / total_steps), 0.75)


def train_recipe(model: nn.Module, train_loader: DataLoader, test_loader: DataLoader | None, epochs: int,
                 device: torch.device, recipe: Recipe = Recipe(), *, callbacks: Iterable[Callback] = (),
                 progress: bool = True) -> History:
    """Train ``model`` with ``recipe`` for ``epochs`` epochs, testing after each; return the history.

    The test loss is plain cross-entropy whatever the training loss (label smoothing changes
    only what the model is trained on).  ``callbacks`` come after the recipe's own, e.g. a
    :class:`~utils.training.TensorBoardLogger`.
    """
    model.to(device=device, memory_format=torch.channels_last if recipe.channels_last else torch.contiguous_format)
    optimizer = recipe.optimizer(model)
    own = recipe.callbacks(optimizer, epochs * len(train_loader))
    return fit(model, train_loader, nn.CrossEntropyLoss(label_smoothing=recipe.label_smoothing), optimizer, epochs,
               device, test_loader=test_loader, test_loss_fn=nn.CrossEntropyLoss(), callbacks=[*own, *callbacks],
               progress=progress, precision=pick_precision(device, recipe.precision))


#: The tutorial's recipe: ``SGD(lr=0.01)``, batches of 64, images as ``ToTensor()`` gives them.
TUTORIAL = Recipe()
#: Lesson 11's fast recipe for :class:`~utils.models.FastNet` (see the lesson for each setting and its gain):
#: 8 epochs in batches of 128, a one-cycle peak of 0.2, momentum 0.9, a random mirror image and a shift of
#: up to 2 pixels per image.  Label smoothing, weight decay and Nesterov momentum did not pay (lesson 11's table).
FAST = Recipe(batch_size=128, epochs=8, normalize=True, lr=0.2, momentum=0.9, flip=True, shift=2, one_cycle=True,
              channels_last=True, precision="auto")

__all__ = ["FAST", "TUTORIAL", "Recipe", "train_recipe"]
