"""10_capstone: the complete training routine, the improvement ladder, the fast model, the scripts' code."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import (REPO_ROOT, ci_parameters, edition, not_answered, notebook_outputs, stored_notebooks, stream_text,
                     tensorboard_events)
from utils import CIFAR10_CLASSES
from utils.paths import portable_name

NAME = "10_capstone"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
REFERENCE = REPO_ROOT / "notebooks" / "reference" / f"{NAME}.json"
LADDER = ["tutorial", "+ momentum", "+ normalized inputs", "+ one-cycle schedule", "+ BatchNorm", "+ ReLU",
          "+ flip at test time"]


def test_the_routine_trains_tests_and_saves_every_epoch(results):
    epochs = results["epochs"]
    assert epochs == ci_parameters(NOTEBOOK, "cpu")["epochs"]
    assert results["tutorial_test_passes"] == epochs
    assert results["tutorial_steps"] == epochs * results["train_batches"]
    assert results["saved_files"] == [f"tudui_{i}.pth" for i in range(epochs)]  # one state_dict per epoch
    assert results["manual_equals_evaluate"] is True  # utils.evaluate is the loop's test pass


def test_the_routine_logs_its_scalars_to_tensorboard(results):
    events = tensorboard_events(NAME, results)
    accuracy = events.Scalars("test_accuracy")
    assert [e.step for e in accuracy] == list(range(results["epochs"]))
    assert accuracy[-1].value == pytest.approx(results["tutorial_accuracy"], abs=1e-4)
    assert len(events.Scalars("test_loss")) == results["epochs"]
    logged = [e.step for e in events.Scalars("train_loss")] if "train_loss" in events.Tags()["scalars"] else []
    assert logged == list(range(100, results["tutorial_steps"] + 1, 100))  # every 100 training steps


def test_confusion_matrix_counts_every_test_image_once(results):
    counts = results["confusion_tutorial"]
    assert len(counts) == 10 and all(len(row) == 10 for row in counts)
    assert sum(map(sum, counts)) == 600 == results["test_images"]  # the sample's test split, every image once
    assert sum(counts[i][i] for i in range(10)) / 600 == pytest.approx(results["tutorial_accuracy"], abs=1e-3)


def test_saving_and_loading(results):
    assert results["reloaded_same_outputs"] is True
    assert results["whole_model_error"] == "AttributeError: Can't get attribute 'MyModel'"
    assert results["final_reloaded_accuracy"] == pytest.approx(results["final_accuracy"], abs=1e-4)
    assert results["checkpoint_names"] == [f"tudui_{results['epochs'] - 1}.pth", "fast.pth"]
    assert all(portable_name(n) for n in results["checkpoint_names"])


def test_the_validation_routine_predicts_a_class(results, output):
    assert results["validation_prediction"] in CIFAR10_CLASSES
    assert "RGBA (96, 96)" in stream_text(output) and "torch.Size([3, 32, 32])" in stream_text(output)


def test_the_ladder_has_every_step_in_order(results):
    ladder = results["ladder"]
    assert [name for name, _ in ladder] == LADDER
    assert ladder[0][1] == pytest.approx(results["tutorial_accuracy"], abs=1e-4)
    assert all(0 <= accuracy <= 1 for _, accuracy in ladder)
    assert 0 <= results["spread"] <= 1  # the last trained step, trained again with the next seed


def test_the_lesson_prints_the_spread_and_judges_every_change_by_it(output):
    """Issue 21: the ladder's changes are compared with the measured run-to-run spread, not read as effects."""
    text = stream_text(output)
    english = "more than the spread?" in text
    spread = (r"spread: \+ ReLU gives \d+\.\d% with seed \d+ and \d+\.\d% with seed \d+: \d+\.\d points" if english else
              r"波动：\+ ReLU 得到 \d+\.\d%（随机种子 \d+）和 \d+\.\d%（随机种子 \d+）：相差 \d+\.\d 个百分点")
    assert re.search(spread, text)
    table = text.split("more than the spread?" if english else "是否大于波动？")[1].split("spread:" if english else "波动：")[0]
    verdicts = "(?:yes|no)" if english else "(?:是|否)"
    assert len(re.findall(r"%\s+[+-]\d+\.\d  " + verdicts, table)) == len(LADDER) - 1


