"""Look inside a model: count its parameters, list each layer's output shape, predict sizes."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of (trainable) parameter elements in ``model``; 145,578 for :class:`Tudui`."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


@dataclass(frozen=True)
class LayerRow:
    """One row of :func:`layer_table`: a leaf layer and the shape it outputs."""

    name: str
    layer: str
    output_shape: tuple[int, ...]
    parameters: int


def layer_table(model: nn.Module, input_shape: tuple[int, ...] = (1, 3, 32, 32)) -> list[LayerRow]:
    """Run a zero tensor of ``input_shape`` through ``model`` and record each leaf layer's output.

    Uses forward hooks, so it works for any model, however its ``forward`` is written.
    The model's device is respected; its train/eval mode, weights and buffers are left as they
    were (the pass runs in eval mode, so BatchNorm's running statistics do not move).
    """
    rows: list[LayerRow] = []
    hooks = []
    for name, module in model.named_modules():
        if len(list(module.children())) == 0:
            def hook(mod, _inputs, output, name=name):
                rows.append(LayerRow(name, type(mod).__name__, tuple(output.shape),
                                     sum(p.numel() for p in mod.parameters())))
            hooks.append(module.register_forward_hook(hook))
    try:
        device = next(model.parameters()).device
    except StopIteration:
        device = torch.device("cpu")
    modes = {module: module.training for module in model.modules()}
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(input_shape, device=device))
    finally:
        for h in hooks:
            h.remove()
        for module, training in modes.items():
            module.training = training
    return rows


def _width(text: str) -> int:
    """How many columns ``text`` takes in a monospaced font (a Chinese character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


def print_layer_table(model: nn.Module, input_shape: tuple[int, ...] = (1, 3, 32, 32)) -> None:
    """Print :func:`layer_table` as an aligned text table (shapes without the batch size), its header in the
    course's language (:mod:`utils.messages`)."""
    from .messages import msg

    rows = layer_table(model, input_shape)
    print(_left(msg("summary.layer"), 22) + _left(msg("summary.output"), 22) + _right(msg("summary.params"), 10))
    print(_left(msg("summary.input"), 22) + _left(" x ".join(map(str, input_shape[1:])), 22) + " " * 10)
    for row in rows:
        label = f"{row.name} {row.layer}"
        print(f"{label:<22}{' x '.join(map(str, row.output_shape[1:])):<22}{row.parameters:>10,}")
    print(_left(msg("summary.total"), 22) + " " * 22 + f"{count_parameters(model):>10,}")


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1, ceil_mode: bool = False) -> int:
    """The output height (or width) of a convolution or pooling layer, from PyTorch's docs.

    ``H_out = floor((H_in + 2*padding - dilation*(kernel_size - 1) - 1) / stride + 1)``,
    with ``ceil`` instead of ``floor`` when ``ceil_mode=True`` (pooling only; as in
    PyTorch, a last window that would start entirely in the right padding is dropped).
    """
    span = size + 2 * padding - dilation * (kernel_size - 1) - 1
    if ceil_mode:
        out = -(-span // stride) + 1
        if (out - 1) * stride >= size + padding:
            out -= 1
        return out
    return span // stride + 1


__all__ = ["LayerRow", "conv_output_size", "count_parameters", "layer_table", "print_layer_table"]
