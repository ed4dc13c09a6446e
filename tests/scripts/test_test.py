"""scripts/test.py: one line per image from a train.py checkpoint; bad input stops with one line and exit status 2."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import torch
from PIL import Image

from helpers import REPO_ROOT
from scripts.model import build_model, make_checkpoint
from utils.data import CIFAR10_CLASSES

SAMPLE = REPO_ROOT / "sample" / "cifar10" / "test"


def _images(folder):
    """Two PNGs a learner might have: a 32x32 RGBA one, and a larger RGB one (not 32x32)."""
    rgba, large = folder / "photo rgba.png", folder / "large.png"
    Image.open(next((SAMPLE / "dog").glob("*.png"))).convert("RGBA").save(rgba)
    Image.open(next((SAMPLE / "ship").glob("*.png"))).convert("RGB").resize((90, 60)).save(large)
    return rgba, large


def _always(cls: str, folder):
    """A tudui checkpoint whose model says ``cls`` for every image, with certainty (zero last-layer weights)."""
    model = build_model("tudui")
    last = model.model1[-1]
    with torch.no_grad():
        last.weight.zero_()
        last.bias.fill_(-20.0)
        last.bias[CIFAR10_CLASSES.index(cls)] = 20.0
    path = folder / f"always-{cls}.pt"
    torch.save(make_checkpoint("tudui", model, list(CIFAR10_CLASSES), None), path)
    return path


BAD = {  # case: (arguments, words the one line must hold)
    "missing image": (["always-cat.pt", "photo rgba.png", "missing.png"], "does not exist"),
    "not an image": (["always-cat.pt", "photo rgba.png", "notes.png"], "is not an image"),
    "bare state_dict": (["bare.pt", "photo rgba.png"], "is not a checkpoint written by scripts/train.py"),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every ``python scripts/test.py ...`` of this module, started together (their start-up overlaps)."""
    folder = tmp_path_factory.mktemp("test_py")
    rgba, large = _images(folder)
    _always("cat", folder)
    (folder / "notes.png").write_text("not an image")
    torch.save(build_model("tudui").state_dict(), folder / "bare.pt")  # what lesson 10's save_checkpoint writes
    jobs = {"good": [_always("frog", folder), rgba, large]}
    jobs.update((case, [folder / name for name in names]) for case, (names, _) in BAD.items())
    env = {**os.environ, "OMP_NUM_THREADS": "1"}  # several processes share the test machine's cores
    started = {case: subprocess.Popen([sys.executable, "scripts/test.py", *map(str, args)], cwd=REPO_ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
               for case, args in jobs.items()}
    finished = {}
    try:
        for case, proc in started.items():
            out, err = proc.communicate(timeout=180)
            finished[case] = (proc.returncode, out, err)
    finally:
        for proc in started.values():
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    return folder, finished


def test_one_line_per_image_with_the_class_and_its_probability(runs):
    folder, finished = runs
    code, out, err = finished["good"]
    assert code == 0, err
    assert out.splitlines() == [f"{folder / 'photo rgba.png'}: frog (p=1.00)", f"{folder / 'large.png'}: frog (p=1.00)"]


def test_the_checkpoints_normalization_is_applied(tmp_path, capsys):
    """In-process: the printed class and probability are those of the normalized image."""
    from torchvision import transforms

    from scripts import test as test_py

    torch.manual_seed(0)
    model = build_model("fast").eval()
    with torch.no_grad():
        model.model1[-1].weight.mul_(30)  # confident scores, so that the input's scale shows in p
    mean, std = [0.6, 0.5, 0.4], [0.1, 0.2, 0.3]
    path = tmp_path / "fast.pt"
    torch.save(make_checkpoint("fast", model, list(CIFAR10_CLASSES), (mean, std)), path)
    rgba, large = _images(tmp_path)
    assert test_py.main([str(path), str(rgba), str(large)]) == 0
    printed = capsys.readouterr().out.splitlines()
    pattern = re.compile(r"^(.+): (\w+) \(p=([01]\.\d\d)\)$")
    for line, image in zip(printed, (rgba, large), strict=True):
        name, cls, p = pattern.match(line).groups()
        x = transforms.ToTensor()(Image.open(image).convert("RGB").resize((32, 32), Image.BILINEAR))
        with torch.no_grad():
            plain = torch.softmax(model(x.unsqueeze(0)), 1)[0]
            scores = torch.softmax(model(transforms.Normalize(mean, std)(x).unsqueeze(0)), 1)[0]
        assert name == str(image) and cls in CIFAR10_CLASSES
        assert float(p) == pytest.approx(scores.max().item(), abs=0.011)
        assert cls == CIFAR10_CLASSES[scores.argmax()]
        assert (int(plain.argmax()), round(plain.max().item(), 2)) != (int(scores.argmax()), float(p)), \
            "this image and model must tell normalized from plain inputs"


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_gives_one_line_and_exit_status_2(runs, case):
    code, out, err = runs[1][case]
    assert code == 2, (out, err)
    assert out == "", "no prediction is printed before a bad input is found"
    assert len(err.splitlines()) == 1 and err.startswith("test.py: error: ") and BAD[case][1] in err, err