def test_the_fast_model_trains_with_its_budget(results):
    history = results["final_history"]
    assert len(history["test_accuracy"]) == results["final_epochs"] == ci_parameters(NOTEBOOK, "cpu")["final_epochs"]
    assert results["final_accuracy"] == pytest.approx(history["test_accuracy"][-1], abs=1e-4)
    assert sum(map(sum, results["confusion_final"])) == 600
    assert results["final_train_seconds"] > 0 and results["lesson_seconds"] >= results["final_train_seconds"]


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("10.1", "10.2", "10.3", "10.4", "10.5"):
        assert not_answered(output, id) in text


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_the_lesson_writes_the_routine_out_in_plain_pytorch(stored):
    """Issue 19: the routine's own lines are in the lesson's code cells, and no course wrapper is."""
    code = "\n".join(code_cells(stored))
    for line in ("total_train_step", "model.train()", "model.eval()", "torch.no_grad()", "add_scalar(", "torch.save(",
                 "load_state_dict(", '.convert("RGB")', "torchvision.datasets.CIFAR10(", "torchvision.datasets.ImageFolder(",
                 "SummaryWriter(", "writer.close()", ".argmax(1)", "torch.reshape(image, (1, 3, 32, 32))",
                 "weights_only=True"):
        assert line in code, line
    for wrapper in ("record(", "start_lesson", "lesson.", "save_atomic", "new_checkpoint_path"):
        assert wrapper not in code, wrapper
    routine = "\n".join(routine_cells(stored))
    assert not re.search(r"^\s*(from|import) (utils|scripts)\b", routine, re.M)  # plain PyTorch only
    assert "model.train()" in routine and routine.rstrip().endswith("writer.close()")


def test_the_lesson_shows_the_scripts_own_code(output):
    text = stream_text(output)
    assert "# 1. Prepare the datasets" in text and "# 10. Save the model" in text  # printed from scripts/, not copied


def test_stored_run_is_on_the_real_sample_and_shows_its_figures():
    text = stream_text(NOTEBOOK)
    assert "CIFAR-10 sample shipped in sample/cifar10" in text
    assert "length of the training set: 1500\nlength of the test set: 600" in text
    assert "test accuracy" in text and "model saved" in text
    figures = [o for o in notebook_outputs(NOTEBOOK) if "image/png" in o.get("data", {})]
    assert len(figures) >= 4  # the tutorial model's guesses and confusion matrix, FastNet's curves and confusion matrix


