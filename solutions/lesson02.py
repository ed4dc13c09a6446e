"""Solutions of 02_convolution's exercises."""
import torch
import torch.nn.functional as F
from torch import nn

from utils import conv_output_size


def my_conv2d(input, kernel, stride=1):
    """02.3: the convolution of a 2-D input with a 2-D kernel, by hand (no padding, no flip)."""
    kh, kw = kernel.shape
    h_out = (input.shape[0] - kh) // stride + 1
    w_out = (input.shape[1] - kw) // stride + 1
    output = torch.zeros(h_out, w_out, dtype=torch.result_type(input, kernel))
    for i in range(h_out):
        for j in range(w_out):
            r, c = i * stride, j * stride
            output[i, j] = (input[r:r + kh, c:c + kw] * kernel).sum()
    return output


def _ignores_stride(input, kernel, stride=1):
    return my_conv2d(input, kernel)


def _flips_kernel(input, kernel, stride=1):
    return F.conv2d(input[None, None], kernel.flip(0, 1)[None, None], stride=stride)[0, 0]


SOLUTIONS = {
    "02.1": lambda: tuple(nn.Conv2d(3, 16, kernel_size=5, stride=2, padding=1)(torch.zeros(1, 3, 32, 32)).shape[1:]),
    "02.2": lambda: next(p for p in range(5) if conv_output_size(32, 5, padding=p) == 32),  # 2
    "02.3": lambda: my_conv2d,
    "02.4": lambda: torch.reshape(torch.zeros(64, 6, 30, 30), (-1, 3, 30, 30)).shape[0],  # 128
}

WRONG = {
    "02.1": [(16, 16, 16), (3, 15, 15), (16, 14, 14)],
    "02.2": [5, 4, 1],
    "02.3": [_ignores_stride, _flips_kernel, 42],
    "02.4": [64, 384, 6],
}
