"""The training and evaluation loop of the tutorial, written once.

The steps are the tutorial's: forward pass, loss, ``optimizer.zero_grad()``,
``loss.backward()``, ``optimizer.step()``.  Losses are accumulated with ``loss.item()``
(a plain float, so no autograd graph is kept) and averaged per sample, not per batch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader
from tqdm.auto import tqdm


@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch (``step_loss``: one per batch)."""

    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)


def train_one_epoch(
    model: nn.Module,
    loader: DataLoader,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    device: torch.device,
    *,
    progress: bool = True,
    desc: str = "train",
    max_steps: int | None = None,
    on_step: Callable[[float], None] | None = None,
    transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
) -> float:
    """Train ``model`` for one pass over ``loader``; return the mean loss per sample.

    Args:
        max_steps: stop after this many batches (``None``: the whole loader).
        on_step: called with each batch's loss (a float), e.g. to log it to TensorBoard;
            called before ``scheduler`` steps, so the learning rate is still this batch's.
        transform: applied to each batch of images on the device (e.g. augmentation).
        scheduler: a per-batch learning-rate schedule (e.g. ``OneCycleLR``), stepped after
            every ``optimizer.step()``.
        progress: show a tqdm progress bar.
    """
    model.train()
    total, count = 0.0, 0
    steps = len(loader) if max_steps is None else min(max_steps, len(loader))
    for i, (imgs, targets) in enumerate(tqdm(loader, total=steps, desc=desc, disable=not progress, leave=False)):
        if i >= steps:
            break
        imgs, targets = imgs.to(device), targets.to(device)
        if transform is not None:
            imgs = transform(imgs)
        outputs = model(imgs)                # 1. forward pass
        loss = loss_fn(outputs, targets)     # 2. loss
        optimizer.zero_grad()                # 3. clear old gradients
        loss.backward()                      # 4. backpropagation
        optimizer.step()                     # 5. update the parameters
        total += loss.item() * imgs.size(0)  # per-sample sum, no graph kept
        count += imgs.size(0)
        if on_step is not None:
            on_step(loss.item())
        if scheduler is not None:
            scheduler.step()
    return total / max(count, 1)


@torch.no_grad()
def evaluate(
    model: nn.Module,
    loader: DataLoader,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    device: torch.device,
    *,
    progress: bool = False,
) -> tuple[float, float]:
    """Return ``(mean loss per sample, accuracy)`` of ``model`` on ``loader``, in eval mode."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    for imgs, targets in tqdm(loader, desc="eval", disable=not progress, leave=False):
        imgs, targets = imgs.to(device), targets.to(device)
        outputs = model(imgs)
        total_loss += loss_fn(outputs, targets).item() * imgs.size(0)
        correct += (outputs.argmax(dim=1) == targets).sum().item()
        count += imgs.size(0)
    return total_loss / max(count, 1), correct / max(count, 1)


def fit(
    model: nn.Module,
    train_loader: DataLoader,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    epochs: int,
    device: torch.device,
    *,
    test_loader: DataLoader | None = None,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    scheduler_per_batch: bool = False,
    transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    test_loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
    writer=None,
    progress: bool = True,
    verbose: bool = True,
) -> History:
    """Train for ``epochs`` epochs, evaluating on ``test_loader`` after each one.

    Args:
        scheduler: a learning-rate schedule, stepped once per epoch after training, or after
            every batch with ``scheduler_per_batch=True`` (e.g. ``OneCycleLR``).
        transform: applied to each training batch of images (e.g. augmentation).
        test_loss_fn: the loss reported on ``test_loader`` (default ``loss_fn``), e.g. plain
            cross-entropy when training with label smoothing.
        writer: a TensorBoard ``SummaryWriter``; logs ``train/step_loss`` and ``train/lr``
            per batch and ``train/loss``, ``test/loss``, ``test/accuracy`` per epoch.
        progress: show tqdm progress bars.
        verbose: print one line per epoch.
    """
    history = History()
    model.to(device)
    test_loss_fn = loss_fn if test_loss_fn is None else test_loss_fn

    def on_step(value: float) -> None:
        if writer is not None:
            writer.add_scalar("train/step_loss", value, len(history.step_loss))
            writer.add_scalar("train/lr", optimizer.param_groups[0]["lr"], len(history.step_loss))
        history.step_loss.append(value)

    for epoch in range(1, epochs + 1):
        train_loss = train_one_epoch(model, train_loader, loss_fn, optimizer, device,
                                     progress=progress, desc=f"epoch {epoch}", on_step=on_step,
                                     transform=transform, scheduler=scheduler if scheduler_per_batch else None)
        history.train_loss.append(train_loss)
        line = f"epoch {epoch:>2}: train loss {train_loss:.4f}"
        if writer is not None:
            writer.add_scalar("train/loss", train_loss, epoch)
        if test_loader is not None:
            test_loss, accuracy = evaluate(model, test_loader, test_loss_fn, device)
            history.test_loss.append(test_loss)
            history.test_accuracy.append(accuracy)
            line += f", test loss {test_loss:.4f}, test accuracy {accuracy:.1%}"
            if writer is not None:
                writer.add_scalar("test/loss", test_loss, epoch)
                writer.add_scalar("test/accuracy", accuracy, epoch)
        if scheduler is not None and not scheduler_per_batch:
            scheduler.step()
        if verbose:
            print(line)
    return history
