"""Exercises of 01_module."""
from __future__ import annotations


import torch
from torch import nn

from . import exercise, whole_number


def _first_line(err: Exception) -> str:
    return f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"


@exercise("01.1", task="How many parameters (weights and biases) does Linear(1024, 64) have?",
          hint="Linear(n_in, n_out) holds an n_out x n_in weight matrix and n_out biases; "
               "check with sum(p.numel() for p in Linear(1024, 64).parameters()).")
def _linear_parameters(answer):
    n = whole_number(answer)
    if n is None:
        return f"the answer should be a whole number (got {answer!r})."
    if n == 1024 * 64 + 64:
        return None
    if n == 1024 * 64:
        return "that counts the weights only; each of the 64 outputs also has a bias."
    if n == 1024 + 64:
        return "that adds the sizes; every one of the 64 outputs has a weight for each of the 1024 inputs."
    return f"{n} is not the number of weights plus biases of Linear(1024, 64)."


@exercise("01.2", task="Write an nn.Module subclass with conv1 = Conv2d(3, 6, 3) whose forward returns conv1(x); give an instance.",
          hint="class MyConv(nn.Module): __init__ calls super().__init__() then sets self.conv1 = nn.Conv2d(3, 6, 3); "
               "forward(self, x) returns self.conv1(x). The answer is MyConv(), an instance.")
def _conv_module(answer):
    if isinstance(answer, type):
        return "that is the class itself; give an instance, e.g. MyConv() with parentheses."
    if not isinstance(answer, nn.Module):
        return f"the answer should be an nn.Module instance (got {type(answer).__name__})."
    if type(answer).__module__.startswith("torch."):
        return f"that is PyTorch's own {type(answer).__name__}; write your own nn.Module subclass that holds it as conv1."
    conv = getattr(answer, "conv1", None)
    if not isinstance(conv, nn.Conv2d):
        return "your module has no attribute conv1 that is an nn.Conv2d."
    if (conv.in_channels, conv.out_channels, conv.kernel_size) != (3, 6, (3, 3)):
        return (f"conv1 is Conv2d({conv.in_channels}, {conv.out_channels}, kernel_size={conv.kernel_size}); "
                "it should be Conv2d(3, 6, 3).")
    try:
        with torch.no_grad():
            out = answer(torch.zeros(2, 3, 32, 32, device=conv.weight.device))
    except Exception as err:  # a broken forward
        return f"calling your module on a [2, 3, 32, 32] batch fails ({_first_line(err)})."
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (2, 6, 30, 30):
        shape = list(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        return f"a [2, 3, 32, 32] batch should give [2, 6, 30, 30], yours gives {shape}; forward should return self.conv1(x)."
    return None


@exercise("01.3", task="Build the tutorial's model for 64x64 images as one nn.Sequential: [N, 3, 64, 64] -> [N, 10].",
          hint="Three 2x2 poolings shrink 64 to 8, so Flatten gives 64 * 8 * 8 numbers: that is the first Linear's in_features.")
def _model_for_64(answer):
    if not isinstance(answer, nn.Sequential):
        return f"the answer should be an nn.Sequential (got {type(answer).__name__})."
    kinds = [type(m).__name__ for m in answer.modules() if len(list(m.children())) == 0]
    expected = ["Conv2d", "MaxPool2d"] * 3 + ["Flatten", "Linear", "Linear"]
    if kinds != expected:
        return f"the layers should be {expected}, as in the tutorial; yours are {kinds}."
    device = next(answer.parameters()).device
    try:
        with torch.no_grad():
            out = answer(torch.zeros(2, 3, 64, 64, device=device))
    except RuntimeError as err:
        return (f"a [2, 3, 64, 64] batch does not go through ({_first_line(err)}); "
                "which layer's size depends on the image size?")
    if tuple(out.shape) != (2, 10):
        return f"a [2, 3, 64, 64] batch should give [2, 10], yours gives {list(out.shape)}."
    convs = [m for m in answer.modules() if isinstance(m, nn.Conv2d)]
    if [(c.in_channels, c.out_channels) for c in convs] != [(3, 32), (32, 32), (32, 64)]:
        return "keep the tutorial's channels: Conv2d(3, 32, ...), Conv2d(32, 32, ...), Conv2d(32, 64, ...)."
    return None
