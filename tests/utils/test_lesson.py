"""utils.lesson: start_lesson checks the shared parameters, seeds, picks device and data, prints one line each."""
from __future__ import annotations

import re

import pytest
import torch

from utils import CourseError, DataError, DeviceError, Lesson, ParameterError, start_lesson
from utils.i18n import language
from helpers import write_cifar

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def quiet_record(monkeypatch):
    """What start_lesson records for reports, without IPython."""
    recorded = []
    monkeypatch.setattr("utils.lesson.record", lambda name, value, show=True: recorded.append((name, value, show)))
    return recorded


def test_prints_device_data_and_seed(capsys, quiet_record, tmp_path):
    lesson = start_lesson("unit", device="cpu", data_source="sample", data_root=tmp_path, seed=3, batch_size=8)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert out[0] == "Device: cpu (asked for device='cpu')"
    assert out[1].startswith("Data: the CIFAR-10 sample shipped in sample/cifar10, 1,500 training + 600 test images")
    assert "make data" in out[1] and out[2] == "Seed: 3"
    assert isinstance(lesson, Lesson) and lesson.name == "unit" and lesson.seed == 3
    assert lesson.device == torch.device("cpu") and lesson.data.kind == "sample"
    assert quiet_record == [("device", "cpu", False), ("data_source", "sample", False)]


def test_auto_without_a_gpu_points_at_the_diagnosis(capsys, quiet_record, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    start_lesson("unit", data_source="synthetic")
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "Device: cpu (asked for device='auto'; no GPU found: utils.gpu_diagnosis() says why)"


def test_chinese_lines(capsys, quiet_record):
    start_lesson("unit", device="cpu", data_source="synthetic", seed=1, language="zh")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(CHINESE.search(line) for line in out)
    assert out[2] == "随机种子：1" and language() == "zh"


def test_the_lesson_seeds_and_serves_its_data(quiet_record, capsys):
    lesson = start_lesson("unit", device="cpu", data_source="synthetic", seed=5)
    first = torch.rand(2)
    train = lesson.dataset(train=True, size=20)
    test = lesson.dataset(train=False, size=10)
    assert len(train) == 20 and len(test) == 10 and train.classes[0] == "disc"
    assert torch.randperm(5, generator=lesson.generator).tolist() == torch.randperm(
        5, generator=torch.Generator().manual_seed(5)).tolist()
    start_lesson("unit", device="cpu", data_source="synthetic", seed=5)
    assert torch.equal(torch.rand(2), first)


def test_the_lesson_writer_prints_its_folder(quiet_record, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path))
    lesson = start_lesson("02_convolution", device="cpu", data_source="synthetic")
    capsys.readouterr()
    writer = lesson.writer()
    writer.close()
    line = capsys.readouterr().out.strip()
    assert line.startswith("TensorBoard run folder: ") and line.endswith(
        f"02_convolution/{writer.log_dir.rsplit('/', 1)[-1]}")
    assert writer.log_dir.startswith(str(tmp_path / "02_convolution"))


@pytest.mark.parametrize("kwargs, error, name", [
    ({"device": "gpu"}, DeviceError, "device"),
    ({"data_source": "nope"}, DataError, "data_source"),
    ({"data_source": "folder:/no/such/dir"}, DataError, "data folder"),
    ({"data_root": 5}, DataError, "data_root"),
    ({"seed": "x"}, ParameterError, "seed"),
    ({"seed": -1}, ParameterError, "seed"),
    ({"batch_size": 0}, ParameterError, "batch_size"),
    ({"batch_size": 10_000}, ParameterError, "batch_size"),
    ({"progress": "yes"}, ParameterError, "progress"),
    ({"interactive": 1}, ParameterError, "interactive"),
    ({"language": "fr"}, ParameterError, "language"),
])
def test_bad_parameters_stop_before_anything_is_printed(kwargs, error, name, capsys, quiet_record):
    with pytest.raises(error) as info:
        start_lesson("unit", **{"device": "cpu", "data_source": "synthetic", **kwargs})
    assert isinstance(info.value, CourseError) and name in str(info.value) and "\n" not in str(info.value)
    assert capsys.readouterr().out == "", "nothing is printed (or done) before the parameters are checked"
    assert quiet_record == []


# ----------------------------------------------------------------------------- the plain-PyTorch set-up cell
def test_check_parameters_accepts_good_values_and_names_the_wrong_one():
    from utils import check_parameters
    from utils.errors import DataError, DeviceError, ParameterError

    check_parameters(device="cpu", data_source="sample", data_root="data", seed=0, batch_size=64, num_images=8,
                     epochs="auto", progress=True, limits={"num_images": (1, 64)})
    for kwargs, error, name in [({"seed": -1}, ParameterError, "seed"), ({"batch_size": 0}, ParameterError, "batch_size"),
                                ({"progress": "yes"}, ParameterError, "progress"), ({"epochs": "many"}, ParameterError, "epochs"),
                                ({"device": "gpu"}, DeviceError, "device"), ({"data_source": "imagenet"}, DataError, "data_source"),
                                ({"num_images": 65, "limits": {"num_images": (1, 64)}}, ParameterError, "num_images")]:
        with pytest.raises(error, match=name) as caught:
            check_parameters(**kwargs)
        assert "\n" not in str(caught.value)
    with pytest.raises(TypeError, match="no parameter 'batchsize'"):
        check_parameters(batchsize=32)


def test_check_parameters_sets_the_language():
    from utils import check_parameters
    from utils.i18n import language

    check_parameters(language="zh", seed=1)
    assert language() == "zh"


def test_find_cifar10_names_the_source_and_an_absolute_folder(tmp_path, capsys):
    from utils import find_cifar10
    from utils.data import SAMPLE_DIR
    from utils.errors import DataError

    kind, path = find_cifar10("auto", tmp_path / "nothing-installed")
    assert (kind, path) == ("sample", str(SAMPLE_DIR))
    assert capsys.readouterr().out.startswith("Data: the CIFAR-10 sample")
    write_cifar(tmp_path)
    kind, path = find_cifar10("auto", tmp_path)
    assert (kind, path) == ("cifar10", str(tmp_path))  # torchvision's root: the folder holding cifar-10-batches-py
    assert find_cifar10(f"folder:{SAMPLE_DIR}", "data") == ("folder", str(SAMPLE_DIR))
    with pytest.raises(DataError, match="does not exist"):
        find_cifar10(f"folder:{tmp_path / 'absent'}", "data")
    with pytest.raises(DataError, match="unit tests"):
        find_cifar10("synthetic", "data")
