"""How close the course's training loop comes to the machine's compute bound (``make bench``).

    python -m tools bench                      # the tutorial's model and the fast model
    python -m tools bench --models fast --device cuda
    python -m tools bench --models fast --precision bf16   # does bf16 pay on this machine?

For each model, with its recipe (batch size, memory layout, augmentation), two numbers are
measured in the same run, alternately, several times:

- **compute bound**: forward + loss + ``zero_grad`` + ``backward`` + ``step`` on one batch that
  is already in memory, on the device — what the hardware can do with no data to move;
- **training loop**: :func:`utils.training.train_one_epoch` — the loop ``scripts/train.py`` and
  lesson 10's later parts use — over a ``DataLoader`` of the shipped CIFAR-10 sample (on a GPU:
  a :class:`~utils.device_data.DeviceLoader`, images kept on the device), with the recipe's
  callbacks (augmentation, memory layout), as the lessons run it.

Both run in the precision the recipe picks for this hardware (:mod:`utils.precision`), which
the table names.

It prints images per second for both (the best of the repeats, which is the least disturbed
by other programs) and their ratio: how much of the machine the loop uses.  A ratio near 1
means that loading, augmenting and book-keeping cost little next to the model's own work.
"""
from __future__ import annotations

import platform
import sys
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, Subset

from utils.data import load_cifar10
from utils.device_data import DeviceLoader
from utils.device import describe_device, get_device
from utils.errors import CourseError
from utils.params import OneLineParser, whole_number_arg
from utils.models import FastNet, Tudui
from utils.precision import autocast, pick_precision
from utils.recipes import FAST, TUTORIAL, Recipe
from utils.seed import seed_everything
from utils.training import train_one_epoch

MODELS = {"tudui": (Tudui, TUTORIAL), "fast": (FastNet, FAST)}


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def _setup(name: str, device: torch.device, precision: str | None = None):
    make, recipe = MODELS[name]
    recipe = recipe.but(precision=precision) if precision else recipe
    model = make().to(device=device, memory_format=torch.channels_last if recipe.channels_last else torch.contiguous_format)
    return model, recipe, recipe.optimizer(model), nn.CrossEntropyLoss(label_smoothing=recipe.label_smoothing)


def compute_bound(name: str, device: torch.device, steps: int, precision: str | None = None) -> float:
    """Images per second of forward + loss + zero_grad + backward + step on one in-memory batch."""
    model, recipe, optimizer, loss_fn = _setup(name, device, precision)
    imgs = torch.rand(recipe.batch_size, 3, 32, 32, device=device)
    imgs = imgs.contiguous(memory_format=torch.channels_last) if recipe.channels_last else imgs
    targets = torch.randint(0, 10, (recipe.batch_size,), device=device)
    model.train()
    precision = pick_precision(device, recipe.precision)

    def step() -> None:
        with autocast(device, precision):
            loss = loss_fn(model(imgs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for _ in range(2):  # warm-up: allocations, kernel choice
        step()
    _sync(device)
    start = time.perf_counter()
    for _ in range(steps):
        step()
    _sync(device)
    return steps * recipe.batch_size / (time.perf_counter() - start)


def training_loop(name: str, device: torch.device, steps: int, precision: str | None = None) -> float:
    """Images per second of :func:`utils.training.train_one_epoch` over ``steps`` full batches of the sample's images."""
    model, recipe, optimizer, loss_fn = _setup(name, device, precision)
    data = load_cifar10(True, "sample")
    count = steps * recipe.batch_size  # the sample's images, as many times over as needed: full batches only
    index = [i % len(data) for i in range(count)]
    if device.type in ("cuda", "mps"):  # as scripts/train.py does on a GPU: the images stay on the device
        loader = DeviceLoader(data.images[index], [data.targets[i] for i in index], recipe.batch_size, device,
                              generator=torch.Generator().manual_seed(0))
    else:
        loader = DataLoader(Subset(data, index), batch_size=recipe.batch_size, shuffle=True,
                            generator=torch.Generator().manual_seed(0))
    warm = DataLoader(Subset(data, range(2 * recipe.batch_size)), batch_size=recipe.batch_size)
    callbacks = recipe.callbacks(optimizer, total_steps=10 ** 6)
    precision = pick_precision(device, recipe.precision)
    train_one_epoch(model, warm, loss_fn, optimizer, device, callbacks, precision)
    _sync(device)
    start = time.perf_counter()
    train_one_epoch(model, loader, loss_fn, optimizer, device, callbacks, precision)
    _sync(device)
    return count / (time.perf_counter() - start)


def bench(name: str, device: torch.device, repeats: int = 3, precision: str | None = None) -> dict:
    """Measure both numbers ``repeats`` times, alternately; return the best of each and their ratio.

    ``precision`` (``"fp32"`` or ``"bf16"``) overrides the recipe's choice, to compare the two on a machine."""
    recipe: Recipe = MODELS[name][1]
    recipe = recipe.but(precision=precision) if precision else recipe
    steps = 20 if device.type == "cpu" else 100
    bound, loop = [], []
    for _ in range(repeats):
        seed_everything(0)
        bound.append(compute_bound(name, device, steps, precision))
        seed_everything(0)
        loop.append(training_loop(name, device, steps, precision))
    return {"model": name, "batch_size": recipe.batch_size, "precision": pick_precision(device, recipe.precision),
            "bound": max(bound), "loop": max(loop), "ratio": max(loop) / max(bound)}


def machine() -> str:
    """One line naming the machine: processor, cores PyTorch uses, PyTorch version."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return f"{cpu}, {torch.get_num_threads()} threads, PyTorch {torch.__version__}"


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m tools bench", description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS), default=["tudui", "fast"])
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--repeats", type=whole_number_arg(1), default=3,
                        help="measurements of each number (the best counts), 1 or more")
    parser.add_argument("--precision", choices=["fp32", "bf16"], help="override the recipe's precision (default: "
                        "what it picks for this hardware), e.g. to see whether bf16 pays here")
    args = parser.parse_args(argv)
    try:
        device = get_device(args.device)
    except CourseError as err:
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 2
    print(f"device: {describe_device(device)}; {machine()}")
    print(f"{'model':<7}{'batch':>6}{'precision':>10}{'compute bound':>16}{'training loop':>16}{'ratio':>8}")
    for name in args.models:
        row = bench(name, device, args.repeats, args.precision)
        print(f"{name:<7}{row['batch_size']:>6}{row['precision']:>10}{row['bound']:>11.0f} im/s{row['loop']:>11.0f} im/s"
              f"{row['ratio']:>8.2f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
