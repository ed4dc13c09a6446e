"""scripts/train.py, run as a learner runs it: on the shipped sample, on an image folder, under torchrun, with bad arguments.

Every run is a separate process (``python scripts/train.py ...`` from the repository root).
They are started together when this module's first test asks for one, so that their start-up
(importing torch) overlaps; each test then waits for the run it checks.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from helpers import REPO_ROOT
from utils.data import CIFAR10_CLASSES

ACCURACY_LINE = re.compile(r"^test accuracy: 0\.\d{4}$")
VIEWS_LINE = re.compile(r"^test accuracy with flip and shift at test time \(six views per image\): 0\.\d{4}$")
TINY = ["--epochs", "1", "--num-images", "64", "--batch-size", "32", "--device", "cpu", "--no-progress"]
TIMEOUT = 300  # seconds: a hung torch.distributed run fails the test instead of hanging it


class Run:
    """One ``train.py`` process: started now, its result read when a test asks."""

    def __init__(self, args: list[str], env: dict[str, str], out: Path | None = None) -> None:
        self.out, self.env, self._result = out, env, None
        self.proc = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8", start_new_session=True)

    def result(self) -> tuple[int, str, str]:
        """``(exit status, stdout, stderr)``, once the process has ended."""
        if self._result is None:
            try:
                out, err = self.proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # torchrun and its workers
                out, err = self.proc.communicate()
                pytest.fail(f"no result within {TIMEOUT} s:\n{out[-2000:]}\n{err[-2000:]}")
            self._result = (self.proc.returncode, out, err)
        return self._result


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train")
    env = {**os.environ, "COURSE_RUNS_DIR": str(tmp / "runs"), "COURSE_CHECKPOINT_DIR": str(tmp / "checkpoints"),
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    images = tmp / "images"
    shutil.copytree(REPO_ROOT / "sample" / "cifar10", images)  # the sample as a learner's own image folder
    train = [sys.executable, "scripts/train.py"]
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "scripts/train.py"]
    specs = {
        "sample": (train + ["--data-source", "sample", *TINY], "out-sample"),
        "folder": (train + ["--model", "fast", "--data-source", f"folder:{images}", *TINY], "out-folder"),
        "torchrun": (torchrun + ["--model", "fast", "--data-source", "sample", "--epochs", "2", "--num-images", "128",
                                 "--batch-size", "32", "--device", "cpu"], "out-torchrun"),
        "bad model": (train + ["--model", "resnet50"], None),
        "bad epochs": (train + ["--epochs", "0"], None),
        "bad device": (train + ["--device", "cuda:99", "--data-source", "sample"], None),
        "bad folder": (train + ["--data-source", f"folder:{tmp / 'no-such-folder'}"], None),
    }
    started = {}
    for name, (args, out) in specs.items():
        started[name] = Run(args + ([] if out is None else ["--out", str(tmp / out)]), env,
                            None if out is None else tmp / out)
    yield started
    for run in started.values():
        if run.proc.poll() is None:
            os.killpg(run.proc.pid, signal.SIGKILL)
            run.proc.communicate()


def _succeeded(run: Run) -> list[str]:
    code, out, err = run.result()
    assert code == 0, f"exit status {code}\n{out[-3000:]}\n{err[-3000:]}"
    lines = out.splitlines()
    if VIEWS_LINE.match(lines[-1]):  # --model fast: then how lesson 11's fast model predicts (six views)
        lines = lines[:-1]
    assert ACCURACY_LINE.match(lines[-1]), lines[-5:]
    return lines


def _checkpoint(run: Run, model: str) -> dict:
    files = sorted(run.out.glob("*.pt"))
    assert [f.name for f in files] == [f"{model}.pt"], "exactly one checkpoint, named after its model"
    assert not list(run.out.glob(".*.tmp")), "no temporary file left over"
    checkpoint = torch.load(files[0], map_location="cpu", weights_only=True)
    assert checkpoint["model"] == model and checkpoint["classes"] == list(CIFAR10_CLASSES)
    return checkpoint


def _logged_accuracy(out: Path) -> float:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = list(out.glob("events.out.tfevents.*"))
    assert len(events) == 1, events
    logs = EventAccumulator(str(out))
    logs.Reload()
    assert {"train/step_loss", "test/loss", "test/accuracy"} <= set(logs.Tags()["scalars"])
    return logs.Scalars("test/accuracy")[-1].value


@pytest.mark.parametrize("name, model", [("sample", "tudui"), ("folder", "fast")])
def test_trains_saves_and_logs(runs, name, model):
    run = runs[name]
    lines = _succeeded(run)
    assert run.result()[2] == "", "no warnings (and, with --no-progress, no progress bar) on stderr"
    assert sum(line.startswith("epoch  1:") and "test accuracy" in line for line in lines) == 1
    assert bool(VIEWS_LINE.match(run.result()[1].splitlines()[-1])) == (model == "fast")
    assert "training set: 64 images, test set: 600 images" in "\n".join(lines)
    checkpoint = _checkpoint(run, model)
    from scripts.model import load_model

    load_model(run.out / f"{model}.pt")  # the model it names takes its weights
    if model == "fast":  # FAST normalizes its inputs: the checkpoint carries the training images' statistics
        assert [len(checkpoint["normalize"][k]) for k in ("mean", "std")] == [3, 3]
        assert all(0.1 < s < 0.5 for s in checkpoint["normalize"]["std"])
    else:
        assert checkpoint["normalize"] is None
    accuracy = float(lines[-1].split(": ")[1])
    assert _logged_accuracy(run.out) == pytest.approx(accuracy, abs=1e-4)


def test_torchrun_two_cpu_processes_print_and_save_once(runs):
    run = runs["torchrun"]
    lines = _succeeded(run)
    assert sum(bool(ACCURACY_LINE.match(line)) for line in lines) == 1, "only process 0 prints"
    assert [line[:9] for line in lines if line.startswith("epoch")] == ["epoch  1:", "epoch  2:"]
    assert "2 processes, gloo" in lines[0]
    _checkpoint(run, "fast")
    _logged_accuracy(run.out)  # one event file: only process 0 logs


@pytest.mark.parametrize("name, words", [
    ("bad model", "invalid choice"),
    ("bad epochs", "--epochs"),
    ("bad device", "cuda:99"),
    ("bad folder", "no-such-folder"),
])
def test_a_bad_argument_gives_one_line_and_exit_status_2(runs, name, words):
    code, out, err = runs[name].result()
    assert code == 2, (out, err)
    assert len(err.splitlines()) == 1 and err.startswith("train.py: error: ") and words in err, err
    assert out == ""
    assert not (Path(runs[name].env["COURSE_RUNS_DIR"]) / "train").exists(), "nothing is written before the check"


@pytest.mark.parametrize("args, words", [
    (["--lr", "-0.1"], "argument --lr: must be a number > 0 (got '-0.1')"),
    (["--lr", "nan"], "argument --lr: must be a number > 0"),
    (["--batch-size", "0"], "argument --batch-size: must be a whole number >= 1 (got '0')"),
    (["--num-images", "-5"], "argument --num-images: must be a whole number >= 0"),
    (["--epochs", "2.5"], "argument --epochs: must be a whole number >= 1"),
    (["--model"], "argument --model: expected one argument"),
])
def test_option_checks_in_process(capsys, args, words):
    """The same one-line errors, checked in this process (cheaper than starting train.py for each)."""
    from scripts.train import make_parser

    with pytest.raises(SystemExit) as stop:
        make_parser().parse_args(args)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1 and err.startswith("train.py: error: ") and words in err, err


def test_options_override_the_recipe_and_keep_the_rest():
    from scripts.model import MODELS
    from scripts.train import make_parser, recipe_for

    args = make_parser().parse_args(["--model", "fast", "--epochs", "3", "--lr", "0.05"])
    recipe = recipe_for(args)
    assert (recipe.epochs, recipe.lr) == (3, 0.05)
    assert recipe == MODELS["fast"].recipe.but(epochs=3, lr=0.05)
    assert recipe_for(make_parser().parse_args([])) is MODELS["tudui"].recipe


def test_the_test_pass_does_not_go_through_ddp(tmp_path, monkeypatch):
    """In eval mode TrainingDDP runs the unwrapped model: DDP's forward (which broadcasts buffers) is never called."""
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    from scripts.model import build_model
    from scripts.train import TrainingDDP

    dist.init_process_group("gloo", store=dist.FileStore(str(tmp_path / "store"), 1), rank=0, world_size=1)
    try:
        ddp = TrainingDDP(build_model("fast"))
        calls, real = [], DistributedDataParallel.forward

        def counted(self, *args, **kwargs):
            calls.append(1)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(DistributedDataParallel, "forward", counted)
        x = torch.randn(4, 3, 32, 32)
        ddp.train()
        ddp(x).sum().backward()
        assert calls == [1]
        ddp.eval()
        with torch.no_grad():
            assert torch.equal(ddp(x), ddp.module(x))
        assert calls == [1], "the test pass must not use DDP's forward"
    finally:
        dist.destroy_process_group()


