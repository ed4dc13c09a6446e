"""Lesson 11's ablation of the fast recipe: ``notebooks/reference/11_fastnet_ablation.json``.

    python -m tools.ablation folder:SPLIT --data-note split --jobs 2
    python -m tools.ablation DATA_ROOT                  # the full CIFAR-10 that make data installed

What is each ingredient of the fast recipe worth?  The command trains :class:`~utils.models.FastNet`
with :data:`utils.recipes.FAST` (the code ``scripts/train.py --model fast`` runs), once as it is, once without each of its ingredients and once with each ingredient of other
fast recipes that it leaves out, and with two more seeds (the spread), and records each run's test accuracy (plain, with flip at test time,
with flip and shift at test time) and training seconds.  Lesson 11 prints the table and the README
quotes it.  ``--jobs 2`` trains two variants at a time with one thread each: the accuracies are
the same, the seconds are not comparable with a run on all cores (the lesson's own reference run
gives those).  The JSON is written atomically, and only when every variant has finished.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "notebooks" / "reference" / "11_fastnet_ablation.json"

#: (name, changes to FAST, whitening layer?) — the recipe; the recipe without one of its ingredients; the recipe
#: with one of the ingredients of other fast recipes (airbench, DAWNBench) that it leaves out.
VARIANTS: list[tuple[str, dict, bool]] = [
    ("the recipe", {}, True),
    ("without the whitening layer", {}, False),
    ("without data augmentation (flip, shift)", {"flip": False, "shift": 0}, True),
    ("with label smoothing 0.2", {"label_smoothing": 0.2}, True),
    ("with weight decay 5e-4", {"weight_decay": 5e-4}, True),
    ("with Nesterov momentum", {"nesterov": True}, True),
]

#: The runs' names in Chinese (the 中文版 prints ``name_zh``).
NAMES_ZH = {
    "the recipe": "完整训练方案",
    "without the whitening layer": "去掉白化层",
    "without data augmentation (flip, shift)": "去掉数据增强（翻转、移动）",
    "with label smoothing 0.2": "加上标签平滑 0.2",
    "with weight decay 5e-4": "加上权重衰减 5e-4",
    "with Nesterov momentum": "改用 Nesterov 动量",
}


def localize(record: dict) -> dict:
    """``record`` with the Chinese of its data note, machine and every run's name (``data_zh``, ``machine_zh``, ``name_zh``)."""
    from tools.reference import data_zh, machine_zh

    record["data_zh"] = data_zh(record["data"], record.get("data_zh", ""))
    if "machine" in record:
        record["machine_zh"] = machine_zh(record["machine"])
    for row in record["rows"] + record["seeds"]:
        name, _, seed = row["name"].partition(", seed ")
        row["name_zh"] = NAMES_ZH[name] + (f"，随机种子 {seed}" if seed else "")
    return record


