"""utils.precision: bf16 where the hardware has bf16 units, fp32 elsewhere (the capability patched)."""
from __future__ import annotations

import pytest
import torch

from utils import precision


def test_cpu_choice_follows_the_amx_capability(monkeypatch):
    monkeypatch.setattr(precision, "cpu_has_amx_bf16", lambda: True)
    assert precision.pick_precision("cpu") == "bf16"
    monkeypatch.setattr(precision, "cpu_has_amx_bf16", lambda: False)
    assert precision.pick_precision("cpu") == "fp32"
    assert precision.pick_precision("cpu", "bf16") == "bf16"  # asked for explicitly: as asked


def test_amx_is_read_from_what_pytorch_reports(monkeypatch, tmp_path):
    monkeypatch.setattr(torch._C._cpu, "_init_amx", lambda: True, raising=False)
    assert precision.cpu_has_amx_bf16() is True
    monkeypatch.setattr(torch._C._cpu, "_init_amx", lambda: False, raising=False)
    fake = tmp_path / "cpuinfo"
    monkeypatch.setattr(precision, "Path", lambda _: fake)
    fake.write_text("flags\t: fpu avx512f avx512_bf16\n")  # AVX-512 BF16 without AMX tiles: not enough
    assert precision.cpu_has_amx_bf16() is False
    fake.write_text("flags\t: fpu avx512f avx512_bf16 amx_bf16 amx_tile\n")
    assert precision.cpu_has_amx_bf16() is True


def test_gpu_choices(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert precision.pick_precision(torch.device("cuda")) == "bf16"
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)
    assert precision.pick_precision("cuda:0") == "fp32"
    assert precision.pick_precision("mps") == "fp32"
    with pytest.raises(ValueError, match="precision"):
        precision.pick_precision("cpu", "fp8")


def test_autocast_runs_the_forward_pass_in_bf16_or_leaves_it():
    layer, x = torch.nn.Linear(4, 2), torch.randn(3, 4)
    with precision.autocast("cpu", "bf16"):
        assert layer(x).dtype == torch.bfloat16
    with precision.autocast("cpu", "fp32"):
        assert layer(x).dtype == torch.float32
