"""Exercises of 00_setup."""
from __future__ import annotations

from . import exercise


@exercise("00.1", task="How many images does one CIFAR-10 batch of batch_size=64 hold, times the values per image (3x32x32)?",
          hint="A batch has shape [64, 3, 32, 32]; multiply the four numbers.")
def _values_in_a_batch(answer):
    if answer == 64 * 3 * 32 * 32:
        return None
    if answer == 3 * 32 * 32:
        return "that is one image; a batch holds 64 of them."
    return f"{answer} is not the number of values in a [64, 3, 32, 32] tensor."
