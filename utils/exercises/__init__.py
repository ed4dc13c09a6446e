"""Exercises with instant feedback, in English or Chinese.

Each lesson ends with exercises.  The learner puts an answer in a variable and calls
:func:`check`::

    answer = None          # your answer here
    check("03.1", answer)

which prints ``✅``, or what is wrong with a hint, or — while the answer is still ``None`` — a
friendly "not answered yet" (so running the whole notebook, headless, passes).  Feedback comes
in the lesson's language (:mod:`utils.i18n`): ``check_parameters(..., language="zh")`` gives Chinese.

Every lesson has three kinds of exercise: **predict** a number or shape before running code,
write a few lines of **code**, and **explain** an observation (a multiple choice, or a short
number that only the right explanation gives).  Checkers live in one module per lesson
(``utils/exercises/lesson03.py`` …), registered with :func:`exercise`; a checker returns
``None`` for a right answer, else one sentence — written in both languages with
:func:`utils.i18n.tr` — saying what is wrong.  The feedback around it (``✅ Exercise 03.1: correct!``,
"not answered yet") is in the course's table of messages, :mod:`utils.messages`.  Worked solutions live in ``solutions/``, and
the test suite runs them, and typical wrong answers, through every checker.
"""
from __future__ import annotations

import importlib
import importlib.util
import math
import numbers
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..i18n import in_language
from ..messages import listing, msg

#: A checker returns ``None`` when the answer is right, else a sentence saying what is wrong.
Checker = Callable[[Any], "str | None"]
KINDS = ("predict", "code", "explain")


@dataclass(frozen=True)
class Exercise:
    """One registered exercise: id (``"03.1"``), kind, task and hint in (English, Chinese), checker."""

    id: str
    kind: str
    task: tuple[str, str]
    hint: tuple[str, str]
    checker: Checker


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


def one_number(answer: Any) -> tuple[float | None, str | None]:
    """For checkers: ``(value, None)`` if ``answer`` is one real number (:func:`real_number`), else
    ``(None, feedback)`` saying so, in the learner's language."""
    value = real_number(answer)
    if value is not None:
        return value, None
    return None, msg("exercises.one_number", answer=answer)


def whole_number(answer: Any) -> int | None:
    """For checkers: ``answer`` as an ``int`` if it is a whole number (int, integral float,
    one-element tensor), else ``None``."""
    value = real_number(answer)
    if value is None or not math.isfinite(value) or not value.is_integer():
        return None
    return int(value)


def error_line(err: Exception) -> str:
    """For checkers: ``"TypeError: <first line of its message>"``, to say what a learner's code raised."""
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0] if text else ''}"


def close(a: float, b: float, tol: float = 1e-4) -> bool:
    """For checkers: whether two numbers agree to ``tol``."""
    return abs(a - b) < tol


def to_decimals(value: float, exact: float, decimals: int) -> bool:
    """For checkers: whether ``value`` is ``exact`` correct to ``decimals`` decimal places, i.e. what
    a learner writes when told "two decimals" (1.33 or 1.3333 for 4/3; not 1.3 or 1.34)."""
    return abs(value - exact) <= 0.5 * 10 ** -decimals + 1e-9


