"""08_capstone: the training pipeline, checkpoints, predictions, the improvement ladder, FastNet.

The notebook tests read the papermill run with CI-sized parameters (``executed``) and the outputs
stored from a default run (synthetic data).  The helpers the lesson adds to ``utils.models`` are
unit-tested here too.
"""
from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from utils import Tudui, count_parameters, read_results, seed_everything
from utils.models import FastNet, FlipTTA, TuduiPlus, channel_stats, random_crop, random_flip, train_recipe
from helpers import notebook_outputs

# Checkpoints written by notebook runs go to a temporary folder, not into the repository.
# (Set at import, before any kernel starts, so papermill and nbval kernels inherit it.)
os.environ.setdefault("COURSE_CHECKPOINT_DIR", tempfile.mkdtemp(prefix="course-test-checkpoints-"))

NAME = "08_capstone"
REPO_ROOT = Path(__file__).resolve().parent.parent
STORED = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
LADDER = ["tutorial", "+ ReLU", "+ BatchNorm", "+ normalized inputs", "+ augmentation", "+ LR schedule"]


def _text(path: Path) -> str:
    return "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                     for o in notebook_outputs(path))


# ----------------------------------------------------------------------------- utils.models helpers
def test_tuduiplus_without_extras_is_tudui():
    torch.manual_seed(0)
    tudui = Tudui()
    torch.manual_seed(0)
    plain = TuduiPlus(relu=False, batchnorm=False)
    assert [type(m) for m in plain.model1] == [type(m) for m in tudui.model1]
    assert all(torch.equal(a, b) for a, b in zip(tudui.state_dict().values(), plain.state_dict().values()))
    x = torch.rand(2, 3, 32, 32)
    assert torch.equal(plain(x), tudui(x))


def test_tuduiplus_layers():
    model = TuduiPlus(relu=True, batchnorm=True)
    kinds = [type(m).__name__ for m in model.model1]
    assert kinds.count("ReLU") == 4 and kinds.count("BatchNorm2d") == 3
    assert kinds[:4] == ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d"]
    assert model(torch.rand(5, 3, 32, 32)).shape == (5, 10)
    assert count_parameters(model) == count_parameters(Tudui()) + 2 * (32 + 32 + 64)


def test_fastnet_shapes_and_size():
    model = FastNet()
    assert model(torch.rand(3, 3, 32, 32)).shape == (3, 10)
    assert 300_000 < count_parameters(model) < 500_000
    assert FastNet(widths=(8, 16), num_classes=4)(torch.rand(2, 3, 32, 32)).shape == (2, 4)


def test_flip_tta_averages_an_image_and_its_mirror():
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 4 * 4, 2))
    x = torch.rand(2, 3, 4, 4)
    expected = (model(x) + model(x.flip(3))) / 2
    assert torch.allclose(FlipTTA(model)(x), expected)


def test_random_flip_mirrors_some_images_and_keeps_the_rest():
    torch.manual_seed(0)
    imgs = torch.rand(64, 3, 8, 8)
    out = random_flip(imgs)
    flipped = [torch.equal(o, i.flip(2)) for o, i in zip(out, imgs)]
    kept = [torch.equal(o, i) for o, i in zip(out, imgs)]
    assert all(f or k for f, k in zip(flipped, kept))
    assert 16 < sum(flipped) < 48


def test_random_crop_is_a_shifted_window_of_the_padded_image():
    torch.manual_seed(1)
    imgs = torch.rand(32, 3, 32, 32)
    out = random_crop(imgs, padding=4)
    assert out.shape == imgs.shape
    padded = nn.functional.pad(imgs, (4, 4, 4, 4), mode="reflect")
    offsets = set()
    for o, p in zip(out, padded):
        found = [(dy, dx) for dy in range(9) for dx in range(9) if torch.equal(o, p[:, dy:dy + 32, dx:dx + 32])]
        assert found, "each output must be a 32x32 window of the padded image"
        offsets.add(found[0])
    assert len(offsets) > 10  # a different shift per image, not one for the batch
    assert torch.equal(random_crop(imgs, padding=0), imgs)


