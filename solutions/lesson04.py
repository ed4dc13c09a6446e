"""Solutions of 04_pooling's exercises."""
import math

import torch
from torch import nn

from utils import conv_output_size
from utils.exercises.lesson04 import TUTORIAL_INPUT


def my_max_pool2d(x, kernel_size, ceil_mode=False):
    """04.2: max pooling of a 2-D tensor by hand; the stride is kernel_size, as in nn.MaxPool2d."""
    k = kernel_size
    rounding = math.ceil if ceil_mode else math.floor
    h_out = rounding((x.shape[0] - k) / k) + 1
    w_out = rounding((x.shape[1] - k) / k) + 1
    output = torch.zeros(h_out, w_out, dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            output[i, j] = x[i * k:i * k + k, j * k:j * k + k].max()  # past the edge: a smaller window
    return output


def _stride_one(x, kernel_size, ceil_mode=False):  # windows that overlap: they move by 1, not by kernel_size
    k = kernel_size
    output = torch.zeros(x.shape[0] - k + 1, x.shape[1] - k + 1, dtype=x.dtype)
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            output[i, j] = x[i:i + k, j:j + k].max()
    return output


def _wraps_max_pool2d(x, kernel_size, ceil_mode=False):  # the library shortcut the task forbids
    return torch.nn.functional.max_pool2d(x[None, None], kernel_size, ceil_mode=ceil_mode)[0, 0]


def _wraps_max_pool_layer(x, kernel_size, ceil_mode=False):  # the same shortcut through nn.MaxPool2d
    return nn.MaxPool2d(kernel_size, ceil_mode=ceil_mode)(x[None, None])[0, 0]


def _ignores_ceil_mode(x, kernel_size, ceil_mode=False):
    return my_max_pool2d(x, kernel_size)


def _zero_padded(x, kernel_size, ceil_mode=False):  # a partial window gets zeros where the image ends
    k = kernel_size
    padded = torch.nn.functional.pad(x, (0, k, 0, k))
    full = my_max_pool2d(padded, k)
    h_out = conv_output_size(x.shape[0], k, k, ceil_mode=ceil_mode)
    w_out = conv_output_size(x.shape[1], k, k, ceil_mode=ceil_mode)
    return full[:h_out, :w_out]


def _average(x, kernel_size, ceil_mode=False):
    return nn.AvgPool2d(kernel_size, ceil_mode=ceil_mode)(x[None, None])[0, 0]


SOLUTIONS = {
    "04.1": lambda: 14,  # (30 - 5) / 2 + 1 = 13.5 windows; ceil_mode=True keeps a 14th, partial one
    "04.2": lambda: my_max_pool2d,
    "04.3": lambda: [[2, 3], [5, 3]],  # windows rows 0-1 / 2-3 and columns 0-1 / 2-3
    "04.4": lambda: "d",
}

WRONG = {
    "04.1": [13, 6, 26, 15, 13.5, "14 rows"],
    "04.2": [_stride_one, _ignores_ceil_mode, _zero_padded, _average, _wraps_max_pool2d, _wraps_max_pool_layer,
             nn.MaxPool2d(2)],
    "04.3": [[[2.0]], [[2, 3], [5, 1]], [[2, 3, 1], [5, 3, 1], [2, 1, 1]], [[2, 3], [5, 4]], "2 3 5 3",
             nn.MaxPool2d(2)(TUTORIAL_INPUT.reshape(1, 1, 5, 5))],  # right numbers, but computed by a layer
    "04.4": ["a", "b", "c", "brighter"],
}
