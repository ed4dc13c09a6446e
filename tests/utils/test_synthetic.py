"""utils.synthetic: shapes and textures, deterministic, balanced and learnable."""
from __future__ import annotations

import numpy as np
import torch

from utils.data import CIFAR10_CLASSES
from utils.synthetic import SYNTHETIC_CLASSES, make_synthetic


def test_shapes_and_types():
    images, labels = make_synthetic(30, seed=0)
    assert images.shape == (30, 3, 32, 32) and images.dtype == torch.uint8
    assert isinstance(labels, list) and all(isinstance(t, int) and 0 <= t < 10 for t in labels)


def test_classes_are_not_cifars():
    assert len(SYNTHETIC_CLASSES) == 10 and len(set(SYNTHETIC_CLASSES)) == 10
    assert not set(SYNTHETIC_CLASSES) & set(CIFAR10_CLASSES), "synthetic classes must not pretend to be CIFAR's"


def test_deterministic_and_balanced():
    a, la = make_synthetic(100, seed=3)
    b, lb = make_synthetic(100, seed=3)
    c, lc = make_synthetic(100, seed=4)
    assert torch.equal(a, b) and la == lb
    assert not torch.equal(a, c) and la != lc
    assert np.bincount(la).tolist() == [10] * 10


def test_class_decides_the_picture():
    """Same-class images are more alike than other-class images (the task is learnable)."""
    images, labels = make_synthetic(500, seed=0)
    feats = images.float().flatten(1)
    labels = torch.tensor(labels)
    means = torch.stack([feats[labels == c].mean(0) for c in range(10)])
    nearest = torch.cdist(feats, means).argmin(1)
    assert (nearest == labels).float().mean() > 0.3  # a nearest-class-mean classifier beats chance (0.1)


def test_images_use_the_whole_range():
    images, _ = make_synthetic(50, seed=1)
    assert images.min() < 30 and images.max() > 225