def test_channel_stats_for_uint8_and_float():
    images = torch.zeros(4, 3, 2, 2, dtype=torch.uint8)
    images[:, 1] = 255
    images[:2, 2] = 255
    mean, std = channel_stats(images)
    assert mean == pytest.approx([0.0, 1.0, 0.5]) and std[0] == 0 and std[1] == 0 and std[2] > 0.4
    assert channel_stats(images.float() / 255)[0] == pytest.approx(mean)


def _toy(n=256):
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 2, (n,), generator=g)
    x = torch.rand(n, 3, 32, 32, generator=g)
    x[:, 0] += 0.5 * y.view(n, 1, 1)  # class 1 is redder: easy to learn
    return (DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True, generator=g),
            DataLoader(TensorDataset(x, y), batch_size=128))


@pytest.mark.parametrize("options", [
    dict(),
    dict(augment=True, one_cycle=True, lr=0.05),
    dict(momentum=0.9, nesterov=True, weight_decay=5e-4, label_smoothing=0.2, channels_last=True, one_cycle=True, lr=0.05),
])
def test_train_recipe_learns_and_logs(tmp_path, options):
    from utils import make_writer
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    seed_everything(0)
    train, test = _toy()
    model = TuduiPlus(num_classes=2)
    writer = make_writer("unit08", root=tmp_path)
    history = train_recipe(model, train, test, 3, torch.device("cpu"), writer=writer, progress=False,
                           verbose=False, **options)
    writer.close()
    assert len(history.train_loss) == len(history.test_loss) == len(history.test_accuracy) == 3
    assert history.test_accuracy[-1] > 0.8
    events = EventAccumulator(writer.log_dir)
    events.Reload()
    tags = set(events.Tags()["scalars"])
    assert {"train/loss", "test/loss", "test/accuracy", "train/lr"} <= tags
    lrs = [e.value for e in events.Scalars("train/lr")]
    assert len(lrs) == 3 * len(train)
    if options.get("one_cycle"):
        peak = lrs.index(max(lrs))
        assert max(lrs) == pytest.approx(options["lr"], rel=0.05) and 0 < peak < len(lrs) - 1
        assert lrs[-1] < lrs[peak] / 10 and lrs[0] < lrs[peak] / 10
    else:
        assert lrs == pytest.approx([0.01] * len(lrs))


