"""Data augmentation (数据增强) on whole batches: a random mirror image and a random shift per image.

torchvision's ``RandomHorizontalFlip`` and ``RandomCrop(32, padding=4)`` work on one image at a
time inside the ``Dataset``; these do the same to a whole batch tensor at once, on whatever
device it is on, which is much faster in a training loop.
"""
from __future__ import annotations

import torch
from torch import nn


def random_flip(imgs: torch.Tensor) -> torch.Tensor:
    """Mirror each image of a batch ``(N, C, H, W)`` left-right with probability 1/2."""
    flip = torch.rand(imgs.size(0), 1, 1, 1, device=imgs.device) < 0.5
    return torch.where(flip, imgs.flip(3), imgs)


def random_crop(imgs: torch.Tensor, padding: int = 4) -> torch.Tensor:
    """Shift each image of a batch ``(N, C, H, W)`` by up to ``padding`` pixels in x and y.

    Pads the whole batch by ``padding`` on every side (mirroring the border, ``reflect``), draws
    one offset per image, and cuts an ``H x W`` window at that offset — what
    ``RandomCrop(32, padding=4)`` does image by image — for the whole batch at once: the images
    that share an offset are cut with one slice.
    """
    if padding == 0:
        return imgs
    n, c, h, w = imgs.shape
    padded = nn.functional.pad(imgs, (padding,) * 4, mode="reflect")
    offsets = torch.randint(0, 2 * padding + 1, (n, 2), device=imgs.device)
    out = torch.empty_like(imgs)
    for dy in range(2 * padding + 1):
        for dx in range(2 * padding + 1):
            chosen = (offsets[:, 0] == dy) & (offsets[:, 1] == dx)
            out[chosen] = padded[chosen, :, dy:dy + h, dx:dx + w]
    return out


__all__ = ["random_crop", "random_flip"]