def train_variant(data: str, name: str, changes: dict, whiten: bool, seed: int, threads: int,
                  epochs: int | None = None, num_images: int = 0) -> dict:
    """Train FastNet with ``FAST.but(**changes)`` on ``data``; return its accuracies and seconds."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, Subset
    from torchvision import transforms

    from utils.data import channel_stats, load_cifar10, normalized
    from utils.models import FastNet, FlipTTA
    from utils.recipes import FAST, train_recipe
    from utils.seed import seed_everything
    from utils.training import evaluate

    torch.set_num_threads(threads)
    generator = seed_everything(seed)
    source = data if data.startswith("folder:") else "cifar10"
    root = "data" if data.startswith("folder:") else data
    train_data = load_cifar10(True, source, root, seed=seed)
    test_data = load_cifar10(False, source, root, seed=seed)
    picked = list(range(len(train_data)))
    if 0 < num_images < len(picked):
        picked = torch.randperm(len(picked), generator=torch.Generator().manual_seed(seed))[:num_images].tolist()
    mean, std = channel_stats(train_data.images[picked])
    train_data.transform = test_data.transform = transforms.Normalize(mean, std)
    recipe = FAST.but(**changes, **({"epochs": epochs} if epochs else {}))
    model = FastNet(num_classes=len(train_data.classes), whiten=whiten)
    model.init_whitening(normalized(train_data.images[picked[:5000]], (mean, std)))
    device = torch.device("cpu")
    train_set = Subset(train_data, picked) if len(picked) < len(train_data) else train_data
    loader = DataLoader(train_set, batch_size=recipe.batch_size, shuffle=True, generator=generator)
    started = time.perf_counter()
    train_recipe(model, loader, None, recipe.epochs, device, recipe, progress=False)
    seconds = time.perf_counter() - started
    test_loader = DataLoader(test_data, batch_size=500)
    accuracy = {view: evaluate(m, test_loader, nn.CrossEntropyLoss(), device)[1]
                for view, m in (("plain", model), ("flip", FlipTTA(model)), ("views", FlipTTA(model, shift=1)))}
    print(f"{accuracy['plain']:.4f} {accuracy['flip']:.4f} {accuracy['views']:.4f} {seconds:6.1f} s  {name}", flush=True)
    return {"name": name, "train_images": len(picked), "epochs": recipe.epochs, "seconds": round(seconds, 1),
            **{k: round(v, 4) for k, v in accuracy.items()}}


def main(argv: list[str] | None = None) -> int:
    from tools.reference import machine
    from utils.errors import CourseError
    from utils.paths import write_atomic

    parser = argparse.ArgumentParser(prog="python -m tools.ablation", description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the folder that holds cifar-10-batches-py, or folder:PATH (train/ and test/)")
    parser.add_argument("--data-note", dest="note", default="",
                        help="how the data was made (written into the JSON); 'split' names the 45,000/5,000 split")
    parser.add_argument("--data-note-zh", dest="note_zh", default="", help="the same in Chinese (known notes need none)")
    parser.add_argument("--jobs", type=int, default=1, help="variants trained at once (one thread each when > 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=3, help="the recipe is trained with this many seeds (from --seed)")
    parser.add_argument("--epochs", type=int, default=None, help="instead of the recipe's (a quick check)")
    parser.add_argument("--num-images", type=int, default=0, help="a random subset of the training images (a quick check)")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    data = args.data
    if data.startswith("folder:"):
        folder = Path(data[len("folder:"):]).resolve()
        if not (folder / "train").is_dir() or not (folder / "test").is_dir():
            print(f"error: {folder} has no train/ and test/ class folders", file=sys.stderr)
            return 2
        data = f"folder:{folder}"
    elif not (Path(data) / "cifar-10-batches-py").is_dir():
        print(f"error: {data} holds no cifar-10-batches-py: give the folder make data installed into, or folder:PATH",
              file=sys.stderr)
        return 2
    from tools.reference import SPLIT_NOTE, data_zh

    note = SPLIT_NOTE if args.note == "split" else args.note or "the full CIFAR-10 (make data)"
    try:
        data_zh(note, args.note_zh)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    threads = 1 if args.jobs > 1 else (os.cpu_count() or 1)
    try:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            runs = [pool.submit(train_variant, data, name, changes, whiten, args.seed, threads, args.epochs,
                                args.num_images) for name, changes, whiten in VARIANTS]
            again = [pool.submit(train_variant, data, f"the recipe, seed {seed}", {}, True, seed, threads, args.epochs,
                                 args.num_images) for seed in range(args.seed + 1, args.seed + args.seeds)]
            rows = [run.result() for run in runs]
            seeds = [rows[0]] + [run.result() for run in again]
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    option = "folder:DATA" if data.startswith("folder:") else "DATA"
    record = {"data": note, "data_zh": args.note_zh, "machine": machine(),
              "command": f"python -m tools.ablation {option}" + (" --data-note split" if note == SPLIT_NOTE else "")
                         + f" --jobs {args.jobs}" + (f" --seed {args.seed}" if args.seed else ""),
              "date": datetime.date.today().isoformat(), "seed": args.seed, "rows": rows, "seeds": seeds}
    text = json.dumps(localize(record), ensure_ascii=False, indent=1) + "\n"
    print(f"wrote {write_atomic(args.out, lambda f: f.write(text.encode('utf-8')))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
