"""utils.cli and utils.i18n.system_language: what every command does first (issue 29, item 3; issue 28, item 3)."""
from __future__ import annotations

import io
import os
import signal
import sys

import pytest

from utils import cli
from utils.i18n import language, system_language


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.Big5"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),     # LC_MESSAGES before LANG
    ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),   # LC_ALL before both
    ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),                     # an empty variable is not set
    ({"COURSE_LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),          # the override wins
    ({"COURSE_LANGUAGE": "zh", "LC_ALL": "C"}, "zh"),
    ({}, "en"),
])
def test_the_language_comes_from_the_locale_or_the_override(environ, expected):
    assert system_language(environ, windows_ui=lambda: None) == expected


@pytest.mark.parametrize("langid, expected", [(0x0804, "zh"), (0x0404, "zh"), (0x0C04, "zh"), (0x0409, "en"),
                                              (None, "en")])
def test_windows_without_lang_takes_the_display_language(langid, expected):
    """A Chinese Windows sets no LANG; GetUserDefaultUILanguage says 0x0804 (zh-CN), 0x0404 (zh-TW), ..."""
    assert system_language({}, windows_ui=lambda: langid) == expected
    assert system_language({"LANG": "en_US.UTF-8"}, windows_ui=lambda: 0x0804) == "en", "a LANG that is set wins"


def test_windows_is_asked_only_on_windows(monkeypatch):
    asked = []
    monkeypatch.setattr("utils.i18n._windows_ui_language", lambda: asked.append(1) or 0x0804)
    monkeypatch.setattr(sys, "platform", "linux")
    assert system_language({}) == "en" and asked == []
    monkeypatch.setattr(sys, "platform", "win32")
    assert system_language({}) == "zh" and asked == [1]


def test_a_command_speaks_the_system_language_and_puts_everything_back(monkeypatch):
    monkeypatch.setenv("COURSE_LANGUAGE", "zh")
    before = {s: signal.getsignal(s) for s in cli.STOP_SIGNALS}
    with cli.command() as chosen:
        assert chosen == "zh" and language() == "zh"
        assert all(signal.getsignal(s) is not before[s] for s in cli.STOP_SIGNALS)
    assert language() == "en" and {s: signal.getsignal(s) for s in cli.STOP_SIGNALS} == before


@pytest.mark.skipif(os.name == "nt", reason="a real SIGTERM to this process (POSIX)")
@pytest.mark.parametrize("signame, status", [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_stop_signal_is_raised_as_an_interrupt(signame, status):
    """SIGTERM and SIGHUP (a kill, a closed terminal) end a command as Ctrl-C does, so its clean-up runs."""
    if not hasattr(signal, signame):
        pytest.skip(f"no {signame} here")
    cleaned = []
    with pytest.raises(KeyboardInterrupt) as caught:
        with cli.command():
            try:
                os.kill(os.getpid(), getattr(signal, signame))  # the handler runs before the next bytecode
                pytest.fail("the signal did not interrupt")
            finally:
                cleaned.append(True)
    assert isinstance(caught.value, cli.Interrupted) and cleaned == [True]
    assert cli.exit_status(caught.value) == status and cli.signal_name(caught.value) == signame
    assert cli.exit_status(KeyboardInterrupt()) == 130 and cli.signal_name(KeyboardInterrupt()) == "Ctrl-C"
    assert cli.interrupted_line("train.py", caught.value, "no checkpoint was saved") == \
        f"train.py: interrupted ({signame}); no checkpoint was saved"


def test_output_that_the_terminal_cannot_encode_is_escaped(monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    cli.safe_output()
    print("猫 cat")
    stream.flush()
    assert raw.getvalue() == b"\\u732b cat\n"


def test_windows_has_no_sighup_and_nothing_breaks(monkeypatch):
    """The handled signals are those the platform has: on Windows only SIGTERM."""
    assert all(hasattr(signal, s.name) for s in cli.STOP_SIGNALS)
    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    import importlib

    reloaded = importlib.reload(cli)
    try:
        assert [s.name for s in reloaded.STOP_SIGNALS] == ["SIGTERM"]
        with reloaded.command():
            pass
    finally:
        monkeypatch.undo()
        importlib.reload(cli)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP (Windows)")
def test_nohup_keeps_sighup_ignored():
    """`nohup python scripts/train.py …` ignores SIGHUP so the run outlives the terminal: a command keeps that."""
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with cli.command():
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


@pytest.mark.skipif(os.name == "nt", reason="real signals to this process (POSIX)")
@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_a_deferred_interrupt_waits_for_the_check_and_a_second_one_does_not(signame):
    """A stop signal during a training step is raised at the step's end (check), not inside the step: raised
    anywhere, it once landed in TensorBoard's queue and SummaryWriter.close() hung.  Pressed twice, it stops at once."""
    signum = getattr(signal, signame)
    before = signal.getsignal(signum)
    with cli.command():
        with pytest.raises(KeyboardInterrupt) as caught:
            with cli.DeferredInterrupts() as stop:
                os.kill(os.getpid(), signum)
                reached = True  # a plain handler would have raised before this line
                stop.check()
        assert reached and cli.signal_name(caught.value) == ("Ctrl-C" if signame == "SIGINT" else signame)
        with pytest.raises(KeyboardInterrupt):
            with cli.DeferredInterrupts():
                os.kill(os.getpid(), signum)
                os.kill(os.getpid(), signum)  # the second press raises here
                pytest.fail("the second signal did not interrupt")
        with pytest.raises(KeyboardInterrupt):
            with cli.DeferredInterrupts():
                os.kill(os.getpid(), signum)  # never checked: raised when the block ends
        with cli.DeferredInterrupts() as stop:  # no signal: nothing is raised
            stop.check()
        if signame == "SIGTERM":
            assert signal.getsignal(signum) is cli._raise_interrupted, "the command's own handler is back"
    assert signal.getsignal(signum) == before


def test_an_interrupt_turned_into_another_error_is_still_found():
    """Python 3.11 wraps a Ctrl-C that lands in a class's __set_name__ (during an import) in a RuntimeError."""
    class Field:
        def __set_name__(self, owner, name):
            raise KeyboardInterrupt

    with pytest.raises(BaseException) as caught:
        type("Built", (), {"field": Field()})
    if sys.version_info < (3, 12):
        assert isinstance(caught.value, RuntimeError)
    assert isinstance(cli.interrupt_in(caught.value), KeyboardInterrupt)
    assert cli.interrupt_in(ValueError("no interrupt here")) is None


@pytest.mark.skipif(os.name == "nt", reason="a real SIGINT to this process (POSIX)")
def test_a_ctrl_c_that_an_import_swallowed_stops_the_command(monkeypatch):
    """Ctrl-C while torch loads once went unnoticed (the run trained to the end): some library code caught the
    KeyboardInterrupt.  Recorded before the imports, it stops the command as soon as the command starts."""
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, *cli.STOP_SIGNALS)}
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    try:
        cli.quiet_interrupts("train.py")
        try:  # a library that swallows everything while it loads
            os.kill(os.getpid(), signal.SIGINT)
        except BaseException:
            pass
        with pytest.raises(KeyboardInterrupt):
            with cli.command():
                pytest.fail("the command ran although Ctrl-C was pressed")
        with cli.command():  # raised once, then forgotten; inside a command Ctrl-C is Python's own again
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        cli._IMPORT_INTERRUPTS.clear()
        for signum, handler in before.items():
            signal.signal(signum, handler)
