"""11_better_model: the ladder of improvements as code, judged against the run-to-run spread; the fast model and its
recipe; the reference run on the full data (issues 27 and 31)."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from utils.recipes import FAST

from helpers import REPO_ROOT, ci_parameters, edition, not_answered, notebook_outputs, stored_notebooks, stream_text

NAME = "11_better_model"
NOTEBOOK = REPO_ROOT / "notebooks" / f"{NAME}.ipynb"
REFERENCE = REPO_ROOT / "notebooks" / "reference" / f"{NAME}.json"
ABLATION = REPO_ROOT / "notebooks" / "reference" / "11_fastnet_ablation.json"
LADDER = ["tutorial", "+ momentum", "+ normalized inputs", "+ one-cycle schedule", "+ BatchNorm", "+ ReLU",
          "+ flip at test time"]
#: The same steps as the 中文版 prints them.
LADDER_ZH = ["教程", "+ 动量", "+ 输入归一化", "+ 单周期学习率调整策略", "+ BatchNorm", "+ ReLU", "+ 测试时翻转"]


def test_the_ladder_has_every_step_in_order(results, output):
    ladder = results["ladder"]
    assert [name for name, _ in ladder] == (LADDER if edition(output) == "en" else LADDER_ZH)
    assert all(0 <= accuracy <= 1 for _, accuracy in ladder)
    assert 0 <= results["spread"] <= 1  # the ReLU step, trained again with the next seed
    assert results["epochs"] == ci_parameters(NOTEBOOK, "cpu")["epochs"]
    assert results["steps"] == results["epochs"] * -(-results["train_images"] // 64)  # OneCycleLR's total_steps


def test_normalized_inputs_have_mean_zero(results):
    assert all(abs(m) < 0.01 for m in results["normalized_mean"])  # Normalize(mean, std) with the measured mean
    assert all(0.2 < m < 0.8 for m in results["mean"])


def test_the_lesson_prints_the_spread_and_judges_every_change_by_it(output):
    text = stream_text(output)
    english = edition(output) == "en"
    spread = (r"\+ ReLU gives \d+\.\d% with seed \d+ and \d+\.\d% with seed \d+: a spread of \d+\.\d points" if english else
              r"\+ ReLU 得到 \d+\.\d%（随机种子 \d+）和 \d+\.\d%（随机种子 \d+）：波动为 \d+\.\d 个百分点")
    assert re.search(spread, text), text[-3000:]
    table = text.split("more than the spread?" if english else "是否大于波动？")[1]
    verdicts = "(?:yes|no)" if english else "(?:是|否)"
    assert len(re.findall(r"%\s+[+-]\d+\.\d\s+" + verdicts, table)) == len(LADDER) - 1


def test_the_fast_model_trains_with_its_budget_and_reloads(results):
    assert results["final_epochs"] == ci_parameters(NOTEBOOK, "cpu")["final_epochs"]
    assert 0 <= results["fast_accuracy"] <= 1 and 0 <= results["fast_accuracy_flip"] <= 1
    assert results["fast_reloaded_accuracy"] == pytest.approx(results["fast_accuracy"], abs=1e-4)
    assert results["fast_seconds"] > 0
    assert results["checkpoint_keys"] == ["classes", "mean", "state_dict", "std"]
    assert results["whitening_off_diagonal"] < 0.02  # the whitening layer's outputs are uncorrelated
    assert 0 < results["whitening_variance"][0] <= results["whitening_variance"][1] <= 1.0 + 1e-3


def test_exercises_are_offered_unanswered(output):
    text = stream_text(output)
    for id in ("11.1", "11.2", "11.3", "11.4"):
        assert not_answered(output, id) in text


# --------------------------------------------------------------------------- every improvement as code (issue 27)
def code_cells(notebook) -> list[str]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_each_step_shows_the_pytorch_lines_it_changes(stored):
    code = "\n".join(code_cells(stored))
    for change in ("momentum=0.9", "transforms.Normalize(mean, std)", "OneCycleLR(", "scheduler.step()",
                   "nn.BatchNorm2d(", "nn.ReLU()", "(outputs + model(imgs.flip(3))) / 2", "torch.manual_seed(seed + 1)",
                   "whitening_filters(", "augment(imgs)", "memory_format=torch.channels_last", "view.flip(3)"):
        assert change in code, change
    for hidden in ("Recipe(", "train_recipe(", "TuduiPlus", "FlipTTA", "utils.recipes", "utils.training", "fit("):
        assert hidden not in code, hidden


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_no_code_cell_trains_two_models(stored):
    """Issue 27: one model per cell (the ladder's functions are defined once, then each step calls them once)."""
    for source in code_cells(stored):
        calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and
                 getattr(n.func, "id", "") == "train_model"]
        assert len(calls) <= 1, source[:200]


