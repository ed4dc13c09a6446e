"""Solutions of 01_module's exercises."""
from torch import nn

from utils import Tudui


class MyConv(nn.Module):
    """01.2: the one-layer module that lesson 02 starts from (the tutorial's MyNN there)."""

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
    """01.3: the tutorial's model for 64x64 images; only Linear's in_features changes (64 * 8 * 8)."""
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 64), nn.Linear(64, 10),
    )


SOLUTIONS = {
    "01.1": lambda: sum(p.numel() for p in nn.Linear(1024, 64).parameters()),  # 65,600
    "01.2": MyConv,
    "01.3": model_for_64,
}

WRONG = {
    "01.1": [1024 * 64, 1024 + 64, 65600.5],
    "01.2": [MyConv, nn.Conv2d(3, 6, 3), _WrongKernel()],
    "01.3": [Tudui().model1, nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 10))],
}