def test_train_recipe_default_is_the_tutorial_step():
    """With its defaults, train_recipe takes the same steps as plain SGD(lr=0.01) on CrossEntropyLoss."""
    train, _ = _toy(64)
    imgs, targets = next(iter(DataLoader(train.dataset, batch_size=64)))
    one_batch = DataLoader(TensorDataset(imgs, targets), batch_size=64)
    torch.manual_seed(0)
    a = Tudui(num_classes=2)
    torch.manual_seed(0)
    b = Tudui(num_classes=2)
    train_recipe(a, one_batch, one_batch, 1, torch.device("cpu"), progress=False, verbose=False)
    optimizer = torch.optim.SGD(b.parameters(), lr=0.01)
    loss = nn.CrossEntropyLoss()(b(imgs), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    assert all(torch.allclose(p, q) for p, q in zip(a.parameters(), b.parameters()))


# ----------------------------------------------------------------------------- the notebook (CI run)
notebook = pytest.mark.notebook


@notebook
def test_tutorial_argmax_example(output):
    text = _text(output)
    assert "tensor([1, 1])\ntensor([0, 1])\ntensor([False,  True])\ntensor(1)" in text


@notebook
def test_tutorial_model_trained_and_evaluated(results):
    history = results["tutorial_history"]
    assert len(history["train_loss"]) == len(history["test_loss"]) == len(history["test_accuracy"]) == 1
    assert all(math.isfinite(v) for v in history["train_loss"] + history["test_loss"])
    assert results["manual_equals_evaluate"] is True
    assert results["tutorial_accuracy"] == pytest.approx(history["test_accuracy"][-1], abs=1e-4)


@notebook
def test_tensorboard_scalars(results):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    base = Path(os.environ["COURSE_RUNS_DIR"]) / NAME
    for folder, epochs in ((results["run_folder"], 1), (results["final_run_folder"], 2)):
        events = EventAccumulator(str(base / folder))
        events.Reload()
        tags = set(events.Tags()["scalars"])
        assert {"train/loss", "test/loss", "test/accuracy"} <= tags
        assert [e.step for e in events.Scalars("test/accuracy")] == list(range(1, epochs + 1))


@notebook
def test_checkpoints_saved_atomically_outside_the_repo(results):
    folder = Path(os.environ["COURSE_CHECKPOINT_DIR"]) / NAME
    first, second = results["checkpoint_names"]
    assert first != second
    assert (folder / first).is_file() and (folder / second).is_file()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    state = torch.load(folder / first, weights_only=True)
    Tudui().load_state_dict(state)
    FastNet().load_state_dict(torch.load(folder / second, weights_only=True))
    assert results["reloaded_same_outputs"] is True
    assert results["final_reloaded_accuracy"] == results["final_accuracy"]


@notebook
def test_whole_model_pickle_trap_shown(results, output):
    assert results["whole_model_error"] == "AttributeError: Can't get attribute 'MyModel'"
    text = _text(output)
    assert "UnpicklingError: Weights only load failed." in text
    assert "__main__.MyModel" in text


@notebook
def test_single_image_prediction(output):
    text = _text(output)
    assert "image mode: RGB | size: (96, 96)" in text
    assert "predicted:" in text and "| true:" in text


@notebook
def test_confusion_matrices_agree_with_accuracy(results):
    for key, accuracy in (("confusion_tutorial", results["tutorial_accuracy"]),
                          ("confusion_final", results["final_accuracy"])):
        counts = torch.tensor(results[key])
        assert counts.shape == (10, 10) and counts.sum() == 1000  # the synthetic test split
        assert counts.diag().sum().item() / 1000 == pytest.approx(accuracy, abs=1e-4)


@notebook
def test_ladder_table(results, output):
    ladder = dict(results["ladder"])  # recorded as [name, accuracy] pairs, in the table's order
    names = [name for name, _ in results["ladder"]]
    assert names[:6] == LADDER
    assert names[6] == "FastNet (2 epochs)" and names[7] == "+ flip at test time" and len(names) == 8
    assert all(0 <= v <= 1 for v in ladder.values())
    assert ladder["tutorial"] == pytest.approx(results["tutorial_accuracy"], abs=1e-4)
    assert ladder[names[6]] == results["final_accuracy"] and ladder[names[7]] == results["final_accuracy_tta"]
    text = _text(output)
    moved = [line.split(" moved the accuracy by ") for line in text.splitlines() if " moved the accuracy by " in line]
    assert sorted(name.strip() for name, _ in moved) == sorted(LADDER[1:])
    gains = [float(value.split()[0]) for _, value in moved]
    assert gains == sorted(gains, reverse=True)
    for name, value in moved:  # each sentence's number is that step's change in the table
        i = LADDER.index(name.strip())
        assert float(value.split()[0]) == pytest.approx(100 * (ladder[LADDER[i]] - ladder[LADDER[i - 1]]), abs=0.06)


@notebook
def test_fast_model_learns_in_ci(results):
    history = results["final_history"]
    assert len(history["test_accuracy"]) == 2
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert results["final_accuracy"] > 0.3  # 10 classes: chance is 0.1
    assert results["final_train_seconds"] > 0


@notebook
def test_figures_drawn(output):
    pngs = [o for o in notebook_outputs(output) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 7  # 2 curves, 2 prediction grids, 2 confusion matrices, the augmented batch


# ----------------------------------------------------------------------------- the stored default run
def test_stored_default_run_reaches_its_targets():
    """The stored outputs come from a full default run (synthetic data on the machine that stored them)."""
    from helpers import parameters_of

    results = read_results(STORED)
    defaults = parameters_of(STORED)
    assert results["data_source"] in ("synthetic", "cifar10", "folder")
    assert [name for name, _ in results["ladder"]][:6] == LADDER
    history = results["final_history"]
    assert len(history["test_accuracy"]) == defaults["final_epochs"]
    assert len(results["tutorial_history"]["test_accuracy"]) == defaults["epochs"]
    assert history["test_loss"][-1] < history["test_loss"][0]
    if results["data_source"] == "synthetic":
        assert results["final_accuracy"] >= 0.9
        assert results["lesson_seconds"] < 300
    else:
        assert results["final_accuracy"] >= 0.8
    assert results["final_accuracy_tta"] >= results["final_accuracy"] - 0.02
    assert results["tutorial_accuracy"] < results["final_accuracy"]
