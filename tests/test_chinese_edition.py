"""The Chinese edition in the repository is what its translation files make (make check-translations),
and the stored outputs of both editions come from the code the notebooks hold."""
from __future__ import annotations

import nbformat
import pytest

from helpers import NOTEBOOKS, REPO_ROOT, ZH_NOTEBOOKS
from tools import translations as tr
from tools.notebooks import output_problems

TRANSLATED = sorted(p.stem for p in (REPO_ROOT / "translations" / "zh").glob("[0-9][0-9]_*.yaml"))


def test_every_chinese_notebook_comes_from_a_translation_file():
    zh, english = [nb.stem for nb in ZH_NOTEBOOKS], [nb.stem for nb in NOTEBOOKS]
    assert zh == TRANSLATED, "a notebook in notebooks/zh/ without translations/zh/<lesson>.yaml, or the reverse"
    assert zh == english, "every lesson has a Chinese twin (python -m tools translations stub <lesson>)"


@pytest.mark.parametrize("lesson", TRANSLATED)
def test_translation_is_complete_and_current(lesson):
    """Also: the stored zh outputs come from its code, are fingerprinted and show no English course message
    that has a Chinese version."""
    found = tr.problems_of(lesson)
    for note in (p for p in found if p.warning):
        print(f"note: {note}")
    problems = [str(p) for p in found if not p.warning]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_english_outputs_come_from_the_code_the_notebook_holds(notebook):
    """make outputs records which code made the outputs; an edit to a code cell without re-running fails here."""
    failures, notes = output_problems(nbformat.read(notebook, as_version=4), f"notebooks/{notebook.name}")
    for note in notes:
        print(f"note: {note}")
    assert failures == [], "\n".join(failures)


def chinese_share(markdown: str) -> float:
    """Chinese characters / all letters (Chinese or Latin) of ``markdown`` outside code, math and links' targets."""
    import re

    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return chinese / max(1, chinese + latin)


@pytest.mark.parametrize("lesson", TRANSLATED)
def test_chinese_markdown_is_mostly_chinese(lesson):
    import json

    cells = json.loads((REPO_ROOT / "notebooks" / "zh" / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert chinese_share(markdown) >= 0.5, f"{lesson}: only {chinese_share(markdown):.0%} of the letters are Chinese"


def test_chinese_share_counts_prose_not_code():
    assert chinese_share("卷积层 `nn.Conv2d(3, 32, 5)` ```\nmodel = Tudui()\n```") == 1.0
    assert chinese_share("the stride 步长") == pytest.approx(2 / 11)
