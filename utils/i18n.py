"""The language of the course's own messages: English, or Chinese for the 中文版.

A lesson's set-up cell says which: ``check_parameters(..., language="zh")`` in ``notebooks/zh/``,
``language="en"`` in ``notebooks/``.  From then on the lines the course prints — device, data,
exercise feedback — come in that language.  Errors stay in English, as PyTorch's own do, so
that a learner can search for them.

In code, a message is written in both languages at once and :func:`tr` picks one::

    print(tr("Seed: 0", "随机种子：0"))
"""
from __future__ import annotations

from .params import check_choice

LANGUAGES = ("en", "zh")
_current = ["en"]


def set_language(language: str) -> str:
    """Make ``language`` (``"en"`` or ``"zh"``) the language of the course's messages; return it."""
    _current[0] = check_choice("language", language, LANGUAGES)
    return _current[0]


def language() -> str:
    """The language of the course's messages now: ``"en"`` or ``"zh"``."""
    return _current[0]


def english_messages() -> list[str]:
    """Regular expressions of the course's English messages that have a Chinese version.

    ``python -m tools translations check`` looks for them in the Chinese edition's stored outputs: one found
    there means the output was made before the message was translated (re-run the notebook).
    """
    return [r"TensorBoard run folder:", r"\bDevice: ", r"\bSeed: ", r"\bData: ", r"\bGPU: ",
            r"\bepoch +\d+: train loss"]


def tr(en: str, zh: str) -> str:
    """``en`` or ``zh``, whichever is the current language."""
    return zh if _current[0] == "zh" else en


__all__ = ["LANGUAGES", "english_messages", "language", "set_language", "tr"]
