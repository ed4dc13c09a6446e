"""Solutions of 03_pooling's exercises."""
import torch
from torch import nn

from utils import conv_output_size
from utils.exercises.lesson03 import TUTORIAL_INPUT

SOLUTIONS = {
    # floor((32 - 5) / 5 + 1) = 6 windows fit; ceil_mode=True keeps a 7th, partial one
    "03.1": lambda: conv_output_size(32, 5, 5, ceil_mode=True),
    # stride defaults to kernel_size, so a 2x2 window halves height and width
    "03.2": lambda: nn.MaxPool2d(2),
    # windows rows 0-1 / 2-3 and columns 0-1 / 2-3: maxima 2, 3, 5, 3
    "03.3": lambda: nn.MaxPool2d(kernel_size=2)(TUTORIAL_INPUT.reshape(-1, 1, 5, 5)),
}

WRONG = {
    "03.1": [6, 32, 6.4, torch.tensor([7, 7])],
    "03.2": [nn.MaxPool2d(3), nn.MaxPool2d(2, stride=1), nn.Conv2d(3, 3, 2, stride=2), "MaxPool2d(2)"],
    "03.3": [[[2.0]], [[2, 3], [5, 1]], nn.MaxPool2d(2, ceil_mode=True)(TUTORIAL_INPUT.reshape(1, 1, 5, 5)),
             [[2, 3], [5, 4]]],
}
