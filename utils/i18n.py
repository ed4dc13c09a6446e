"""The language of the course's own messages: English, or Chinese for the 中文版.

A lesson's set-up cell says which: ``check_parameters(..., language="zh")`` in ``notebooks/zh/``,
``language="en"`` in ``notebooks/``.  From then on everything the course prints or raises — the
device and data lines, ``fit``'s epoch lines, exercise feedback, and the parameter, device and data
errors — comes in that language.  An error keeps its class name (``DataError: …``), so a learner can
still search for it.

The commands (``python -m tools …``, ``scripts/``) have no set-up cell: they speak the language of the
user's system, :func:`system_language` (``COURSE_LANGUAGE=zh`` or ``en`` overrides it).

The messages themselves are one table, :data:`utils.messages.MESSAGES`, with both languages side by
side; code prints ``msg(key, **fields)`` (:func:`utils.messages.msg`).  Only each exercise's own
text — its task, hint and feedback, in ``utils/exercises/lessonNN.py`` — is written in both
languages where it is used, with :func:`tr`::

    return tr(f"the output has {n} channels, not {answer}.", f"输出有 {n} 个通道，不是 {answer}。")
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Mapping

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


#: The environment variable that picks the commands' language whatever the system's: ``zh`` or ``en``.
LANGUAGE_ENV = "COURSE_LANGUAGE"
#: The locale variables that name the language of messages, the first one set wins (as in POSIX).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
#: Windows' primary language id of Chinese (the low 10 bits of a LANGID: 0x0804 zh-CN, 0x0404 zh-TW, ...).
_WINDOWS_CHINESE = 0x04


def _windows_ui_language() -> int | None:
    """Windows' display language (a LANGID such as 0x0804), or ``None`` where it cannot be asked."""
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError, ValueError):
        return None


def system_language(environ: Mapping[str, str] | None = None,
                    windows_ui: Callable[[], int | None] | None = None) -> str:
    """The language the course's commands speak on this system: ``"zh"`` or ``"en"``.

    1. ``COURSE_LANGUAGE`` (``zh`` or ``en``), if set: the override, whatever the system says;
    2. else the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set: Chinese if it starts with
       ``zh`` (``zh_CN.UTF-8``, ``zh_TW``), else English (``en_US.UTF-8``, ``C``);
    3. else, on Windows, the display language (Settings → Time & language), which a Chinese Windows
       has although it sets no ``LANG``;
    4. else English.

    ``environ`` and ``windows_ui`` stand in for ``os.environ`` and Windows' answer in tests.
    """
    environ = os.environ if environ is None else environ
    override = (environ.get(LANGUAGE_ENV) or "").strip().lower()
    if override:
        return "zh" if override.startswith("zh") else "en"
    for name in LOCALE_VARIABLES:
        value = (environ.get(name) or "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if sys.platform == "win32" or windows_ui is not None:
        langid = (windows_ui or _windows_ui_language)()
        if langid is not None and langid & 0x3FF == _WINDOWS_CHINESE:
            return "zh"
    return "en"


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


__all__ = ["LANGUAGES", "LANGUAGE_ENV", "LESSON_LINES", "english_messages", "in_language", "language", "set_language",
           "system_language", "tr"]
