"""tools.reference: lesson 11's full-data reference JSON, refused for a sample run, written atomically."""
from __future__ import annotations

import json

import pytest

from tools import reference as ref
from utils.errors import CourseError

RESULTS = {"train_images": 45_000, "epochs": 1, "final_epochs": 8, "ladder": [["tutorial", 0.17]], "spread": 0.002,
           "ladder_seconds": 185.0, "fast_accuracy": 0.848, "fast_accuracy_flip": 0.855, "fast_accuracy_views": 0.86,
           "fast_seconds": 249.0, "lesson_seconds": 501.6, "device": "cpu"}


def test_reference_keeps_the_results_and_says_where_they_come_from():
    out = ref.reference(RESULTS, "full", "papermill x", "完整")
    assert out["results"] == {k: RESULTS[k] for k in ref.KEYS}
    assert "device" not in out["results"]
    assert out["data"] == "full" and out["data_zh"] == "完整" and out["command"] == "papermill x" and out["date"][:2] == "20"
    import torch

    assert "cores" in out["machine"] and torch.__version__ in out["machine"]
    assert "个核心" in out["machine_zh"] and "cores" not in out["machine_zh"]


def test_a_sample_run_or_an_unfinished_run_is_refused():
    with pytest.raises(CourseError, match="full CIFAR-10"):
        ref.reference({**RESULTS, "train_images": 1500}, "d", "c", "d")
    with pytest.raises(CourseError, match="lesson_seconds"):
        ref.reference({k: v for k, v in RESULTS.items() if k != "lesson_seconds"}, "d", "c", "d")
    with pytest.raises(CourseError, match="--data-note-zh"):
        ref.reference(RESULTS, "an untranslated note", "c")
    assert ref.reference(RESULTS, ref.SPLIT_NOTE, "c")["data_zh"].startswith("把 CIFAR-10")


def test_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "reference" / "10.json"
    ref.write({"a": 1}, target)
    ref.write({"b": 2}, target)
    assert json.loads(target.read_text(encoding="utf-8")) == {"b": 2}
    assert [p.name for p in target.parent.iterdir()] == ["10.json"]


def test_a_folder_without_cifar10_fails_in_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch):
    target = tmp_path / "ref.json"
    monkeypatch.setattr(ref, "TARGET", target)
    assert ref.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "cifar-10-batches-py" in err and len(err.splitlines()) == 1
    assert ref.main([f"folder:{tmp_path}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "train/ and test/" in err and len(err.splitlines()) == 1
    assert not target.exists()


def test_the_parameters_name_the_data_only(tmp_path):
    (tmp_path / "train").mkdir()
    (tmp_path / "test").mkdir()
    assert ref.parameters(f"folder:{tmp_path}") == {"data_source": f"folder:{tmp_path.resolve()}", "progress": False}
    (tmp_path / "cifar-10-batches-py").mkdir()
    assert ref.parameters(str(tmp_path)) == {"data_root": str(tmp_path.resolve()), "progress": False}


def test_the_stored_reference_is_well_formed():
    stored = json.loads(ref.TARGET.read_text(encoding="utf-8"))
    assert set(stored) == {"data", "data_zh", "machine", "machine_zh", "command", "date", "results"}
    assert stored["machine_zh"] == ref.machine_zh(stored["machine"])
    assert set(stored["results"]) == set(ref.KEYS)
