"""``python -m tools <command>``: the course's commands without make (Windows, Anaconda, any shell).

Each command does what the make target of the same name does, in the environment that is
active (a conda env, or ``.venv``); ``make`` only adds building ``.venv`` first.

Every command speaks the language of the system (a Chinese ``LANG``/``LC_ALL``/``LC_MESSAGES``, or
Windows' display language, gives Chinese; ``COURSE_LANGUAGE=zh`` or ``en`` overrides it), and ends
on Ctrl-C, SIGTERM or SIGHUP with one line and status 128 + the signal's number (:mod:`utils.cli`).
"""
from __future__ import annotations

if __name__ == "__main__":  # before any command's imports (torch takes seconds): Ctrl-C now is one line too
    from utils.cli import quiet_interrupts

    quiet_interrupts("python -m tools", "cli.nothing_half_written")

import importlib
import subprocess
import sys

from utils.paths import REPO_ROOT

#: command → module with a ``main(argv)`` (its first arguments after a space), or pytest; the line of help is the
#: message ``tools.about_<command>`` of utils/messages.py (in the user's language).
COMMANDS: dict[str, str] = {
    "lab": "tools.lab",
    "kernel": "tools.kernel",
    "tensorboard": "tools.tensorboard",
    "test": "pytest",
    "check": "pytest-check",
    "data": "tools.data",
    "report": "tools.report",
    "slides": "tools.slides",
    "outputs": "tools.outputs",
    "bench": "tools.bench",
    "translations": "tools.translations",
    "check-translations": "tools.translations check",
}
#: The unit tests, without notebook execution (``make check``).
CHECK_PATHS = ["tests/utils", "tests/tools", "tests/scripts"]


def about(name: str) -> str:
    """The line of help of command ``name``, in the user's language."""
    from utils.messages import msg

    return msg(f"tools.about_{name.replace('-', '_')}")


def usage() -> str:
    from utils.messages import msg

    width = max(map(len, COMMANDS))
    lines = [f"  python -m tools {name:<{width}}  {about(name)}" for name in COMMANDS]
    return msg("tools.usage") + "\n" + "\n".join(lines)


def run(command: str, argv: list[str]) -> int:
    """Run one command with its arguments; return its exit status."""
    target = COMMANDS[command]
    if target in ("pytest", "pytest-check"):
        paths = [p for p in CHECK_PATHS if (REPO_ROOT / p).is_dir()] if target == "pytest-check" else []
        extra = ["-m", "not notebook"] if target == "pytest-check" else []
        return subprocess.call([sys.executable, "-m", "pytest", *paths, *extra, *argv], cwd=REPO_ROOT)
    module, *first = target.split()
    return importlib.import_module(module).main([*first, *argv]) or 0


def main(argv: list[str] | None = None) -> int:
    from utils.cli import command as speaking, exit_status, interrupted_line
    from utils.messages import msg

    argv = sys.argv[1:] if argv is None else argv
    with speaking():  # the system's language; SIGTERM and SIGHUP raise as Ctrl-C does
        if not argv or argv[0] in ("-h", "--help", "help"):
            print(usage())
            return 0
        command, rest = argv[0], argv[1:]
        if command not in COMMANDS:
            print(msg("cli.unknown_command", name=command) + f"\n\n{usage()}", file=sys.stderr)
            return 2
        try:
            return run(command, rest)
        except KeyboardInterrupt as err:  # a command that does not handle it itself: one line, no traceback
            print(interrupted_line(f"python -m tools {command}", err, msg("cli.nothing_half_written")), file=sys.stderr)
            return exit_status(err)


if __name__ == "__main__":
    sys.exit(main())
