"""utils.models and utils.training."""
from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from utils import Tudui, conv_output_size, count_parameters, evaluate, fit, layer_table, load_cifar10, seed_everything
from utils.models import print_layer_table
from utils.training import train_one_epoch


def test_tudui_matches_the_tutorial():
    model = Tudui()
    assert model(torch.ones(64, 3, 32, 32)).shape == (64, 10)
    assert count_parameters(model) == 145_578
    layers = [type(m).__name__ for m in model.model1]
    assert layers == ["Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Flatten", "Linear", "Linear"]


def test_layer_table_shapes():
    rows = layer_table(Tudui(), (2, 3, 32, 32))
    shapes = [r.output_shape[1:] for r in rows]
    assert shapes == [(32, 32, 32), (32, 16, 16), (32, 16, 16), (32, 8, 8), (64, 8, 8), (64, 4, 4),
                      (1024,), (64,), (10,)]
    assert sum(r.parameters for r in rows) == 145_578
    assert rows[0].name == "model1.0" and rows[0].layer == "Conv2d"


def test_print_layer_table(capsys):
    print_layer_table(Tudui())
    out = capsys.readouterr().out
    assert "64 x 4 x 4" in out and "145,578" in out and out.count("\n") == 12


@pytest.mark.parametrize("size, k, s, p, d, ceil", [
    (32, 5, 1, 2, 1, False), (5, 3, 1, 0, 1, False), (5, 3, 2, 0, 1, False), (5, 3, 1, 1, 1, False),
    (32, 3, 1, 0, 1, False), (7, 3, 1, 0, 2, False), (5, 3, 3, 0, 1, True), (5, 3, 3, 0, 1, False),
    (32, 3, 3, 0, 1, True), (32, 3, 3, 0, 1, False), (6, 2, 2, 1, 1, True), (9, 4, 3, 1, 1, True),
])
def test_conv_output_size_agrees_with_pytorch(size, k, s, p, d, ceil):
    x = torch.zeros(1, 1, size, size)
    if ceil or k == 3 and s == 3:
        layer = nn.MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    else:
        layer = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
    assert conv_output_size(size, k, s, p, d, ceil) == layer(x).shape[-1]


def _toy_loaders(n=256):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 3, 32, 32, generator=g)
    y = (x[:, 0].mean((1, 2)) > 0).long()  # a learnable rule
    return DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True, generator=g), DataLoader(TensorDataset(x, y), batch_size=64)


def test_fit_lowers_the_loss_and_logs(tmp_path):
    from utils import make_writer

    seed_everything(0)
    train, test = _toy_loaders()
    model = Tudui(num_classes=2)
    writer = make_writer("unit", root=tmp_path)
    history = fit(model, train, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.05), 4,
                  torch.device("cpu"), test_loader=test, writer=writer, progress=False, verbose=False)
    writer.close()
    assert len(history.train_loss) == 4 and len(history.step_loss) == 4 * 8
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.test_accuracy[-1] > 0.7
    assert list((tmp_path / "unit").iterdir())[0].glob("events.out.tfevents.*")


def test_train_one_epoch_is_repeatable_and_respects_max_steps():
    def run():
        seed_everything(1)
        train, _ = _toy_loaders()
        model = Tudui(num_classes=2)
        seen = []
        loss = train_one_epoch(model, train, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01),
                               torch.device("cpu"), progress=False, max_steps=3, on_step=seen.append)
        return loss, seen

    (a, seen_a), (b, seen_b) = run(), run()
    assert a == b and seen_a == seen_b and len(seen_a) == 3
    assert a == pytest.approx(sum(seen_a) / 3)


def test_evaluate_counts_per_sample():
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 2))
    nn.init.zeros_(model[1].weight)
    with torch.no_grad():
        model[1].bias.copy_(torch.tensor([1.0, 0.0]))  # always predicts class 0
    x = torch.zeros(10, 3, 32, 32)
    y = torch.tensor([0] * 7 + [1] * 3)
    loss, acc = evaluate(model, DataLoader(TensorDataset(x, y), batch_size=4), nn.CrossEntropyLoss(), torch.device("cpu"))
    assert acc == pytest.approx(0.7)  # 7 of 10 samples, not the mean of per-batch accuracies
    expected = nn.CrossEntropyLoss()(model(x), y).item()
    assert loss == pytest.approx(expected)
    assert not model.training


def test_tutorial_recipe_learns_the_synthetic_data():
    """The foundation's promise: the tutorial's model and SGD settings learn the synthetic source."""
    import time

    start = time.process_time()  # CPU seconds of all threads: robust to other load on the machine
    g = seed_everything(0)
    train = DataLoader(load_cifar10(True, "synthetic"), batch_size=64, shuffle=True, generator=g)
    test = DataLoader(load_cifar10(False, "synthetic"), batch_size=256)
    model = Tudui()
    history = fit(model, train, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01), 6,
                  torch.device("cpu"), test_loader=test, progress=False, verbose=False)
    assert history.train_loss[-1] < 0.6 * history.train_loss[0]
    assert max(history.test_accuracy) >= 0.6
    assert (time.process_time() - start) / 2 < 120, "more than two minutes of 2-core CPU"


def test_fit_steps_a_batch_scheduler_transforms_batches_and_reports_the_test_loss_fn():
    torch.manual_seed(0)
    x, y = torch.rand(40, 4), torch.randint(0, 2, (40,))
    loader = DataLoader(TensorDataset(x, y), batch_size=10)  # 4 batches per epoch
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 0.5 ** step)
    seen = []

    def transform(imgs):
        seen.append(imgs.shape[0])
        return imgs * 0  # the model then sees only zeros

    history = fit(model, loader, nn.CrossEntropyLoss(label_smoothing=0.5), optimizer, 2, torch.device("cpu"),
                  test_loader=loader, scheduler=scheduler, scheduler_per_batch=True, transform=transform,
                  test_loss_fn=nn.CrossEntropyLoss(reduction="sum"), progress=False, verbose=False)
    assert seen == [10] * 8  # every training batch, no test batch
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.5 ** 8)  # stepped after each of 8 batches
    expected, _ = evaluate(model, loader, nn.CrossEntropyLoss(reduction="sum"), torch.device("cpu"))
    assert history.test_loss[-1] == pytest.approx(expected)
