"""Solutions of 05_activations' exercises."""
import torch
from torch import nn


def _inplace_alias():
    x = torch.tensor([-2.0, 0.5, 3.0])
    y = nn.ReLU(inplace=True)(x)  # y is x itself: x is now [0.0, 0.5, 3.0]
    y[0] = 7.0                    # so this writes into x as well
    return x[0].item()            # 7.0


def my_relu(x):
    """ReLU by hand: keep positive values, 0 elsewhere; returns a new tensor."""
    return torch.where(x > 0, x, torch.zeros_like(x))


def _running_mean():
    bn = nn.BatchNorm2d(1)                     # running_mean starts at 0, momentum=0.1
    bn(torch.full((4, 1, 2, 2), 2.0))          # a batch with mean 2.0: 0.9 * 0 + 0.1 * 2.0 = 0.2
    bn(torch.full((4, 1, 2, 2), 4.0))          # a batch with mean 4.0: 0.9 * 0.2 + 0.1 * 4.0 = 0.58
    return bn.running_mean.item()


def _relu_and_pooling_commute():
    # ReLU keeps the order of numbers, so max then clip = clip then max; on random inputs:
    x = torch.randn(16, 3, 32, 32)
    pool, relu = nn.MaxPool2d(2), nn.ReLU()
    assert torch.equal(relu(pool(x)), pool(relu(x)))
    return "a"


def _inplace_relu(x):
    return x.clamp_(min=0)  # right values, but overwrites x


SOLUTIONS = {
    "05.1": _inplace_alias,
    "05.2": lambda: my_relu,
    "05.3": _running_mean,
    "05.4": _relu_and_pooling_commute,
}

WRONG = {
    "05.1": [-2.0, 0.0, 0.5, "7"],  # -2.0: y taken for a copy; 0.0: x relu-ed, but y[0] = 7.0 missed
    "05.2": [torch.abs, torch.sigmoid, _inplace_relu, lambda x: None, my_relu(torch.tensor([1.0, -1.0])),
             torch.relu, nn.functional.relu, nn.ReLU(), lambda x: x.relu()],  # the shortcuts the task forbids
    "05.3": [3.0, 0.6, 0.4, 0.2, 3.78, torch.tensor([0.58, 0.58])],
    "05.4": ["b", "c", "d", "yes"],
}

#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "05.1": [(-2.0, "inplace=False", "inplace=False"), (0.0, "y is x itself", "y 就是 x 本身"),
             (0.5, "follow the three lines", "一行一行")],
    "05.2": [(torch.abs, "absolute value", "绝对值"), (torch.sigmoid, "Sigmoid", "Sigmoid"),
             (_inplace_relu, "changed its input", "改动了输入"), (torch.relu, "PyTorch's own ReLU", "自带的 ReLU"),
             (lambda x: None, "not a tensor", "不是张量")],
    "05.3": [(3.0, "plain average", "简单平均"), (0.6, "multiplied by 0.9", "乘以 0.9"), (0.4, "one batch only", "只算了一个批次"),
             (3.78, "swaps the weights", "权重弄反了")],
    "05.4": [("b", "both orders give it", "两种顺序都得到它"), ("c", "negative inputs too", "负数输入也成立"),
             ("d", "keeping the order", "保持顺序")],
}
#: Right answers as learners type them.
ACCEPTED = {"05.1": [7, 7.0, torch.tensor(7.0)], "05.3": [0.58, 0.580, torch.tensor([0.58])], "05.4": ["a.", "(a)"]}
