"""utils.augment: a random mirror image and a random shift per image, for whole batches."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from utils.augment import random_crop, random_flip


def batch(n: int = 64) -> torch.Tensor:
    return torch.rand(n, 3, 8, 8, generator=torch.Generator().manual_seed(0))


def test_random_flip_mirrors_about_half_the_images():
    torch.manual_seed(0)
    imgs = batch(400)
    out = random_flip(imgs)
    same = (out == imgs).flatten(1).all(1)
    mirrored = (out == imgs.flip(3)).flatten(1).all(1)
    assert bool((same | mirrored).all()), "each image is itself or its mirror image"
    assert 140 < int(mirrored.sum()) < 260
    assert out.shape == imgs.shape and out.dtype == imgs.dtype
    assert torch.equal(imgs, batch(400)), "the input batch is not changed"


def test_random_flip_is_repeatable_with_a_seed():
    torch.manual_seed(1)
    first = random_flip(batch())
    torch.manual_seed(1)
    assert torch.equal(first, random_flip(batch()))


def test_random_crop_without_padding_is_the_identity():
    imgs = batch()
    assert random_crop(imgs, 0) is imgs


@pytest.mark.parametrize("padding", [1, 2, 4])
def test_random_crop_shifts_each_image_within_the_padding(padding):
    torch.manual_seed(0)
    imgs = batch(200)
    out = random_crop(imgs, padding)
    assert out.shape == imgs.shape
    padded = nn.functional.pad(imgs, (padding,) * 4, mode="reflect")
    offsets = []
    for i in range(len(imgs)):
        found = [(dy, dx) for dy in range(2 * padding + 1) for dx in range(2 * padding + 1)
                 if torch.equal(out[i], padded[i, :, dy:dy + 8, dx:dx + 8])]
        assert found, f"image {i} is not a window of its padded self"
        offsets.append(found[0])
    assert len(set(offsets)) > (2 * padding + 1) ** 2 // 2, "the shifts should vary from image to image"
    assert (padding, padding) in offsets  # no shift at all is one of the choices