def test_device_under_torchrun():
    from scripts.train import pick_device
    from utils.errors import DeviceError

    assert pick_device("cpu", 2, 1) == torch.device("cpu")
    with pytest.raises(DeviceError, match="cuda"):
        pick_device("cuda:99", 2, 0)


def test_gpu_data_path_gives_the_cpu_paths_batches():
    """On a GPU the training images stay on the device (DeviceLoader); checked here on the CPU: the same
    batches, normalised the same way, as the DataLoader the CPU path uses."""
    import torch
    from torchvision import transforms

    from scripts.train import train_loader_for
    from utils.data import channel_stats, load_cifar10
    from utils.device_data import DeviceLoader

    data = load_cifar10(False, "sample")
    picked = torch.randperm(len(data), generator=torch.Generator().manual_seed(1))[:200].tolist()
    normalize = channel_stats(data.images[picked])
    on_device = train_loader_for(data, picked, 64, torch.device("cpu"), torch.Generator().manual_seed(5), normalize,
                                 on_device=True)
    data.transform = transforms.Normalize(*normalize)
    try:
        plain = train_loader_for(data, picked, 64, torch.device("cpu"), torch.Generator().manual_seed(5), normalize)
        assert isinstance(on_device, DeviceLoader) and not isinstance(plain, DeviceLoader)
        pairs = list(zip(plain, on_device))
        assert len(pairs) == len(plain) == len(on_device) == 4
        for (a, ya), (b, yb) in pairs:
            assert torch.equal(ya, yb) and torch.allclose(a, b, atol=1e-5)
    finally:
        data.transform = None
