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


@pytest.mark.parametrize("bad, message", [(-1, "seed must be a whole number >= 0"), (1.5, "whole number"),
                                          ("x", "whole number"), (True, "whole number")])
def test_bad_seeds_are_parameter_errors(bad, message):
    with pytest.raises(ParameterError, match=message):
        seed_everything(bad)
