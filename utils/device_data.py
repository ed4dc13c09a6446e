"""Training images kept on the GPU: batches cut, converted and normalised there (lesson 10, scripts/train.py).

A ``DataLoader`` builds every batch on the CPU — index the images, convert ``uint8`` to float,
normalise — and then copies it to the GPU.  On a fast GPU that CPU work, not the GPU, sets the
pace.  :class:`DeviceLoader` instead copies all training images to the device once, as one
``uint8`` tensor (50,000 CIFAR-10 images are 154 MB), and cuts each batch there with one
indexing operation; the recipe's augmentation (:mod:`utils.augment`: flip, shift) already works
on whole batches on whatever device they are on.  It yields what a ``DataLoader`` over the same
:class:`~utils.data.ImageDataset` yields — the same images in the same order for the same
seed — so it is tested on the CPU.
"""
from __future__ import annotations

from typing import Iterator, Sequence

import torch


class DeviceLoader:
    """Batches ``(imgs, targets)`` of images held on ``device`` as one ``uint8`` tensor.

    Args:
        images: ``uint8`` images ``(N, C, H, W)`` (``ImageDataset.images``).
        targets: the ``N`` labels.
        batch_size: images per batch.
        device: where the images live and the batches are made.
        shuffle: a new random order every epoch (drawn on the CPU from ``generator``, so the
            order is the same on every device).
        drop_last: leave out a last batch smaller than ``batch_size``.
        mean, std: per-channel ``Normalize`` statistics (``None``: values in ``[0, 1]``).
        generator: the random order's generator (default: torch's global one).
    """

    def __init__(self, images: torch.Tensor, targets: Sequence[int] | torch.Tensor, batch_size: int,
                 device: torch.device | str, *, shuffle: bool = True, drop_last: bool = False,
                 mean: Sequence[float] | None = None, std: Sequence[float] | None = None,
                 generator: torch.Generator | None = None) -> None:
        if images.dtype != torch.uint8 or images.ndim != 4:
            raise ValueError(f"images must be a uint8 tensor (N, C, H, W), got {images.dtype} {tuple(images.shape)}")
        self.device = torch.device(device)
        self.images = images.to(self.device)
        self.targets = torch.as_tensor(targets, dtype=torch.long).to(self.device)
        self.batch_size, self.shuffle, self.drop_last, self.generator = batch_size, shuffle, drop_last, generator
        channels = images.shape[1]
        self.mean = None if mean is None else torch.tensor(mean, device=self.device).view(1, channels, 1, 1)
        self.std = None if std is None else torch.tensor(std, device=self.device).view(1, channels, 1, 1)

    def __len__(self) -> int:
        n = len(self.targets)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        n = len(self.targets)
        # as a DataLoader does: one draw for its workers' base seed, then the sampler's permutation
        torch.empty((), dtype=torch.int64).random_(generator=self.generator)
        order = torch.randperm(n, generator=self.generator) if self.shuffle else torch.arange(n)
        order = order.to(self.device)
        for i in range(len(self)):
            index = order[i * self.batch_size:(i + 1) * self.batch_size]
            imgs = self.images[index].float().div_(255)
            if self.mean is not None:
                imgs = (imgs - self.mean) / self.std
            yield imgs, self.targets[index]


__all__ = ["DeviceLoader"]
