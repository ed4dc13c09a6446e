"""Checks for a lesson's parameters: the right type and range, or one line that says what to do.

A lesson's parameters cell can be edited by hand or overridden by papermill (``-p epochs 3``),
so every value is checked in the set-up cell right after it.  Each check returns the value
(converted where that is safe: papermill may hand over ``3.0`` for ``3``) or raises
:class:`~utils.errors.ParameterError` naming the parameter::

    epochs = check_int("epochs", epochs, minimum=1, maximum=100)
    progress = check_bool("progress", progress)
"""
from __future__ import annotations

import argparse
import math
import numbers
import re
from typing import Any, Iterable

from .errors import ParameterError
from .messages import language, listing, msg


def _fail(name: str, rule: str, value: Any) -> ParameterError:
    return ParameterError(msg("params.wrong", name=name, rule=rule, value=value))


def _number(value: float) -> str:
    """A bound as a learner types it: whole numbers in full (2**64 - 1, not 1.84467e+19), others short."""
    return str(value) if isinstance(value, int) else f"{value:g}"


def _range(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return msg("params.from_to", low=_number(minimum), high=_number(maximum))
    if minimum is not None:
        return msg("params.at_least", low=_number(minimum))
    if maximum is not None:
        return msg("params.at_most", high=_number(maximum))
    return ""


def whole_number_rule(minimum: int | None = None, maximum: int | None = None) -> str:
    """The rule a whole-number value breaks, as a message says it: ``a whole number from 1 to 200``."""
    return msg("params.whole_number", range=_range(minimum, maximum))


def check_int(name: str, value: Any, minimum: int | None = 1, maximum: int | None = None) -> int:
    """``value`` as an ``int`` if it is a whole number in ``[minimum, maximum]``.

    ``3``, ``3.0`` and ``"3"`` are accepted as 3; ``True``, ``2.5`` and ``"big"`` are not.
    """
    rule = msg("params.whole_number", range=_range(minimum, maximum))
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or int(value) != value:
        raise _fail(name, rule, value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise _fail(name, rule, value)
    return int(value)


def check_int_or_auto(name: str, value: Any, minimum: int | None = 1, maximum: int | None = None) -> int | str:
    """``"auto"``, or ``value`` as :func:`check_int` takes it; the error says that ``'auto'`` is allowed too.

    Only ``"auto"`` itself (the lesson compares with it): ``"Auto"`` is refused, with the spelling to use.
    """
    if value == "auto":
        return value
    try:
        return check_int(name, value, minimum, maximum)
    except ParameterError:
        rule = msg("params.or_auto", rule=whole_number_rule(minimum, maximum))
        raise _fail(name, rule, value) from None


def check_float(name: str, value: Any, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a ``float`` if it is a finite number in ``[minimum, maximum]``."""
    rule = msg("params.number", range=_range(minimum, maximum))
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise _fail(name, rule, value) from None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise _fail(name, rule, value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise _fail(name, rule, value)
    return float(value)


def check_bool(name: str, value: Any) -> bool:
    """``value`` if it is ``True`` or ``False`` (not ``"yes"``, not ``1``)."""
    if not isinstance(value, bool):
        raise _fail(name, msg("params.bool"), value)
    return value


def check_str(name: str, value: Any, example: str) -> str:
    """``value`` if it is a non-empty string; ``example`` shows a valid one in the message."""
    if not isinstance(value, str) or not value.strip():
        raise _fail(name, msg("params.text", example=example), value)
    return value.strip()


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices``."""
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        raise _fail(name, msg("params.choice", choices=listing(choices)), value)
    return value


#: argparse's own error texts (Python 3.10-3.13) → the course message (``cli.<name>``) that says them in Chinese.
_ARGPARSE = [
    (re.compile(r"argument (?P<name>\S+?): (?P<problem>.*)"), "argument"),
    (re.compile(r"unrecognized arguments: (?P<arguments>.*)"), "unrecognized"),
    (re.compile(r"the following arguments are required: (?P<arguments>.*)"), "required"),
    (re.compile(r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)"), "invalid_choice"),
    (re.compile(r"expected one argument"), "expected_one"),
    (re.compile(r"invalid (?P<kind>\S+) value: (?P<value>.*)"), "invalid_value"),
]


def argparse_message(text: str) -> str:
    """An argparse error message in the course's language: as argparse says it in English, in Chinese from the
    table (``argument --epochs: …`` → ``参数 --epochs：…``); one it does not know stays as it is."""
    if language() == "en":
        return text
    for regex, key in _ARGPARSE:
        found = regex.fullmatch(text)
        if found:
            parts = found.groupdict()
            if "problem" in parts:
                parts["problem"] = argparse_message(parts["problem"])
            return msg(f"cli.{key}", **parts)
    return text


def whole_number_arg(minimum: int, maximum: int | None = None):
    """An argparse ``type``: a whole number >= ``minimum`` (and <= ``maximum``, if given); else argparse's one line,
    ``argument --repeats: must be a whole number >= 1 (got '0')``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(msg("cli.must_be", rule=whole_number_rule(minimum, maximum), value=text))
        return value
    return parse


class OneLineParser(argparse.ArgumentParser):
    """``argparse`` for the course's commands: a bad argument gives one line (``prog: error: ...``) and exit 2,
    in the course's language (:func:`argparse_message`)."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: error: {argparse_message(' '.join(message.split()))}\n")


__all__ = ["OneLineParser", "check_bool", "check_choice", "check_float", "check_int", "check_int_or_auto", "check_str",
           "whole_number_arg", "whole_number_rule"]
