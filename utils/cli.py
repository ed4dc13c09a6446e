"""What every course command does first: speak the user's language, stop cleanly, never fail on printing.

The commands (``python -m tools <command>``, ``scripts/train.py``, ``scripts/test.py``) run their work
inside :func:`command`:

- the course's messages come in the language of the user's system (:func:`utils.i18n.system_language`:
  the environment variable ``COURSE_LANGUAGE=zh``/``en`` if set, else a Chinese ``LC_ALL``,
  ``LC_MESSAGES`` or ``LANG``, else on Windows the display language);
- SIGTERM and SIGHUP (``kill``, a closed terminal, a cluster's time limit) end the command as Ctrl-C
  does (unless they are ignored, as ``nohup`` ignores SIGHUP: then they stay ignored): they raise :class:`Interrupted`, a :class:`KeyboardInterrupt`, so the same clean-up runs (a
  temporary folder, a ``.part`` download, a run's own files are removed) and the command prints one
  line; :func:`exit_status` is ``128 + the signal's number`` (130 for Ctrl-C, 143 for SIGTERM).
  Windows has no SIGHUP: only the signals this platform has are handled;
- a character the terminal cannot show (``PYTHONIOENCODING=ascii``, a cp1252 console and a Chinese
  class name) is printed as ``\\u732b`` instead of ending the command with a ``UnicodeEncodeError``.

A script's own imports (torch takes seconds to load) come before its ``main``: :func:`quiet_interrupts`,
called first thing under ``if __name__ == "__main__":``, makes an interrupt during those seconds one
line too, not a traceback.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Iterator

from .i18n import language, set_language, system_language
from .messages import msg

#: The signals that end a command like Ctrl-C, where this platform has them (Windows has no SIGHUP).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """A stop signal (SIGTERM, SIGHUP), raised as Ctrl-C's :class:`KeyboardInterrupt` is, so the same clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum: int, frame) -> None:
    raise Interrupted(signum)


#: Interrupts raised while a script was still importing (see :func:`quiet_interrupts`); :func:`command` raises the
#: one that some library's ``except:`` swallowed.
_IMPORT_INTERRUPTS: list[KeyboardInterrupt] = []


def _raise_recorded(signum: int, frame) -> None:
    err = _interrupt(signum)
    _IMPORT_INTERRUPTS.append(err)
    raise err


def signal_name(err: BaseException) -> str:
    """How an interrupt is named in a message: ``Ctrl-C``, ``SIGTERM``, ``SIGHUP``."""
    signum = getattr(err, "signum", None)
    if signum is None:
        return "Ctrl-C"
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def exit_status(err: BaseException) -> int:
    """The exit status of a command stopped by ``err``: 128 + the signal's number (Ctrl-C: 130)."""
    return 128 + int(getattr(err, "signum", None) or signal.SIGINT)


