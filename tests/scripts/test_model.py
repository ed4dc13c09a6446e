"""scripts/model.py: the registry names the course's own models and recipes; checkpoints say which model they hold."""
from __future__ import annotations

import runpy

import pytest
import torch
from torch import nn

import scripts.model as script_model
from scripts.model import MODELS, CheckpointError, build_model, load_model, make_checkpoint
from utils.data import CIFAR10_CLASSES
from utils.models import FastNet, Tudui
from utils.recipes import FAST, TUTORIAL


def test_registry_is_the_course_models_and_recipes_not_copies():
    assert list(MODELS) == ["tudui", "fast"]
    assert MODELS["tudui"].build is Tudui and MODELS["tudui"].recipe is TUTORIAL
    assert MODELS["fast"].build is FastNet and MODELS["fast"].recipe is FAST
    own = [obj for obj in vars(script_model).values()
           if isinstance(obj, type) and issubclass(obj, nn.Module) and obj.__module__ == script_model.__name__]
    assert own == [], "models are imported from utils.models, never defined again here"


@pytest.mark.parametrize("name", list(MODELS))
def test_each_model_gives_ten_scores_per_image(name):
    assert build_model(name)(torch.zeros(2, 3, 32, 32)).shape == (2, 10)


def test_running_the_file_checks_each_model_on_a_batch_of_64(capsys):
    runpy.run_path(script_model.__file__, run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["tudui", "fast"]
    assert all("torch.Size([64, 10])" in line for line in lines)


def _saved(tmp_path, checkpoint, name="model.pt"):
    path = tmp_path / name
    torch.save(checkpoint, path)
    return path


def test_checkpoint_round_trip_with_weights_only(tmp_path):
    torch.manual_seed(0)
    trained = build_model("fast")
    stats = ([0.49, 0.48, 0.45], [0.25, 0.24, 0.26])
    path = _saved(tmp_path, make_checkpoint("fast", trained, list(CIFAR10_CLASSES), stats))
    raw = torch.load(path, map_location="cpu", weights_only=True)
    assert raw["model"] == "fast" and raw["classes"] == list(CIFAR10_CLASSES)
    assert raw["normalize"] == {"mean": stats[0], "std": stats[1]}
    model, checkpoint = load_model(path)
    assert isinstance(model, FastNet) and not model.training
    for key, value in trained.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key
    assert checkpoint["normalize"]["std"] == stats[1]


def test_checkpoint_without_normalization(tmp_path):
    path = _saved(tmp_path, make_checkpoint("tudui", Tudui(), list(CIFAR10_CLASSES), None))
    model, checkpoint = load_model(path)
    assert isinstance(model, Tudui) and checkpoint["normalize"] is None


@pytest.mark.parametrize("content, words", [
    (Tudui().state_dict(), "bare state_dict"),                      # what lesson 10's save_checkpoint writes
    ({"model": "resnet", "state_dict": {}, "classes": ["a"], "normalize": None}, "does not know"),
    # issue 29, item 8: this ended in a cut-off "(Error(s) in loading state_dict for FastNet:)"
    ({"model": "fast", "state_dict": Tudui().state_dict(), "classes": list(CIFAR10_CLASSES), "normalize": None},
     "says it holds a 'fast' model, but its weights are a 'tudui' model's"),
    ({"model": "tudui", "state_dict": {k: v for k, v in list(Tudui().state_dict().items())[2:]},
      "classes": list(CIFAR10_CLASSES), "normalize": None},
     "do not fit the 'tudui' model (2 of its 10 tensors are missing or of another shape, e.g. model1.0.weight)"),
    # issue 29, item 6: a normalize mean of 'abc' ended in a TypeError traceback
    ({"model": "tudui", "state_dict": Tudui().state_dict(), "classes": list(CIFAR10_CLASSES),
      "normalize": {"mean": "abc", "std": [1, 1, 1]}}, "has a normalize entry that is not"),
    ({"model": "tudui", "state_dict": Tudui().state_dict(), "classes": list(CIFAR10_CLASSES),
      "normalize": {"mean": ["a", "b", "c"], "std": [1, 1, 1]}}, "has a normalize entry that is not"),
    ({"model": "tudui", "state_dict": Tudui().state_dict(), "classes": list(CIFAR10_CLASSES),
      "normalize": {"mean": [0.5, 0.5, 0.5], "std": [0.2, 0, 0.2]}}, "each std above 0"),
    ({"model": "tudui", "state_dict": Tudui().state_dict(), "classes": ["cat", "dog"], "normalize": None},
     "2 classes"),
])
def test_files_that_are_not_train_py_checkpoints_give_one_line(tmp_path, content, words):
    with pytest.raises(CheckpointError) as err:
        load_model(_saved(tmp_path, content))
    assert words in str(err.value) and "\n" not in str(err.value)


def test_a_missing_or_non_torch_file_gives_one_line(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_model(tmp_path / "missing.pt")
    (tmp_path / "notes.txt").write_text("not a checkpoint")
    with pytest.raises(CheckpointError, match="is not a checkpoint written by scripts/train.py"):
        load_model(tmp_path / "notes.txt")
