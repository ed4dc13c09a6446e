"""utils.device, utils.seed, utils.errors."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from utils import CourseError, DeviceError, ParameterError, check_int, get_device, seed_everything
from utils.device import describe_device


def test_auto_and_cpu():
    assert get_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert get_device("auto").type == expected
    assert get_device(" CPU ") == torch.device("cpu")
    assert get_device(torch.device("cpu")) == torch.device("cpu")


@pytest.mark.parametrize("spec", ["gpu", "cuda0", "", "mps:x", 3, None])
def test_unknown_spec_names_the_forms(spec):
    with pytest.raises(DeviceError, match=r"'auto', 'cpu', 'cuda' or 'cuda:N'"):
        get_device(spec)


def test_cuda_without_gpu_says_what_to_do(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    for spec in ("cuda", "cuda:0", "cuda:3"):
        with pytest.raises(DeviceError, match=r"no usable CUDA GPU; use device='auto'.*or device='cpu'"):
            get_device(spec)
    assert get_device("auto") == torch.device("cpu")


def test_cuda_index_out_of_range(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(DeviceError, match=r"has 1 CUDA GPU\(s\) \(cuda:0 … cuda:0\)"):
        get_device("cuda:1")
    assert get_device("cuda:0") == torch.device("cuda:0")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_device_is_usable():
    device = get_device("cuda")
    assert torch.ones(2, device=device).sum().item() == 2
    assert describe_device(device).startswith("cuda:")


def test_describe_cpu():
    assert describe_device(torch.device("cpu")) == "cpu"


def test_seed_everything_repeats_every_generator():
    def draw():
        g = seed_everything(7)
        return (random.random(), np.random.rand(), torch.rand(3).tolist(),
                torch.randperm(10, generator=g).tolist(), torch.nn.Linear(4, 2).weight.tolist())

    first, second = draw(), draw()
    assert first == second
    seed_everything(8)
    assert torch.rand(3).tolist() != first[2]


def test_seed_rejects_bad_values():
    with pytest.raises(ParameterError, match="seed must be >= 0"):
        seed_everything(-1)
    with pytest.raises(ParameterError, match="whole number"):
        seed_everything(1.5)


def test_check_int():
    assert check_int("epochs", 3) == 3
    assert check_int("epochs", 3.0) == 3
    assert check_int("epochs", "4") == 4
    for bad in (0, -2, 2.5, "x", True, None, [1]):
        with pytest.raises(ParameterError, match="epochs must be"):
            check_int("epochs", bad)


def test_course_errors_render_as_one_line():
    err = DeviceError("use device='cpu'.")
    assert isinstance(err, CourseError) and isinstance(err, ValueError)
    assert err._render_traceback_() == ["DeviceError: use device='cpu'."]
