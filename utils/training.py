"""The tutorial's training loop, written once: :func:`train_one_epoch`, :func:`evaluate`, :func:`fit`.

The five steps are the tutorial's: forward pass, loss, ``optimizer.zero_grad()``,
``loss.backward()``, ``optimizer.step()``.  Losses are added up with ``loss.item()`` (a plain
float, so no autograd graph is kept) times the batch size, and averaged per image.

Everything else — a learning-rate schedule, augmenting each batch, TensorBoard, a progress
bar — plugs in from outside as a **callback**: a small object with any of the methods of
:class:`Callback`, which the loop calls at fixed points.  So the loop stays the tutorial's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

import torch
from torch import nn
from torch.utils.data import DataLoader

from .errors import CourseError, DataError
from .messages import msg
from .precision import autocast

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


class DivergedError(CourseError, ArithmeticError):
    """The training loss became nan or infinite: the run diverged (usually a learning rate far too high)."""


def check_labels(outputs: torch.Tensor, targets: torch.Tensor) -> None:
    """Raise :class:`~utils.errors.DataError` if a class label has no score in ``outputs``.

    ``nn.CrossEntropyLoss`` needs ``0 <= target < outputs.shape[1]``; a model built for 10
    classes fed a 12-class image folder would otherwise stop with ``IndexError: Target 11 is
    out of bounds`` deep inside PyTorch.
    """
    if outputs.ndim != 2 or targets.ndim != 1 or targets.is_floating_point() or not len(targets):
        return  # not class labels for scores (e.g. a regression target): nothing to check
    if bool(((targets < 0) | (targets >= outputs.shape[1])).any()):  # one reduction, one sync
        largest = int(targets.max()) if int(targets.max()) >= outputs.shape[1] else int(targets.min())
        raise DataError(msg("training.label_out_of_range", label=largest, scores=outputs.shape[1]))


def _diverged(what: str) -> DivergedError:
    """The one-line error of a diverged run; ``what`` says what became nan or infinite."""
    return DivergedError(msg("training.diverged", what=what))


def finite_parameters(model: nn.Module) -> bool:
    """Whether every parameter of ``model`` is a finite number (no nan, no inf); one check, one sync."""
    checks = [p.detach().isfinite().all() for p in model.parameters() if p.is_floating_point()]
    return bool(torch.stack(checks).all()) if checks else True


class Callback:
    """Hooks the training loop calls; a callback overrides the ones it needs."""

    def on_train_start(self, model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
        """Once, before the first epoch: the model and the optimizer that trains it."""

    def on_epoch_start(self, epoch: int, steps: int) -> None:
        """Before epoch ``epoch`` (1, 2, …) of ``steps`` batches."""

    def on_batch(self, imgs: torch.Tensor) -> torch.Tensor:
        """Change a training batch on the device before the forward pass (e.g. augmentation)."""
        return imgs

    def on_step(self, loss: float) -> None:
        """After ``optimizer.step()``, with the batch's loss."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        """After the epoch (and its test pass): ``logs`` has ``train_loss`` and maybe ``test_loss``, ``test_accuracy``."""


@dataclass
class History(Callback):
    """What :func:`fit` measured: one entry per epoch, and ``step_loss``, one per batch."""

    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)

    def on_step(self, loss: float) -> None:
        self.step_loss.append(loss)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        for name in ("train_loss", "test_loss", "test_accuracy"):
            if name in logs:
                getattr(self, name).append(logs[name])


def train_one_epoch(model: nn.Module, loader: DataLoader, loss_fn: LossFn, optimizer: torch.optim.Optimizer,
                    device: torch.device, callbacks: Iterable[Callback] = (), precision: str = "fp32") -> float:
    """Train ``model`` for one pass over ``loader``; return the mean loss per image.

    ``precision="bf16"`` runs the forward pass and the loss under bf16 autocast (:mod:`utils.precision`).

    Raises:
        DivergedError: the loss became nan or infinite (one line; the run cannot recover).
        DataError: a batch holds a class label the model has no score for.
    """
    model.train()
    total, count = 0.0, 0
    for step, (imgs, targets) in enumerate(loader, start=1):
        imgs, targets = imgs.to(device), targets.to(device)
        for callback in callbacks:
            imgs = callback.on_batch(imgs)
        with autocast(device, precision):
            outputs = model(imgs)            # 1. forward pass
            check_labels(outputs, targets)   # a one-line error instead of PyTorch's IndexError
            loss = loss_fn(outputs, targets)  # 2. loss
        optimizer.zero_grad()                # 3. clear the old gradients
        loss.backward()                      # 4. backpropagation
        optimizer.step()                     # 5. update the parameters
        value = loss.item()                  # a float, no graph kept
        if not math.isfinite(value):
            raise _diverged(msg("training.loss_not_finite", value=value, step=step))
        total += value * imgs.size(0)        # per-image sum
        count += imgs.size(0)
        for callback in callbacks:
            callback.on_step(value)
    return total / max(count, 1)


