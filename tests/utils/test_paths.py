"""utils.paths: where things go, new names claimed atomically, names every system accepts.

Also the course-wide Windows rules (CONTRIBUTING.md, "Everywhere a learner runs it"): every
name the course creates or ships is a valid Windows name, nothing forks or makes symlinks,
and no lesson starts DataLoader workers.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers import NOTEBOOKS, REPO_ROOT, ZH_NOTEBOOKS
from utils import paths
from utils.paths import check_component, new_path, portable_name


# ----------------------------------------------------------------------------- resolve, show, roots
def test_relative_paths_start_at_the_repo_root_and_are_shown_relative_to_it():
    assert paths.REPO_ROOT == REPO_ROOT
    assert paths.resolve("data") == REPO_ROOT / "data"
    assert paths.resolve("/abs/path").as_posix() == "/abs/path"
    assert paths.show(REPO_ROOT / "data" / "x") == "data/x"
    assert paths.show("/somewhere/else") == "/somewhere/else"


@pytest.mark.parametrize("function, variable, default", [
    (paths.runs_root, "COURSE_RUNS_DIR", "runs"),
    (paths.checkpoint_root, "COURSE_CHECKPOINT_DIR", "checkpoints"),
])
def test_roots_follow_the_environment(monkeypatch, tmp_path, function, variable, default):
    monkeypatch.setenv(variable, str(tmp_path))
    assert function() == tmp_path
    monkeypatch.setenv(variable, "relative-folder")
    assert function() == REPO_ROOT / "relative-folder"
    monkeypatch.delenv(variable)
    assert function() == REPO_ROOT / default


def test_timestamp_is_sortable_and_portable():
    stamp = paths.timestamp()
    assert re.fullmatch(r"\d{8}-\d{6}", stamp) and portable_name(stamp)


# ----------------------------------------------------------------------------- portable names
@pytest.mark.parametrize("name", ["03_convolution", "20240101-120000-2", "run.pt", "a b", "数据", "x.y.z", ".hidden"])
def test_portable_names(name):
    assert portable_name(name)


@pytest.mark.parametrize("name", ["", ".", "..", "a:b", "a/b", "a\\b", "what?", "star*", "<x>", 'q"', "p|q",
                                  "tab\there", "nl\n", "trailing.", "trailing ", "CON", "con", "NUL.txt",
                                  "com1.pt", "LPT9", "aux"])
def test_names_windows_refuses(name):
    assert not portable_name(name)


@pytest.mark.parametrize("bad", ["", "../escape", "a/b", ".hidden", "CON", "x:y", None, 3])
def test_check_component_refuses_anything_but_one_plain_name(bad):
    with pytest.raises(ValueError, match="must be a plain file or folder name"):
        check_component(bad)


# ----------------------------------------------------------------------------- new_path
def test_same_stem_gives_new_folders_and_files(tmp_path):
    folders = [new_path(tmp_path / "made", "stamp") for _ in range(3)]
    assert [p.name for p in folders] == ["stamp", "stamp-2", "stamp-3"]
    assert all(p.is_dir() and not any(p.iterdir()) for p in folders)
    files = [new_path(tmp_path / "made", "stamp", ".pt", folder=False) for _ in range(3)]
    assert [p.name for p in files] == ["stamp.pt", "stamp-2.pt", "stamp-3.pt"]
    assert all(p.is_file() and p.stat().st_size == 0 for p in files)


def test_default_stem_is_the_time(tmp_path):
    first, second = new_path(tmp_path), new_path(tmp_path)
    assert re.fullmatch(r"\d{8}-\d{6}", first.name) and first != second and second.name.startswith(first.name[:8])


def test_nothing_existing_is_overwritten(tmp_path):
    (tmp_path / "stem").write_text("a file named like the folder")
    (tmp_path / "stem-2").mkdir()
    (tmp_path / "stem-2" / "keep.txt").write_text("an earlier run")
    (tmp_path / "stem.pt").write_text("an earlier checkpoint")
    folder = new_path(tmp_path, "stem")
    file = new_path(tmp_path, "stem", ".pt", folder=False)
    assert folder.name == "stem-3" and file.name == "stem-2.pt"
    assert (tmp_path / "stem").read_text() == "a file named like the folder"
    assert (tmp_path / "stem-2" / "keep.txt").read_text() == "an earlier run"
    assert (tmp_path / "stem.pt").read_text() == "an earlier checkpoint"


def test_parent_is_created(tmp_path):
    made = new_path(tmp_path / "a" / "b", "x")
    assert made == tmp_path / "a" / "b" / "x" and made.is_dir()


@pytest.mark.parametrize("stem, suffix", [("../up", ""), ("a/b", ""), ("CON", ""), ("x", ":pt"), ("", "")])
def test_unportable_names_are_refused_before_anything_is_made(tmp_path, stem, suffix):
    with pytest.raises(ValueError):
        new_path(tmp_path / "p", stem, suffix)
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize("folder", [True, False])
def test_concurrent_callers_never_get_the_same_path(tmp_path, folder):
    start = threading.Barrier(8)

    def claim(i):
        if i < 8:
            start.wait(timeout=30)  # the first eight start together
        return new_path(tmp_path, "same", "" if folder else ".pt", folder=folder)

    with ThreadPoolExecutor(max_workers=8) as pool:
        claimed = list(pool.map(claim, range(120)))
    assert len(set(claimed)) == 120
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in claimed)


# ----------------------------------------------------------------------------- Windows
def _tracked_files() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True,
                          check=True).stdout.splitlines()


def _lesson_stems() -> list[str]:
    return sorted({nb.stem for nb in NOTEBOOKS + ZH_NOTEBOOKS})


def test_every_name_the_course_creates_is_a_windows_name(tmp_path):
    from tools import report, slides
    from tools.offline_html import MATHJAX_DIR_NAME, MATHJAX_SKIP, package_dir
    from utils.checkpoints import new_checkpoint_path

    assert _lesson_stems(), "no lesson notebooks found"
    made: list[Path] = []
    for stem in _lesson_stems():
        made += [new_checkpoint_path(stem, root=tmp_path / "checkpoints") for _ in range(2)]
        made += [slides.deck_path(Path(f"{stem}.ipynb"), tmp_path / "slides")]
    made += [report.make_report_dir(tmp_path / "reports") for _ in range(2)]
    names = [part for p in made for part in p.relative_to(tmp_path).parts]
    names += [part for file in slides.REVEAL_FILES for part in Path(file).parts]
    names += [slides.REVEAL_DIR_NAME, MATHJAX_DIR_NAME]
    mathjax = package_dir("jupyter_server_mathjax")
    if mathjax is not None:
        static = mathjax / "static"
        names += [part for p in static.rglob("*") if not any(s in p.parts for s in MATHJAX_SKIP)
                  for part in p.relative_to(static).parts]
    bad = sorted({n for n in names if not portable_name(n)})
    assert bad == [], f"names Windows refuses: {bad}"


def test_the_shipped_sample_has_windows_names():
    from utils.data import SAMPLE_DIR

    files = [p.relative_to(SAMPLE_DIR) for p in SAMPLE_DIR.rglob("*")]
    assert len(files) > 2000
    assert [str(f) for f in files if not all(portable_name(part) for part in f.parts)] == []


def test_every_tracked_file_has_a_windows_path():
    """Windows refuses some names, folds case (two names differing in case collide) and, by
    default, paths longer than 260 characters (the clone's own folder counts too)."""
    files = _tracked_files()
    assert len(files) > 100
    bad = [f for f in files if not all(portable_name(part) for part in f.split("/"))]
    assert bad == [], f"paths Windows refuses: {bad}"
    folded: dict[str, str] = {}
    clashes = []
    for f in files:
        for depth in range(1, f.count("/") + 2):
            prefix = "/".join(f.split("/")[:depth])
            other = folded.setdefault(prefix.lower(), prefix)
            if other != prefix:
                clashes.append((other, prefix))
    assert clashes == [], f"names that differ only in case: {sorted(set(clashes))}"
    long = [f for f in files if len(f) > 160]
    assert long == [], "paths too long for a clone in C:\\Users\\<name>\\Documents\\..."


# ----------------------------------------------------------------------------- code that only runs on POSIX
_FORK_START = {"fork", "forkserver"}
_POSIX_ONLY_CALLS = {"fork", "forkpty", "symlink", "symlink_to", "link_to"}


def posix_only_calls(source: str) -> list[str]:
    """Calls in ``source`` that Windows lacks: os.fork, os.symlink, a fork start method."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"from os import {a.name}" for a in node.names if a.name in _POSIX_ONLY_CALLS]
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in _POSIX_ONLY_CALLS:
            found.append(f"line {node.lineno}: {name}()")
        if name in ("set_start_method", "get_context"):
            args = [*node.args, *(k.value for k in node.keywords if k.arg == "method")]
            if any(isinstance(a, ast.Constant) and a.value in _FORK_START for a in args):
                found.append(f"line {node.lineno}: {name}({args[0].value!r})")
    return found


def test_the_posix_only_detector_finds_what_it_looks_for():
    source = ("import os, multiprocessing as mp\nfrom os import fork\nos.fork()\nos.symlink('a', 'b')\n"
              "mp.set_start_method('fork')\nmp.get_context(method='forkserver')\nPath('x').symlink_to('y')\n"
              "mp.set_start_method('spawn')\n")
    assert len(posix_only_calls(source)) == 6


def test_no_code_forks_or_makes_symlinks():
    files = [p for folder in ("utils", "tools", "scripts") for p in sorted((REPO_ROOT / folder).rglob("*.py"))]
    assert len(files) > 20
    found = {str(p.relative_to(REPO_ROOT)): calls for p in files
             if (calls := posix_only_calls(p.read_text(encoding="utf-8")))}
    assert found == {}


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
               for c in cells if c["cell_type"] == "code"]
    from IPython.core.inputtransformer2 import TransformerManager

    return [TransformerManager().transform_cell(s) for s in sources]  # magics → get_ipython() calls


def dataloader_workers(source: str) -> list[str]:
    """``num_workers=`` arguments in ``source`` other than a literal 0."""
    return [f"line {node.lineno}: num_workers={ast.unparse(k.value)}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) for k in node.keywords
            if k.arg == "num_workers" and not (isinstance(k.value, ast.Constant) and k.value.value == 0)]


def test_the_worker_detector_finds_what_it_looks_for():
    assert dataloader_workers("DataLoader(ds, batch_size=4, num_workers=2)\nDataLoader(ds, num_workers=n)\n"
                              "DataLoader(ds, num_workers=0)") == ["line 1: num_workers=2", "line 2: num_workers=n"]


@pytest.mark.parametrize("notebook", NOTEBOOKS + ZH_NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_lessons_load_data_in_the_main_process(notebook):
    """Worker processes on Windows re-import the notebook's code (spawn): the tutorial's num_workers=0."""
    found = [w for i, source in enumerate(_code_cells(notebook)) for w in (f"code cell {i}, {x}" for x in dataloader_workers(source))]
    assert found == []



def test_files_written_atomically_get_the_usual_permissions(tmp_path):
    """Not the 0600 of a temporary file: 0666 less the umask (0644 usually), as open() gives; a replaced file keeps its own."""
    import os

    mask = os.umask(0o022)
    try:
        fresh = paths.write_atomic(tmp_path / "fresh.bin", lambda f: f.write(b"x"))
        assert fresh.stat().st_mode & 0o777 == 0o644
        claimed = new_path(tmp_path, stem="claimed", suffix=".pt", folder=False)  # a checkpoint's placeholder
        paths.write_atomic(claimed, lambda f: f.write(b"x"))
        assert claimed.stat().st_mode & 0o777 == 0o644
        os.chmod(fresh, 0o640)
        paths.write_atomic(fresh, lambda f: f.write(b"y"))
        assert fresh.stat().st_mode & 0o777 == 0o640 and fresh.read_bytes() == b"y"
        os.umask(0o077)
        assert paths.write_atomic(tmp_path / "private.bin", lambda f: f.write(b"x")).stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(mask)
