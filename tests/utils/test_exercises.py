"""utils.exercises: every check accepts its worked solution and rejects typical wrong answers."""
from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest

import solutions
from helpers import NOTEBOOKS
from utils.exercises import check, exercises, real_number, verdict, whole_number


def _solution_modules():
    return {m.name: importlib.import_module(f"solutions.{m.name}") for m in pkgutil.iter_modules(solutions.__path__)}


def _cases():
    for module in _solution_modules().values():
        for id, solution in module.SOLUTIONS.items():
            yield id, solution, module.WRONG.get(id, [])


CASES = sorted(_cases(), key=lambda c: c[0])


def test_every_exercise_has_a_solution_and_a_wrong_answer():
    registered = set(exercises())
    solved = {c[0] for c in CASES}
    assert registered == solved, f"without solution: {registered - solved}; solution without exercise: {solved - registered}"
    assert all(wrong for _, _, wrong in CASES), "each exercise needs at least one typical wrong answer"


@pytest.mark.parametrize("id, solution, wrong", CASES, ids=[c[0] for c in CASES])
def test_check_accepts_solution_and_rejects_wrong_answers(id, solution, wrong, capsys):
    assert verdict(id, solution()) == (True, "")
    check(id, solution())
    assert "✅" in capsys.readouterr().out
    for bad in wrong:
        ok, problem = verdict(id, bad)
        assert ok is False and problem, f"{id} accepted the wrong answer {bad!r}"
        check(id, bad)
        out = capsys.readouterr().out
        assert "❌" in out and "Hint:" in out


def test_unanswered_is_friendly(capsys):
    first = next(iter(exercises()))
    assert verdict(first, None)[0] is None
    check(first, None)
    assert "not answered yet" in capsys.readouterr().out


def test_unknown_exercise():
    with pytest.raises(KeyError, match="no exercise"):
        verdict("99.9", 1)


def test_notebooks_call_their_exercises():
    """Every registered exercise is offered in its lesson's notebook."""
    text = {nb.name[:2]: json.dumps(json.loads(nb.read_text())["cells"]) for nb in NOTEBOOKS}
    for id in exercises():
        lesson = id.split(".")[0]
        assert lesson in text, f"exercise {id} belongs to a lesson with no notebook"
        assert re.search(rf'check\(\\"{re.escape(id)}\\"', text[lesson]), f"notebook {lesson} never calls check(\"{id}\")"


def test_number_helpers_of_the_checkers():
    import torch

    assert real_number(2) == 2.0 and real_number(0.5) == 0.5 and real_number(torch.tensor([0.25])) == 0.25
    assert real_number(True) is None and real_number("2") is None and real_number(torch.tensor([1, 2])) is None
    assert whole_number(3.0) == 3 and whole_number(torch.tensor(7)) == 7
    assert whole_number(2.5) is None and whole_number(float("inf")) is None and whole_number(float("nan")) is None
    assert whole_number(False) is None
