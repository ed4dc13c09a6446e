"""The code a learner reads is the code the tutorial writes (issue 19), in both editions.

No lesson cell calls the course's lesson wrappers or records values for the tests: the tests
and ``make report`` read a lesson's numbers through ``tools.probes`` instead.  A lesson that
logs to TensorBoard makes its own ``SummaryWriter``; one that loads CIFAR-10 images shows the
``torchvision.datasets`` call that does it.
"""
from __future__ import annotations

import json
import re

import pytest

from helpers import NOTEBOOKS, ZH_NOTEBOOKS

ALL = NOTEBOOKS + ZH_NOTEBOOKS
ids = [f"{nb.parent.name}/{nb.stem}" for nb in ALL]
#: What a lesson's code never holds: the course's lesson object and its result recording.
FORBIDDEN = {"record(": re.compile(r"\brecord\("), "start_lesson": re.compile(r"\bstart_lesson\b"),
             "lesson.": re.compile(r"(?<![\w.])lesson\."), "read_results": re.compile(r"\bread_results\b")}


def code_cells(nb) -> list[str]:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_no_course_wrappers_or_recording_in_code(nb):
    found = [(what, i) for i, source in enumerate(code_cells(nb)) for what, pattern in FORBIDDEN.items()
             if pattern.search(source)]
    assert not found, f"{nb.name}: code cells use the course's wrappers instead of PyTorch: {found}"


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_no_course_mime_output_is_stored(nb):
    from utils.results import MIME_TYPE

    assert MIME_TYPE not in nb.read_text(encoding="utf-8"), f"{nb.name} stores the course's result MIME type"


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_tensorboard_and_data_are_plain_torch(nb):
    code = "\n".join(code_cells(nb))
    if re.search(r"\bwriter\.add_", code):
        assert "SummaryWriter(" in code and "writer.close()" in code, \
            f"{nb.name} logs to TensorBoard: it must make its own SummaryWriter(...) and close it"
    if "DataLoader(" in code or "find_cifar10(" in code:
        assert re.search(r"torchvision\.datasets\.(CIFAR10|ImageFolder)\(|\b(CIFAR10|ImageFolder)\(", code), \
            f"{nb.name} loads CIFAR-10 images: show the torchvision.datasets call (CIFAR10 or ImageFolder)"


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_set_up_is_one_short_cell(nb):
    """After the parameters, at most one set-up cell calls the course's parameter check, and does the
    device choice in plain code (torch.device)."""
    cells = code_cells(nb)
    set_up = [i for i, source in enumerate(cells) if "check_parameters(" in source]
    assert set_up == [1], f"{nb.name}: the cell right after the parameters checks them with check_parameters (found in {set_up})"
    assert "torch.device(" in cells[1] and len(cells[1].splitlines()) <= 12
