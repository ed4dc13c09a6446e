"""The language of the course's own messages: English, or Chinese for the 中文版.

A lesson's set-up cell says which: ``check_parameters(..., language="zh")`` in ``notebooks/zh/``,
``language="en"`` in ``notebooks/``.  From then on everything the course prints or raises — the
device and data lines, ``fit``'s epoch lines, exercise feedback, and the parameter, device and data
errors — comes in that language.  An error keeps its class name (``DataError: …``), so a learner can
still search for it.

The messages themselves are one table, :data:`utils.messages.MESSAGES`, with both languages side by
side; code prints ``msg(key, **fields)`` (:func:`utils.messages.msg`).  Only each exercise's own
text — its task, hint and feedback, in ``utils/exercises/lessonNN.py`` — is written in both
languages where it is used, with :func:`tr`::

    return tr(f"the output has {n} channels, not {answer}.", f"输出有 {n} 个通道，不是 {answer}。")
"""
from __future__ import annotations

from . import messages
from .messages import LANGUAGES, language
from .params import check_choice

#: English lines of the lessons' own code (translated in translations/zh/, not in the table), and the data line,
#: whose generic template is too short for a pattern of its own: found by english_messages() too.
LESSON_LINES = (r"TensorBoard run folder:", r"\bDevice: ", r"\bSeed: ", r"\bData: ")


def set_language(language: str) -> str:
    """Make ``language`` (``"en"`` or ``"zh"``) the language of the course's messages; return it."""
    messages._current[0] = check_choice("language", language, LANGUAGES)  # the language msg() speaks
    return messages._current[0]


def english_messages() -> list[str]:
    """Regular expressions of the course's English messages: every distinctive English template of
    :data:`utils.messages.MESSAGES` (:func:`utils.messages.pattern`), and :data:`LESSON_LINES`.

    ``python -m tools translations check`` looks for them in the Chinese edition's stored outputs: one found
    there means the output was made before the message was translated (re-run the notebook).
    """
    return list(LESSON_LINES) + [p.pattern for p in messages.patterns("en").values()]


def tr(en: str, zh: str) -> str:
    """``en`` or ``zh``, whichever is the current language (for an exercise's own text; the course's
    messages are in :data:`utils.messages.MESSAGES`)."""
    return zh if language() == "zh" else en


def in_language(pair: tuple[str, str]) -> str:
    """The text of an ``(English, Chinese)`` pair in the current language."""
    return pair[1] if language() == "zh" else pair[0]


__all__ = ["LANGUAGES", "LESSON_LINES", "english_messages", "in_language", "language", "set_language", "tr"]
