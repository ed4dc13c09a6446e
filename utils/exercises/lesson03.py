"""Exercises of 03_pooling."""
from __future__ import annotations

import torch
from torch import nn

from . import exercise, whole_number

#: The tutorial's 5x5 input of the pooling section.
TUTORIAL_INPUT = torch.tensor([[1, 2, 0, 3, 1],
                               [0, 1, 2, 3, 1],
                               [1, 2, 1, 0, 0],
                               [5, 2, 3, 1, 1],
                               [2, 1, 0, 1, 1]], dtype=torch.float32)


@exercise("03.1", task="Give the output height of MaxPool2d(kernel_size=5, ceil_mode=True) on a 32x32 image.",
          hint="(32 - 5) / 5 + 1 = 6.4 windows fit; ceil_mode=True rounds up, keeping the partial last window.")
def _ceil_output_size(answer):
    value = whole_number(answer)
    if value is None:
        return f"{answer!r} is not a whole number; a height counts windows."
    if value == 7:
        return None
    if value == 6:
        return "6 is the height with ceil_mode=False (floor); ceil_mode=True keeps the last, partial window too."
    if value == 28:
        return "28 is the height with stride 1; for pooling the stride defaults to kernel_size (5)."
    return f"{value} is not the output height; count the windows of 5 that start at 0, 5, 10, … inside 32 pixels."


@exercise("03.2", task="Build a pooling layer that turns [64, 3, 32, 32] into [64, 3, 16, 16].",
          hint="The tutorial's model uses MaxPool2d(2): a 2x2 window, and stride defaults to the window size.")
def _halving_pool(answer):
    if not isinstance(answer, nn.Module):
        return f"expected a layer (an nn.Module such as nn.MaxPool2d(...)), got {type(answer).__name__}."
    if type(answer).__module__ != nn.MaxPool2d.__module__:
        return f"{type(answer).__name__} is not a pooling layer; use one of torch.nn's pooling layers (MaxPool2d, AvgPool2d, …)."
    with torch.no_grad():
        shape = tuple(answer(torch.rand(64, 3, 32, 32)).shape)
    if shape == (64, 3, 16, 16):
        return None
    return f"your layer gives {list(shape)}, not [64, 3, 16, 16]."


@exercise("03.3", task="Give MaxPool2d(kernel_size=2) (ceil_mode=False) of the tutorial's 5x5 input.",
          hint="The 2x2 windows start at rows/columns 0 and 2 (stride 2); the last row and column are left over.")
def _kernel_two_on_tutorial_input(answer):
    expected = nn.MaxPool2d(2)(TUTORIAL_INPUT.reshape(1, 1, 5, 5))[0, 0]
    got = torch.as_tensor(answer, dtype=torch.float32)
    while got.dim() > 2 and got.shape[0] == 1:
        got = got[0]
    if got.shape != expected.shape:
        if got.shape == (3, 3):
            return "a 3x3 result is what ceil_mode=True gives; with ceil_mode=False a window must fit entirely."
        return f"your answer has shape {list(got.shape)}, but 2x2 windows with stride 2 fit 2x2 times in 5x5."
    if torch.equal(got, expected):
        return None
    wrong = int((got != expected).sum())
    return f"{wrong} of the 4 values are off; each is the largest of a 2x2 block of the input."
