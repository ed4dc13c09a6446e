"""utils.seed: one call makes Python, NumPy and torch repeatable."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from utils import ParameterError, seed_everything


def draw(seed: int):
    g = seed_everything(seed)
    return (random.random(), float(np.random.rand()), torch.rand(3).tolist(),
            torch.randperm(10, generator=g).tolist(), torch.nn.Linear(4, 2).weight.tolist())


def test_same_seed_repeats_every_generator():
    assert draw(7) == draw(7)


def test_another_seed_changes_every_generator():
    first, other = draw(7), draw(8)
    assert all(a != b for a, b in zip(first, other))


def test_returns_a_seeded_generator_for_data_loaders():
    g = seed_everything(3)
    assert isinstance(g, torch.Generator) and g.initial_seed() == 3


def test_big_seeds_work_for_numpy_too():
    seed_everything(2**40)
    assert torch.initial_seed() == 2**40


@pytest.mark.parametrize("bad, message", [(-1, "seed must be a whole number from 0 to 18446744073709551615"),
                                          (1.5, "whole number"), ("x", "whole number"), (True, "whole number"),
                                          (2**64, r"from 0 to 18446744073709551615 \(got 18446744073709551616\)"),
                                          (10**30, "seed must be a whole number from 0 to ")])
def test_bad_seeds_are_parameter_errors(bad, message):
    with pytest.raises(ParameterError, match=message) as err:
        seed_everything(bad)
    assert "\n" not in str(err.value), "one line"


def test_the_largest_seed_works():
    """2**64 - 1 is the largest seed torch takes; the synthetic data's per-split seeds stay within it too."""
    from utils.data import load_cifar10
    from utils.seed import MAX_SEED

    seed_everything(MAX_SEED)
    assert torch.initial_seed() == MAX_SEED
    assert len(load_cifar10(False, "synthetic", size=8, seed=MAX_SEED)) == 8
