"""Solutions of 05_linear's exercises."""
from torch import nn

SOLUTIONS = {
    "05.1": lambda: 32 * 8 * 8,  # 2048: 32 channels of 8x8 after the second MaxPool2d
    "05.2": lambda: 1024 * 64 + 64,  # 65600
    "05.3": lambda: nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10)),
    "05.4": lambda: (50000 % 64, 50000 // 64),  # (16, 781)
}

WRONG = {
    "05.1": [1024, 64 * 8 * 8, 32 * 16 * 16],
    "05.2": [1024 * 64, 1024 + 64],
    # the tutorial's whole-batch layer: fails on a batch of 16 (the checker's error is caught)
    "05.3": [nn.Sequential(nn.Flatten(0), nn.Linear(196608, 10)), nn.Linear(32, 10), 10],
    "05.4": [(16, 782), (64, 781), (40, 15)],
}