@torch.no_grad()
def evaluate(model: nn.Module, loader: DataLoader, loss_fn: LossFn, device: torch.device,
             precision: str = "fp32") -> tuple[float, float]:
    """Return ``(mean loss per image, accuracy)`` of ``model`` on ``loader``, in eval mode."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    for imgs, targets in loader:
        imgs, targets = imgs.to(device), targets.to(device)
        with autocast(device, precision):
            outputs = model(imgs)
        outputs = outputs.float()
        check_labels(outputs, targets)
        total_loss += loss_fn(outputs, targets).item() * imgs.size(0)
        correct += (outputs.argmax(1) == targets).sum().item()
        count += imgs.size(0)
    return total_loss / max(count, 1), correct / max(count, 1)


def fit(model: nn.Module, train_loader: DataLoader, loss_fn: LossFn, optimizer: torch.optim.Optimizer,
        epochs: int, device: torch.device, *, test_loader: DataLoader | None = None,
        test_loss_fn: LossFn | None = None, callbacks: Iterable[Callback] = (), progress: bool = True,
        precision: str = "fp32") -> History:
    """Train for ``epochs`` epochs, testing on ``test_loader`` after each; print one line per epoch.

    Args:
        test_loss_fn: the loss reported on ``test_loader`` (default ``loss_fn``), e.g. plain
            cross-entropy when training with label smoothing.
        callbacks: e.g. ``[LRSchedule(scheduler), TensorBoardLogger(writer)]``; see :class:`Callback`.
        progress: show a progress bar per epoch.
        precision: ``"fp32"`` or ``"bf16"`` (autocast for the forward passes; see :mod:`utils.precision`).

    Returns:
        The :class:`History` of losses and accuracies.

    Raises:
        DivergedError: a loss, or the weights after an epoch, became nan or infinite: one line,
            and the run stops there (nothing after it, such as saving the model, runs).
    """
    history = History()
    callbacks = [history, *callbacks] + ([ProgressBar()] if progress else [])
    model.to(device)
    for callback in callbacks:
        callback.on_train_start(model, optimizer)
    for epoch in range(1, epochs + 1):
        for callback in callbacks:
            callback.on_epoch_start(epoch, len(train_loader))
        logs = {"train_loss": train_one_epoch(model, train_loader, loss_fn, optimizer, device, callbacks, precision)}
        line = msg("training.epoch_line", epoch=epoch, train_loss=logs["train_loss"])
        if test_loader is not None:
            logs["test_loss"], logs["test_accuracy"] = evaluate(model, test_loader, test_loss_fn or loss_fn, device,
                                                                precision)
            line += msg("training.epoch_test", test_loss=logs["test_loss"], test_accuracy=logs["test_accuracy"])
        if not all(math.isfinite(v) for v in logs.values()) or not finite_parameters(model):
            print(line)
            raise _diverged(msg("training.weights_not_finite", epoch=epoch))
        for callback in callbacks:
            callback.on_epoch_end(epoch, logs)
        print(line)
    return history


# --------------------------------------------------------------------------- callbacks
class ProgressBar(Callback):
    """A tqdm progress bar per epoch (``fit(..., progress=True)`` adds one)."""

    def __init__(self) -> None:
        self.bar = None

    def on_epoch_start(self, epoch: int, steps: int) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=steps, desc=msg("training.progress", epoch=epoch), leave=False)

    def on_step(self, loss: float) -> None:
        self.bar.update(1)
        self.bar.set_postfix(loss=f"{loss:.3f}", refresh=False)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.bar.close()


class LRSchedule(Callback):
    """Step a learning-rate scheduler after every batch (e.g. ``OneCycleLR``), or every epoch."""

    def __init__(self, scheduler: torch.optim.lr_scheduler.LRScheduler, per: str = "batch") -> None:
        if per not in ("batch", "epoch"):
            raise ValueError(f"per must be 'batch' or 'epoch' (got {per!r})")
        self.scheduler, self.per = scheduler, per

    def on_step(self, loss: float) -> None:
        if self.per == "batch":
            self.scheduler.step()

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self.per == "epoch":
            self.scheduler.step()


class BatchTransform(Callback):
    """Apply ``fn`` to every training batch on the device, e.g. ``BatchTransform(random_flip)``."""

    def __init__(self, fn: Callable[[torch.Tensor], torch.Tensor]) -> None:
        self.fn = fn

    def on_batch(self, imgs: torch.Tensor) -> torch.Tensor:
        return self.fn(imgs)


class TensorBoardLogger(Callback):
    """Log ``train/step_loss`` and ``train/lr`` per batch and each epoch's logs, e.g. ``test/accuracy``."""

    def __init__(self, writer, optimizer: torch.optim.Optimizer | None = None) -> None:
        self.writer, self.optimizer, self.step = writer, optimizer, 0

    def on_train_start(self, model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
        self.optimizer = self.optimizer or optimizer

    def on_step(self, loss: float) -> None:
        self.writer.add_scalar("train/step_loss", loss, self.step)
        if self.optimizer is not None:
            self.writer.add_scalar("train/lr", self.optimizer.param_groups[0]["lr"], self.step)
        self.step += 1

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        for name, value in logs.items():
            self.writer.add_scalar(name.replace("_", "/", 1), value, epoch)


__all__ = ["BatchTransform", "Callback", "DivergedError", "History", "LRSchedule", "ProgressBar", "TensorBoardLogger",
           "check_labels", "evaluate", "fit", "train_one_epoch"]
