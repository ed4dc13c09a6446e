"""Solutions of 05_activations' exercises."""
import torch
from torch import nn


def _inplace_alias():
    x = torch.tensor([-2.0, 0.5, 3.0])
    y = nn.ReLU(inplace=True)(x)  # y is x itself: x is now [0.0, 0.5, 3.0]
    y[0] = 7.0                    # so this writes into x as well
    return x[0].item()            # 7.0


def my_relu(x):
    """ReLU by hand: keep positive values, 0 elsewhere; returns a new tensor."""
    return torch.where(x > 0, x, torch.zeros_like(x))


def _running_mean():
    bn = nn.BatchNorm2d(1)                     # running_mean starts at 0, momentum=0.1
    bn(torch.full((4, 1, 2, 2), 2.0))          # a batch with mean 2.0: 0.9 * 0 + 0.1 * 2.0 = 0.2
    bn(torch.full((4, 1, 2, 2), 4.0))          # a batch with mean 4.0: 0.9 * 0.2 + 0.1 * 4.0 = 0.58
    return bn.running_mean.item()


def _relu_and_pooling_commute():
    # ReLU keeps the order of numbers, so max then clip = clip then max; on random inputs:
    x = torch.randn(16, 3, 32, 32)
    pool, relu = nn.MaxPool2d(2), nn.ReLU()
    assert torch.equal(relu(pool(x)), pool(relu(x)))
    return "a"


def _inplace_relu(x):
    return x.clamp_(min=0)  # right values, but overwrites x


SOLUTIONS = {
    "05.1": _inplace_alias,
    "05.2": lambda: my_relu,
    "05.3": _running_mean,
    "05.4": _relu_and_pooling_commute,
}

WRONG = {
    "05.1": [-2.0, 0.0, 0.5, "7"],  # -2.0: y taken for a copy; 0.0: x relu-ed, but y[0] = 7.0 missed
    "05.2": [torch.abs, torch.sigmoid, _inplace_relu, lambda x: None, my_relu(torch.tensor([1.0, -1.0])),
             torch.relu, nn.functional.relu, nn.ReLU(), lambda x: x.relu()],  # the shortcuts the task forbids
    "05.3": [3.0, 0.6, 0.4, 0.2, 3.78, torch.tensor([0.58, 0.58])],
    "05.4": ["b", "c", "d", "yes"],
}
