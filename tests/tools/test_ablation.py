"""tools.ablation: the fast recipe trained as it is and without one ingredient at a time (lesson 11's table)."""
from __future__ import annotations

import json

import pytest

from tools import ablation
from utils.data import SAMPLE_DIR
from utils.recipes import FAST


def test_the_variants_each_leave_out_one_ingredient_of_the_recipe():
    name, changes, whiten = ablation.VARIANTS[0]
    assert name == "the recipe" and changes == {} and whiten
    for name, changes, whiten in ablation.VARIANTS[1:]:
        changed = FAST.but(**changes)
        assert (changed != FAST) != (not whiten), name  # exactly one thing differs: a recipe setting or the layer
    assert set(ablation.NAMES_ZH) == {name for name, _, _ in ablation.VARIANTS}


def test_a_variant_trains_and_reports_its_accuracies():
    row = ablation.train_variant(f"folder:{SAMPLE_DIR}", "without label smoothing", {"label_smoothing": 0.0}, True,
                                 seed=0, threads=1, epochs=1, num_images=128)
    assert row["train_images"] == 128 and row["epochs"] == 1 and row["seconds"] > 0
    assert all(0 <= row[k] <= 1 for k in ("plain", "flip", "views"))


def test_localize_names_every_run_in_chinese():
    from tools.reference import SPLIT_NOTE

    rows = [{"name": name} for name, _, _ in ablation.VARIANTS]
    record = ablation.localize({"data": SPLIT_NOTE, "rows": rows, "seeds": [rows[0], {"name": "the recipe, seed 1"}]})
    assert record["data_zh"].startswith("把 CIFAR-10")
    assert [r["name_zh"] for r in rows] == list(ablation.NAMES_ZH.values())
    assert record["seeds"][1]["name_zh"] == "完整训练方案，随机种子 1"


@pytest.mark.parametrize("args, says", [(["folder:{tmp}"], "train/ and test/"), (["{tmp}"], "cifar-10-batches-py"),
                                        (["folder:{sample}", "--data-note", "my own split"], "--data-note-zh")])
def test_bad_input_fails_in_one_line_and_writes_nothing(args, says, tmp_path, capsys):
    out = tmp_path / "ablation.json"
    args = [a.format(tmp=tmp_path, sample=SAMPLE_DIR) for a in args]
    assert ablation.main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and says in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_the_stored_ablation_is_well_formed():
    stored = json.loads(ablation.TARGET.read_text(encoding="utf-8"))
    assert {"data", "data_zh", "machine", "machine_zh", "command", "date", "rows", "seeds"} <= set(stored)
    assert all(row["name_zh"] for row in stored["rows"] + stored["seeds"])
