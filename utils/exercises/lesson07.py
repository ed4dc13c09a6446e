"""Exercises of 07_optimizers."""
from __future__ import annotations

import torch
from torch import nn

from . import exercise


def _close(a, b, tol=1e-4) -> bool:
    return abs(float(a) - float(b)) < tol


class _OneWeight(nn.Module):
    """The lesson's one-weight model: output = w * x."""

    def __init__(self, w: float = 2.0):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(w))

    def forward(self, x):
        return self.w * x


@exercise("07.1", task="w.grad of OneWeight(1.0) with x = 3, y = 0 and MSELoss, after two backward() calls without zero_grad().",
          hint="One backward() gives 2 * (w*x - y) * x = 2 * 3 * 3; backward() adds to .grad instead of replacing it.")
def _accumulated_gradient(answer):
    if _close(answer, 36.0):
        return None
    if _close(answer, 18.0):
        return "18 is the gradient of one backward(); the second one adds to it."
    if _close(answer, -36.0) or _close(answer, -18.0):
        return "check the sign: w * x = 3 is above the target 0, so the loss grows with w and the gradient is positive."
    if _close(answer, 9.0):
        return "the loss is (w*x - y)^2, so its derivative is 2 * (w*x - y) * x, not (w*x - y) * x."
    return f"{float(answer):.4f} is not twice 2 * (w*x - y) * x."


@exercise("07.2", task="w after one step of SGD(lr=0.01, weight_decay=0.5) on OneWeight() (w = 2) with x = 2, y = 8.",
          hint="w - lr * (grad + weight_decay * w) with grad = 2 * (2*2 - 8) * 2 = -16.")
def _weight_decay_step(answer):
    if _close(answer, 2.15):
        return None
    if _close(answer, 2.16):
        return "that is plain SGD; weight_decay adds 0.5 * w to the gradient before the step."
    if _close(answer, 2.17):
        return "weight decay pulls w towards 0: add +0.5 * w to the gradient (-16 + 1.0), not -0.5 * w."
    if _close(answer, 2.155):
        return "the gradient gains weight_decay * w = 0.5 * 2, not (weight_decay / 2) * w."
    return f"{float(answer):.4f} is not 2 - 0.01 * (-16 + 0.5 * 2)."


@exercise("07.3", task="Write train_step(model, loss_fn, optimizer, imgs, targets) -> the batch's loss as a float.",
          hint="outputs = model(imgs); loss = loss_fn(outputs, targets); optimizer.zero_grad(); loss.backward(); "
               "optimizer.step(); return loss.item()")
def _train_step(answer):
    if not callable(answer):
        return f"the answer should be a function, not a {type(answer).__name__}."
    model = _OneWeight()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    imgs, targets = torch.tensor([2.0]), torch.tensor([8.0])
    first = answer(model, loss_fn, optimizer, imgs, targets)
    if isinstance(first, torch.Tensor):
        return "it returns a tensor; return loss.item(), a plain float that keeps no graph alive."
    if not isinstance(first, float):
        return f"it returns a {type(first).__name__}; return loss.item(), a float."
    if not _close(first, 16.0):
        return f"the first call should return the loss before the step, (2*2 - 8)^2 = 16.0, not {first}."
    w1 = model.w.item()
    if _close(w1, 2.0, 1e-6):
        return ("after one call w has not moved: step() must come after backward(), with no zero_grad() "
                "between them.")
    if not _close(w1, 2.16):
        return f"after one call w should be 2 - 0.01 * (-16) = 2.16, but it is {w1:.4f}."
    second = answer(model, loss_fn, optimizer, imgs, targets)
    w2 = model.w.item()
    if _close(w2, 2.4672):
        return "the second step used the sum of both gradients: call optimizer.zero_grad() before loss.backward()."
    if not _close(w2, 2.3072):
        return f"after two calls w should be 2.3072, but it is {w2:.4f}."
    if not _close(second, (2.16 * 2 - 8) ** 2):
        return f"the second call should return the loss at w = 2.16, 13.5424, not {second}."
    return None


@exercise("07.4", task="The per-image mean loss of an epoch: 64 images with mean loss 2.0, then 16 with mean loss 1.0.",
          hint="Sum loss.item() * imgs.size(0) over the batches (64 * 2.0 + 16 * 1.0), then divide by all the images.")
def _per_image_mean(answer):
    if _close(answer, 1.8):
        return None
    if _close(answer, 1.5):
        return "that is the mean of the two batch means; the batch of 64 holds four times as many images."
    if _close(answer, 144.0):
        return "that is the sum over all images; divide it by the number of images, 80."
    if _close(answer, 3.0):
        return "that is running_loss, the sum of the batch means; weigh each by its batch size and divide by 80."
    return f"{float(answer):.4f} is not (64 * 2.0 + 16 * 1.0) / 80."
