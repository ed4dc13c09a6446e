"""Fair checks (issue 30, item 1): every exercise meets at least three typical wrong answers — from learners'
mistakes — each told what is wrong with it in both editions, and accepts a right answer in every form a
learner types it.

``solutions/lessonNN.py`` holds, next to ``SOLUTIONS`` and ``WRONG``:

- ``MISTAKES``: ``{id: [(answer, English phrase, Chinese phrase), ...]}`` — the feedback must name the
  mistake: it contains the phrase, in each language;
- ``ACCEPTED``: ``{id: [answer, ...]}`` — right answers as learners type them (a tensor for a tuple, a letter
  with a period, a function that assumes nothing the task does not say).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

import pytest

import utils.exercises as framework
from helpers import REPO_ROOT
from utils.exercises import verdict
from utils.i18n import set_language

LESSON_MODULES = sorted(p.stem for p in (REPO_ROOT / "utils" / "exercises").glob("lesson[0-9][0-9].py"))


def _solutions(module: str) -> types.ModuleType:
    """``solutions/<module>.py``, imported by path (as tests/utils/test_exercises.py does)."""
    if "solutions" not in sys.modules:
        package = types.ModuleType("solutions")
        package.__path__ = [str(REPO_ROOT / "solutions")]
        sys.modules["solutions"] = package
    name = f"solutions.{module}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "solutions" / f"{module}.py")
        loaded = importlib.util.module_from_spec(spec)
        sys.modules[name] = loaded
        spec.loader.exec_module(loaded)
    return sys.modules[name]


def lesson_exercises(module: str) -> list[str]:
    importlib.import_module(f"utils.exercises.{module}")
    lesson = module.removeprefix("lesson")
    return [id for id in framework._REGISTRY if id.split(".")[0] == lesson]


SOLUTIONS = {module: _solutions(module) for module in LESSON_MODULES}

#: Lessons whose MISTAKES are still to come (none: every lesson has them).
PENDING: dict[str, str] = {}
CHECKED = [m for m in LESSON_MODULES if m not in PENDING]
MISTAKE_CASES = [(id, i, case) for module in CHECKED for id, cases in getattr(SOLUTIONS[module], "MISTAKES", {}).items()
                 for i, case in enumerate(cases)]
ACCEPTED_CASES = [(id, answer) for module in CHECKED for id, answers in getattr(SOLUTIONS[module], "ACCEPTED", {}).items()
                  for answer in answers]


@pytest.mark.parametrize("module", CHECKED)
def test_every_exercise_meets_three_typical_mistakes(module):
    mistakes = getattr(SOLUTIONS[module], "MISTAKES", {})
    few = {id: len(mistakes.get(id, [])) for id in lesson_exercises(module) if len(mistakes.get(id, [])) < 3}
    assert not few, f"{module}: exercises with fewer than three typical wrong answers in MISTAKES: {few}"


@pytest.mark.parametrize("id, i, case", MISTAKE_CASES, ids=[f"{id}-{i}" for id, i, _ in MISTAKE_CASES])
def test_each_mistake_is_named_in_both_languages(id, i, case):
    answer, english, chinese = case
    for language, phrase in (("en", english), ("zh", chinese)):
        set_language(language)
        ok, problem = verdict(id, answer)
        assert ok is False, f"{id} accepted the mistake {answer!r}"
        assert phrase in problem, f"{id} ({language}): the feedback on {answer!r} should name the mistake ({phrase!r}): {problem!r}"


@pytest.mark.parametrize("id, answer", ACCEPTED_CASES, ids=[f"{id}-{i}" for i, (id, _) in enumerate(ACCEPTED_CASES)])
def test_right_answers_in_a_learners_form_are_accepted(id, answer):
    for language in ("en", "zh"):
        set_language(language)
        assert verdict(id, answer) == (True, ""), f"{id} ({language}) refused the right answer {answer!r}"


def test_the_mistakes_differ():
    """Three mistakes of one exercise get at least two different messages (not one catch-all)."""
    set_language("en")
    for module in CHECKED:
        for id, cases in getattr(SOLUTIONS[module], "MISTAKES", {}).items():
            messages = {verdict(id, answer)[1] for answer, _, _ in cases}
            assert len(messages) >= 2, f"{id}: every mistake gets the same feedback: {messages}"
