"""Course errors: one clear line that says what to do.

Every error the course raises on bad input (a wrong notebook parameter, a missing data
folder, a GPU asked for where there is none, a bad command-line option) derives from
:class:`CourseError`.  In a notebook, IPython shows such an error as a single line
(``DeviceError: ...``) instead of a long traceback, because
:meth:`CourseError._render_traceback_` says so; papermill puts that same line into its
``PapermillExecutionError``; the command-line tools print it and exit with status 2.
"""
from __future__ import annotations


class CourseError(Exception):
    """Base class of the course's own errors; rendered as one line in Jupyter."""

    def _render_traceback_(self) -> list[str]:  # IPython hook, see module docstring
        return [f"{type(self).__name__}: {self}"]


class DeviceError(CourseError, ValueError):
    """A ``device`` parameter that cannot be honoured on this machine."""


class DataError(CourseError, ValueError):
    """A data source or data folder that cannot be used (nothing on disk is changed)."""


class ParameterError(CourseError, ValueError):
    """A notebook parameter (or command-line option) of the wrong type or out of range."""
