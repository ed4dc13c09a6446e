"""Exercises of 02_convolution."""
from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F

from . import exercise, whole_number


@exercise("02.1", task="Output shape (C, H, W) of Conv2d(3, 16, kernel_size=5, stride=2, padding=1) on a 3x32x32 image?",
          hint="C is out_channels; H = W = floor((32 + 2*1 - 1*(5 - 1) - 1) / 2 + 1), or conv_output_size(32, 5, stride=2, padding=1).")
def _output_shape(answer):
    try:
        shape = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return f"the answer should be a tuple (C, H, W) of three whole numbers (got {answer!r})."
    if len(shape) == 4 and shape[0] == 1:
        shape = shape[1:]  # (1, C, H, W) from a batch of one is fine
    if len(shape) != 3:
        return f"give three numbers, (C, H, W); got {len(shape)}."
    c, h, w = shape
    if c != 16:
        return f"C = {c}: the number of output channels is the layer's out_channels."
    if (h, w) == (16, 16):
        return "16 x 16 would be right with 'same'-style rounding up; the formula rounds down (floor)."
    if (h, w) != (15, 15):
        return f"H x W = {h} x {w} is not what the formula gives for k=5, s=2, p=1 on 32."
    return None


@exercise("02.2", task="Which padding keeps a 32x32 input at 32x32 with a 5x5 kernel and stride 1?",
          hint="With stride 1 the formula gives H_out = H_in + 2p - (k - 1); solve H_out = H_in for p.")
def _same_padding(answer):
    if isinstance(answer, str) and answer == "same":
        return None  # PyTorch's own spelling of the answer, fine too
    n = whole_number(answer)
    if n is None:
        return f"the answer should be a whole number (got {answer!r})."
    if n == 2:
        return None
    if n == 4 or n == 5:
        return f"padding={n} makes the output {32 + 2 * n - 4} x {32 + 2 * n - 4}: padding is added on both sides."
    return f"padding={n} gives a {32 + 2 * n - 4} x {32 + 2 * n - 4} output, not 32 x 32."


def _cases():
    gen = torch.Generator().manual_seed(2)
    for (h, w), (kh, kw), stride in [((5, 5), (3, 3), 1), ((5, 5), (3, 3), 2), ((6, 7), (3, 3), 2),
                                     ((7, 6), (2, 3), 1), ((8, 9), (3, 2), 3)]:
        x = torch.randint(-3, 4, (h, w), generator=gen)
        k = torch.randint(-3, 4, (kh, kw), generator=gen)
        yield x, k, stride


@exercise("02.3", task="Write my_conv2d(input, kernel, stride=1) for 2-D tensors with loops; it must match F.conv2d.",
          hint="out[i, j] = (input[i*stride : i*stride + kH, j*stride : j*stride + kW] * kernel).sum(), "
               "for i < (H - kH) // stride + 1 and j < (W - kW) // stride + 1.")
def _my_conv2d(answer):
    if not callable(answer):
        return f"the answer should be a function, e.g. answer = my_conv2d (got {type(answer).__name__})."
    for x, k, stride in _cases():
        expected = F.conv2d(x[None, None], k[None, None], stride=stride)[0, 0]
        got = torch.as_tensor(answer(x.clone(), k.clone(), stride=stride))
        case = f"input {tuple(x.shape)}, kernel {tuple(k.shape)}, stride={stride}"
        if tuple(got.shape) != tuple(expected.shape):
            return f"for {case} the output should be {tuple(expected.shape)}, yours is {tuple(got.shape)}."
        if not torch.allclose(got.double(), expected.double()):
            flipped = F.conv2d(x[None, None], k.flip(0, 1)[None, None], stride=stride)[0, 0]
            if torch.allclose(got.double(), flipped.double()):
                return "you flipped the kernel; PyTorch's conv2d does not (it is a cross-correlation)."
            return f"for {case} your numbers differ from F.conv2d's."
    return None


@exercise("02.4", task="How many pictures does add_images show for a [64, 6, 30, 30] output reshaped to (-1, 3, 30, 30)?",
          hint="Count the numbers: 64 * 6 * 30 * 30 in total, 3 * 30 * 30 per picture.")
def _reshaped_count(answer):
    n = whole_number(answer)
    if n is None:
        return f"the answer should be a whole number (got {answer!r})."
    if n == 128:
        return None
    if n == 64:
        return "64 is the number of input images; each of their outputs has 6 channels, i.e. two 3-channel pictures."
    if n == 64 * 6:
        return "that counts one picture per channel; a picture here has 3 channels."
    return f"{n} pictures of 3 x 30 x 30 do not hold the 64 x 6 x 30 x 30 numbers."
