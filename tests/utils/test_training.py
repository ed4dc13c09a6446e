"""utils.training: the tutorial's loop (train_one_epoch, evaluate, fit) and the callbacks that plug into it.

Small models on small tensors: these tests check what the loop does, not how well a CNN learns
(the lessons show that, on real images).
"""
from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from torch.utils.tensorboard import SummaryWriter

from utils import History, evaluate, fit, seed_everything, train_one_epoch
from utils.training import BatchTransform, Callback, LRSchedule, ProgressBar, TensorBoardLogger

CPU = torch.device("cpu")


def toy(n: int = 40, batch_size: int = 10, shuffle: bool = False, seed: int = 0) -> DataLoader:
    """``n`` 4-number inputs with a learnable two-class rule, ``n / batch_size`` batches."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 4, generator=g)
    y = (x[:, 0] + x[:, 1] > 0).long()
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, generator=g)


class Recorder(Callback):
    """Records every call the loop makes."""

    def __init__(self):
        self.calls = []

    def on_train_start(self, model, optimizer):
        self.calls.append(("train", type(model).__name__, type(optimizer).__name__))

    def on_epoch_start(self, epoch, steps):
        self.calls.append(("start", epoch, steps))

    def on_batch(self, imgs):
        self.calls.append(("batch", imgs.shape[0]))
        return imgs

    def on_step(self, loss):
        self.calls.append(("step", round(loss, 6)))

    def on_epoch_end(self, epoch, logs):
        self.calls.append(("end", epoch, sorted(logs)))


# ----------------------------------------------------------------------------- the loop
def test_train_one_epoch_returns_the_mean_loss_per_image():
    torch.manual_seed(0)
    loader = toy(n=25, batch_size=10)  # batches of 10, 10, 5: a per-batch mean would be wrong
    model = nn.Linear(4, 2)
    recorder = Recorder()
    loss = train_one_epoch(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.0), CPU,
                           [recorder])
    expected = nn.CrossEntropyLoss()(model(loader.dataset.tensors[0]), loader.dataset.tensors[1]).item()
    assert loss == pytest.approx(expected, rel=1e-5)
    assert [c[0] for c in recorder.calls] == ["batch", "step"] * 3
    assert model.training


def test_train_one_epoch_updates_the_model_and_is_repeatable():
    def run():
        seed_everything(1)
        model = nn.Linear(4, 2)
        recorder = Recorder()
        loss = train_one_epoch(model, toy(shuffle=True), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.5),
                               CPU, [recorder])
        return loss, recorder.calls, model.weight.detach().clone()

    (a, calls_a, w_a), (b, calls_b, w_b) = run(), run()
    assert a == b and calls_a == calls_b and torch.equal(w_a, w_b)
    seed_everything(1)
    assert not torch.equal(nn.Linear(4, 2).weight, w_a)


def test_evaluate_counts_per_sample_in_eval_mode_without_gradients():
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 2), nn.Dropout(0.5))
    nn.init.zeros_(model[1].weight)
    with torch.no_grad():
        model[1].bias.copy_(torch.tensor([1.0, 0.0]))  # always predicts class 0
    x = torch.zeros(10, 3, 32, 32)
    y = torch.tensor([0] * 7 + [1] * 3)
    loss, acc = evaluate(model, DataLoader(TensorDataset(x, y), batch_size=4), nn.CrossEntropyLoss(), CPU)
    assert acc == pytest.approx(0.7)  # 7 of 10 samples, not the mean of per-batch accuracies
    model.eval()
    assert loss == pytest.approx(nn.CrossEntropyLoss()(model(x), y).item())
    assert not model.training and model[1].weight.grad is None


def test_fit_trains_tests_and_prints_one_line_per_epoch(capsys):
    seed_everything(0)
    model = nn.Linear(4, 2)
    recorder = Recorder()
    history = fit(model, toy(n=80, shuffle=True), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.5), 3,
                  CPU, test_loader=toy(n=40, seed=1), callbacks=[recorder], progress=False)
    assert isinstance(history, History)
    assert len(history.train_loss) == len(history.test_loss) == len(history.test_accuracy) == 3
    assert len(history.step_loss) == 3 * 8
    assert history.train_loss[-1] < history.train_loss[0] and history.test_accuracy[-1] > 0.8
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("epoch  1: train loss ")
    assert lines[-1] == (f"epoch  3: train loss {history.train_loss[-1]:.4f}, test loss {history.test_loss[-1]:.4f}, "
                         f"test accuracy {history.test_accuracy[-1]:.1%}")
    assert recorder.calls[:2] == [("train", "Linear", "SGD"), ("start", 1, 8)]
    assert recorder.calls[18] == ("end", 1, ["test_accuracy", "test_loss", "train_loss"])
    assert sum(c[0] == "train" for c in recorder.calls) == 1
    assert sum(c[0] == "batch" for c in recorder.calls) == 24  # training batches only


def test_fit_without_a_test_loader(capsys):
    model = nn.Linear(4, 2)
    history = fit(model, toy(), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 2, CPU,
                  progress=False)
    assert len(history.train_loss) == 2 and history.test_loss == [] and history.test_accuracy == []
    assert "test" not in capsys.readouterr().out


def test_fit_reports_the_test_loss_fn():
    model = nn.Linear(4, 2)
    loader = toy()
    history = fit(model, loader, nn.CrossEntropyLoss(label_smoothing=0.5), torch.optim.SGD(model.parameters(), lr=0.1),
                  1, CPU, test_loader=loader, test_loss_fn=nn.CrossEntropyLoss(reduction="sum"), progress=False)
    expected, _ = evaluate(model, loader, nn.CrossEntropyLoss(reduction="sum"), CPU)
    assert history.test_loss[-1] == pytest.approx(expected)
    smoothed, _ = evaluate(model, loader, nn.CrossEntropyLoss(label_smoothing=0.5), CPU)
    assert history.test_loss[-1] != pytest.approx(smoothed)


def test_fit_with_a_progress_bar(capsys):
    model = nn.Linear(4, 2)
    bar = ProgressBar()
    bar.on_epoch_start(1, 4)
    bar.on_step(0.5)
    assert bar.bar.n == 1
    bar.on_epoch_end(1, {})
    history = fit(model, toy(), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 1, CPU)
    assert len(history.step_loss) == 4


# ----------------------------------------------------------------------------- callbacks
@pytest.mark.parametrize("per, steps", [("batch", 8), ("epoch", 2)])
def test_lr_schedule_steps_per_batch_or_per_epoch(per, steps):
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 0.5 ** step)
    fit(model, toy(), nn.CrossEntropyLoss(), optimizer, 2, CPU, callbacks=[LRSchedule(scheduler, per=per)],
        progress=False)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.5 ** steps)


def test_lr_schedule_refuses_other_periods():
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    with pytest.raises(ValueError, match="per must be 'batch' or 'epoch'"):
        LRSchedule(torch.optim.lr_scheduler.StepLR(optimizer, 1), per="step")


def test_batch_transform_sees_every_training_batch_and_no_test_batch():
    torch.manual_seed(0)
    seen = []

    def transform(imgs):
        seen.append(imgs.shape[0])
        return imgs * 0  # the model then sees only zeros

    model = nn.Linear(4, 2)
    train, test = toy(n=40, batch_size=10), toy(n=30, batch_size=6, seed=3)
    history = fit(model, train, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 2, CPU,
                  test_loader=test, callbacks=[BatchTransform(transform)], progress=False)
    assert seen == [10] * 8  # 2 epochs x 4 training batches; no test batch (those have 6 images)
    # the model saw only the zeros: no gradient reached its weights (only its bias)
    assert model.weight.grad is not None and torch.count_nonzero(model.weight.grad) == 0
    assert len(history.test_loss) == 2


def test_callbacks_transform_in_order():
    order = []

    def tag(name):
        def fn(imgs):
            order.append(name)
            return imgs + 1

        return fn

    model = nn.Linear(4, 2)
    fit(model, toy(n=10, batch_size=10), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 1, CPU,
        callbacks=[BatchTransform(tag("first")), BatchTransform(tag("second"))], progress=False)
    assert order == ["first", "second"]


def test_history_collects_what_the_loop_reports():
    history = History()
    history.on_step(0.5)
    history.on_step(0.25)
    history.on_epoch_end(1, {"train_loss": 0.4})
    history.on_epoch_end(2, {"train_loss": 0.3, "test_loss": 0.35, "test_accuracy": 0.9})
    assert history.step_loss == [0.5, 0.25] and history.train_loss == [0.4, 0.3]
    assert history.test_loss == [0.35] and history.test_accuracy == [0.9]


def test_tensorboard_logger_writes_event_files(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    writer = SummaryWriter(str(tmp_path / "unit" / "run"))  # as the lessons and scripts/train.py make it
    history = fit(model, toy(), nn.CrossEntropyLoss(), optimizer, 2, CPU, test_loader=toy(seed=1),
                  callbacks=[TensorBoardLogger(writer, optimizer)], progress=False)
    writer.close()
    (run,) = (tmp_path / "unit").iterdir()
    assert [p.name for p in run.iterdir() if p.name.startswith("events.out.tfevents.")]
    events = EventAccumulator(str(run))
    events.Reload()
    assert sorted(events.Tags()["scalars"]) == ["test/accuracy", "test/loss", "train/loss", "train/lr", "train/step_loss"]
    steps = events.Scalars("train/step_loss")
    assert [e.step for e in steps] == list(range(8))
    assert [e.value for e in steps] == pytest.approx(history.step_loss)
    assert [e.value for e in events.Scalars("train/lr")] == pytest.approx([0.1] * 8)
    assert [(e.step, e.value) for e in events.Scalars("test/accuracy")] == [
        (1, pytest.approx(history.test_accuracy[0])), (2, pytest.approx(history.test_accuracy[1]))]
    assert [e.value for e in events.Scalars("train/loss")] == pytest.approx(history.train_loss)


def test_tensorboard_logger_finds_the_optimizer_itself(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    model = nn.Linear(4, 2)
    writer = SummaryWriter(str(tmp_path / "unit" / "run"))  # as the lessons and scripts/train.py make it
    fit(model, toy(), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.25), 1, CPU,
        callbacks=[TensorBoardLogger(writer)], progress=False)
    writer.close()
    (run,) = (tmp_path / "unit").iterdir()
    events = EventAccumulator(str(run))
    events.Reload()
    assert [e.value for e in events.Scalars("train/lr")] == pytest.approx([0.25] * 4)



# ----------------------------------------------------------------------------- runs that cannot go on
@pytest.mark.parametrize("n", [10, 40])  # one step (the weights go nan), or four (the second loss is nan)
def test_a_diverging_run_stops_with_one_line(capsys, n):
    from utils.training import DivergedError

    seed_everything(0)
    model = nn.Linear(4, 2)
    history = History()
    with pytest.raises(DivergedError) as err:
        fit(model, toy(n), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=float("inf")), 3, CPU,
            test_loader=toy(10), callbacks=[history], progress=False)
    assert "diverged" in str(err.value) and "lower lr" in str(err.value) and "\n" not in str(err.value)
    assert history.train_loss == [], "the epoch that diverged is not recorded as a result"


def test_a_label_without_a_score_is_one_line_in_training_and_testing():
    """A model with 2 scores fed labels 0..2: DataError naming both numbers, not PyTorch's IndexError."""
    from utils.errors import DataError
    from utils.training import check_labels

    x, y = torch.randn(6, 4), torch.tensor([0, 1, 2, 0, 1, 2])
    model = nn.Linear(4, 2)
    loader = DataLoader(TensorDataset(x, y), batch_size=3)
    with pytest.raises(DataError, match="class label 2, but the model gives only 2 scores"):
        train_one_epoch(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), CPU)
    with pytest.raises(DataError, match="class label 2"):
        evaluate(model, loader, nn.CrossEntropyLoss(), CPU)
    check_labels(torch.zeros(3, 2), torch.tensor([0.5, 1.5, 2.5]))  # not class labels: nothing to check


def test_the_epoch_line_speaks_the_editions_language(capsys):
    """fit's per-epoch line is Chinese in the 中文版 (no English course message in a zh run)."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    from utils.i18n import set_language
    from utils.training import fit

    torch.manual_seed(0)
    data = TensorDataset(torch.randn(8, 4), torch.randint(0, 2, (8,)))
    model = nn.Linear(4, 2)
    set_language("zh")
    fit(model, DataLoader(data, batch_size=4), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1),
        1, torch.device("cpu"), test_loader=DataLoader(data, batch_size=4), progress=False)
    line = capsys.readouterr().out.strip()
    assert line.startswith("第  1 轮：训练损失 ") and "测试准确率" in line and "loss" not in line