@pytest.mark.parametrize("stored", stored_notebooks(NAME), ids=edition)
def test_stored_run_is_on_the_sample_and_shows_the_whole_ladder(stored):
    text = stream_text(stored)
    assert ("CIFAR-10 sample shipped in sample/cifar10" if edition(stored) == "en" else "课程自带的 CIFAR-10 样本") in text
    assert re.search(r"(training images: |训练图像： ?)\(1500, 3, 32, 32\)", text)
    assert re.search(r"FastNet[:：]", text)


# --------------------------------------------------------------------------- the full-data reference run
@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_reference_run_is_on_the_full_training_images_with_default_parameters(reference):
    assert reference["results"]["train_images"] >= 45_000, "the reference must come from the full CIFAR-10"
    assert reference["results"]["epochs"] == 1 and "papermill" in reference["command"]
    assert reference["machine"] and reference["date"]
    assert [name for name, _ in reference["results"]["ladder"]] == LADDER


def test_reference_every_training_step_gains_more_than_the_measured_spread(reference):
    """Issue 21: on the full training images every step that changes the training gains more than the run-to-run
    spread the lesson measures.  The last step (flip at test time) trains nothing, and its gain may be smaller than
    the spread (it is in the stored run): the lesson's table says so, and so does the README."""
    results = reference["results"]
    accuracies = [accuracy for _, accuracy in results["ladder"]]
    gains = [b - a for a, b in zip(accuracies, accuracies[1:])]
    assert 0 <= results["spread"] < min(gains[:-1]), f"spread {results['spread']}, gains {gains}"
    assert gains[-1] > 0, "flip at test time never costs accuracy on the full data"


def test_reference_fast_model_and_lesson_time(reference):
    """Issue 31: the fast model reaches 85 % as the lesson predicts (from six views: flip and shift at test time)
    with at most 300 s of training on 2 cores, and the whole lesson stays within 9 minutes on the full data."""
    results = reference["results"]
    assert results["final_epochs"] == FAST.epochs
    assert results["fast_accuracy_views"] >= 0.85
    assert results["fast_accuracy"] <= results["fast_accuracy_views"] + 0.01
    assert results["fast_seconds"] <= 300
    assert results["lesson_seconds"] <= 9 * 60


# --------------------------------------------------------------------------- the fast recipe: lesson = utils = scripts
def lesson_number(pattern: str) -> float:
    match = re.search(pattern, "\n".join(code_cells(NOTEBOOK)))
    assert match, pattern
    return float(match.group(1))


def test_the_lesson_trains_with_the_recipe_scripts_train_uses():
    """Issue 31, item 4: scripts/train.py --model fast (utils.recipes.FAST, utils.models.FastNet) is the lesson's recipe."""
    assert lesson_number(r"final_epochs = (\d+) if len\(train_imgs\)") == FAST.epochs
    assert lesson_number(r"fast_batch = (\d+) if len\(train_imgs\)") == FAST.batch_size
    assert lesson_number(r"fast_lr = ([\d.]+) \* fast_batch / (?:\d+)") == FAST.lr
    assert lesson_number(r"fast_lr = [\d.]+ \* fast_batch / (\d+)") == FAST.batch_size
    assert lesson_number(r"def augment\(imgs, shift=(\d+)\)") == FAST.shift
    assert lesson_number(r"SGD\(fast_model.parameters\(\), lr=fast_lr, momentum=([\d.]+)\)") == FAST.momentum
    assert not FAST.nesterov and FAST.weight_decay == 0 and FAST.label_smoothing == 0  # measured, did not pay
    code = "\n".join(code_cells(NOTEBOOK))
    assert "loss_fn = nn.CrossEntropyLoss()\n\nfast_seconds" in code
    assert "pct_start=0.2," in code and FAST.one_cycle and "channels_last" in code and FAST.channels_last


