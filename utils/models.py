"""The course's models: the tutorial's CIFAR-10 model ``Tudui`` and the capstone's improvements.

- :class:`Tudui` — exactly the tutorial's model (no activations between its layers);
- :class:`TuduiPlus` — ``Tudui`` with ReLU and BatchNorm switchable, for lesson 10's ladder;
- :class:`FastNet` — a small network built to train fast on a CPU (lesson 10);
- :class:`FlipTTA` — test-time augmentation: average a model's scores for an image and its mirror.

To look inside a model (parameter counts, output shapes) see :mod:`utils.summary`.
"""
from __future__ import annotations

import torch
from torch import nn


class Tudui(nn.Module):
    """The course's CIFAR-10 model (土堆's ``Tudui``), exactly as the tutorial builds it.

    ``Conv2d(3, 32, 5, padding=2) → MaxPool2d(2) → Conv2d(32, 32, 5, padding=2) → MaxPool2d(2)
    → Conv2d(32, 64, 5, padding=2) → MaxPool2d(2) → Flatten → Linear(1024, 64) → Linear(64, 10)``

    Input ``(N, 3, 32, 32)``, output ``(N, num_classes)`` scores (logits).  Note that the
    tutorial's model has no activation function between its layers; lesson 10 adds them.
    """

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.model1 = nn.Sequential(
            nn.Conv2d(3, 32, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(1024, 64),
            nn.Linear(64, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model1(x)



class TuduiPlus(nn.Module):
    """The tutorial's ``Tudui`` with the two fixes lesson 10 adds, each switchable.

    Per convolution: ``Conv2d(5x5) → [BatchNorm2d] → [ReLU] → MaxPool2d(2)``; then
    ``Flatten → Linear(1024, 64) → [ReLU] → Linear(64, num_classes)``.  With
    ``relu=False, batchnorm=False`` it is exactly ``Tudui`` (same layers, same parameters, and
    the same initial weights for the same seed).

    Args:
        relu: put a ReLU (非线性激活) after each convolution and after the hidden linear layer.
        batchnorm: put a ``BatchNorm2d`` (归一化层) after each convolution.
        num_classes: the number of scores the model outputs.
    """

    def __init__(self, relu: bool = True, batchnorm: bool = True, num_classes: int = 10) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_channels = 3
        for out_channels in (32, 32, 64):
            layers.append(nn.Conv2d(in_channels, out_channels, 5, padding=2))
            if batchnorm:
                layers.append(nn.BatchNorm2d(out_channels))
            if relu:
                layers.append(nn.ReLU())
            layers.append(nn.MaxPool2d(2))
            in_channels = out_channels
        layers += [nn.Flatten(), nn.Linear(1024, 64)]
        if relu:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(64, num_classes))
        self.model1 = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model1(x)


class FastNet(nn.Module):
    """A small CNN built for fast CPU training: ≥ 80 % on CIFAR-10 in a few epochs.

    Four blocks ``Conv2d(3x3, no bias) → MaxPool2d(2) → BatchNorm2d → ReLU`` (pooling right
    after the convolution, so BatchNorm and ReLU work on a 4x smaller tensor), then a global
    max pool and one ``Linear`` layer.  32x32 → 16 → 8 → 4 → 2 → 1.  About 15 million
    multiply-adds per image, like ``Tudui`` (12 million), but 3x3 kernels and more channels
    where the images are small.

    Args:
        widths: output channels of the four blocks.
        num_classes: the number of scores the model outputs.
    """

    def __init__(self, widths: tuple[int, ...] = (32, 64, 128, 256), num_classes: int = 10) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_channels = 3
        for out_channels in widths:
            layers += [nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False), nn.MaxPool2d(2),
                       nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)]
            in_channels = out_channels
        layers += [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(in_channels, num_classes, bias=False)]
        self.model1 = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model1(x)


class FlipTTA(nn.Module):
    """Test-time augmentation: the mean of ``model``'s scores for each image and its mirror image."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.model(x) + self.model(x.flip(3))) / 2


__all__ = ["FastNet", "FlipTTA", "Tudui", "TuduiPlus"]
