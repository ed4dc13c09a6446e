"""Which number format to train in, decided from the hardware (lesson 11's fast recipe, ``make bench``).

Training in ``bfloat16`` (bf16) with :func:`torch.autocast` halves the bytes every convolution moves
and, on hardware with bf16 units, roughly halves the time of a training step.  On hardware without
them it gains nothing or loses a lot: a FastNet training step (batch 256, channels-last, 2 threads)
took about as long in bf16 as in fp32 (ratio 1.07) on a 2-core AMD EPYC with AVX-512 BF16 but no
AMX, and about 14× as long on an AVX2-only machine.  So the choice is made per machine:

- **CUDA**: bf16 where the GPU supports it (Ampere and newer: ``torch.cuda.is_bf16_supported()``),
  else fp32.
- **CPU**: bf16 where the CPU has Intel AMX tiles for bf16 (Sapphire Rapids and newer), which
  PyTorch reports through ``torch._C._cpu._init_amx()`` (and Linux through the ``amx_bf16`` flag
  in ``/proc/cpuinfo``); fp32 everywhere else.
- **MPS** (Apple): fp32.

:func:`autocast` turns the choice into a context manager for the forward pass and the loss.
"""
from __future__ import annotations

import contextlib
from pathlib import Path

import torch

#: The number formats a recipe may ask for; "auto" picks one with :func:`pick_precision`.
PRECISIONS = ("auto", "fp32", "bf16")


def cpu_has_amx_bf16() -> bool:
    """``True`` when this CPU has Intel AMX tiles for bf16 (what makes bf16 training fast on a CPU)."""
    try:
        if torch._C._cpu._init_amx():
            return True
    except (AttributeError, RuntimeError):
        pass
    cpuinfo = Path("/proc/cpuinfo")
    try:
        return cpuinfo.exists() and "amx_bf16" in cpuinfo.read_text(errors="ignore").split()
    except OSError:
        return False


def pick_precision(device: torch.device | str, asked: str = "auto") -> str:
    """``"bf16"`` or ``"fp32"``: ``asked`` unless it is ``"auto"``, else what suits ``device`` (see the module)."""
    if asked not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS} (got {asked!r})")
    if asked != "auto":
        return asked
    kind = torch.device(device).type
    if kind == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    if kind == "cpu":
        return "bf16" if cpu_has_amx_bf16() else "fp32"
    return "fp32"


def autocast(device: torch.device | str, precision: str):
    """A context manager that runs the forward pass in ``precision`` on ``device`` (fp32: does nothing)."""
    if precision == "bf16":
        return torch.autocast(device_type=torch.device(device).type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


__all__ = ["PRECISIONS", "autocast", "cpu_has_amx_bf16", "pick_precision"]
