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


def _average(x, kernel_size, ceil_mode=False):  # each window's mean: average pooling, by hand
    k = kernel_size
    rounding = math.ceil if ceil_mode else math.floor
    h_out, w_out = rounding((x.shape[0] - k) / k) + 1, rounding((x.shape[1] - k) / k) + 1
    return torch.tensor([[x[i * k:i * k + k, j * k:j * k + k].mean().item() for j in range(w_out)] for i in range(h_out)])


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


def _square_only(x, kernel_size, ceil_mode=False):  # assumes a square input: one count for rows and columns
    k = kernel_size
    n = (math.ceil if ceil_mode else math.floor)((x.shape[0] - k) / k) + 1
    output = torch.zeros(n, n, dtype=x.dtype)
    for i in range(n):
        for j in range(n):
            output[i, j] = x[i * k:i * k + k, j * k:j * k + k].max()
    return output


#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "04.1": [(13, "ceil_mode=False", "ceil_mode=False"), (6, "default stride", "默认步长"), (26, "stride 1", "步长为 1"),
             (15, "30 / 2", "30 / 2")],
    "04.2": [(_square_only, "square inputs", "正方形"), (_stride_one, "move by 1", "只移动 1"),
             (_ignores_ceil_mode, "partial window is kept", "不完整的窗口也要保留"), (_zero_padded, "as 0", "当成了 0"),
             (_average, "average pooling", "平均池化"), (_wraps_max_pool2d, "PyTorch's own pooling", "自带的池化")],
    "04.3": [([[2, 3, 1], [5, 3, 1], [2, 1, 1]], "ceil_mode=True", "ceil_mode=True"),
             (WRONG["04.3"][-1], "a layer computed them", "让层替你算了"),
             ([[2, 3, 3, 3], [2, 2, 3, 3], [5, 3, 3, 1], [5, 3, 3, 1]], "moving by 1", "移动 1"),
             ([[2, 3], [5, 1]], "1 of the 4 values", "4 个数中有 1 个")],
    "04.4": [("a", "no weights", "没有权重"), ("b", "just as small", "同样小"), ("c", "drops the same last row", "同样的最后一行")],
}
#: Right answers as learners type them.
ACCEPTED = {"04.1": [14, 14.0], "04.3": [[[2, 3], [5, 3]], [[2.0, 3.0], [5.0, 3.0]], [[[[2, 3], [5, 3]]]], ((2, 3), (5, 3))],
            "04.4": ["d.", "D"]}
