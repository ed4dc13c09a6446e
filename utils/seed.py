"""One call to make a lesson repeatable."""
from __future__ import annotations

import random

import numpy as np
import torch

from .params import check_int

#: The largest seed: ``torch.manual_seed`` takes a 64-bit number (a larger one overflows).
MAX_SEED = 2**64 - 1


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python's ``random``, NumPy and torch (CPU and every GPU) with ``seed``.

    Runs on the CPU are then repeatable: the same seed gives the same initial weights,
    the same shuffling and the same losses.  (GPU kernels may still differ in the last
    digits from run to run.)

    Args:
        seed: any whole number from 0 to :data:`MAX_SEED` (2**64 - 1); anything else is a
            one-line :class:`~utils.errors.ParameterError`.

    Returns:
        A :class:`torch.Generator` seeded with ``seed``; pass it to
        ``DataLoader(..., shuffle=True, generator=g)`` so shuffling is repeatable too.
    """
    seed = check_int("seed", seed, minimum=0, maximum=MAX_SEED)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    return torch.Generator().manual_seed(seed)
