"""Course errors: one clear line that says what to do.

Every error the course raises on bad input (a wrong notebook parameter, a missing data
folder, CUDA asked for where there is none) derives from :class:`CourseError`.  In a
notebook, IPython shows such an error as a single line (``DeviceError: ...``) instead of
a long traceback, because :meth:`CourseError._render_traceback_` says so; papermill puts
that same line into its ``PapermillExecutionError``.
"""
from __future__ import annotations

import numbers


class CourseError(Exception):
    """Base class of the course's own errors; rendered as one line in Jupyter."""

    def _render_traceback_(self) -> list[str]:  # IPython hook, see module docstring
        return [f"{type(self).__name__}: {self}"]


class DeviceError(CourseError, ValueError):
    """A ``device`` parameter that cannot be honoured on this machine."""


class DataError(CourseError, ValueError):
    """A data source or data folder that cannot be used (nothing on disk is changed)."""


class ParameterError(CourseError, ValueError):
    """A notebook parameter of the wrong type or out of range."""


def check_int(name: str, value: object, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` if it is a whole number ``>= minimum``.

    Args:
        name: the parameter's name, used in the message.
        value: what the user passed (papermill may hand over ``3.0`` or ``"3"``).
        minimum: the smallest allowed value.

    Raises:
        ParameterError: for anything else, e.g. ``epochs=-1`` or ``batch_size="big"``.
    """
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or int(value) != value:
        raise ParameterError(f"{name} must be a whole number >= {minimum} (got {value!r}); fix the parameters cell or the -p option.")
    if value < minimum:
        raise ParameterError(f"{name} must be >= {minimum} (got {value!r}); fix the parameters cell or the -p option.")
    return int(value)
