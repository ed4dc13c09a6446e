"""train.py: the complete training routine (完整的模型训练套路) as one command, to copy to a GPU server.

    python scripts/train.py                           # Tudui, the tutorial's recipe, 10 epochs
    python scripts/train.py --model fast              # lesson 11's FastNet and its fast recipe
    python scripts/train.py --data-source sample --epochs 1 --device cpu
    torchrun --standalone --nproc_per_node=4 scripts/train.py --model fast   # 4 GPUs (or CPU processes)

The steps, in the usual order of a complete training script: prepare the datasets, print
their lengths, DataLoaders, build the model, loss function and optimizer (the recipe's),
bookkeeping (``total_train_step``, ``total_test_step``, ``epoch``), the training loop, the
test loop after each epoch (total test loss, accuracy by ``argmax``), TensorBoard
``add_scalar``, saving the model.  The loops themselves are the course's one copy,
:func:`utils.training.fit` (via :func:`utils.recipes.train_recipe`), the same code lesson 10
runs; this file only puts the pieces together.

Writes into ``--out`` (default: a new folder ``runs/train/<date-time>/``): TensorBoard event
files (``tensorboard --logdir runs/train``) and the checkpoint ``<model>.pt`` (never
overwriting an earlier one), written atomically; ``scripts/test.py`` reads it.  The last
line printed is ``test accuracy: 0.xxxx``.

Under ``torchrun`` the script trains data-parallel with ``torch.distributed``:
``DistributedDataParallel`` and a ``DistributedSampler`` (each process trains on its share of
the images, ``--batch-size`` images per process per step, so N processes take steps of N x
``--batch-size`` images at the recipe's learning rate).  Backend ``nccl`` on CUDA, each
process on ``cuda:LOCAL_RANK`` (``gloo`` where PyTorch has no NCCL, as on Windows); ``gloo``
on the CPU.  Process 0 alone tests, prints, logs to TensorBoard and saves; the train loss it
prints is that of its own share of the images.

Bad arguments stop with one line on stderr and exit status 2, checked before the data loads:
an ``--out`` that cannot be written, a ``folder:`` with fewer than two classes, a seed
beyond 2**64 - 1.  A ``folder:`` may have any number of classes from 2 up: the model gets one
score per class and the checkpoint records the class names; hidden files and folders in it
(``.ipynb_checkpoints``, macOS's ``._x.jpg``) are left out, and a note names them.  A run that
fails (a loss that becomes nan, say with ``--lr 1e30``; Ctrl-C, SIGTERM or SIGHUP, even while torch
is still loading; during training after the step it is in, or at once on a second Ctrl-C; a full disk)
stops with one line and leaves nothing of its own behind: no
checkpoint, no event file, no folder it created.  It removes only what it made: two runs with the
same ``--out`` never touch each other's files.  Messages come in the system's language
(``COURSE_LANGUAGE=zh`` or ``en`` overrides it; see :mod:`utils.cli`).
"""
from __future__ import annotations

if __name__ == "__main__":  # before torch loads (seconds): Ctrl-C or a kill now is one line too, not a traceback
    from utils.cli import quiet_interrupts

    quiet_interrupts("train.py", "train.no_checkpoint")

import argparse
import contextlib
import math
import os
import secrets
import shlex
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Subset
from torch.utils.data.distributed import DistributedSampler

from scripts.model import MODELS, build_model, make_checkpoint
from utils import paths
from utils.checkpoints import save_atomic
from utils.cli import DeferredInterrupts, command, exit_status, interrupt_in, interrupted_line
from utils.data import channel_stats, check_source, hidden_entries, load_cifar10, normalized, resolve_source
from utils.device import describe_device, get_device
from utils.messages import msg
from utils.params import OneLineParser, whole_number_arg
from utils.errors import CourseError, DeviceError, ParameterError
from utils.device_data import DeviceLoader
from utils.precision import pick_precision
from utils.recipes import Recipe, train_recipe
from utils.seed import MAX_SEED, seed_everything
from utils.models import FlipTTA
from utils.training import Callback, DivergedError, TensorBoardLogger, evaluate


