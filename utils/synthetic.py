"""A synthetic stand-in for CIFAR-10: ten classes of shapes and textures, generated on the fly.

Kept for unit tests and controlled experiments (``data_source="synthetic"``); the lessons use
real CIFAR-10 images.  Deterministic and offline: the same ``(n, seed)`` always gives the same
images, and the tutorial's model learns them to well above chance within a minute of CPU.
"""
from __future__ import annotations

import math

import torch

#: Class names of the synthetic source: shapes and textures, deliberately not CIFAR's.
SYNTHETIC_CLASSES = (
    "disc", "ring", "square", "triangle", "cross",
    "h-stripes", "v-stripes", "diagonal", "checker", "dots",
)

#: Each synthetic class's foreground colour (RGB in [0, 1]), jittered per image.
_PALETTE = torch.tensor([
    [0.90, 0.20, 0.20], [0.20, 0.75, 0.25], [0.20, 0.35, 0.90], [0.95, 0.80, 0.15], [0.75, 0.25, 0.85],
    [0.15, 0.80, 0.85], [0.95, 0.55, 0.10], [0.55, 0.35, 0.20], [0.95, 0.95, 0.95], [0.10, 0.10, 0.10],
])


def make_synthetic(n: int, seed: int = 0) -> tuple[torch.Tensor, list[int]]:
    """Generate ``n`` CIFAR-shaped images whose class decides the picture.

    Each class is a shape or a texture (see :data:`SYNTHETIC_CLASSES`) drawn at a random
    place, size, angle, frequency and phase, in its own (jittered) colour on a contrasting
    random background, with a little pixel noise.  Colour is a hint that a model picks up
    first; shapes and textures are needed to tell similar colours apart.

    Args:
        n: number of images; labels cycle through the ten classes, then are shuffled.
        seed: the same ``(n, seed)`` always gives the same images.

    Returns:
        ``(images, targets)``: a ``uint8`` tensor ``(n, 3, 32, 32)`` and a list of ``int``.
    """
    g = torch.Generator().manual_seed(seed)

    def uniform(lo: float, hi: float) -> torch.Tensor:
        return lo + (hi - lo) * torch.rand(n, 1, 1, generator=g)

    labels = torch.arange(n) % len(SYNTHETIC_CLASSES)
    labels = labels[torch.randperm(n, generator=g)]
    coords = torch.arange(32, dtype=torch.float32) + 0.5
    y, x = coords.view(1, 32, 1), coords.view(1, 1, 32)
    cx, cy = uniform(10, 22), uniform(10, 22)
    r = uniform(7, 12)
    angle = uniform(-0.35, 0.35)
    dx0, dy0 = x - cx, y - cy
    dx = dx0 * torch.cos(angle) + dy0 * torch.sin(angle)
    dy = -dx0 * torch.sin(angle) + dy0 * torch.cos(angle)
    dist = torch.sqrt(dx ** 2 + dy ** 2)
    period = uniform(5, 9)
    phase = uniform(0, 2 * math.pi)
    k = 2 * math.pi / period
    t = (dy + r) / (1.8 * r)  # 0 at the triangle's tip, 1 at its base
    masks = torch.stack([
        dist < r,                                                     # disc
        (dist < r) & (dist > 0.55 * r),                               # ring
        (dx.abs() < 0.8 * r) & (dy.abs() < 0.8 * r),                  # square
        (t >= 0) & (t <= 1) & (dx.abs() <= 0.9 * r * t),              # triangle
        ((dx.abs() < 0.3 * r) & (dy.abs() < r)) | ((dy.abs() < 0.3 * r) & (dx.abs() < r)),  # cross
        torch.sin(k * y + phase).expand(n, 32, 32) > 0,               # h-stripes
        torch.sin(k * x + phase).expand(n, 32, 32) > 0,               # v-stripes
        torch.sin(k * (x + y) / math.sqrt(2) + phase) > 0,            # diagonal
        torch.sin(k * x + phase) * torch.sin(k * y + phase) > 0,      # checker
        ((torch.remainder(x + phase, period) - period / 2) ** 2
         + (torch.remainder(y + phase, period) - period / 2) ** 2) < (period / 3.2) ** 2,  # dots
    ], dim=1)  # (n, classes, 32, 32)
    mask = masks[torch.arange(n), labels].unsqueeze(1).float()  # (n, 1, 32, 32)
    # foreground: the class's own colour, jittered; background: a random colour, darkened
    # or lightened away from the foreground so the shape always stands out
    foreground = (_PALETTE[labels].view(n, 3, 1, 1) + 0.3 * (torch.rand(n, 3, 1, 1, generator=g) - 0.5)).clamp(0, 1)
    lightness = foreground.mean(dim=1, keepdim=True)
    background = torch.rand(n, 3, 1, 1, generator=g) * 0.45
    background = torch.where(lightness > 0.5, background, 1 - background)
    images = mask * foreground + (1 - mask) * background
    images = images + 0.06 * torch.randn(n, 3, 32, 32, generator=g)
    images = (images.clamp(0, 1) * 255).round().to(torch.uint8)
    return images, labels.tolist()
