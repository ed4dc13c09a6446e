"""utils.device_data.DeviceLoader gives the batches a DataLoader gives, tested on the CPU."""
from __future__ import annotations

import pytest
import torch
from torch.utils.data import DataLoader
from torchvision.transforms import Normalize

from utils.augment import random_crop, random_flip
from utils.data import load_cifar10
from utils.device_data import DeviceLoader


@pytest.fixture(scope="module")
def sample():
    return load_cifar10(train=False, source="sample")


def test_same_batches_as_a_dataloader(sample):
    mean, std = [0.49, 0.48, 0.45], [0.25, 0.24, 0.26]
    sample.transform = Normalize(mean, std)
    try:
        plain = DataLoader(sample, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(3))
        fast = DeviceLoader(sample.images, sample.targets, 64, "cpu", mean=mean, std=std,
                            generator=torch.Generator().manual_seed(3))
        assert len(fast) == len(plain) == 10  # 600 images: 9 full batches and one of 24
        for (a, ya), (b, yb) in zip(plain, fast):
            assert torch.equal(ya, yb)
            assert torch.allclose(a, b, atol=1e-6)
        assert b.shape == (24, 3, 32, 32)
    finally:
        sample.transform = None


def test_drop_last_and_order(sample):
    loader = DeviceLoader(sample.images, sample.targets, 64, "cpu", shuffle=False, drop_last=True)
    batches = list(loader)
    assert len(batches) == len(loader) == 9 and all(b[0].shape[0] == 64 for b in batches)
    assert batches[0][1].tolist() == sample.targets[:64]
    assert 0.0 <= batches[0][0].min() and batches[0][0].max() <= 1.0


def test_augmentation_statistics_on_device_batches(sample):
    """The recipe's flip and shift act on DeviceLoader batches as on any batch: half the images mirrored,
    shifts spread over every offset."""
    torch.manual_seed(0)
    imgs = next(iter(DeviceLoader(sample.images, sample.targets, 600, "cpu", shuffle=False)))[0]
    flipped = random_flip(imgs)
    mirrored = (flipped == imgs.flip(3)).flatten(1).all(1) & ~(flipped == imgs).flatten(1).all(1)
    assert 0.4 < mirrored.float().mean().item() < 0.6
    shifted = random_crop(imgs, 4)
    same = (shifted == imgs).flatten(1).all(1).float().mean().item()
    assert same < 0.1  # 1 in 81 offsets is (4, 4), the unshifted window


def test_refuses_float_images():
    with pytest.raises(ValueError, match="uint8"):
        DeviceLoader(torch.rand(4, 3, 8, 8), [0, 1, 2, 3], 2, "cpu")