def test_the_lesson_fastnet_is_the_course_fastnet():
    """The lesson's FastNet class (and its whitening filters) gives the same model as utils.models.FastNet."""
    import torch
    from torch import nn

    from utils.models import FastNet, whitening_filters

    namespace = {"nn": nn, "torch": torch, "Tudui": FastNet}
    for source in code_cells(NOTEBOOK):
        if source.startswith(("class FastNet", "def whitening_filters")):
            exec(compile(source.split("\n\n\nprint(")[0].split("\n\n\nfirst_images")[0], "lesson", "exec"), namespace)
    torch.manual_seed(0)
    imgs = torch.randn(50, 3, 32, 32)
    assert torch.allclose(namespace["whitening_filters"](imgs), whitening_filters(imgs))
    torch.manual_seed(1)
    mine = namespace["FastNet"]()
    torch.manual_seed(1)
    course = FastNet()
    assert [tuple(t.shape) for t in mine.state_dict().values()] == [tuple(t.shape) for t in course.state_dict().values()]
    course.load_state_dict(mine.state_dict())  # the same names too: a lesson checkpoint loads into scripts/test.py's model
    assert [p.requires_grad for p in mine.parameters()] == [p.requires_grad for p in course.parameters()]


# --------------------------------------------------------------------------- the ablation (tools.ablation)
@pytest.fixture(scope="module")
def ablation() -> dict:
    return json.loads(ABLATION.read_text(encoding="utf-8"))


def test_the_ablation_is_of_this_recipe_on_the_full_training_images(ablation):
    from tools.ablation import VARIANTS

    assert [row["name"] for row in ablation["rows"]] == [name for name, _, _ in VARIANTS]
    assert all(row["train_images"] >= 45_000 and row["epochs"] == FAST.epochs for row in ablation["rows"] + ablation["seeds"])
    assert len(ablation["seeds"]) >= 3 and ablation["seeds"][0] == ablation["rows"][0]
    assert "tools.ablation" in ablation["command"] and ablation["machine"]


def test_every_kept_ingredient_pays_and_the_recipe_reaches_85(ablation):
    """Issue 31: what the recipe keeps, it keeps because leaving it out costs six-view accuracy; what it leaves out
    gains no more than the seed-to-seed spread when added back."""
    recipe = ablation["rows"][0]["views"]
    assert all(s["views"] >= 0.85 for s in ablation["seeds"]), ablation["seeds"]
    spread = max(s["views"] for s in ablation["seeds"]) - min(s["views"] for s in ablation["seeds"])
    for row in ablation["rows"][1:]:
        if row["name"].startswith("without"):
            assert row["views"] < recipe, row
        else:
            assert row["views"] - recipe <= spread, row


def test_the_readme_quotes_the_ablation_as_stored(ablation):
    text = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    recipe = ablation["rows"][0]
    for row in ablation["rows"][1:]:
        assert f"{row['name']}: {100 * row['views']:.1f} % ({100 * (row['views'] - recipe['views']):+.1f})" in text, row["name"]
    seeds = ", ".join(f"{100 * s['views']:.1f} %" for s in ablation["seeds"])
    assert f"seeds 0, 1, 2: {seeds}" in text


def test_the_readme_quotes_the_reference_run_as_stored(reference):
    results = reference["results"]
    text = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    for name, accuracy in results["ladder"]:
        assert f"{name} {100 * accuracy:.1f} %" in text, name
    assert f"spread, measured by training the ReLU step again with the next seed, {100 * results['spread']:.1f} points" in text
    assert f"FastNet {100 * results['fast_accuracy']:.1f} % after {results['final_epochs']} epochs" in text
    assert f"{100 * results['fast_accuracy_flip']:.1f} % with flip at test time" in text
    assert f"{100 * results['fast_accuracy_views']:.1f} % from six views" in text
    assert f"{results['fast_seconds']:.0f} s of training" in text
    assert f"the whole lesson {results['lesson_seconds'] / 60:.1f} minutes" in text


def test_the_chinese_run_shows_no_english_course_message(executed):
    from helpers import english_course_messages

    run = executed(NAME, edition="zh")
    assert english_course_messages(run) == []
