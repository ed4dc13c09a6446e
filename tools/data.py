"""Get the full CIFAR-10 (``make data`` = ``python -m tools data``).

    python -m tools data                                   # download it (about 163 MB)
    python -m tools data --archive ~/Downloads/cifar-10-python.tar.gz

Installs ``data/cifar-10-batches-py/``, which ``data_source="auto"`` then uses instead of the
shipped sample.  MD5-checked and atomic (see :mod:`utils.download`); a failure prints one line
saying what to do and leaves ``data/`` as it was: exit status 2 for an ``--archive`` that is not
CIFAR-10 (missing, a wrong MD5, broken or booby-trapped batches: bad input), 1 for a download that
failed or a full disk.  A bad option (a file as ``--root``,
a name too long, a read-only folder) is one line and exit status 2.  An installed folder that lacks a
file is not "already installed": it is replaced.  Ctrl-C, SIGTERM and SIGHUP end it with one line
and status 128 + the signal's number, removing the temporary folder and download (run through
``python -m tools``, which installs the handlers: :mod:`utils.cli`).  It speaks the system's language.
"""
from __future__ import annotations

import sys
from pathlib import Path

from utils import paths
from utils.data import CIFAR_DIR
from utils.download import (CIFAR10_MD5, CIFAR10_URL, check_root, download_cifar10, install_archive, installed,
                            missing_files)
from utils.cli import exit_status
from utils.errors import CourseError
from utils.messages import msg
from utils.params import OneLineParser


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m tools data", description=msg("help.data"))
    parser.add_argument("--archive", help=msg("help.data_archive"))
    parser.add_argument("--root", default="data", help=msg("help.data_root"))
    parser.add_argument("--url", default=CIFAR10_URL, help=msg("help.data_url"))
    parser.add_argument("--md5", default=CIFAR10_MD5, help=msg("help.data_md5"))
    parser.add_argument("--force", action="store_true", help=msg("help.data_force"))
    parser.add_argument("--no-progress", action="store_true", help=msg("help.data_no_progress"))
    args = parser.parse_args(argv)
    # paths typed on the command line are taken from the current folder; the default root is the repo's data/
    args.archive = args.archive and str(Path(args.archive).expanduser().resolve())
    args.root = str(Path(args.root).expanduser().resolve()) if args.root != "data" else "data"
    try:
        check_root(args.root)  # a file given as --root: a usage error, before anything is downloaded
    except CourseError as err:
        print(f"{parser.prog}: error: {err}", file=sys.stderr)
        return 2
    already = installed(args.root)
    if already and not args.force:
        print(msg("download.already_installed", path=paths.show(already)))
        return 0
    partial = paths.resolve(args.root) / CIFAR_DIR
    if partial.is_dir() and not args.force:
        missing = missing_files(partial)
        print(msg("download.reinstalling", path=paths.show(partial), missing=", ".join(missing)))
    try:
        if args.archive:
            folder = install_archive(args.archive, args.root, md5=args.md5, force=args.force)
        else:
            folder = download_cifar10(args.root, url=args.url, md5=args.md5, progress=not args.no_progress,
                                      force=args.force)
    except CourseError as err:
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        # an archive the learner gave that is not CIFAR-10 (missing, wrong MD5, broken or booby-trapped batches) is
        # bad input, status 2; a download that failed or a disk that is full is a failure, status 1
        return 2 if args.archive and not getattr(err, "disk", False) else 1
    except KeyboardInterrupt as err:  # Ctrl-C, SIGTERM, SIGHUP: the temporary files are already removed
        print(msg("download.interrupted"), file=sys.stderr)
        return exit_status(err)
    print(msg("download.installed", path=paths.show(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
