"""Lesson 10's full-data reference run: ``notebooks/reference/10_capstone.json``.

    python -m tools.reference DATA_ROOT                 # runs lesson 10 with papermill (about 9 minutes)
    python -m tools.reference DATA_ROOT --from OUT.ipynb  # an output papermill already wrote

Lesson 10 prints, next to its own numbers, what the same lesson gives on the full CIFAR-10
with default parameters.  Those numbers come from this command, run on an idle machine with
the full CIFAR-10 (or a split of its training images) in ``DATA_ROOT``: the notebook's recorded
results (:func:`utils.results.read_results`), the machine, the command and the date.  The JSON
is written atomically; a run that fails, or that did not use the full data, writes nothing.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import bench
from utils.errors import CourseError
from utils.paths import REPO_ROOT, write_atomic
from utils.results import read_results

NOTEBOOK = REPO_ROOT / "notebooks" / "10_capstone.ipynb"
TARGET = REPO_ROOT / "notebooks" / "reference" / "10_capstone.json"
KEYS = ["train_images", "epochs", "final_epochs", "ladder", "spread", "ladder_seconds", "final_accuracy", "final_accuracy_tta",
        "final_train_seconds", "lesson_seconds"]


def machine() -> str:
    """:func:`tools.bench.machine` (processor, threads, PyTorch), with the cores, the OS and Python."""
    return (f"{bench.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def reference(results: dict, data: str, command: str) -> dict:
    """The reference JSON for ``results`` (from :func:`read_results`); refuses a run on a sample."""
    missing = [k for k in KEYS if k not in results]
    if missing:
        raise CourseError(f"the notebook recorded no {', '.join(missing)}: run it to the end, then try again")
    if results["train_images"] < 45_000:
        raise CourseError(f"the run trained on {results['train_images']} images; the reference needs the full "
                          "CIFAR-10 in DATA_ROOT (make data)")
    return {"data": data, "machine": machine(), "command": command,
            "date": datetime.date.today().isoformat(), "results": {k: results[k] for k in KEYS}}


def write(ref: dict, target: Path | None = None) -> Path:
    """Write ``ref`` to ``target`` (default :data:`TARGET`) atomically (:func:`utils.paths.write_atomic`)."""
    text = json.dumps(ref, ensure_ascii=False, indent=1) + "\n"
    return write_atomic(TARGET if target is None else target, lambda f: f.write(text.encode("utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.reference", description=__doc__.splitlines()[0])
    parser.add_argument("data_root", help="the folder that holds cifar-10-batches-py")
    parser.add_argument("--from", dest="output", help="an executed copy of notebooks/10_capstone.ipynb")
    parser.add_argument("--data", default="", help="how the data was made (written into the JSON)")
    args = parser.parse_args(argv)
    # DATA_ROOT, not the folder's name on the measuring machine: the lesson prints this line
    command = "papermill notebooks/10_capstone.ipynb OUT.ipynb -p data_root DATA_ROOT -p interactive False -p progress False"
    try:
        if not (Path(args.data_root) / "cifar-10-batches-py").is_dir():
            raise CourseError(f"{args.data_root} holds no cifar-10-batches-py: give the folder make data installed into")
        output = Path(args.output) if args.output else None
        if output is None:
            output = Path(tempfile.mkdtemp()) / "10_capstone.ipynb"
            # papermill, with the probe cell that makes the lesson's numbers readable (tools.probes)
            from papermill.exceptions import PapermillExecutionError

            from tools.probes import execute
            try:
                execute(NOTEBOOK, output, {"data_root": str(Path(args.data_root).resolve()), "interactive": False,
                                           "progress": False})
            except PapermillExecutionError as err:
                raise subprocess.CalledProcessError(1, "papermill") from err
        data = args.data or "the full CIFAR-10 (make data)"
        print(f"wrote {write(reference(read_results(output), data, command))}")
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError:
        print("error: lesson 10 failed (see above); notebooks/reference is unchanged", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
