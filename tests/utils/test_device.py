"""utils.device: get_device for CUDA, Apple's MPS and the CPU; gpu_diagnosis's one line per case.

No GPU or Mac is needed: what torch reports is patched.
"""
from __future__ import annotations

import pytest
import torch

import utils.device
from utils import DeviceError, describe_device, get_device, gpu_diagnosis

NO_DRIVER = ("Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver "
             "from http://www.nvidia.com/Download/index.aspx")
TOO_OLD = ("The NVIDIA driver on your system is too old (found version 11040). Please update your GPU driver by "
           "downloading and installing a new version from the URL: http://www.nvidia.com/Download/index.aspx "
           "Alternatively, go to: https://pytorch.org to install a PyTorch version that has been compiled with "
           "your version of the CUDA driver.")


@pytest.fixture
def machine(monkeypatch):
    """Patch what torch reports: ``machine(cuda=..., mps=..., mps_built=..., build=..., init_error=..., system=...)``."""

    def set_up(cuda=False, mps=False, mps_built=None, build="12.1", hip=None, init_error="", system="Linux",
               count=1, name="NVIDIA GeForce RTX 3060"):
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: count if cuda else 0)
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=None: name)
        monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
        monkeypatch.setattr(torch.backends.mps, "is_built", lambda: mps if mps_built is None else mps_built)
        monkeypatch.setattr(torch.version, "cuda", build)
        monkeypatch.setattr(torch.version, "hip", hip, raising=False)
        monkeypatch.setattr(utils.device.platform, "system", lambda: system)

        def init():
            if init_error:
                raise RuntimeError(init_error)

        monkeypatch.setattr(torch.cuda, "init", init)

    return set_up


# ----------------------------------------------------------------------------- get_device
def test_cpu_and_auto_on_this_machine():
    assert get_device("cpu") == torch.device("cpu")
    assert get_device(" CPU ") == torch.device("cpu")
    assert get_device(torch.device("cpu")) == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
    assert get_device("auto").type == expected


def test_auto_prefers_cuda_then_mps_then_cpu(machine):
    machine(cuda=True, mps=True)
    assert get_device("auto") == torch.device("cuda")
    machine(cuda=False, mps=True)
    assert get_device("auto") == torch.device("mps")
    assert get_device("mps") == torch.device("mps") and get_device(torch.device("mps")) == torch.device("mps")
    machine(cuda=False, mps=False)
    assert get_device("auto") == torch.device("cpu")


def test_mps_without_mps_names_it_and_the_alternatives(machine):
    machine(cuda=False, mps=False)
    with pytest.raises(DeviceError) as info:
        get_device("mps")
    message = str(info.value)
    assert "\n" not in message and "device='mps'" in message and "no usable Apple MPS GPU" in message
    assert "device='auto'" in message and "device='cpu'" in message


@pytest.mark.parametrize("spec", ["gpu", "cuda0", "", "mps:x", "tpu", 3, None])
def test_unknown_spec_names_the_forms(spec):
    with pytest.raises(DeviceError, match=r"'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'"):
        get_device(spec)


def test_cuda_without_gpu_says_what_to_do(machine):
    machine(cuda=False)
    for spec in ("cuda", "cuda:0", "cuda:3"):
        with pytest.raises(DeviceError, match=r"no usable CUDA GPU; use device='auto'.*or device='cpu'"):
            get_device(spec)


def test_cuda_index_out_of_range(machine):
    machine(cuda=True, count=1)
    with pytest.raises(DeviceError, match=r"has 1 CUDA GPU\(s\) \(cuda:0 … cuda:0\)"):
        get_device("cuda:1")
    assert get_device("cuda:0") == torch.device("cuda:0")
    assert describe_device(torch.device("cuda")) == "cuda:0 (NVIDIA GeForce RTX 3060)"


def test_describe_cpu_and_mps():
    assert describe_device(torch.device("cpu")) == "cpu"
    assert describe_device(torch.device("mps")) == "mps"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_device_is_usable():
    device = get_device("cuda")
    assert torch.ones(2, device=device).sum().item() == 2
    assert describe_device(device).startswith("cuda:")


# ----------------------------------------------------------------------------- gpu_diagnosis
def diagnosis() -> str:
    line = gpu_diagnosis()
    assert line.startswith("GPU: ") and "\n" not in line, line
    return line


def test_diagnosis_on_this_machine_is_one_line():
    diagnosis()


def test_cpu_only_build(machine):
    machine(build=None, init_error="Torch not compiled with CUDA enabled")
    line = diagnosis()
    assert "CPU-only build" in line and "torch.version.cuda is None" in line
    assert "https://pytorch.org/get-started/locally/" in line


def test_cuda_build_without_a_driver(machine):
    machine(build="12.1", init_error=NO_DRIVER)
    line = diagnosis()
    assert "built for CUDA 12.1" in line and "no NVIDIA driver" in line and "too old" not in line


def test_cuda_build_with_a_driver_too_old(machine):
    machine(build="12.1", init_error=TOO_OLD)
    line = diagnosis()
    assert "driver is too old" in line and "CUDA 12.1" in line
    assert "driver supports CUDA 11.4" in line  # found version 11040


def test_mac_with_mps_built_but_unusable(machine):
    machine(build=None, mps=False, mps_built=True, system="Darwin")
    line = diagnosis()
    assert "MPS" in line and "Apple Silicon" in line and "macOS 12.3" in line and "built without" not in line


def test_mac_with_a_build_without_mps(machine):
    machine(build=None, mps=False, mps_built=False, system="Darwin")
    line = diagnosis()
    assert "built without MPS" in line and "pip install torch" in line


def test_mps_usable(machine):
    machine(build=None, mps=True, system="Darwin")
    assert "Apple's MPS is usable" in diagnosis()


def test_cuda_usable(machine):
    machine(cuda=True, count=2, name="NVIDIA H100")
    line = diagnosis()
    assert "2 usable (NVIDIA H100)" in line and "CUDA 12.1" in line and "device='auto' uses it" in line


def test_rocm_usable(machine):
    machine(cuda=True, build=None, hip="6.0", name="AMD Instinct MI300X")
    assert "ROCm 6.0" in diagnosis()


def test_rocm_build_without_a_gpu(machine):
    machine(build=None, hip="6.0", init_error="No HIP GPUs are available")
    line = diagnosis()
    assert "ROCm 6.0" in line and "CUDA" not in line


def test_every_case_is_a_different_line(machine):
    cases = [dict(build=None), dict(init_error=NO_DRIVER), dict(init_error=TOO_OLD),
             dict(build=None, mps_built=True, system="Darwin"), dict(build=None, mps_built=False, system="Darwin"),
             dict(mps=True, system="Darwin"), dict(cuda=True), dict(build=None, hip="6.0")]
    lines = []
    for case in cases:
        machine(**case)
        lines.append(diagnosis())
    assert len(set(lines)) == len(cases)


def test_gpu_diagnosis_speaks_the_editions_language():
    """The line a Windows learner needs most comes in Chinese in the 中文版: same case, no English sentence."""
    from utils.i18n import set_language

    english = gpu_diagnosis()
    set_language("zh")
    chinese = gpu_diagnosis()
    assert chinese.startswith("GPU：") and "\n" not in chinese
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in chinese) >= 15
    assert not any(word in chinese for word in ("none usable", "install", "the lessons"))
    assert english.startswith("GPU: ") and english != chinese
