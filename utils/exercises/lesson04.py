"""Exercises of 04_activations."""
from __future__ import annotations

import math

import torch

from . import exercise


@exercise("04.1", task="Give the range (low, high) that Sigmoid maps ToTensor images (values in [0, 1]) into.",
          hint="Sigmoid only grows, so [0, 1] goes to [sigmoid(0), sigmoid(1)]; compute both with torch.sigmoid.")
def _sigmoid_range(answer):
    low, high = (float(v) for v in answer)
    want_low, want_high = 0.5, 1 / (1 + math.exp(-1))
    if abs(low - want_low) < 1e-3 and abs(high - want_high) < 1e-3:
        return None
    if abs(low) < 1e-3 and abs(high - 1) < 1e-3:
        return "(0, 1) is the range of Sigmoid over all numbers; image pixels are only the inputs 0 to 1."
    if abs(low - 1 / (1 + math.exp(1))) < 1e-3:
        return f"{low:.4f} is sigmoid(-1); the darkest pixel is 0, not -1."
    problems = []
    if abs(low - want_low) >= 1e-3:
        problems.append(f"low={low:g} is not sigmoid of the smallest pixel value")
    if abs(high - want_high) >= 1e-3:
        problems.append(f"high={high:g} is not sigmoid of the largest pixel value")
    return "; ".join(problems) + "."


@exercise("04.2", task="Write ReLU yourself: a function that returns a new tensor max(0, x), leaving x unchanged.",
          hint="Keep x where x > 0 and use 0 elsewhere: torch.where(x > 0, x, torch.zeros_like(x)), or x.clamp(min=0).")
def _own_relu(answer):
    if not callable(answer):
        return f"expected a function (such as my_relu), got {type(answer).__name__}."
    x = torch.tensor([[1.0, -0.5, 0.0], [-1.0, 3.0, -2.5]])
    original = x.clone()
    out = answer(x)
    if not isinstance(out, torch.Tensor):
        return f"your function returned {type(out).__name__}, not a tensor."
    if not torch.equal(x, original):
        return "your function changed its input: that is inplace=True behaviour; return a new tensor instead."
    if out.shape != x.shape:
        return f"ReLU keeps the shape: input {list(x.shape)}, your output {list(out.shape)}."
    expected = torch.tensor([[1.0, 0.0, 0.0], [0.0, 3.0, 0.0]])
    if torch.allclose(out.float(), expected):
        return None
    if torch.allclose(out.float(), torch.sigmoid(x)):
        return "that is Sigmoid, not ReLU."
    return f"for {x.tolist()} your function gives {out.tolist()}, but ReLU gives {expected.tolist()}."


@exercise("04.3", task="Give running_mean of a fresh BatchNorm2d(1) after one train-mode batch whose mean is 2.0.",
          hint="running_mean starts at 0 and moves 10% (momentum=0.1) of the way to the batch mean.")
def _running_mean(answer):
    if isinstance(answer, torch.Tensor):
        answer = answer.reshape(-1)[0].item() if answer.numel() == 1 else answer
    value = float(answer)
    if abs(value - 0.2) < 1e-4:
        return None
    if abs(value - 2.0) < 1e-4:
        return "2.0 is the batch mean; the running mean only moves part of the way there from its start at 0."
    if abs(value - 1.8) < 1e-4:
        return "1.8 = 0.9 × 2.0 swaps the weights: the new batch counts with momentum=0.1, the old value (0) with 0.9."
    if abs(value) < 1e-4:
        return "the running mean does change in train mode (it stays put only in eval mode)."
    return f"{value:g} is not it; compute (1 - 0.1) × 0 + 0.1 × 2.0."
