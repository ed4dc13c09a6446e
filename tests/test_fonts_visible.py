"""Fonts are set where figures are first drawn, visibly (issue 30, item 4).

``check_parameters`` checks the parameters and sets the language of the course's messages, nothing else:
importing the course or running the set-up cell leaves matplotlib's fonts alone.  Each lesson calls
``use_cjk_font()`` in the cell that draws its first figure (lesson 00 says what it does), so the 中文版's
Chinese figure text has a font.
"""
from __future__ import annotations

import importlib
import json
import re

import matplotlib
import pytest

from helpers import NOTEBOOKS

#: What draws a figure in a lesson's code.
DRAWS = re.compile(r"\bplt\.(subplots|figure|imshow|plot|hist|bar|barh)\(|\bshow_(images|columns|feature_maps|guesses)\("
                   r"|\bplot_(curves|confusion)\(")


def test_set_up_and_import_leave_the_fonts_alone():
    from utils import check_parameters

    before = list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"]
    with matplotlib.rc_context({"font.family": ["sans-serif"], "axes.unicode_minus": True}):
        import utils.plotting

        importlib.reload(utils.plotting)
        check_parameters(seed=0, batch_size=64, language="zh")
        assert matplotlib.rcParams["font.family"] == ["sans-serif"] and matplotlib.rcParams["axes.unicode_minus"] is True
    check_parameters(seed=0, language="en")
    assert (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"]) == before
    utils.plotting.use_cjk_font()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_first_figure_cell_sets_the_font(notebook):
    cells = ["".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code"]
    first = next((i for i, source in enumerate(cells) if DRAWS.search(source)), None)
    if first is None:
        return
    assert any("use_cjk_font(" in source for source in cells[:first + 1]), \
        f"{notebook.name}: the cell that draws the first figure (code cell {first}) calls use_cjk_font() (or one before it)"
