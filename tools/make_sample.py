"""Build the real CIFAR-10 sample the course ships in ``sample/cifar10/`` (run once, by maintainers).

    python -m tools.make_sample ../shared/data/cifar10-train-jpg.tar.gz

The source is an archive (or a folder) of CIFAR-10 training images in class folders,
``train/<class>/<name>.jpg`` — a public re-encoding of the CIFAR-10 training set
(Krizhevsky, 2009).  For each of the ten classes, in torchvision's class order, the file
names are sorted and shuffled with a fixed seed; the first ``--train`` of them go to the
sample's ``train/`` split and the next ``--test`` to its ``test/`` split, so the two splits
never share an image.  Each image is decoded once and written as a PNG (lossless from then
on) under its original name: ``sample/cifar10/<split>/<class>/<name>.png``.

The same source and options always give the same files, byte for byte.  The command writes
into a new temporary folder next to ``--out`` and renames it into place at the end, so an
interrupted run leaves no half sample; an existing sample is replaced only with ``--force``.
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from utils.data import CIFAR10_CLASSES, SAMPLE_DIR
from utils.errors import CourseError

SEED = 2009  # the year of the CIFAR-10 report; any fixed number would do


def read_source(source: Path) -> dict[str, dict[str, bytes]]:
    """``{class: {file name: encoded bytes}}`` from an archive or a folder of ``train/<class>/*``."""
    found: dict[str, dict[str, bytes]] = {name: {} for name in CIFAR10_CLASSES}

    def add(parts: tuple[str, ...], data: bytes) -> None:
        if len(parts) >= 3 and parts[-3] == "train" and parts[-2] in found:
            found[parts[-2]][parts[-1]] = data

    if source.is_dir():
        for file in sorted(source.rglob("*")):
            if file.is_file() and file.suffix.lower() in (".jpg", ".jpeg", ".png"):
                add(file.relative_to(source).parts, file.read_bytes())
    elif tarfile.is_tarfile(source):
        with tarfile.open(source) as tar:
            for member in tar:
                if member.isfile() and member.name.lower().endswith((".jpg", ".jpeg", ".png")):
                    add(Path(member.name).parts, tar.extractfile(member).read())
    else:
        raise CourseError(f"{source} is neither a folder nor a tar archive of train/<class>/ images")
    return found


def draw(found: dict[str, dict[str, bytes]], n_train: int, n_test: int) -> dict[str, dict[str, list[str]]]:
    """Pick ``n_train + n_test`` file names per class, reproducibly; return ``{split: {class: names}}``."""
    rng = np.random.default_rng(SEED)
    picked: dict[str, dict[str, list[str]]] = {"train": {}, "test": {}}
    for name in CIFAR10_CLASSES:
        files = sorted(found[name])
        if len(files) < n_train + n_test:
            raise CourseError(f"class {name} has {len(files)} images in the source; {n_train + n_test} are needed")
        order = rng.permutation(len(files))
        picked["train"][name] = sorted(files[i] for i in order[:n_train])
        picked["test"][name] = sorted(files[i] for i in order[n_train:n_train + n_test])
    return picked


def write_png(data: bytes, target: Path) -> None:
    """Decode ``data`` to 32x32 RGB pixels and store them as a PNG (deterministic bytes)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            pixels = np.asarray(img.convert("RGB"))
    except OSError as err:  # PIL's UnidentifiedImageError is an OSError too
        raise CourseError(f"{target.name}: not a readable image ({type(err).__name__})") from None
    if pixels.shape != (32, 32, 3):
        raise CourseError(f"{target.name}: expected a 32x32 image, got {pixels.shape[1]}x{pixels.shape[0]}")
    Image.fromarray(pixels).save(target.with_suffix(".png"), format="PNG", optimize=True)


def build(source: Path, out: Path, n_train: int, n_test: int, force: bool = False) -> Path:
    """Write the sample to ``out`` (see the module docstring); return ``out``."""
    if out.exists() and not force:
        raise CourseError(f"{out} exists already; pass --force to build it again")
    found = read_source(source)
    picked = draw(found, n_train, n_test)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for split, by_class in picked.items():
            for name, files in by_class.items():
                folder = staging / split / name
                folder.mkdir(parents=True)
                for file in files:
                    write_png(found[name][file], folder / file)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.make_sample", description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="archive or folder of train/<class>/*.jpg CIFAR-10 images")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="where the sample goes (default sample/cifar10)")
    parser.add_argument("--train", type=int, default=150, help="training images per class (default 150)")
    parser.add_argument("--test", type=int, default=60, help="test images per class (default 60)")
    parser.add_argument("--force", action="store_true", help="replace an existing sample")
    args = parser.parse_args(argv)
    try:
        out = build(args.source, args.out, args.train, args.test, args.force)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    size = sum(f.stat().st_size for f in out.rglob("*.png"))
    print(f"wrote {10 * args.train} training and {10 * args.test} test images to {out} ({size / 2**20:.2f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
