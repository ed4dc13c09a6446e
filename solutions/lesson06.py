"""Solutions of 06_linear's exercises."""
import torch
from torch import nn

from utils import conv_output_size


def _in_features_with_padding_one():
    size = 32
    for _ in range(3):  # three stages of Conv2d(..., 5, padding=1) and MaxPool2d(2)
        size = conv_output_size(size, 5, padding=1)  # 32 -> 30, 15 -> 13, 6 -> 4
        size = conv_output_size(size, 2, stride=2)   # 30 -> 15, 13 -> 6, 4 -> 2
    return 64 * size * size                          # 64 * 2 * 2 = 256


def merge(first, second):
    """One linear layer for second(first(x)): x (W2 W1)^T + (W2 b1 + b2)."""
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(second.weight @ first.bias + second.bias)
    return merged


def _merge_forgets_first_bias(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(second.bias)
    return merged


def _merge_adds_biases(first, second):  # W right, bias b1 + b2: shapes 64 and 10 do not even add
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(first.bias + second.bias)
    return merged


def _merge_as_sequential(first, second):
    return nn.Sequential(first, second)


def _merge_forgets_second_bias(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(second.weight @ first.bias)
    return merged


def _merge_weights_in_wrong_order(first, second):  # first.weight.T @ second.weight.T is the 1024 x 10 transpose
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(first.weight.T @ second.weight.T)
        merged.bias.copy_(second.weight @ first.bias + second.bias)
    return merged


SOLUTIONS = {
    "06.1": _in_features_with_padding_one,  # 256
    "06.2": lambda: "c",
    "06.3": lambda: merge,
    "06.4": lambda: 80,  # 10000 = 125 x 80; 65 ... 79 do not divide 10,000
}

WRONG = {
    "06.1": [1024, 576, 128, 2304, "256"],
    "06.2": ["a", "b", "d", "no"],
    "06.3": [_merge_as_sequential, _merge_forgets_first_bias, _merge_adds_biases, _merge_forgets_second_bias,
             _merge_weights_in_wrong_order, merge(nn.Linear(1024, 64), nn.Linear(64, 10))],
    "06.4": [100, 128, 125, 75, 64, 16],
}

#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "06.1": [(1024, "padding=2", "padding=2"), (576, "rounds up", "向上取整"), (128, "64 output channels", "64 个输出通道"),
             (2304, "two convolution + pooling stages", "两组卷积")],
    "06.2": [("a", "fills every batch", "依次每批"), ("b", "which images", "哪些图像"), ("d", "drop_last=True", "drop_last=True")],
    "06.3": [(_merge_as_sequential, "still two layers", "仍然是两个层"), (_merge_forgets_first_bias, "misses first's bias",
                                                                            "漏掉了 first 的偏差"),
             (_merge_forgets_second_bias, "second's own bias", "second 自己的偏差"),
             (_merge_weights_in_wrong_order, "out_features x in_features", "out_features x in_features"),
             (_merge_adds_biases, "cannot be added", "不能直接相加")],
    "06.4": [(100, "a smaller batch_size", "更小的"), (128, "10000 % 128 = 16", "10000 % 128 = 16"), (64, "above 64", "大于 64"),
             (75, "10000 % 75 = 25", "10000 % 75 = 25")],
}
#: Right answers as learners type them.
ACCEPTED = {"06.1": [256, 256.0, 64 * 2 * 2], "06.2": ["c.", "(c)"], "06.4": [80, 80.0]}
