"""Solutions of 04_activations' exercises."""
import torch
from torch import nn


def _sigmoid_range():
    # Sigmoid only grows, so the darkest pixel (0) and the brightest (1) give the ends.
    return torch.sigmoid(torch.tensor(0.0)).item(), torch.sigmoid(torch.tensor(1.0)).item()


def my_relu(x):
    """ReLU by hand: keep positive values, 0 elsewhere; returns a new tensor."""
    return torch.where(x > 0, x, torch.zeros_like(x))


def _running_mean():
    bn = nn.BatchNorm2d(1)                     # running_mean starts at 0, momentum=0.1
    bn(torch.full((4, 1, 2, 2), 2.0))          # one batch with mean 2.0, in train mode
    return bn.running_mean.item()              # 0.9 * 0 + 0.1 * 2.0 = 0.2


def _inplace_relu(x):
    return x.clamp_(min=0)  # right values, but overwrites x


SOLUTIONS = {
    "04.1": _sigmoid_range,
    "04.2": lambda: my_relu,
    "04.3": _running_mean,
}

WRONG = {
    "04.1": [(0.0, 1.0), (0.2689, 0.7311), (0.5, 1.0), "0.5-0.73"],
    "04.2": [torch.abs, torch.sigmoid, _inplace_relu, lambda x: None, my_relu(torch.tensor([1.0, -1.0]))],
    "04.3": [2.0, 1.8, 0.0, torch.tensor([2.0])],
}