# --------------------------------------------------------------------------- the routine as a script of its own
def code_cells(notebook) -> list[str]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def routine_cells(notebook) -> list[str]:
    """The code cells of the complete training routine: from the datasets to the loop that saves each epoch."""
    cells = code_cells(notebook)
    start = next(i for i, c in enumerate(cells) if "torchvision.datasets." in c)
    end = next(i for i, c in enumerate(cells) if "torch.save(model.state_dict()" in c)
    return cells[start:end + 1]


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_the_routine_runs_as_a_script_without_this_repository(stored, tmp_path):
    """Issue 19: copy the routine's cells into train.py, in an empty folder outside the repository with the
    course's packages unimportable, set the parameters the set-up cell makes, and run it on the sample."""
    prelude = "\n".join([
        "import sys",
        "for name in ('utils', 'scripts', 'tools', 'solutions'):  # the course's packages: not importable",
        "    sys.modules[name] = None",
        "import torch",
        "device = torch.device('cpu')",
        "data_source = 'sample'",
        f"data_path = {str(REPO_ROOT / 'sample' / 'cifar10')!r}",
        "seed = 0",
        "torch.manual_seed(seed)",
        "batch_size = 64",
        "epochs = 1",
        "num_images = 0",
        "log_dir = 'logs'",
    ])
    script = tmp_path / "train.py"
    script.write_text(prelude + "\n\n" + "\n\n".join(routine_cells(stored)) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_RUNS_DIR")}
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    accuracy = re.search(r"(?:test accuracy|测试准确率) ?[:：]? ?(\d+\.\d)%", proc.stdout)
    assert accuracy, proc.stdout[-2000:]
    assert 0 <= float(accuracy.group(1)) <= 100
    saved = list((tmp_path / "logs" / NAME).glob("*/tudui_0.pth"))
    assert len(saved) == 1 and any(p.name.startswith("events.out.tfevents") for p in saved[0].parent.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logs", "train.py"]  # wrote only under log_dir


# --------------------------------------------------------------------------- the full-data reference run
@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_reference_run_is_on_the_full_training_images_with_default_parameters(reference):
    assert reference["results"]["train_images"] >= 45_000, "the reference must come from the full CIFAR-10"
    assert reference["results"]["epochs"] == 1 and "papermill" in reference["command"]
    assert reference["machine"] and reference["date"]
    assert [name for name, _ in reference["results"]["ladder"]] == LADDER


def test_reference_ladder_helps_or_holds_at_every_step(reference):
    accuracies = [accuracy for _, accuracy in reference["results"]["ladder"]]
    drops = [b - a for a, b in zip(accuracies, accuracies[1:])]
    assert min(drops) >= -0.005, f"a step loses more than half a point: {reference['results']['ladder']}"
    assert accuracies[-1] >= accuracies[0] + 0.15, "the ladder must end at least 15 points above the tutorial's recipe"


def test_reference_every_step_gains_more_than_the_measured_spread(reference):
    """Issue 21: on the full training images, with the lesson's budgets, every step's gain exceeds the
    run-to-run spread the lesson measures (its last trained step with two seeds)."""
    results = reference["results"]
    accuracies = [accuracy for _, accuracy in results["ladder"]]
    gains = [b - a for a, b in zip(accuracies, accuracies[1:])]
    assert 0 <= results["spread"] < min(gains), f"spread {results['spread']}, gains {gains}"


def test_reference_fast_model_and_lesson_time(reference):
    results = reference["results"]
    # Issue 12 asks for 85 %; the best FastNet recipe measured within 300 s on 2 CPU cores gives
    # about 82 % (83-84 % with flip at test time). This guards what is reached, not the open target.
    assert results["final_accuracy"] >= 0.80 and results["final_accuracy_tta"] >= results["final_accuracy"]
    assert results["final_train_seconds"] <= 300
    assert results["lesson_seconds"] <= 9 * 60


def test_the_chinese_run_shows_no_english_course_message(executed):
    """The 中文版, run with CI parameters: no course message that has a Chinese version comes out in English."""
    from helpers import english_course_messages, stream_text

    run = executed(NAME, edition="zh")
    assert english_course_messages(run) == []
    assert any("\u4e00" <= ch <= "\u9fff" for ch in stream_text(run))


def test_the_readme_quotes_the_reference_run_as_stored(reference):
    """The README's numbers for lesson 10 on the full data are the stored reference's, not older ones."""
    results = reference["results"]
    text = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    for name, accuracy in results["ladder"]:
        assert f"{name} {100 * accuracy:.1f} %" in text, name
    assert f"spread, measured by training the last step again with the next seed, {100 * results['spread']:.1f} points" in text
    assert f"FastNet {100 * results['final_accuracy']:.1f} % after {results['final_epochs']} epochs" in text
    assert f"the whole lesson {results['lesson_seconds'] / 60:.1f} minutes" in text
