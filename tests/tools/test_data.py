"""tools/data.py: `make data` (= `python -m tools data`) installs the full CIFAR-10, or fails in one line.

The archives are tiny stand-ins in the real layout (tests/helpers.py); downloads go to 127.0.0.1
or nowhere (a closed port, or a network namespace without a network).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO_ROOT, md5_of, tree, write_cifar, write_cifar_archive
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
    assert tool.main(["--archive", str(wrong), "--root", str(root)]) == 2  # torchvision's MD5; bad input: status 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "MD5" in lines[0] and CIFAR10_MD5 in lines[0] and captured.out == ""
    assert tree(root) == before and root.exists() is root_exists


@pytest.mark.parametrize("skip", [("test_batch",), ("data_batch_5",)])
def test_a_right_md5_with_a_broken_batch_is_rejected_without_leftovers(tmp_path, data_root, capsys, skip):
    broken = write_cifar_archive(tmp_path / ARCHIVE_NAME, skip=skip)
    before = tree(data_root)
    assert tool.main(["--archive", str(broken), "--md5", md5_of(broken), "--root", str(data_root)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and f"missing {skip[0]}" in err[0]
    assert tree(data_root) == before, "no half dataset and no temporary folder may be left in data/"


def test_a_missing_archive_is_one_line(tmp_path, capsys):
    assert tool.main(["--archive", str(tmp_path / "nope.tar.gz"), "--root", str(tmp_path / "data")]) == 2
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


# ----------------------------------------------------------------------------- issue 29
def archive_with(tmp_path: Path, replace: dict[str, bytes]) -> Path:
    """A CIFAR-10-shaped archive whose files named in ``replace`` hold those bytes instead."""
    import tarfile
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_cifar(tmp)
        for name, data in replace.items():
            (folder / name).write_bytes(data)
        archive = tmp_path / ARCHIVE_NAME
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname=folder.name)
    return archive


def test_an_archive_whose_batch_runs_a_command_is_refused_and_nothing_runs(tmp_path, data_root, capsys):
    """Issue 29, item 1: `tools data --archive evil.tar.gz --md5 <its md5>` ran the pickle's os.system."""
    import pickle

    marker = tmp_path / "it-ran"

    class RunsACommand:
        def __reduce__(self):
            return os.system, (f"touch '{marker}'",)

    evil = archive_with(tmp_path, {"data_batch_1": pickle.dumps(RunsACommand(), protocol=2)})
    before = tree(data_root)
    assert tool.main(["--archive", str(evil), "--md5", md5_of(evil), "--root", str(data_root)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "data_batch_1 is not a CIFAR-10 batch: it asks to run" in err[0], err
    assert "system" in err[0] and "nothing in it was run" in err[0] and "Nothing was installed" in err[0]
    assert not marker.exists(), "the command in the archive ran"
    assert tree(data_root) == before


@pytest.mark.parametrize("labels", [["cat"] * 4, 7])
def test_an_archive_with_text_or_a_number_as_labels_is_one_line(tmp_path, data_root, capsys, labels):
    """Issue 29, item 6: string or integer labels gave a ValueError or TypeError traceback."""
    import pickle

    import numpy as np

    batch = {"data": np.zeros((4, 3072), np.uint8), "labels": labels, "batch_label": "x", "filenames": []}
    archive = archive_with(tmp_path, {"test_batch": pickle.dumps(batch, protocol=2)})
    assert tool.main(["--archive", str(archive), "--md5", md5_of(archive), "--root", str(data_root)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "labels that are not a list of whole numbers" in err[0], err


def test_an_md5_in_capitals_is_the_same_md5(tmp_path, data_root, capsys):
    """Issue 29, item 8: a right MD5 typed in upper case was refused ("has MD5 350a…, not 350A…")."""
    archive = write_cifar_archive(tmp_path / ARCHIVE_NAME)
    assert tool.main(["--archive", str(archive), "--md5", f" {md5_of(archive).upper()} ", "--root", str(data_root)]) == 0
    assert "CIFAR-10 installed in" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["a name too long", "a read-only folder"])
def test_a_root_that_cannot_be_used_is_one_line_and_exit_status_2(tmp_path, capsys, request, where):
    """Issue 29, item 6: a --root of 300 characters gave an ENAMETOOLONG traceback."""
    if where == "a name too long":
        root, words = tmp_path / ("x" * 300), "the name is too long"
    else:
        root, words = request.getfixturevalue("read_only_folder") / "data", "cannot be written"
    assert tool.main(["--root", str(root), "--url", "http://127.0.0.1:9/never-fetched"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("python -m tools data: error: the data root")
    assert words in err and "give another folder (--root)" in err, err


def test_a_full_disk_while_unpacking_says_so_and_leaves_nothing(tmp_path, data_root, small_files):
    """Issue 29, item 5: a full disk was "could not be unpacked … download it again".  ``ulimit -f`` 8 KB (each
    tiny batch is 12 KB) stands for the full disk."""
    archive = write_cifar_archive(tmp_path / ARCHIVE_NAME)
    before = tree(data_root)
    proc = subprocess.run([sys.executable, "-m", "tools", "data", "--archive", str(archive), "--md5", md5_of(archive),
                           "--root", str(data_root)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                          preexec_fn=small_files(8_000))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == [
        f"DataError: could not write CIFAR-10 into {data_root} (the file is larger than this system allows); unpacked "
        "it needs about 180 MB: free some space there or give another folder (--root). Nothing was installed."]
    assert "download it again" not in proc.stderr and tree(data_root) == before


@pytest.mark.skipif(os.name == "nt", reason="a real SIGTERM (POSIX)")
def test_sigterm_while_installing_removes_the_temporary_folder_and_keeps_the_install(tmp_path, data_root, capsys,
                                                                                     monkeypatch):
    """Issue 29, item 3: SIGTERM during `tools data` left a hidden 267 MB <root>/.cifar-10-install-*/.  Here the
    signal comes while the new copy is being checked, with --force over an installed CIFAR-10."""
    import signal

    archive = write_cifar_archive(tmp_path / ARCHIVE_NAME)
    args = ["data", "--archive", str(archive), "--md5", md5_of(archive), "--root", str(data_root)]
    assert entry.main(args) == 0
    installed = tree(data_root)
    import utils.download

    def killed(*_, **__):
        os.kill(os.getpid(), signal.SIGTERM)  # a real signal to this process, as `kill` sends it
        time.sleep(5)
        raise AssertionError("the signal did not stop the command")

    monkeypatch.setattr(utils.download, "read_cifar_batches", killed)
    capsys.readouterr()
    assert entry.main([*args, "--force"]) == 143
    assert capsys.readouterr().err.splitlines() == ["interrupted: nothing was installed."]
    assert tree(data_root) == installed, "no .cifar-10-install-* folder, and the installed CIFAR-10 as it was"


class Stalls:
    """A local web server that sends the first 64 KB of a 170 MB archive and then waits (a slow mirror)."""

    def __enter__(self):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(170_000_000))
                self.end_headers()
                self.wfile.write(b"\0" * 65536)
                self.wfile.flush()
                time.sleep(30)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/{ARCHIVE_NAME}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stopped_download_leaves_no_part_file(tmp_path, signame):
    """Issue 29, item 3: a kill during the download left /tmp/cifar-10-*.tar.gz.part."""
    import signal

    if not hasattr(signal, signame):
        pytest.skip(f"no {signame} here")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with Stalls() as url:
        proc = subprocess.Popen([sys.executable, "-m", "tools", "data", "--no-progress", "--url", url,
                                 "--root", str(tmp_path / "data")], cwd=REPO_ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(tmp)})
        deadline = time.monotonic() + 60
        while not any(p.stat().st_size for p in tmp.glob("cifar-10-*.tar.gz.part")):
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + getattr(signal, signame), err
    assert err.splitlines() == ["interrupted: nothing was installed."]
    assert list(tmp.iterdir()) == [] and not (tmp_path / "data").exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_ctrl_c_in_the_first_second_is_one_line(tmp_path):
    """Issue 29, item 6: Ctrl-C while `tools data` was still importing gave a KeyboardInterrupt traceback."""
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "tools", "data", "--archive", str(tmp_path / "x.tar.gz"),
                             "--root", str(tmp_path / "data")], cwd=REPO_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)  # torch (imported by utils.download) is still loading
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert len(err.splitlines()) == 1 and "interrupted" in err, err
    assert not (tmp_path / "data").exists()


# ----------------------------------------------------------------------------- issue 28, item 3: the user's language
@pytest.mark.parametrize("lang, expected", [
    ("zh_CN.UTF-8", "DataError: {path} 处没有压缩包；请检查 ARCHIVE= 给出的路径。"),
    ("en_US.UTF-8", "DataError: no archive at {path}; check the path given as ARCHIVE=."),
])
def test_tools_data_answers_in_the_language_of_the_system(tmp_path, lang, expected):
    """`LANG=zh_CN.UTF-8 python -m tools data --archive missing.tar.gz` answers in Chinese, en_US in English."""
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    missing = tmp_path / "missing.tar.gz"
    proc = subprocess.run([sys.executable, "-m", "tools", "data", "--archive", str(missing)], cwd=REPO_ROOT,
                          capture_output=True, text=True, encoding="utf-8", env={**env, "LANG": lang}, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [expected.format(path=missing)]


def test_the_override_wins_over_the_locale(tmp_path):
    env = {**os.environ, "LANG": "en_US.UTF-8", "COURSE_LANGUAGE": "zh"}
    proc = subprocess.run([sys.executable, "-m", "tools", "data", "--archive", str(tmp_path / "missing.tar.gz")],
                          cwd=REPO_ROOT, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert "处没有压缩包" in proc.stderr
