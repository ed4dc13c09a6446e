"""10_training_routine: the complete training routine, GPU training, the validation routine, and the project
(model.py, train.py, test.py) a learner takes home (issue 27)."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import (REPO_ROOT, SESSION_THREADS, background_idle, ci_parameters, edition, not_answered,
                     notebook_outputs, pick, stored_notebooks, stream_text, tensorboard_events)
from utils.data import CIFAR10_CLASSES, CIFAR10_CLASSES_ZH

NAME = "10_training_routine"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
SAMPLE = REPO_ROOT / "sample" / "cifar10"
PROJECT_FILES = ("model.py", "train.py", "test.py")
#: What the project's files may import: torch, torchvision, PIL, the standard library and each other.
ALLOWED_IMPORTS = {"torch", "torchvision", "PIL", "model", "os", "sys", "time"}
ACCURACY = re.compile(r"(?:test accuracy|测试准确率) ?[:：]? ?(\d+\.\d)%")


def test_the_routine_trains_tests_and_saves_every_epoch(results):
    epochs = results["epochs"]
    assert epochs == ci_parameters(NOTEBOOK, "cpu")["epochs"]
    assert results["tutorial_test_passes"] == epochs
    assert results["tutorial_steps"] == epochs * results["train_batches"]
    assert results["saved_files"] == sorted(f"tudui_{i}.pth" for i in range(epochs))  # one state_dict per epoch
    assert len(results["test_accuracies"]) == epochs
    assert results["test_accuracies"][-1] == pytest.approx(results["tutorial_accuracy"], abs=1e-4)


def test_the_routine_logs_its_scalars_to_tensorboard(results):
    events = tensorboard_events(NAME, results)
    accuracy = events.Scalars("test_accuracy")
    assert [e.step for e in accuracy] == list(range(results["epochs"]))
    assert accuracy[-1].value == pytest.approx(results["tutorial_accuracy"], abs=1e-4)
    assert len(events.Scalars("test_loss")) == results["epochs"]
    logged = [e.step for e in events.Scalars("train_loss")] if "train_loss" in events.Tags()["scalars"] else []
    assert logged == list(range(100, results["tutorial_steps"] + 1, 100))  # every 100 training steps


def test_the_lesson_says_where_the_run_stands_against_chance(results, output):
    text = stream_text(output)
    line = pick(output, r"chance: 10\.0%; this run after \d+ epochs: (\d+\.\d)%, (\d+\.\d) times chance",
                r"随机水平：10\.0%；本次运行训练 \d+ 轮后：(\d+\.\d)%，是随机水平的 (\d+\.\d) 倍")
    found = re.search(line, text)
    assert found, text[-2000:]
    assert float(found.group(1)) == pytest.approx(100 * results["tutorial_accuracy"], abs=0.05)
    assert float(found.group(2)) == pytest.approx(10 * results["tutorial_accuracy"], abs=0.05)


def test_saving_and_loading(results):
    assert results["reloaded_same_outputs"] is True
    assert results["whole_model_error"] == "AttributeError: Can't get attribute 'MyModel'"


def test_the_gpu_cell_times_the_cpu_and_says_there_is_no_gpu(results, output):
    import torch

    text = stream_text(output)
    assert results["cpu_step_seconds"] > 0
    if not torch.cuda.is_available():
        no_gpu = pick(output, "GPU: none here (torch.cuda.is_available() is False)", "GPU：这台电脑上没有")
        assert no_gpu in text
        assert len([line for line in text.splitlines() if line.startswith(no_gpu)]) == 1  # one line


def test_the_project_is_written_and_run_from_the_lesson(results, output):
    files = set(results["project_files"])
    assert {"model.py", "train.py", "test.py", "tudui.pth", "picture_1.png", "picture_2.png", "logs_train"} <= files
    assert {f"tudui_{i}.pth" for i in range(results["epochs"])} <= files  # train.py saves every epoch
    lines = results["train_script_lines"]
    epoch_lines = [line for line in lines if ACCURACY.search(line) and re.match(r"(epoch|第) ?\d", line)]
    assert len(epoch_lines) == results["epochs"]
    text = stream_text(output)
    classes = CIFAR10_CLASSES_ZH if edition(output) == "zh" else CIFAR10_CLASSES
    for name in ("picture_1.png", "picture_2.png"):  # test.py names a class for each picture
        assert re.search(rf"^{re.escape(name)}[:：] ?({'|'.join(classes)})$", text, re.M), name


def test_the_demo_pictures_are_one_right_and_one_wrong_guess(results):
    guesses, truth = results["guesses"], results["truth"]
    right = next(i for i, (g, t) in enumerate(zip(guesses, truth)) if g == t)
    wrong = next(i for i, (g, t) in enumerate(zip(guesses, truth)) if g != t)
    assert results["picture_classes"] == [CIFAR10_CLASSES[truth[right]], CIFAR10_CLASSES[truth[wrong]]]


def test_confusion_matrix_counts_every_test_image_once(results):
    counts = results["confusion"]
    assert len(counts) == 10 and all(len(row) == 10 for row in counts)
    assert sum(map(sum, counts)) == 600 == results["test_images"]  # the sample's test split, every image once
    assert sum(counts[i][i] for i in range(10)) / 600 == pytest.approx(results["tutorial_accuracy"], abs=1e-3)


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("10.1", "10.2", "10.3", "10.4"):
        assert not_answered(output, id) in text


# --------------------------------------------------------------------------- what the stored lesson shows
def code_cells(notebook) -> list[str]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def project_sources(notebook) -> dict[str, str]:
    """The files the lesson's %%writefile cells write: name -> Python source."""
    found = {}
    for source in code_cells(notebook):
        first, _, body = source.partition("\n")
        if first.startswith("%%writefile"):
            found[first.split("/")[-1].strip()] = body + "\n"
    return found


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_the_stored_run_learns_on_the_sample(stored):
    """Issue 27: with default parameters on the shipped sample the tutorial's model ends at >= 30 % (3x chance); the
    train.py the lesson runs repeats the loop's first two epochs exactly (same seed, same order of random draws)."""
    text = stream_text(stored)
    assert pick(stored, "CIFAR-10 sample shipped in sample/cifar10", "课程自带的 CIFAR-10 样本") in text
    found = re.search(r"test batches per epoch; (\d+) epochs|测试批次；共 (\d+) 轮", text)
    auto = int(found.group(1) or found.group(2))  # epochs="auto" on the sample
    loop = [float(a) for a in ACCURACY.findall(text.split(pick(stored, "chance:", "随机水平："))[0])]
    assert len(loop) == auto and loop[-1] >= 30.0, loop
    lines = text.splitlines()
    at = max(i for i, line in enumerate(lines) if re.match(r"(the loop|上面的循环)[:：]", line))
    script = next(line for line in reversed(lines[:at]) if re.match(r"(epoch|第) ?2\b", line))
    assert ACCURACY.search(script).group(1) == ACCURACY.search(lines[at]).group(1) == f"{loop[1]:.1f}"
    figures = [o for o in notebook_outputs(stored) if "image/png" in o.get("data", {})]
    assert len(figures) >= 3  # the accuracy curve, the guesses with their counts, the confusion matrix


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_the_lesson_writes_the_routine_out_in_plain_pytorch(stored):
    code = "\n".join(code_cells(stored))
    for line in ("total_train_step", "model.train()", "model.eval()", "torch.no_grad()", "add_scalar(", "torch.save(",
                 "load_state_dict(", '.convert("RGB")', "torchvision.datasets.CIFAR10(", "torchvision.datasets.ImageFolder(",
                 "SummaryWriter(", "writer.close()", ".argmax(1)", "torch.reshape(image, (1, 3, 32, 32))",
                 "weights_only=True", ".cuda()", "torch.cuda.synchronize()"):
        assert line in code, line
    routine = "\n".join(routine_cells(stored))
    assert not re.search(r"^\s*(from|import) (utils|scripts)\b", routine, re.M)  # plain PyTorch only


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_the_project_files_need_torch_and_torchvision_only(stored):
    sources = project_sources(stored)
    assert sorted(sources) == sorted(PROJECT_FILES)
    for name, source in sources.items():
        tree = ast.parse(source)
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert imported <= ALLOWED_IMPORTS, (name, imported - ALLOWED_IMPORTS)
    assert "from model import Tudui" in sources["train.py"] and "from model import Tudui" in sources["test.py"]