# --------------------------------------------------------------------------- command line
def whole_number(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number >= ``minimum`` (and <= ``maximum``, if given)."""
    return whole_number_arg(minimum, maximum)


def positive_number(text: str) -> float:
    """An argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        rule = msg("params.number", range=msg("params.above", low=0))
        raise argparse.ArgumentTypeError(msg("cli.must_be", rule=rule, value=text))
    return value


def make_parser() -> OneLineParser:
    """train.py's options; their help in the user's language (utils/messages.py, ``help.train_*``)."""
    parser = OneLineParser(prog="train.py", description=msg("help.train"))
    parser.add_argument("--model", choices=list(MODELS), default="tudui",
                        help=msg("help.train_model", tudui=msg("help.model_tudui"), fast=msg("help.model_fast")))
    parser.add_argument("--data-source", default="auto", help=msg("help.train_data_source"))
    parser.add_argument("--data-root", default=None, help=msg("help.train_data_root"))
    parser.add_argument("--device", default="auto", help=msg("help.train_device"))
    parser.add_argument("--epochs", type=whole_number(1), help=msg("help.train_epochs"))
    parser.add_argument("--batch-size", type=whole_number(1), help=msg("help.train_batch_size"))
    parser.add_argument("--lr", type=positive_number, help=msg("help.train_lr"))
    parser.add_argument("--num-images", type=whole_number(0), default=0, help=msg("help.train_num_images"))
    parser.add_argument("--seed", type=whole_number(0, MAX_SEED), default=0, help=msg("help.train_seed"))
    parser.add_argument("--out", default=None, help=msg("help.train_out"))
    parser.add_argument("--no-progress", action="store_true", help=msg("help.train_no_progress"))
    return parser


def from_cwd(path: str) -> str:
    """A path typed on the command line, relative to the current folder (utils resolves against the repo)."""
    return str(Path(path).expanduser().resolve())


def quoted(text: str) -> str:
    """``text`` as one argument to paste into a shell: quoted if it holds a space or another special character."""
    if os.name == "nt":  # cmd.exe and PowerShell both take double quotes
        return f'"{text}"' if any(c in text for c in " &()[]{}^=;!'+,`~%") else text
    return shlex.quote(text)


# --------------------------------------------------------------------------- the output folder
class OutputFolder:
    """Where a run writes (``--out``, or a new ``runs/train/<date-time>/``), made and checked before the data loads.

    :meth:`prepare` creates the folder and writes (and removes) a test file in it, so a folder
    that cannot be written stops the run at once with one line.  The run owns what it made and
    nothing else: the folders :meth:`prepare` created (:attr:`made`) and the event files whose
    name ends in its own :attr:`suffix` (``SummaryWriter(..., filename_suffix=...)``).
    :meth:`discard` undoes a run that failed: it removes those event files, then each folder it
    made if nothing else is in it.  So a second run writing into the same ``--out`` keeps its
    files when the first is stopped, and whatever was in ``--out`` before stays as it was.
    """

    def __init__(self, option: str | None) -> None:
        self.option = option
        self.path: Path | None = None
        self.made: list[Path] = []  # the folders this run created, outermost first
        #: ends the name of every event file of this run (TensorBoard reads any name holding "tfevents")
        self.suffix = f".{os.getpid()}-{secrets.token_hex(4)}"

    def prepare(self) -> Path:
        if self.option is None:
            self.path = self._make(paths.runs_root() / "train", new=True)
        else:
            if not self.option.strip():
                raise ParameterError(msg("train.out_empty"))
            self.path = self._make(Path(from_cwd(self.option)), new=False)
        return self.path

    def _refuse(self, folder: Path, why: str) -> ParameterError:
        if self.option is None:  # the default runs/train/ (or $COURSE_RUNS_DIR)
            return ParameterError(msg("train.cannot_save_default", path=paths.show(folder), why=why))
        return ParameterError(msg("train.cannot_save_out", path=self.option, why=why))

    def _make(self, folder: Path, new: bool) -> Path:
        problem = paths.folder_problem(folder)
        if problem is not None:  # a file in the way, a read-only disk, a name too long: nothing made
            raise self._refuse(folder, msg("download.it_is_a_file") if Path(os.path.abspath(folder)).is_file()
                               else problem)
        try:
            missing = []
            existing = folder
            while not existing.exists():
                missing.append(existing)
                existing = existing.parent
            for level in reversed(missing):  # made one by one, so the run knows which folders are its own
                try:
                    level.mkdir()
                    self.made.append(level)
                except FileExistsError:  # another run made it a moment ago: it is not ours
                    pass
            if new:  # a fresh runs/train/<date-time>/, claimed atomically
                folder = paths.new_path(folder)
                self.made.append(folder)
            with tempfile.TemporaryFile(dir=folder):  # can we write here? (root ignores permission bits)
                pass
        except OSError as err:
            self.discard()
            raise self._refuse(folder, msg("train.cannot_write", reason=paths.os_reason(err))) from None
        return folder

    def own_event_files(self) -> list[Path]:
        """The TensorBoard event files this run wrote (their names end in :attr:`suffix`)."""
        if self.path is None or not self.path.is_dir():
            return []
        return [p for p in self.path.iterdir() if p.name.startswith("events.out.tfevents.") and p.name.endswith(self.suffix)]

    def discard(self) -> None:
        """Remove what this run wrote: its own event files, then each folder it made that is then empty."""
        for item in self.own_event_files():
            item.unlink(missing_ok=True)
        for folder in reversed(self.made):
            try:
                folder.rmdir()  # fails if another run (or the learner) put something in it: then it stays
            except OSError:
                break


# --------------------------------------------------------------------------- torch.distributed
def pick_device(spec: str, world_size: int, local_rank: int) -> torch.device:
    """The device for this process: ``--device``, and under torchrun ``cuda:LOCAL_RANK`` for CUDA."""
    device = get_device(spec)  # DeviceError for a device this machine does not have
    if world_size == 1:
        return device
    if not dist.is_available():
        raise DeviceError(msg("train.no_distributed"))
    if device.type == "mps":
        if spec.strip().lower() == "auto":
            return torch.device("cpu")
        raise DeviceError(msg("train.distributed_mps"))
    if device.type == "cuda":
        if device.index is not None:
            raise DeviceError(msg("train.distributed_cuda_index", spec=spec))
        if local_rank >= torch.cuda.device_count():
            raise DeviceError(msg("train.distributed_too_many", rank=local_rank, count=torch.cuda.device_count()))
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    return device


class TrainingDDP(DistributedDataParallel):
    """``DistributedDataParallel`` for the training steps only; in eval mode the wrapped model runs alone.

    DDP's forward pass broadcasts BatchNorm buffers from process 0, a collective that every
    process must join.  The test pass runs on process 0 alone, so it must not go through DDP:
    ``utils.training.evaluate`` calls ``model.eval()``, and from then on this forwards straight
    to ``self.module`` (the unwrapped model), with no communication.
    """

    def forward(self, *args, **kwargs):
        if self.training:
            return super().forward(*args, **kwargs)
        return self.module(*args, **kwargs)


class SetSamplerEpoch(Callback):
    """``sampler.set_epoch(epoch)`` before each epoch, so a DistributedSampler shuffles anew every epoch."""

    def __init__(self, sampler: DistributedSampler) -> None:
        self.sampler = sampler

    def on_epoch_start(self, epoch: int, steps: int) -> None:
        self.sampler.set_epoch(epoch)


class Bookkeeping(Callback):
    """The training script's counters: ``total_train_step`` (batches), ``total_test_step`` (test passes), ``epoch``."""

    def __init__(self) -> None:
        self.total_train_step, self.total_test_step, self.epoch = 0, 0, 0

    def on_epoch_start(self, epoch: int, steps: int) -> None:
        self.epoch = epoch

    def on_step(self, loss: float) -> None:
        self.total_train_step += 1

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if "test_loss" in logs:
            self.total_test_step += 1


class StopWhenAsked(Callback):
    """Raises a stop signal that came during the step or the test pass (:class:`utils.cli.DeferredInterrupts`)."""

    def __init__(self, stop: DeferredInterrupts) -> None:
        self.stop = stop

    def on_step(self, loss: float) -> None:
        self.stop.check()

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.stop.check()


# --------------------------------------------------------------------------- the training script
def recipe_for(args: argparse.Namespace) -> Recipe:
    """The model's recipe (``scripts/model.py``), with what ``--epochs``, ``--batch-size``, ``--lr`` change."""
    overrides = {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr}
    changes = {name: value for name, value in overrides.items() if value is not None}
    return MODELS[args.model].recipe.but(**changes) if changes else MODELS[args.model].recipe


def train(args: argparse.Namespace) -> int:
    """Check everything, then train (one process, or one of torchrun's); return the exit status."""
    recipe = recipe_for(args)
    world_size = int(os.environ.get("WORLD_SIZE", "1"))  # set by torchrun
    rank, local_rank = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(args.device, world_size, local_rank)
    data_source = args.data_source.strip()
    if data_source.startswith("folder:") and data_source[len("folder:"):].strip():
        data_source = "folder:" + from_cwd(data_source[len("folder:"):].strip())
    source = check_source(resolve_source(data_source, "data" if args.data_root is None else from_cwd(args.data_root)))
    output = OutputFolder(args.out)
    if rank == 0:  # only process 0 writes; the last check before the data loads
        output.prepare()
        args.event_suffix = output.suffix

    try:
        if world_size > 1:
            # NCCL between GPUs (Linux); gloo on the CPU, and for GPUs where there is no NCCL (Windows)
            dist.init_process_group(backend="nccl" if device.type == "cuda" and dist.is_nccl_available() else "gloo")
        try:
            # Only process 0 prints; the others write their output nowhere.
            with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(sys.stdout if rank == 0 else nowhere):
                return run(args, recipe, source, device, output.path, world_size, rank)
        finally:
            if world_size > 1:
                dist.destroy_process_group()
    except BaseException:  # a failed run leaves nothing of its own behind: no event file, no folder it made
        output.discard()
        raise


def train_loader_for(train_data, picked: list[int], batch_size: int, device: torch.device, generator, normalize,
                     sampler=None, on_device: bool | None = None):
    """The training batches: on a GPU (CUDA or MPS, one process) a :class:`~utils.device_data.DeviceLoader`
    that keeps the images on the device and cuts each batch there; else a ``DataLoader`` (``num_workers=0``,
    Windows-safe).  Both give the same batches for the same seed.  ``on_device`` overrides the choice."""
    if on_device is None:
        on_device = device.type in ("cuda", "mps") and sampler is None
    if on_device:
        mean, std = normalize if normalize is not None else (None, None)
        return DeviceLoader(train_data.images[picked], [train_data.targets[i] for i in picked], batch_size, device,
                            mean=mean, std=std, generator=generator)
    train_set = Subset(train_data, picked) if len(picked) < len(train_data) else train_data
    return DataLoader(train_set, batch_size=batch_size, shuffle=sampler is None, sampler=sampler,
                      generator=generator if sampler is None else None)


def run(args, recipe, source, device, out, world_size: int, rank: int) -> int:
    main_process = rank == 0
    generator = seed_everything(args.seed)
    distributed = msg("train.distributed", count=world_size, backend=dist.get_backend()) if world_size > 1 else ""
    print(msg("train.device_line", device=describe_device(device), distributed=distributed))
    print(source)
    left_out = hidden_entries(source.path) if source.kind == "folder" else []
    if left_out:
        names = ", ".join(paths.show(p) for p in left_out[:3]) + (", …" if len(left_out) > 3 else "")
        print(msg("data.hidden_ignored", count=len(left_out), names=names))

    # 1. Prepare the datasets (准备数据集)
    train_data = load_cifar10(True, source, seed=args.seed)
    test_data = load_cifar10(False, source, seed=args.seed)
    classes = train_data.classes
    picked = list(range(len(train_data)))
    if 0 < args.num_images < len(train_data):
        picked = torch.randperm(len(train_data), generator=torch.Generator().manual_seed(args.seed))[:args.num_images].tolist()
    normalize = None
    if recipe.normalize:  # each colour channel's mean and std, measured on the training images
        from torchvision import transforms

        normalize = channel_stats(train_data.images[picked])
        train_data.transform = test_data.transform = transforms.Normalize(*normalize)
    train_set = Subset(train_data, picked) if len(picked) < len(train_data) else train_data

    # 2. Their lengths
    train_data_size, test_data_size = len(train_set), len(test_data)
    print(msg("train.sizes", train=train_data_size, test=test_data_size, classes=", ".join(classes)))
    if args.batch_size is None and args.lr is None:  # a small set: a smaller batch, so an epoch has enough steps
        scaled = recipe.scaled_to(train_data_size // world_size)
        if scaled != recipe:
            print(msg("train.scaled", batch=scaled.batch_size, lr=f"{scaled.lr:g}", images=train_data_size,
                      recipe_batch=recipe.batch_size, recipe_lr=f"{recipe.lr:g}"))
            recipe = scaled

    # 3. DataLoaders (num_workers stays 0: Windows-safe)
    sampler = None
    if world_size > 1:  # each process gets its own share of the images, reshuffled every epoch
        sampler = DistributedSampler(train_set, num_replicas=world_size, rank=rank, shuffle=True, seed=args.seed)
    train_loader = train_loader_for(train_data, picked, recipe.batch_size, device, generator, normalize, sampler)
    test_loader = DataLoader(test_data, batch_size=recipe.batch_size)

    # 4. Build the model (搭建神经网络), one score per class, on the device, in the recipe's memory layout
    module = build_model(args.model, num_classes=len(classes)).to(
        device, memory_format=torch.channels_last if recipe.channels_last else torch.contiguous_format)
    if hasattr(module, "init_whitening"):  # FastNet's first layer: fixed filters measured on training images
        module.init_whitening(normalized(train_data.images[picked[:5000]], normalize))
    model = module
    if world_size > 1:
        model = TrainingDDP(module, device_ids=[device.index] if device.type == "cuda" else None)
        torch.manual_seed(args.seed + rank)  # the same weights everywhere, but each process its own augmentation

    # 5.-6. Loss function (CrossEntropyLoss) and optimizer (SGD): train_recipe builds them from the recipe
    print(msg("train.model_line", name=args.model, kind=type(module).__name__, recipe=recipe))
    print(msg("train.precision_line", precision=pick_precision(device, recipe.precision), recipe=recipe.precision,
              on_device=msg("train.on_device") if isinstance(train_loader, DeviceLoader) else ""))

    # 7. Bookkeeping, TensorBoard (process 0 only)
    bookkeeping = Bookkeeping()
    callbacks: list[Callback] = [bookkeeping] + ([SetSamplerEpoch(sampler)] if sampler is not None else [])
    writer = None
    if main_process:
        from torch.utils.tensorboard import SummaryWriter

        # out: made and checked by OutputFolder.prepare; the suffix marks the event file as this run's own
        writer = SummaryWriter(log_dir=str(out), filename_suffix=getattr(args, "event_suffix", ""))
        callbacks.append(TensorBoardLogger(writer))  # add_scalar: train/step_loss, train/loss, test/loss, test/accuracy

    # 8.-9. The training loop, and the test loop after each epoch (process 0 tests, on the unwrapped model).
    # Ctrl-C, SIGTERM, SIGHUP stop the run after the current step (or test pass), never inside a TensorBoard write.
    try:
        with DeferredInterrupts() as stop:
            callbacks.append(StopWhenAsked(stop))
            history = train_recipe(model, train_loader, test_loader if main_process else None, recipe.epochs, device,
                                   recipe, callbacks=callbacks, progress=main_process and not args.no_progress)
    finally:
        if writer is not None:
            writer.close()
    if not main_process:
        return 0

    # 10. Save the model (模型保存): a new file, written atomically, that says which model it holds
    checkpoint = paths.new_path(out, stem=args.model, suffix=".pt", folder=False)
    try:
        save_atomic(make_checkpoint(args.model, module, classes, normalize), checkpoint)
    except BaseException:
        if checkpoint.exists() and checkpoint.stat().st_size == 0:
            checkpoint.unlink()  # the claimed name: a failed save leaves nothing behind
        raise
    print(msg("train.counters", steps=bookkeeping.total_train_step, tests=bookkeeping.total_test_step,
              epochs=bookkeeping.epoch))
    print(msg("train.tensorboard_line", command=tensorboard_command(out)))
    print(msg("train.checkpoint_line", path=paths.show(checkpoint), quoted=quoted(paths.show(checkpoint))))
    print(msg("train.accuracy_line", accuracy=history.test_accuracy[-1]))
    if args.model == "fast":  # lesson 11's fast model predicts from six views of each image (FlipTTA(shift=1))
        _, views_accuracy = evaluate(FlipTTA(module, shift=1), test_loader, nn.CrossEntropyLoss(), device)
        print(msg("train.views_line", accuracy=views_accuracy))
    return 0


def tensorboard_command(out: Path) -> str:
    """The command that shows ``out`` in TensorBoard from this shell: ``tensorboard --logdir …`` where this
    environment's ``tensorboard`` is the one on PATH, else this Python's ``-m tensorboard.main`` (no activation needed)."""
    found = shutil.which("tensorboard")
    scripts = sysconfig.get_path("scripts")
    if found and scripts and Path(found).resolve().parent == Path(scripts).resolve():
        program = "tensorboard"
    else:
        program = f"{quoted(sys.executable)} -m tensorboard.main"
    return f"{program} --logdir {quoted(paths.show(out))}"


def main(argv: list[str] | None = None) -> int:
    with command():  # the system's language; SIGTERM and SIGHUP stop the run as Ctrl-C does
        parser = make_parser()
        try:
            args = parser.parse_args(argv)
            return train(args)
        except DivergedError as err:  # one line, and nothing was saved
            print(f"{parser.prog}: error: {err}; {msg('train.no_checkpoint')}", file=sys.stderr)
            return 2
        except CourseError as err:  # already one line that says what to do
            print(f"{parser.prog}: error: {err}", file=sys.stderr)
            return 2
        except OSError as err:  # a full disk, a folder removed mid-run: the run's files were removed
            where = paths.show(err.filename) if err.filename else ""
            print(f"{parser.prog}: error: " + msg("cli.os_error" if where else "cli.os_error_nowhere", path=where,
                                                  reason=paths.os_reason(err), outcome=msg("train.no_checkpoint")),
                  file=sys.stderr)
            return 2
        except BaseException as err:  # Ctrl-C, SIGTERM, SIGHUP (or one that Python turned into another error
            interrupt = interrupt_in(err)  # during an import): the run's own files were removed
            if interrupt is None:
                raise
            print(interrupted_line(parser.prog, interrupt, msg("train.no_checkpoint")), file=sys.stderr)
            return exit_status(interrupt)


if __name__ == "__main__":  # Windows starts new processes by spawning: nothing runs on import
    sys.exit(main())
