"""``python -m tools <command>``: the course's commands without make (Windows, Anaconda, any shell).

Each command does what the make target of the same name does, in the environment that is
active (a conda env, or ``.venv``); ``make`` only adds building ``.venv`` first.
"""
from __future__ import annotations

import importlib
import subprocess
import sys

from utils.paths import REPO_ROOT

#: command → (module with a ``main(argv)`` (its first arguments after a space), or pytest; one line of help)
COMMANDS: dict[str, tuple[str, str]] = {
    "lab": ("tools.lab", "open the course in JupyterLab"),
    "test": ("pytest", "run the whole test suite (every notebook included): what CI runs"),
    "check": ("pytest-check", "the quick checks: unit tests of utils, tools and scripts, no notebook runs"),
    "data": ("tools.data", "download the full CIFAR-10 into data/ (--archive PATH: install a downloaded archive)"),
    "report": ("tools.report", "run the lessons headless with papermill into reports/<time>/"),
    "slides": ("tools.slides", "build offline reveal.js slide decks of the lessons into slides/"),
    "outputs": ("tools.outputs", "re-execute notebooks and store their outputs (CPU)"),
    "bench": ("tools.bench", "training-loop speed next to the compute bound, for both models"),
    "translations": ("tools.translations", "write the Chinese edition notebooks/zh/ from translations/zh/ (also: stub, mark)"),
    "check-translations": ("tools.translations check", "fail if a translation is stale, missing or inconsistent"),
}
#: The unit tests, without notebook execution (``make check``).
CHECK_PATHS = ["tests/utils", "tests/tools", "tests/scripts"]


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"  python -m tools {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()]
    return "usage: python -m tools <command> [options]\n\ncommands (each is also `make <command>`):\n" + "\n".join(lines)


def run(command: str, argv: list[str]) -> int:
    """Run one command with its arguments; return its exit status."""
    target, _ = COMMANDS[command]
    if target in ("pytest", "pytest-check"):
        paths = [p for p in CHECK_PATHS if (REPO_ROOT / p).is_dir()] if target == "pytest-check" else []
        extra = ["-m", "not notebook"] if target == "pytest-check" else []
        return subprocess.call([sys.executable, "-m", "pytest", *paths, *extra, *argv], cwd=REPO_ROOT)
    module, *first = target.split()
    return importlib.import_module(module).main([*first, *argv]) or 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"error: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    return run(command, rest)


if __name__ == "__main__":
    sys.exit(main())
