"""Exercises of 01_data: each solution, typed as a learner would, passes; typical wrong answers fail with a
reason in the learner's language (English and Chinese)."""
from __future__ import annotations

import os
import re

import pytest
from PIL import Image
from torch.utils.data import Dataset

from utils.data import SAMPLE_DIR
from utils.exercises import exercises, verdict
from utils.i18n import set_language

CHINESE = re.compile(r"[\u4e00-\u9fff]")


class OneSplit(Dataset):
    """01.3 as a learner writes it after the lesson's MyData."""

    def __init__(self, root_dir):
        self.root_dir = root_dir
        self.classes = sorted(os.listdir(root_dir))
        self.items = []
        for index, name in enumerate(self.classes):
            for file in sorted(os.listdir(os.path.join(root_dir, name))):
                self.items.append((os.path.join(root_dir, name, file), index))

    def __getitem__(self, idx):
        path, label = self.items[idx]
        return Image.open(path), label

    def __len__(self):
        return len(self.items)


class FolderNameLabels(OneSplit):  # the lesson's MyData gives the folder's name
    def __getitem__(self, idx):
        path, label = self.items[idx]
        return Image.open(path), self.classes[label]


class OneFolderOnly(OneSplit):  # reads only the first class folder
    def __init__(self, root_dir):
        super().__init__(root_dir)
        self.items = [item for item in self.items if item[1] == 0]


class UnsortedClasses(OneSplit):  # os.listdir's order is not guaranteed; here: the reverse of alphabetical
    def __getitem__(self, idx):
        path, label = self.items[idx]
        return Image.open(path), len(self.classes) - 1 - label


CASES = {
    "01.1": ((391, 80), [(390, 80), (391, 128), (80, 391), (79, 16)]),
    "01.2": (-0.6, [0.2, 101, -0.15, 0.6, -0.3]),
    "01.3": (OneSplit, [OneSplit(str(SAMPLE_DIR / "test")), FolderNameLabels, OneFolderOnly, UnsortedClasses]),
    "01.4": ("a", ["b", "c", "d", "A) b"]),
}


def test_lesson_01_has_four_exercises_of_the_three_kinds():
    ours = {id: ex for id, ex in exercises().items() if id.startswith("01.")}
    assert sorted(ours) == sorted(CASES)
    assert {ex.kind for ex in ours.values()} == {"predict", "code", "explain"}


@pytest.mark.parametrize("id", sorted(CASES))
def test_solution_passes_in_both_languages(id):
    for language in ("en", "zh"):
        set_language(language)
        assert verdict(id, CASES[id][0]) == (True, "")


def test_numbers_as_a_learner_types_them():
    assert verdict("01.1", [391, 80])[0] is True  # a list is fine too
    assert verdict("01.1", (391.0, 80.0))[0] is True
    for typed in (-0.6, -0.60, -0.6000000000000001, (51 / 255 - 0.5) / 0.5, -0.598):
        assert verdict("01.2", typed)[0] is True, typed  # two decimals are enough
    assert verdict("01.2", -0.61)[0] is False
    assert verdict("01.4", " A ")[0] is True


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("id", sorted(CASES))
def test_typical_wrong_answers_fail_with_a_reason(id, language):
    set_language(language)
    for bad in CASES[id][1]:
        ok, problem = verdict(id, bad)
        assert ok is False and problem, f"{id} accepted {bad!r}"
        assert bool(CHINESE.search(problem)) == (language == "zh"), problem


def test_wrong_answers_get_the_specific_reason():
    assert "drop_last=True" in verdict("01.1", (390, 80))[1]
    assert "swapped" in verdict("01.1", (80, 391))[1]
    assert "51 / 255" in verdict("01.2", 101)[1]
    assert "folder's name" in verdict("01.3", FolderNameLabels)[1]
    assert "alphabetical" in verdict("01.3", UnsortedClasses)[1]
    assert "600 images" in verdict("01.3", OneFolderOnly)[1]


def test_explain_options_right_one_is_not_the_longest():
    """01.4's right option (a) is not the longest of the four in the notebook."""
    import json

    from helpers import REPO_ROOT

    cells = json.loads((REPO_ROOT / "notebooks" / "01_data.ipynb").read_text(encoding="utf-8"))["cells"]
    text = next("".join(c["source"]) for c in cells if c["cell_type"] == "markdown" and "**01.4**" in "".join(c["source"]))
    options = dict(re.findall(r"^- ([a-d])\) (.+?)(?=^- [a-d]\)|\Z)", text, flags=re.M | re.S))
    assert sorted(options) == ["a", "b", "c", "d"]
    assert len(options["a"]) < max(len(o) for o in options.values())