def safe_output() -> None:
    """Make stdout and stderr write what their encoding cannot hold as ``\\uXXXX`` instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, AttributeError):
                reconfigure(errors="backslashreplace")


def _install(handler, signals=STOP_SIGNALS) -> dict[int, object]:
    """Give ``signals`` the ``handler``; return the handlers they had (only the main thread can).

    A signal that is ignored stays ignored: ``nohup python scripts/train.py …`` (SIGHUP ignored) keeps running
    when the terminal closes, as the README promises.
    """
    previous: dict[int, object] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    for signum in signals:
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signum) == signal.SIG_IGN:
                continue
            previous[signum] = signal.signal(signum, handler)
    return previous


def _restore(previous: dict[int, object]) -> None:
    """Put back the handlers :func:`_install` replaced."""
    for signum, handler in previous.items():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signum, handler)


def _install_stop_signals() -> dict[int, object]:
    """Make the stop signals raise :class:`Interrupted`; return the handlers they had."""
    return _install(_raise_interrupted)


@contextlib.contextmanager
def command() -> Iterator[str]:
    """The body of a command: the user's language, stop signals raising :class:`Interrupted`, safe printing.

    Yields the language chosen (``"en"`` or ``"zh"``).  The signal handlers and the language are put
    back afterwards (a test may call a command's ``main`` in its own process).
    """
    if _IMPORT_INTERRUPTS:  # Ctrl-C during the imports, swallowed by a library: the command stops now
        raise _IMPORT_INTERRUPTS.pop()
    before = language()
    chosen = set_language(system_language())
    previous = _install_stop_signals()
    if signal.getsignal(signal.SIGINT) is _raise_recorded:  # the imports are over: Ctrl-C is plain Ctrl-C again
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    safe_output()
    try:
        yield chosen
    finally:
        _restore(previous)
        set_language(before)


def quiet_interrupts(prog: str, outcome_key: str = "cli.nothing_done") -> None:
    """Before a script's slow imports: an interrupt (Ctrl-C, SIGTERM, SIGHUP) that reaches the top prints
    ``<prog>: interrupted (…); <outcome>`` and exits 128 + the signal's number, with no traceback.

    For the ``__main__`` of a command only: it sets :data:`sys.excepthook` and the stop signals' handlers
    for the rest of the process.
    """
    _install(_raise_recorded, (signal.SIGINT, *STOP_SIGNALS))  # recorded, in case an import swallows them
    safe_output()
    default = sys.excepthook

    def hook(kind, value, traceback) -> None:
        interrupt = interrupt_in(value) if value is not None else None
        if interrupt is None:
            default(kind, value, traceback)
            return
        set_language(system_language())
        print(interrupted_line(prog, interrupt, msg(outcome_key)), file=sys.stderr)
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(exit_status(interrupt))

    sys.excepthook = hook


class DeferredInterrupts:
    """While a command is inside library code that an exception must not cut in two (a training loop that writes
    TensorBoard events from a thread, imports modules, builds classes): a stop signal (Ctrl-C, SIGTERM, SIGHUP) is
    remembered, and :meth:`check`, called at a safe point (after a training step), raises it.

    Raised at an arbitrary moment, the interrupt could land inside TensorBoard's queue and leave its writer thread
    waiting (``SummaryWriter.close()`` then hung for up to two minutes), or inside a class being built during an
    import, where Python 3.11 turns it into a ``RuntimeError`` traceback.  A second signal before the check raises at
    once (press Ctrl-C twice to stop without waiting).  Use it as a context manager (main thread only; elsewhere,
    and for signals that are ignored, as ``nohup`` ignores SIGHUP, nothing changes); a signal still pending at the
    end of the block is raised there.
    """

    def __init__(self) -> None:
        self.pending: int | None = None
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, frame) -> None:
        if self.pending is not None:  # the second signal: no more waiting
            self.pending = None
            raise _interrupt(signum)
        self.pending = signum

    def check(self) -> None:
        """Raise the stop signal that came since the last check (:class:`KeyboardInterrupt` for Ctrl-C)."""
        if self.pending is not None:
            signum, self.pending = self.pending, None
            raise _interrupt(signum)

    def __enter__(self) -> "DeferredInterrupts":
        self._previous = _install(self._handle, (signal.SIGINT, *STOP_SIGNALS))
        return self

    def __exit__(self, kind, value, traceback) -> None:
        _restore(self._previous)
        self._previous = {}
        if kind is None:
            self.check()


def _interrupt(signum: int) -> KeyboardInterrupt:
    return KeyboardInterrupt() if signum == signal.SIGINT else Interrupted(signum)


def interrupt_in(err: BaseException) -> KeyboardInterrupt | None:
    """The interrupt behind ``err``, if any: Python 3.11 turns a Ctrl-C that lands inside a class being built
    (``__set_name__``, during an import) into ``RuntimeError``, with the :class:`KeyboardInterrupt` as its cause."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return err
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return None


def interrupted_line(prog: str, err: BaseException, outcome: str) -> str:
    """The one line a command prints when it is stopped: ``train.py: interrupted (SIGTERM); no checkpoint was saved``."""
    return msg("cli.interrupted", prog=prog, signal=signal_name(err), outcome=outcome)


__all__ = ["DeferredInterrupts", "Interrupted", "STOP_SIGNALS", "command", "exit_status", "interrupt_in",
           "interrupted_line", "quiet_interrupts", "safe_output", "signal_name"]
