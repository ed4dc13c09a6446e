"""tools/data.py: `make data` (= `python -m tools data`) installs the full CIFAR-10, or fails in one line.

The archives are tiny stand-ins in the real layout (tests/helpers.py); downloads go to 127.0.0.1
or nowhere (a closed port, or a network namespace without a network).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO_ROOT, md5_of, tree, write_cifar_archive
import tools.__main__ as entry
from tools import data as tool
from utils import load_cifar10, resolve_source
from utils.data import CIFAR_DIR
from utils.download import ARCHIVE_NAME, CIFAR10_MD5


def run(*args: str, prefix: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    proc = subprocess.run([*prefix, sys.executable, "-m", "tools", "data", "--no-progress", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    return proc, time.monotonic() - start


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_line_naming_the_manual_route(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode != 0
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "make data ARCHIVE=" in lines[0] and lines[0].startswith("DataError: could not download CIFAR-10")
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.fixture
def data_root(tmp_path) -> Path:
    """A data/ folder that already holds a learner's other files."""
    root = tmp_path / "data"
    (root / "my-images").mkdir(parents=True)
    (root / "my-images" / "a.png").write_bytes(b"\x89PNG")
    (root / "notes.txt").write_text("keep me")
    return root


# ----------------------------------------------------------------------------- offline
def test_offline_download_fails_within_30_s_in_one_line(tmp_path):
    root = tmp_path / "data"
    proc, seconds = run("--root", str(root), "--url", f"http://127.0.0.1:{closed_port()}/{ARCHIVE_NAME}")
    assert_one_line_naming_the_manual_route(proc)
    assert seconds < 30
    assert not root.exists(), "the data root must not even be created"


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _unshare_works(), reason="`unshare -n` (a network namespace) is not permitted here")
def test_no_network_at_all_with_the_default_url(tmp_path):
    root = tmp_path / "data"
    proc, seconds = run("--root", str(root), prefix=("unshare", "-n"))
    assert_one_line_naming_the_manual_route(proc)
    assert seconds < 30
    assert not root.exists()


# ----------------------------------------------------------------------------- ARCHIVE=
def test_an_archive_of_the_right_layout_installs(tmp_path, data_root, capsys, monkeypatch):
    archive = write_cifar_archive(tmp_path / ARCHIVE_NAME)
    before = tree(data_root)
    monkeypatch.chdir(REPO_ROOT)
    assert entry.main(["data", "--archive", str(archive), "--md5", md5_of(archive), "--root", str(data_root)]) == 0
    out, err = capsys.readouterr()
    assert "CIFAR-10 installed in" in out and err == ""
    assert len(load_cifar10(True, "cifar10", data_root)) == 20 and len(load_cifar10(False, "cifar10", data_root)) == 4
    assert resolve_source("auto", data_root).kind == "cifar10"
    assert {k: v for k, v in tree(data_root).items() if not k.startswith(CIFAR_DIR)} == before
    assert sorted(p.name for p in data_root.iterdir()) == [CIFAR_DIR, "my-images", "notes.txt"]
    installed = tree(data_root)
    assert tool.main(["--archive", str(archive), "--md5", md5_of(archive), "--root", str(data_root)]) == 0
    assert tree(data_root) == installed  # a second run says it is installed and changes nothing


@pytest.mark.parametrize("root_exists", [True, False])
def test_a_wrong_archive_is_rejected_and_data_is_unchanged(tmp_path, data_root, capsys, root_exists):
    wrong = tmp_path / "cifar-10-python.tar.gz"
    wrong.write_bytes(b"<html>the download page, saved by mistake</html>")
    root = data_root if root_exists else tmp_path / "no-data-yet"
    before = tree(root)
    assert tool.main(["--archive", str(wrong), "--root", str(root)]) == 1  # torchvision's MD5
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "MD5" in lines[0] and CIFAR10_MD5 in lines[0] and captured.out == ""
    assert tree(root) == before and root.exists() is root_exists


@pytest.mark.parametrize("skip", [("test_batch",), ("data_batch_5",)])
def test_a_right_md5_with_a_broken_batch_is_rejected_without_leftovers(tmp_path, data_root, capsys, skip):
    broken = write_cifar_archive(tmp_path / ARCHIVE_NAME, skip=skip)
    before = tree(data_root)
    assert tool.main(["--archive", str(broken), "--md5", md5_of(broken), "--root", str(data_root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and f"missing {skip[0]}" in err[0]
    assert tree(data_root) == before, "no half dataset and no temporary folder may be left in data/"


def test_a_missing_archive_is_one_line(tmp_path, capsys):
    assert tool.main(["--archive", str(tmp_path / "nope.tar.gz"), "--root", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "no archive at" in err[0] and not (tmp_path / "data").exists()


@pytest.mark.parametrize("inside", [False, True])
def test_a_file_as_root_is_one_line_and_exit_status_2(tmp_path, capsys, inside):
    afile = tmp_path / "data.txt"
    afile.write_text("a file, not a folder")
    root = afile / "data" if inside else afile
    assert tool.main(["--root", str(root), "--url", "http://127.0.0.1:9/never-fetched"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1, err
    assert err.startswith("python -m tools data: error: the data root") and "is a file; give a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"] and afile.read_text() == "a file, not a folder"


def test_an_incomplete_installed_dataset_is_installed_again(tmp_path, data_root, capsys):
    archive = write_cifar_archive(tmp_path / ARCHIVE_NAME)
    args = ["--archive", str(archive), "--md5", md5_of(archive), "--root", str(data_root)]
    assert tool.main(args) == 0
    (data_root / CIFAR_DIR / "data_batch_2").unlink()  # say, a copy that was cut short
    capsys.readouterr()
    assert tool.main(args) == 0
    out = capsys.readouterr().out
    assert "is incomplete (missing data_batch_2): installing it again." in out and "already installed" not in out
    assert (data_root / CIFAR_DIR / "data_batch_2").is_file()
    assert len(load_cifar10(True, "cifar10", data_root)) == 20


def test_make_data_archive_as_the_readme_documents(tmp_path):
    """`make data ARCHIVE=...` with a wrong file: make fails, one line names the MD5, data/ is untouched.

    (make's data target installs into the repository's data/ with torchvision's MD5, so only a
    rejected archive can be tried here without touching a real install.)  ``-o .venv/.installed``
    and ``PY=`` keep make from reinstalling the environment."""
    wrong = tmp_path / ARCHIVE_NAME
    wrong.write_bytes(b"not the archive")
    data = REPO_ROOT / "data"
    before, existed = tree(data), data.exists()
    proc = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", f"PY={sys.executable}", "data",
                           f"ARCHIVE={wrong}"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert tree(data) == before and data.exists() == existed
    if (data / CIFAR_DIR).is_dir():  # a real install: make data says so and does nothing
        assert proc.returncode == 0 and "already installed" in proc.stdout
        return
    assert proc.returncode != 0
    ours = [line for line in proc.stderr.splitlines() if not line.startswith("make")]
    assert len(ours) == 1 and "MD5" in ours[0], proc.stderr
