"""Lesson 11's full-data reference run: ``notebooks/reference/11_better_model.json``.

    python -m tools.reference DATA_ROOT                       # the full CIFAR-10 that make data installed
    python -m tools.reference folder:SPLIT --data-note split   # image folders (train/, test/): the known split note
    python -m tools.reference DATA --from OUT.ipynb --seconds 512   # an output papermill already wrote

Lesson 11 prints, next to its own numbers, what the same lesson gives on the full CIFAR-10 with
default parameters, and the README quotes them.  Those numbers come from this command, run on an
idle machine: the lesson is executed with papermill (default parameters, only the data and
``progress=False``), its results are read through its probes (:mod:`tools.probes`), and the JSON
records them with the machine, the command, the date and the wall-clock time of the whole lesson.
The JSON is written atomically; a run that fails, or that did not train on the full data, writes
nothing.
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
import time
from pathlib import Path

from tools import bench
from utils.errors import CourseError
from utils.paths import REPO_ROOT, write_atomic
from utils.results import read_results

NOTEBOOK = REPO_ROOT / "notebooks" / "11_better_model.ipynb"
TARGET = REPO_ROOT / "notebooks" / "reference" / "11_better_model.json"
#: What the reference keeps of the lesson's probes (tools/probes/11_better_model.yaml), and the lesson's wall-clock time.
KEYS = ["train_images", "epochs", "final_epochs", "ladder", "spread", "ladder_seconds", "fast_accuracy",
        "fast_accuracy_flip", "fast_accuracy_views", "fast_seconds", "lesson_seconds"]


def machine() -> str:
    """:func:`tools.bench.machine` (processor, threads, PyTorch), with the cores, the OS and Python."""
    return (f"{bench.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


#: The split the course's reference runs used (``--data-note split``).
SPLIT_NOTE = ("a 45,000/5,000 split of CIFAR-10's 50,000 training images (the last 500 file names of each class "
              "are the test images)")
#: How the data was made, in Chinese, for the notes the tools know (the 中文版 prints ``data_zh``).
DATA_ZH = {
    "the full CIFAR-10 (make data)": "完整的 CIFAR-10（make data）",
    SPLIT_NOTE:
        "把 CIFAR-10 的 50,000 张训练图像分成 45,000 张训练、5,000 张测试（每个类别按文件名排序的最后 500 张作测试）",
}


def data_zh(data: str, given: str = "") -> str:
    """The Chinese of the data note ``data``: ``given``, or the known translation; refuses an untranslated note."""
    if given or data in DATA_ZH:
        return given or DATA_ZH[data]
    raise CourseError(f"no Chinese for the data note {data!r}: give it with --data-note-zh")


def machine_zh(text: str) -> str:
    """:func:`machine`'s line in Chinese (the 中文版 prints ``machine_zh``): threads and cores counted in Chinese."""
    import re

    return re.sub(r"(\d+) cores", r"\1 个核心", re.sub(r"(\d+) threads?", r"\1 个线程", text))


def reference(results: dict, data: str, command: str, data_note_zh: str = "") -> dict:
    """The reference JSON for ``results`` (the probes, plus ``lesson_seconds``); refuses a run on a sample."""
    missing = [k for k in KEYS if k not in results]
    if missing:
        raise CourseError(f"the notebook recorded no {', '.join(missing)}: run it to the end, then try again")
    if results["train_images"] < 45_000:
        raise CourseError(f"the run trained on {results['train_images']} images; the reference needs the full "
                          "CIFAR-10 (make data) or a split of its 50,000 training images")
    return {"data": data, "data_zh": data_zh(data, data_note_zh), "machine": machine(), "machine_zh": machine_zh(machine()),
            "command": command,
            "date": datetime.date.today().isoformat(), "results": {k: results[k] for k in KEYS}}


def write(ref: dict, target: Path | None = None) -> Path:
    """Write ``ref`` to ``target`` (default :data:`TARGET`) atomically (:func:`utils.paths.write_atomic`)."""
    text = json.dumps(ref, ensure_ascii=False, indent=1) + "\n"
    return write_atomic(TARGET if target is None else target, lambda f: f.write(text.encode("utf-8")))


def parameters(data: str) -> dict:
    """The papermill parameters for ``data``: a data root holding cifar-10-batches-py, or ``folder:PATH``."""
    if data.startswith("folder:"):
        folder = Path(data[len("folder:"):])
        if not (folder / "train").is_dir() or not (folder / "test").is_dir():
            raise CourseError(f"{folder} has no train/ and test/ class folders")
        return {"data_source": f"folder:{folder.resolve()}", "progress": False}
    if not (Path(data) / "cifar-10-batches-py").is_dir():
        raise CourseError(f"{data} holds no cifar-10-batches-py: give the folder make data installed into, or folder:PATH")
    return {"data_root": str(Path(data).resolve()), "progress": False}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.reference", description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the folder that holds cifar-10-batches-py, or folder:PATH (train/ and test/)")
    parser.add_argument("--from", dest="output", help="an executed copy of notebooks/11_better_model.ipynb")
    parser.add_argument("--seconds", type=float, help="with --from: how long that run took")
    parser.add_argument("--data-note", dest="note", default="", help="how the data was made (written into the JSON); 'split' names the 45,000/5,000 split")
    parser.add_argument("--data-note-zh", dest="note_zh", default="", help="the same in Chinese (known notes need none)")
    args = parser.parse_args(argv)
    try:
        params = parameters(args.data)
        note = SPLIT_NOTE if args.note == "split" else args.note or "the full CIFAR-10 (make data)"
        data_zh(note, args.note_zh)  # before the run: an untranslated note fails now, not after minutes
        # DATA, not the folder's name on the measuring machine: the lesson prints this line
        option = "-p data_source folder:DATA" if "data_source" in params else "-p data_root DATA"
        command = f"papermill notebooks/11_better_model.ipynb OUT.ipynb {option} -p progress False"
        output = Path(args.output) if args.output else None
        seconds = args.seconds
        if output is None:
            output = Path(tempfile.mkdtemp()) / "11_better_model.ipynb"
            from papermill.exceptions import PapermillExecutionError

            from tools.probes import execute
            started = time.perf_counter()
            try:
                execute(NOTEBOOK, output, params)
            except PapermillExecutionError as err:
                raise subprocess.CalledProcessError(1, "papermill") from err
            seconds = time.perf_counter() - started
        if seconds is None:
            raise CourseError("--from needs --seconds: how long the lesson's run took")
        results = {**read_results(output), "lesson_seconds": round(seconds, 1)}
        print(f"wrote {write(reference(results, note, command, args.note_zh))}")
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError:
        print("error: lesson 11 failed (see above); notebooks/reference is unchanged", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
