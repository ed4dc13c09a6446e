"""Exercises with instant feedback.

Each lesson ends with exercises.  The learner puts an answer in a variable and calls
:func:`check`::

    answer = None          # your answer here
    check("02.1", answer)

which prints ``✅ correct``, or what is wrong with a hint, or — while the answer is still
``None`` — a friendly "not answered yet" (so running the whole notebook, headless, passes).

Checkers live in one module per lesson (``utils/exercises/lesson02.py`` …), registered with
:func:`exercise`.  Worked solutions live in ``solutions/`` and are run by the test suite.
"""
from __future__ import annotations

import importlib
import numbers
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable

#: A checker returns ``None`` when the answer is right, else a sentence saying what is wrong.
Checker = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Exercise:
    """One registered exercise: its id (``"02.1"``), a one-line task, checker and hint."""

    id: str
    task: str
    checker: Checker
    hint: str


_REGISTRY: dict[str, Exercise] = {}


def real_number(answer: Any) -> float | None:
    """For checkers: ``answer`` as a ``float`` if it is one real number (int, float, one-element
    tensor; not a bool), else ``None``."""
    import torch

    if isinstance(answer, torch.Tensor):
        if answer.numel() != 1:
            return None
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None
    return float(answer)


def whole_number(answer: Any) -> int | None:
    """For checkers: ``answer`` as an ``int`` if it is a whole number (int, integral float,
    one-element tensor), else ``None``."""
    value = real_number(answer)
    if value is None or not value.is_integer():
        return None
    return int(value)


def exercise(id: str, task: str, hint: str) -> Callable[[Checker], Checker]:
    """Decorator: register ``checker`` as the check of exercise ``id``."""

    def register(checker: Checker) -> Checker:
        if id in _REGISTRY:
            raise ValueError(f"exercise {id} is registered twice")
        _REGISTRY[id] = Exercise(id, task, checker, hint)
        return checker

    return register


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def exercises() -> dict[str, Exercise]:
    """Every registered exercise, by id (all lesson modules are imported)."""
    _load_all()
    return dict(sorted(_REGISTRY.items()))


def verdict(id: str, answer: Any) -> tuple[bool | None, str]:
    """``(True, "")`` if right, ``(False, what is wrong)``, or ``(None, ...)`` if not answered yet."""
    known = exercises()
    if id not in known:
        raise KeyError(f"no exercise {id!r}; known: {', '.join(known)}")
    if answer is None or answer is Ellipsis:
        return None, "not answered yet"
    try:
        problem = known[id].checker(answer)
    except Exception as err:  # a wrong answer may break the checker's own computation
        problem = f"your answer could not be checked ({type(err).__name__}: {err})"
    return (problem is None), (problem or "")


def check(id: str, answer: Any) -> None:
    """Print whether ``answer`` solves exercise ``id`` (use :func:`verdict` to get it as a value)."""
    ok, problem = verdict(id, answer)
    ex = _REGISTRY[id]
    if ok is None:
        print(f"Exercise {id}: not answered yet — {ex.task} Replace None with your answer and run the cell again.")
    elif ok:
        print(f"✅ Exercise {id}: correct!")
    else:
        print(f"❌ Exercise {id}: {problem}\n   Hint: {ex.hint}")


__all__ = ["Exercise", "check", "exercise", "exercises", "verdict", "whole_number"]
