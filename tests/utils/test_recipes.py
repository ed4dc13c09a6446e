"""utils.recipes: Recipe() is the tutorial's recipe, and each switch does what it says."""
from __future__ import annotations

import dataclasses

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from utils import fit
from utils.recipes import FAST, TUTORIAL, Recipe, train_recipe
from utils.training import BatchTransform, Callback, LRSchedule

CPU = torch.device("cpu")


def images(n: int = 40, seed: int = 0) -> DataLoader:
    """``n`` small 3x8x8 images with a learnable label, in batches of 8."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 3, 8, 8, generator=g)
    y = (x[:, 0].mean((1, 2)) > x[:, 2].mean((1, 2))).long()
    return DataLoader(TensorDataset(x, y), batch_size=8)


def small_cnn(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(256, 2))


class LearningRates(Callback):
    """The learning rate each training step uses (the optimizer is the one train_recipe made)."""

    def __init__(self):
        self.optimizer, self.rates = None, []

    def on_train_start(self, model, optimizer):
        self.optimizer = optimizer

    def on_batch(self, imgs):
        self.rates.append(self.optimizer.param_groups[0]["lr"])
        return imgs


def test_recipe_presets():
    assert TUTORIAL == Recipe()
    assert FAST != TUTORIAL and dataclasses.is_dataclass(FAST)


def test_the_default_recipe_is_the_tutorials_sgd():
    """train_recipe(Recipe()) trains exactly as fit with SGD(lr=0.01) and cross-entropy does."""
    a, b = small_cnn(), small_cnn()
    history_a = train_recipe(a, images(), images(seed=1), 2, CPU, Recipe(), progress=False)
    history_b = fit(b, images(), nn.CrossEntropyLoss(), torch.optim.SGD(b.parameters(), lr=0.01), 2, CPU,
                    test_loader=images(seed=1), progress=False)
    assert history_a == history_b
    for (name, x), y in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(x, y), name
    c = small_cnn()
    train_recipe(c, images(), None, 2, CPU, Recipe(lr=0.1), progress=False)
    assert not torch.equal(c[0].weight, a[0].weight), "the recipe's settings must reach the optimizer"


def test_but_changes_a_copy():
    recipe = Recipe()
    changed = recipe.but(flip=True, lr=0.1)
    assert (changed.flip, changed.lr) == (True, 0.1) and (recipe.flip, recipe.lr) == (False, 0.01)
    with pytest.raises(dataclasses.FrozenInstanceError):
        recipe.lr = 1.0


def test_no_switch_leaves_the_batch_alone():
    batch = torch.rand(16, 3, 8, 8)
    assert torch.equal(Recipe().augment(batch), batch)
    callbacks = Recipe().callbacks(torch.optim.SGD(small_cnn().parameters(), lr=0.01), total_steps=10)
    assert [type(c) for c in callbacks] == [BatchTransform]


def test_flip_mirrors_some_images():
    torch.manual_seed(0)
    batch = torch.rand(64, 3, 8, 8)
    out = Recipe(flip=True).augment(batch)
    same = (out == batch).flatten(1).all(1)
    mirrored = (out == batch.flip(3)).flatten(1).all(1)
    assert bool((same | mirrored).all()) and 10 < int(mirrored.sum()) < 54


def test_shift_moves_images_by_up_to_shift_pixels():
    torch.manual_seed(0)
    batch = torch.rand(64, 3, 8, 8)
    out = Recipe(shift=2).augment(batch)
    padded = nn.functional.pad(batch, (2,) * 4, mode="reflect")
    windows = [[(dy, dx) for dy in range(5) for dx in range(5) if torch.equal(out[i], padded[i, :, dy:dy + 8, dx:dx + 8])]
               for i in range(64)]
    assert all(windows) and sum(w != [(2, 2)] for w in windows) > 32


def test_channels_last():
    out = Recipe(channels_last=True).augment(torch.rand(4, 3, 8, 8))
    assert out.is_contiguous(memory_format=torch.channels_last)
    model = small_cnn()
    train_recipe(model, images(n=8), None, 1, CPU, Recipe(channels_last=True), progress=False)
    assert model[0].weight.is_contiguous(memory_format=torch.channels_last)


def test_a_constant_rate_without_one_cycle():
    model = small_cnn()
    rates = LearningRates()
    train_recipe(model, images(), None, 2, CPU, Recipe(lr=0.05), callbacks=[rates], progress=False)
    assert rates.rates == [0.05] * 10


def test_one_cycle_rises_for_a_fifth_of_the_steps_then_falls_to_almost_zero():
    model = small_cnn()
    rates = LearningRates()
    recipe = Recipe(lr=0.4, one_cycle=True)
    assert any(isinstance(c, LRSchedule) for c in recipe.callbacks(torch.optim.SGD(model.parameters(), lr=0.4), 10))
    train_recipe(model, images(n=80), None, 2, CPU, recipe, callbacks=[rates], progress=False)  # 20 steps
    r = rates.rates
    peak = r.index(max(r))
    assert len(r) == 20 and max(r) == pytest.approx(0.4) and 3 <= peak <= 5
    assert all(a < b for a, b in zip(r[:peak], r[1:peak + 1])) and all(a > b for a, b in zip(r[peak:], r[peak + 1:]))
    assert r[0] < 0.1 * 0.4 and r[-1] < 0.1 * 0.4


@pytest.mark.parametrize("steps", [1, 2, 3, 5, 7, 9])
def test_one_cycle_with_few_steps_trains(steps):
    """5 steps at 20 % warm-up made OneCycleLR divide by zero (FAST, a few images, one epoch); no count may."""
    from utils.recipes import warm_up_fraction

    model = small_cnn()
    rates = LearningRates()
    train_recipe(model, images(n=8 * steps), None, 1, CPU, Recipe(lr=0.4, one_cycle=True),  # batches of 8
                 callbacks=[rates], progress=False)
    assert len(rates.rates) == steps and max(rates.rates) <= 0.4 + 1e-9
    assert (warm_up_fraction(steps) == 0.2) is (steps >= 8)
    if steps == 5:  # what happened before: OneCycleLR's own arithmetic, with pct_start=0.2
        optimizer = torch.optim.SGD(model.parameters(), lr=0.4)
        with pytest.raises(ZeroDivisionError):
            torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.4, total_steps=5, pct_start=0.2,
                                                anneal_strategy="linear", cycle_momentum=False)


def test_label_smoothing_changes_the_training_loss_only():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 2))
    train, test = images(), images(seed=1)
    history = train_recipe(model, train, test, 1, CPU, Recipe(lr=0.0, label_smoothing=0.2), progress=False)
    (x, y), (tx, ty) = train.dataset.tensors, test.dataset.tensors
    with torch.no_grad():  # lr=0: the model is as it was
        assert history.train_loss[0] == pytest.approx(nn.CrossEntropyLoss(label_smoothing=0.2)(model(x), y).item())
        assert history.test_loss[0] == pytest.approx(nn.CrossEntropyLoss()(model(tx), ty).item())
        assert history.test_loss[0] != pytest.approx(nn.CrossEntropyLoss(label_smoothing=0.2)(model(tx), ty).item())


def test_weight_decay_shrinks_weights_and_kernels_only():
    model = small_cnn()
    with_momentum = Recipe(lr=0.5, weight_decay=0.1, momentum=0.9, nesterov=True).optimizer(model)
    assert [(g["momentum"], g["nesterov"], g["lr"]) for g in with_momentum.param_groups] == [(0.9, True, 0.5)] * 2
    optimizer = Recipe(lr=0.5, weight_decay=0.1).optimizer(model)
    decay, no_decay = optimizer.param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert {id(p) for p in decay["params"]} == {id(model[0].weight), id(model[4].weight)}
    assert len(decay["params"]) + len(no_decay["params"]) == len(list(model.parameters()))
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    for p in model.parameters():
        p.grad = torch.zeros_like(p)
    optimizer.step()
    for name, p in model.named_parameters():
        factor = 1 - 0.5 * 0.1 if p.ndim > 1 else 1.0
        assert torch.allclose(p, before[name] * factor), name


def test_scaled_to_gives_a_small_set_enough_steps_and_scales_the_rate():
    from utils.recipes import FAST, TUTORIAL

    small = FAST.scaled_to(1500)
    assert 1500 / small.batch_size >= 20 and 1500 / (2 * small.batch_size) < 20  # the largest batch that gives 20 steps
    assert small.lr / small.batch_size == pytest.approx(FAST.lr / FAST.batch_size)  # linear scaling
    assert small.but(batch_size=FAST.batch_size, lr=FAST.lr) == FAST  # nothing else changes
    assert FAST.scaled_to(50_000) == FAST and TUTORIAL.scaled_to(1500) == TUTORIAL
    assert FAST.scaled_to(10).batch_size == 16  # never below 16


def test_the_recipes_precision_follows_the_hardware(monkeypatch):
    """FAST asks for "auto": bf16 autocast where pick_precision says the hardware has bf16 units, else fp32."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    from utils import precision, recipes

    assert recipes.FAST.precision == "auto" and recipes.TUTORIAL.precision == "fp32"
    seen = []

    class Spy(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3 * 4 * 4, 2)

        def forward(self, x):
            out = self.fc(x.flatten(1))
            seen.append(out.dtype)
            return out

    data = DataLoader(TensorDataset(torch.rand(8, 3, 4, 4), torch.randint(0, 2, (8,))), batch_size=4)
    for amx, expected in ((True, torch.bfloat16), (False, torch.float32)):
        monkeypatch.setattr(precision, "cpu_has_amx_bf16", lambda amx=amx: amx)
        seen.clear()
        recipes.train_recipe(Spy(), data, data, 1, torch.device("cpu"), recipes.Recipe(precision="auto"), progress=False)
        assert seen and set(seen) == {expected}