def torch_calls(fn: Callable, *args: Any) -> tuple[Any, set[str]]:
    """For checkers of code a learner wrote: run ``fn(*args)`` and return its result and the names of
    the PyTorch functions it called (``torch.relu``, ``F.relu``, ``x.relu()`` and ``nn.ReLU`` all give
    ``"relu"``; ``F.cross_entropy`` and ``nn.CrossEntropyLoss`` give ``"cross_entropy"``), seen through
    PyTorch's ``__torch_function__`` mechanism.  A task that forbids a shortcut rejects its name."""
    from torch.overrides import TorchFunctionMode

    called: set[str] = set()

    class _Spy(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            called.add(getattr(func, "__name__", repr(func)))
            return func(*args, **(kwargs or {}))

    with _Spy():
        result = fn(*args)
    return result, called


def choice(answer: Any, right: str, wrong: Mapping[str, str], options: str = "abcd") -> str | None:
    """For multiple-choice checkers: ``None`` if ``answer`` is the letter ``right``.

    Args:
        answer: what the learner gave, e.g. ``"b"`` (case, spaces, brackets and a closing period do not matter:
            ``"(B)"``, ``"b."``).
        right: the right letter.
        wrong: for each wrong letter, why it is wrong (already passed through :func:`tr`).
        options: the letters on offer.
    """
    letter = answer.strip().lower().strip("().。（） ") if isinstance(answer, str) else None
    if letter is None or len(letter) != 1 or letter not in options:
        return msg("exercises.one_letter", options=listing(options))
    if letter == right:
        return None
    return wrong.get(letter) or msg("exercises.not_it", letter=letter)


def exercise(id: str, kind: str, task: tuple[str, str], hint: tuple[str, str]) -> Callable[[Checker], Checker]:
    """Decorator: register ``checker`` as the check of exercise ``id``.

    Args:
        id: ``"NN.k"``: lesson NN, exercise k.
        kind: ``"predict"``, ``"code"`` or ``"explain"``.
        task: the task in one line, ``(English, 中文)``.
        hint: the hint shown with a wrong answer, ``(English, 中文)``.
    """
    if kind not in KINDS:
        raise ValueError(f"exercise {id}: kind must be one of {KINDS} (got {kind!r})")
    if not (isinstance(task, tuple) and isinstance(hint, tuple) and len(task) == len(hint) == 2):
        raise ValueError(f"exercise {id}: task and hint are (English, 中文) pairs")

    def register(checker: Checker) -> Checker:
        if id in _REGISTRY:
            raise ValueError(f"exercise {id} is registered twice")
        _REGISTRY[id] = Exercise(id, kind, task, hint, checker)
        return checker

    return register


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def exercises() -> dict[str, Exercise]:
    """Every registered exercise, by id (all lesson modules are imported)."""
    _load_all()
    return dict(sorted(_REGISTRY.items()))


def _lookup(id: str) -> Exercise:
    """The exercise ``id``, importing only its own lesson's module (``"03.1"`` → ``lesson03``)."""
    if id not in _REGISTRY:
        lesson = id.split(".")[0]
        if lesson.isdigit() and importlib.util.find_spec(f"{__name__}.lesson{lesson}") is not None:
            importlib.import_module(f"{__name__}.lesson{lesson}")
    if id not in _REGISTRY:
        raise KeyError(f"no exercise {id!r}; known: {', '.join(exercises())}")
    return _REGISTRY[id]


def verdict(id: str, answer: Any) -> tuple[bool | None, str]:
    """``(True, "")`` if right, ``(False, what is wrong)``, or ``(None, ...)`` if not answered yet."""
    exercise_ = _lookup(id)
    if answer is None or answer is Ellipsis:
        return None, msg("exercises.not_answered")
    try:
        problem = exercise_.checker(answer)
    except Exception as err:  # a wrong answer may break the checker's own computation
        problem = msg("exercises.unchecked", error=type(err).__name__, detail=err)
    return (problem is None), (problem or "")


def check(id: str, answer: Any) -> None:
    """Print whether ``answer`` solves exercise ``id`` (use :func:`verdict` to get it as a value)."""
    ok, problem = verdict(id, answer)
    ex = _REGISTRY[id]
    task, hint = in_language(ex.task), in_language(ex.hint)
    if ok is None:
        print(msg("exercises.prompt", id=id, task=task))
    elif ok:
        print(msg("exercises.correct", id=id))
    else:
        print(msg("exercises.wrong", id=id, problem=problem, hint=hint))


__all__ = ["KINDS", "Exercise", "check", "choice", "close", "error_line", "exercise", "exercises", "one_number", "real_number", "verdict", "whole_number"]
