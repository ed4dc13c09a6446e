"""The course's models: the tutorial's CIFAR-10 model ``Tudui`` and the capstone's improvements.

- :class:`Tudui` — exactly the tutorial's model (no activations between its layers);
- :class:`TuduiPlus` — ``Tudui`` with ReLU and BatchNorm switchable, for lesson 11's ladder;
- :class:`FastNet` — a small network built to train fast on a CPU (lesson 11), with :func:`whitening_filters`;
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
    tutorial's model has no activation function between its layers; lesson 11 adds them.
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
    """The tutorial's ``Tudui`` with the two fixes lesson 11 adds, each switchable.

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


def whitening_filters(imgs: torch.Tensor, size: int = 2, eps: float = 5e-4) -> torch.Tensor:
    """The filters of a patch-whitening convolution for images like ``imgs`` ``(N, C, H, W)``.

    Every ``size x size`` patch of every image is a vector of ``C * size * size`` numbers; the
    eigenvectors of their covariance, each divided by the square root of its eigenvalue, are
    filters whose outputs are uncorrelated with variance 1 (whitened).  Returned with their
    negatives, ``(2 * C * size * size, C, size, size)``: a ReLU after the layer keeps both signs.
    Lesson 11 writes the same function out; the fast recipes (airbench) start this way.
    """
    channels = imgs.shape[1]
    patches = imgs.unfold(2, size, 1).unfold(3, size, 1)  # N, C, H', W', size, size
    patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(-1, channels * size * size).double()
    covariance = patches.T @ patches / len(patches)
    eigenvalues, eigenvectors = torch.linalg.eigh(covariance)
    filters = (eigenvectors.T / (eigenvalues + eps).sqrt()[:, None]).reshape(-1, channels, size, size).float()
    return torch.cat([filters, -filters])


class FastNet(nn.Module):
    """A small CNN built for fast CPU training: lesson 11's fast model (about 85 % on CIFAR-10 in minutes).

    A whitening layer ``Conv2d(3, 24, 2)`` with fixed filters (see :meth:`init_whitening`) and a
    ReLU; then four blocks ``Conv2d(3x3, no bias) → MaxPool2d(2) → BatchNorm2d → ReLU`` (pooling
    right after the convolution, so BatchNorm and ReLU work on a 4x smaller tensor); then a global
    max pool and one ``Linear`` layer.  32x32 → 31 → 15 → 7 → 3 → 1.  About 17 million
    multiply-adds per image, like ``Tudui`` (12 million), but 3x3 kernels and more channels
    where the images are small.

    Args:
        widths: output channels of the four blocks.
        num_classes: the number of scores the model outputs.
        whiten: start with the whitening layer (False: the first block sees the images).
    """

    def __init__(self, widths: tuple[int, ...] = (32, 64, 128, 256), num_classes: int = 10,
                 whiten: bool = True) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_channels = 3
        self.whiten: nn.Conv2d | None = None
        if whiten:
            self.whiten = nn.Conv2d(3, 24, kernel_size=2)
            self.whiten.weight.requires_grad_(False)  # fixed by init_whitening; its bias trains
            layers += [self.whiten, nn.ReLU(inplace=True)]
            in_channels = 24
        for out_channels in widths:
            layers += [nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False), nn.MaxPool2d(2),
                       nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)]
            in_channels = out_channels
        layers += [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(in_channels, num_classes, bias=False)]
        self.model1 = nn.Sequential(*layers)

    @torch.no_grad()
    def init_whitening(self, imgs: torch.Tensor) -> None:
        """Set the whitening layer's filters from training images ``imgs`` (normalized, e.g. 5,000 of them)."""
        if self.whiten is not None:
            self.whiten.weight.copy_(whitening_filters(imgs.float().cpu()).to(self.whiten.weight))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model1(x)


class FlipTTA(nn.Module):
    """Test-time augmentation: the mean of ``model``'s scores over views of each image.

    ``shift=0``: the image and its mirror image.  ``shift=1`` (lesson 11's fast model): six views,
    the image, the image moved one pixel up-left and one pixel down-right (borders mirrored), each
    also mirrored left-right.
    """

    def __init__(self, model: nn.Module, shift: int = 0) -> None:
        super().__init__()
        self.model = model
        self.shift = shift

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        views = [x]
        if self.shift:
            s, (h, w) = self.shift, x.shape[2:]
            padded = nn.functional.pad(x, (s,) * 4, mode="reflect")
            views += [padded[:, :, :h, :w], padded[:, :, 2 * s:, 2 * s:]]
        return sum(self.model(v) + self.model(v.flip(3)) for v in views) / (2 * len(views))


__all__ = ["FastNet", "FlipTTA", "Tudui", "TuduiPlus", "whitening_filters"]
