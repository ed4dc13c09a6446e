"""Solutions of 02_module's exercises."""
from torch import nn

from utils import Tudui


class MyConv(nn.Module):
    """02.2: the one-layer module that lesson 03 starts from (the tutorial's MyNN there)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=3, out_channels=6, kernel_size=3)

    def forward(self, x):
        return self.conv1(x)


class _WrongKernel(MyConv):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)


def model_for_64():
    """02.3: the tutorial's model for 64x64 images; only Linear's in_features changes (64 * 8 * 8)."""
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 64), nn.Linear(64, 10),
    )


def doc_model_parameters():
    """02.1: conv1 = Conv2d(1, 20, 5) has 20 * 1 * 5 * 5 + 20 = 520, conv2 = Conv2d(20, 20, 5) 20 * 20 * 5 * 5 + 20."""
    return (20 * 1 * 5 * 5 + 20) + (20 * 20 * 5 * 5 + 20)  # 10,540


SOLUTIONS = {
    "02.1": doc_model_parameters,
    "02.2": MyConv,
    "02.3": model_for_64,
    "02.4": lambda: "a",  # F.relu is called in forward; print lists the modules __init__ registered
}

WRONG = {
    # weights only, conv2 alone, conv1 twice (in_channels forgotten), k instead of k*k, Sequential example, Tudui
    "02.1": [10_500, 10_020, 1_040, 2_140, 32_584, 145_578, 10540.5, "10540"],
    "02.2": [MyConv, nn.Conv2d(3, 6, 3), _WrongKernel()],
    "02.3": [Tudui().model1, nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 10))],
    "02.4": ["b", "c", "d", "relu"],
}
