"""Pick the torch device a lesson runs on."""
from __future__ import annotations

import re

import torch

from .errors import DeviceError

_FIX = "use device='auto' (CUDA when present, else CPU) or device='cpu'"


def get_device(spec: str | torch.device = "auto") -> torch.device:
    """Turn a ``device`` parameter into a :class:`torch.device`.

    Args:
        spec: ``"auto"`` (CUDA if this machine has a usable GPU, else CPU), ``"cpu"``,
            ``"cuda"`` or ``"cuda:N"``.

    Returns:
        The device to move models and tensors to.

    Raises:
        DeviceError: for an unknown spec, or for CUDA where there is none.

    >>> get_device("cpu")
    device(type='cpu')
    """
    if isinstance(spec, torch.device):
        spec = str(spec)
    if not isinstance(spec, str) or not re.fullmatch(r"auto|cpu|cuda(:\d+)?", spec.strip().lower()):
        raise DeviceError(f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N' (got {spec!r}); {_FIX}.")
    spec = spec.strip().lower()
    if spec == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if spec == "cpu":
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise DeviceError(f"device={spec!r} was asked for, but this machine has no usable CUDA GPU; {_FIX}.")
    device = torch.device(spec)
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise DeviceError(
            f"device={spec!r} was asked for, but this machine has {torch.cuda.device_count()} CUDA GPU(s) "
            f"(cuda:0 … cuda:{torch.cuda.device_count() - 1}); pick one of those or {_FIX}."
        )
    return device


def describe_device(device: torch.device) -> str:
    """A short human description, e.g. ``"cpu"`` or ``"cuda:0 (NVIDIA H100)"``."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    return device.type