def test_the_lessons_model_is_model_py():
    """The class the cells build and the one model.py holds are the same code (no drift between them)."""
    cells = code_cells(NOTEBOOK)
    in_lesson = next(c for c in cells if c.lstrip().startswith("from torch import nn") and "class Tudui" in c)
    lesson_class = next(n for n in ast.parse(in_lesson).body if isinstance(n, ast.ClassDef))
    model_py = next(n for n in ast.parse(project_sources(NOTEBOOK)["model.py"]).body if isinstance(n, ast.ClassDef))
    assert ast.dump(lesson_class) == ast.dump(model_py)


def run_without_the_course(script: str, args: list[str], cwd: Path, timeout: float,
                           threads: str = "session") -> subprocess.CompletedProcess:
    """``python script args`` in ``cwd`` with the course's packages unimportable (as on a learner's own machine);
    ``threads="default"``: with PyTorch's own number of threads, not the test session's one (tests/conftest.py)."""
    runner = ("import runpy, sys\n"
              "for name in ('utils', 'scripts', 'tools', 'solutions'):\n"
              "    sys.modules[name] = None  # the course's packages: not importable\n"
              f"sys.argv = {[script, *args]!r}\n"
              f"runpy.run_path({script!r}, run_name='__main__')\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_RUNS_DIR")}
    if threads == "default" and env.pop(SESSION_THREADS, None):
        env.pop("OMP_NUM_THREADS", None)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-c", runner], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_the_project_runs_in_an_empty_folder_and_learns(stored, tmp_path):
    """Issue 27: the three files in an empty folder, with torch and torchvision alone: train.py with its defaults
    finishes at >= 30 % on the sample within 3 minutes (the English edition runs it in full; the Chinese files are the
    same code, checked token for token, and run one epoch), and test.py names a class for a picture."""
    from tools.translations import code_shape

    sources = project_sources(stored)
    if edition(stored) == "zh":
        english = project_sources(NOTEBOOK)
        assert all(code_shape(sources[n]) == code_shape(english[n]) for n in PROJECT_FILES)
    for name, source in sources.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    args = [str(SAMPLE)] if edition(stored) == "en" else [str(SAMPLE), "1"]
    background_idle()  # timed on a machine that runs nothing else (tests/conftest.py puts this test last)
    started = time.perf_counter()
    # the English run is timed as a learner runs it (PyTorch's own threads); the Chinese one runs beside nbval's
    proc = run_without_the_course("train.py", args, tmp_path, timeout=600,
                                  threads="default" if edition(stored) == "en" else "session")
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr[-3000:]
    accuracies = [float(a) for a in ACCURACY.findall(proc.stdout)]
    if edition(stored) == "en":
        folder_epochs = int(re.findall(r"^\s+epoch = (\d+)", sources["train.py"], re.M)[1])  # its image-folder default
        assert len(accuracies) == folder_epochs + 1, proc.stdout[-2000:]  # one line per epoch, and the last line
        assert accuracies[-1] >= 30.0, proc.stdout[-2000:]
        assert seconds <= 180, f"train.py took {seconds:.0f} s"
    assert (tmp_path / "tudui.pth").is_file() and (tmp_path / "tudui_0.pth").is_file()
    picture = next((SAMPLE / "test" / "cat").glob("*.png"))
    shutil.copy(picture, tmp_path / "cat.png")
    proc = run_without_the_course("test.py", ["cat.png"], tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    classes = CIFAR10_CLASSES_ZH if edition(stored) == "zh" else CIFAR10_CLASSES
    assert re.search(rf"^cat\.png[:：] ?({'|'.join(classes)})$", proc.stdout, re.M), proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".py") == sorted(PROJECT_FILES)


