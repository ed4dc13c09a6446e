"""Solutions of 03_convolution's exercises."""
import torch
import torch.nn.functional as F
from torch import nn


def my_conv2d(input, kernel, stride=1):
    """03.3: the convolution of a 2-D input with a 2-D kernel, by hand (no padding, no flip)."""
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


def _flips_kernel(input, kernel, stride=1):  # the mathematicians' convolution
    return my_conv2d(input, kernel.flip(0, 1), stride=stride)


def _wraps_conv2d(input, kernel, stride=1):  # the library shortcut the task forbids
    return F.conv2d(input[None, None], kernel[None, None], stride=stride)[0, 0]


def _wraps_conv2d_layer(input, kernel, stride=1):  # the same shortcut through nn.Conv2d
    layer = nn.Conv2d(1, 1, tuple(kernel.shape), stride=stride, bias=False)
    with torch.no_grad():
        layer.weight.copy_(kernel.float())
        return layer(input.float()[None, None])[0, 0]


def _one_window_too_few(input, kernel, stride=1):  # range(H - kH) instead of range(H - kH + 1)
    kh, kw = kernel.shape
    h_out, w_out = (input.shape[0] - kh) // stride, (input.shape[1] - kw) // stride
    return torch.stack([torch.stack([(input[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel).sum()
                                     for j in range(w_out)]) for i in range(h_out)]) if h_out and w_out else torch.zeros(0)


SOLUTIONS = {
    "03.1": lambda: (16, 15, 15),  # C = out_channels; floor((32 + 2 - 4 - 1) / 2 + 1) = 15
    "03.2": lambda: 2,  # 32 + 2p - (5 - 1) = 32
    "03.3": lambda: my_conv2d,
    "03.4": lambda: "c",
    "03.5": lambda: 1664,  # 64 kernels of 32 / 32 = 1 channel of 5x5, plus 64 biases
}

WRONG = {
    "03.1": [(16, 16, 16), (3, 15, 15), (16, 14, 14), (16, 30, 30), "16, 15, 15"],
    "03.2": [4, 1, 5, "2.5"],
    "03.3": [_ignores_stride, _flips_kernel, _one_window_too_few, _wraps_conv2d, _wraps_conv2d_layer, 42],
    "03.4": ["a", "b", "d", "edges"],
    "03.5": [51264, 1600, 1632, 1602, 864, 114, 1664.5],
}


def _square_only(input, kernel, stride=1):  # assumes square inputs and kernels: one size for rows and columns
    k = kernel.shape[0]
    n = (input.shape[0] - k) // stride + 1
    output = torch.zeros(n, n, dtype=torch.result_type(input, kernel))
    for i in range(n):
        for j in range(n):
            output[i, j] = (input[i * stride:i * stride + k, j * stride:j * stride + k] * kernel).sum()
    return output


#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "03.1": [((16, 16, 16), "rounds down", "向下取整"), ((3, 15, 15), "out_channels", "out_channels"),
             ((16, 14, 14), "without padding", "不加填充"), ((16, 30, 30), "stride 1", "步长为 1")],
    "03.2": [(4, "counts twice", "算两次"), (1, "3x3 kernel", "3x3 卷积核"), (0, "fits 28 times", "28 个位置"),
             (5, "kernel size", "卷积核的大小")],
    "03.3": [(_square_only, "square", "正方形"), (_ignores_stride, "ignores stride", "忽略了 stride"),
             (_flips_kernel, "flipped", "翻转"), (_one_window_too_few, "one row and one column short", "少了一行一列"),
             (_wraps_conv2d, "PyTorch's own convolution", "自带的卷积")],
    "03.4": [("a", "the weights are random", "权重是随机的"), ("b", "one number per output channel", "每个输出通道一个数"),
             ("d", "only draws the channels", "只画出")],
    "03.5": [(51264, "groups=1", "groups=1"), (1600, "weights only", "只算了权重"), (1632, "not the biases", "不是偏差"),
             (864, "one 5x5 kernel per input channel", "每个输入通道一个"), (114, "divided both", "都除以了")],
}
#: Right answers as learners type them.
ACCEPTED = {"03.1": [[16, 15, 15], torch.Size([16, 15, 15]), (1, 16, 15, 15), torch.tensor([16, 15, 15])],
            "03.2": [2, 2.0, "same"], "03.4": ["c.", "(c)"]}
