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
from .i18n import tr

_FIX = "use device='auto' (the GPU when there is one, else the CPU) or device='cpu'"
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
        raise DeviceError(f"device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps' (got {spec!r}); {_FIX}.")
    spec = spec.strip().lower()
    if spec == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if spec == "cpu":
        return torch.device("cpu")
    if spec == "mps":
        if not _mps_available():
            raise DeviceError(f"device='mps' was asked for, but this machine has no usable Apple MPS GPU; {_FIX}.")
        return torch.device("mps")
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
        return tr(f"GPU: {count} usable ({name}), PyTorch built for {kind}; device='auto' uses it.",
                  f"GPU：{count} 块可用（{name}），PyTorch 是为 {kind} 编译的；device='auto' 会用它。")
    if _mps_available():
        return tr("GPU: Apple's MPS is usable (an Apple Silicon Mac); device='auto' uses it.",
                  "GPU：可以用 Apple 的 MPS（Apple Silicon 芯片的 Mac）；device='auto' 会用它。")
    if platform.system() == "Darwin":
        if _mps_built():
            return tr("GPU: none usable. This PyTorch has MPS, but this Mac cannot use it: MPS needs an Apple Silicon "
                      "(M1 or later) Mac with macOS 12.3 or newer. The lessons run on the CPU.",
                      "GPU：没有可用的。这个 PyTorch 支持 MPS，但这台 Mac 用不了：MPS 需要 Apple Silicon（M1 及以后）"
                      "芯片和 macOS 12.3 或更新的系统。课程会在 CPU 上运行。")
        return tr("GPU: none usable. This PyTorch was built without MPS; install the standard macOS build "
                  "(pip install torch torchvision) to use an Apple Silicon GPU. The lessons run on the CPU.",
                  "GPU：没有可用的。这个 PyTorch 编译时没有带 MPS；要用 Apple Silicon 的 GPU，请安装标准的 macOS 版本"
                  "（pip install torch torchvision）。课程会在 CPU 上运行。")
    if cuda is None and not getattr(torch.version, "hip", None):
        return tr("GPU: none usable, because this PyTorch is a CPU-only build (torch.version.cuda is None). "
                  "For an NVIDIA GPU, install a CUDA build: see the command at https://pytorch.org/get-started/locally/.",
                  "GPU：没有可用的，因为装的是只支持 CPU 的 PyTorch（torch.version.cuda 是 None）。"
                  "要用 NVIDIA 显卡，请安装 CUDA 版本：安装命令见 https://pytorch.org/get-started/locally/ 。")
    hip = getattr(torch.version, "hip", None)
    if hip:  # a ROCm build (AMD GPUs): torch.version.cuda is None there
        return tr(f"GPU: none usable. This PyTorch is built for ROCm {hip}, but finds no AMD GPU or ROCm driver "
                  "(rocm-smi should list one). On a GPU machine, install or repair the ROCm driver; "
                  "otherwise the lessons run on the CPU.",
                  f"GPU：没有可用的。这个 PyTorch 是为 ROCm {hip} 编译的，但找不到 AMD GPU 或 ROCm 驱动"
                  "（rocm-smi 应该能列出它）。有 GPU 的电脑请安装或修复 ROCm 驱动；否则课程会在 CPU 上运行。")
    message = _cuda_init_error()
    if "too old" in message or "insufficient" in message.lower():
        found = re.search(r"found version (\d+)", message)
        version = f"{int(found[1]) // 1000}.{int(found[1]) % 1000 // 10}" if found else ""
        driver = tr(f" (driver supports CUDA {version})", f"（驱动支持 CUDA {version}）") if found else ""
        return tr(f"GPU: none usable: the NVIDIA driver is too old for this PyTorch's CUDA {cuda}{driver}. "
                  "Update the driver, or install a PyTorch built for an older CUDA (https://pytorch.org/get-started/locally/).",
                  f"GPU：没有可用的：NVIDIA 驱动太旧，不支持这个 PyTorch 的 CUDA {cuda}{driver}。"
                  "请升级驱动，或者安装针对较旧 CUDA 编译的 PyTorch（https://pytorch.org/get-started/locally/ ）。")
    return tr(f"GPU: none usable. This PyTorch is built for CUDA {cuda}, but finds no NVIDIA driver or GPU "
              "(nvidia-smi should list one). On a GPU machine, install or repair the NVIDIA driver; "
              "otherwise the lessons run on the CPU.",
              f"GPU：没有可用的。这个 PyTorch 是为 CUDA {cuda} 编译的，但找不到 NVIDIA 驱动或显卡"
              "（nvidia-smi 应该能列出显卡）。有 GPU 的电脑请安装或修复 NVIDIA 驱动；否则课程会在 CPU 上运行。")


__all__ = ["describe_device", "get_device", "gpu_diagnosis"]
