"""Pick the torch device a lesson runs on, and say why there is no GPU when there is none.

``device="auto"`` picks an NVIDIA (or AMD ROCm) GPU through CUDA, else the GPU of an Apple
Silicon Mac through MPS, else the CPU.  :func:`gpu_diagnosis` tells, in one line, which
case a machine is in when no GPU is used — a CPU-only PyTorch, no NVIDIA driver, a driver
too old for this PyTorch's CUDA, MPS missing — and what to do about it.
"""
from __future__ import annotations

import platform
import re

import torch

from .errors import DeviceError
from .messages import msg

_SPEC = re.compile(r"auto|cpu|mps|cuda(:\d+)?")


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def _mps_built() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_built())


def get_device(spec: str | torch.device = "auto") -> torch.device:
    """Turn a ``device`` parameter into a :class:`torch.device`.

    Args:
        spec: ``"auto"`` (CUDA if there is a usable GPU, else Apple's MPS, else the CPU),
            ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"mps"``.

    Raises:
        DeviceError: for an unknown spec, or for a GPU this machine does not have; the
            message says which devices to use instead (see :func:`gpu_diagnosis` for why).

    >>> get_device("cpu")
    device(type='cpu')
    """
    if isinstance(spec, torch.device):
        spec = str(spec)
    if not isinstance(spec, str) or not _SPEC.fullmatch(spec.strip().lower()):
        raise DeviceError(msg("device.unknown", spec=spec, fix=msg("device.fix")))
    spec = spec.strip().lower()
    if spec == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if spec == "cpu":
        return torch.device("cpu")
    if spec == "mps":
        if not _mps_available():
            raise DeviceError(msg("device.no_mps", fix=msg("device.fix")))
        return torch.device("mps")
    if not torch.cuda.is_available():
        raise DeviceError(msg("device.no_cuda", spec=spec, fix=msg("device.fix")))
    device = torch.device(spec)
    if device.index is not None and device.index >= torch.cuda.device_count():
        count = torch.cuda.device_count()
        raise DeviceError(msg("device.cuda_index", spec=spec, count=count, last=count - 1, fix=msg("device.fix")))
    return device


def describe_device(device: torch.device) -> str:
    """A short human description, e.g. ``"cpu"``, ``"mps"`` or ``"cuda:0 (NVIDIA H100)"``."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    return device.type


def _cuda_init_error() -> str:
    """The message CUDA's initialisation gives on this machine ('' if it works)."""
    try:
        torch.cuda.init()
    except Exception as err:  # RuntimeError / AssertionError, depending on the build
        return str(err)
    return ""


def gpu_diagnosis() -> str:
    """One line: which GPU this PyTorch can use, or why none, and what to do.

    The cases, checked in this order:

    - a CUDA (or ROCm) GPU is usable;
    - an Apple MPS GPU is usable;
    - on a Mac: MPS is built but not usable (macOS too old, or an Intel Mac), or not built;
    - a CPU-only PyTorch (``torch.version.cuda`` is ``None``);
    - a ROCm build with no usable AMD GPU;
    - a CUDA build with a driver too old for its CUDA version;
    - a CUDA build with no NVIDIA driver or no GPU at all.
    """
    cuda = torch.version.cuda
    if torch.cuda.is_available():
        name = torch.cuda.get_device_name(0)
        kind = f"ROCm {torch.version.hip}" if getattr(torch.version, "hip", None) else f"CUDA {cuda}"
        count = torch.cuda.device_count()
        return msg("gpu.usable", count=count, name=name, kind=kind)
    if _mps_available():
        return msg("gpu.mps_usable")
    if platform.system() == "Darwin":
        return msg("gpu.mps_unusable") if _mps_built() else msg("gpu.no_mps_build")
    if cuda is None and not getattr(torch.version, "hip", None):
        return msg("gpu.cpu_only")
    hip = getattr(torch.version, "hip", None)
    if hip:  # a ROCm build (AMD GPUs): torch.version.cuda is None there
        return msg("gpu.rocm_no_gpu", hip=hip)
    message = _cuda_init_error()
    if "too old" in message or "insufficient" in message.lower():
        found = re.search(r"found version (\d+)", message)
        version = f"{int(found[1]) // 1000}.{int(found[1]) % 1000 // 10}" if found else ""
        driver = msg("gpu.driver_supports", version=version) if found else ""
        return msg("gpu.driver_too_old", cuda=cuda, driver=driver)
    return msg("gpu.no_driver", cuda=cuda)


__all__ = ["describe_device", "get_device", "gpu_diagnosis"]