def test_train_py_without_data_says_so_in_one_line(tmp_path):
    for name, source in project_sources(NOTEBOOK).items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    proc = run_without_the_course("train.py", [str(tmp_path / "nowhere")], tmp_path, timeout=120)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert "no data in" in proc.stderr and "cifar-10-batches-py" in proc.stderr


# --------------------------------------------------------------------------- the routine's cells as a script
def routine_cells(notebook) -> list[str]:
    """The code cells of the complete training routine: from the datasets to the loop that saves each epoch."""
    cells = code_cells(notebook)
    start = next(i for i, c in enumerate(cells) if "torchvision.datasets." in c)
    end = next(i for i, c in enumerate(cells) if "torch.save(model.state_dict()" in c)
    return cells[start:end + 1]


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_the_routine_cells_run_as_a_script_without_this_repository(stored, tmp_path):
    """Copy the routine's cells into one file, in an empty folder with the course's packages unimportable, set the
    values the parameters and set-up cells give, and it runs on the sample."""
    prelude = "\n".join([
        "import sys",
        "for name in ('utils', 'scripts', 'tools', 'solutions'):  # the course's packages: not importable",
        "    sys.modules[name] = None",
        "import torch",
        "device = torch.device('cpu')",
        "data_source = 'sample'",
        f"data_path = {str(SAMPLE)!r}",
        "seed = 0",
        "torch.manual_seed(seed)",
        "batch_size = 64",
        "epochs = 1",
        "num_images = 256",
        "log_dir = 'logs'",
        "progress = True",
    ])
    script = tmp_path / "routine.py"
    script.write_text(prelude + "\n\n" + "\n\n".join(routine_cells(stored)) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_RUNS_DIR")}
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert ACCURACY.search(proc.stdout), proc.stdout[-2000:]
    saved = list((tmp_path / "logs" / NAME).glob("*/tudui_0.pth"))
    assert len(saved) == 1 and any(p.name.startswith("events.out.tfevents") for p in saved[0].parent.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logs", "routine.py"]  # wrote only under log_dir


def test_the_chinese_run_shows_no_english_course_message(executed):
    from helpers import english_course_messages

    run = executed(NAME, edition="zh")
    assert english_course_messages(run) == []
    assert any("\u4e00" <= ch <= "\u9fff" for ch in stream_text(run))
