"""The Chinese edition in the repository is what its translation files make (make check-translations)."""
from __future__ import annotations

import pytest

from helpers import REPO_ROOT
from tools import translations as tr

TRANSLATED = sorted(p.stem for p in (REPO_ROOT / "translations" / "zh").glob("[0-9][0-9]_*.yaml"))


def test_every_chinese_notebook_comes_from_a_translation_file():
    zh = sorted(p.stem for p in (REPO_ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))
    assert zh == TRANSLATED, "a notebook in notebooks/zh/ without translations/zh/<lesson>.yaml, or the reverse"
    assert len(zh) >= 8


@pytest.mark.parametrize("lesson", TRANSLATED)
def test_translation_is_complete_and_current(lesson):
    problems = [str(p) for p in tr.problems_of(lesson)]
    assert problems == [], "\n".join(problems)
