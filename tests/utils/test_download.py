"""utils.download: CIFAR-10 is installed whole and MD5-checked, or not at all; offline it fails fast.

The archives here are tiny stand-ins in the real archive's layout (tests/helpers.py), served from
127.0.0.1 where a download is needed; nothing leaves the machine.
"""
from __future__ import annotations

import hashlib
import http.server
import io
import socket
import tarfile
import tempfile
import threading
import time
from pathlib import Path

import pytest

from helpers import md5_of, tree, write_cifar_archive
from utils import DataError, load_cifar10, resolve_source
from utils import download
from utils.download import ARCHIVE_NAME, CIFAR10_MD5, download_cifar10, install_archive, installed, missing_files
from utils.data import CIFAR_DIR


@pytest.fixture
def archive(tmp_path) -> Path:
    (tmp_path / "downloads").mkdir()
    return write_cifar_archive(tmp_path / "downloads" / ARCHIVE_NAME)


@pytest.fixture
def data_root(tmp_path) -> Path:
    """A data/ folder that already holds a learner's other files."""
    root = tmp_path / "data"
    (root / "my-images" / "train").mkdir(parents=True)
    (root / "my-images" / "train" / "x.png").write_bytes(b"\x89PNG not really")
    (root / "notes.txt").write_text("keep me")
    return root


def leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(".")] if root.exists() else []


def test_md5_of_reads_in_chunks(tmp_path):
    file = tmp_path / "f"
    file.write_bytes(bytes(range(256)) * 5000)
    assert download.md5_of(file, chunk=1000) == hashlib.md5(file.read_bytes()).hexdigest()


def test_installs_a_right_archive_next_to_other_files(archive, data_root):
    before = tree(data_root)
    assert installed(data_root) is None
    folder = install_archive(archive, data_root, md5=md5_of(archive))
    assert folder == data_root / CIFAR_DIR and installed(data_root) == folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["batches.meta", "test_batch"] + [f"data_batch_{i}" for i in range(1, 6)])
    assert {k: v for k, v in tree(data_root).items() if not k.startswith(CIFAR_DIR)} == before
    assert leftovers(data_root) == []
    assert len(load_cifar10(True, "cifar10", data_root)) == 20
    assert resolve_source("auto", data_root).kind == "cifar10"


def test_a_second_install_changes_nothing_unless_forced(archive, tmp_path):
    root = tmp_path / "data"
    folder = install_archive(archive, root, md5=None)
    (folder / "marker").write_text("installed first")
    assert install_archive(archive, root, md5=None) == folder and (folder / "marker").exists()
    assert install_archive(archive, root, md5=None, force=True) == folder and not (folder / "marker").exists()


@pytest.mark.parametrize("root_exists", [True, False])
def test_a_wrong_md5_installs_nothing(tmp_path, data_root, root_exists):
    wrong = tmp_path / "wrong.tar.gz"
    wrong.write_bytes(b"an HTML error page, say")
    root = data_root if root_exists else tmp_path / "absent"
    before = tree(root)
    with pytest.raises(DataError) as info:
        install_archive(wrong, root)  # torchvision's MD5
    message = str(info.value)
    assert f"has MD5 {md5_of(wrong)}, not {CIFAR10_MD5}" in message and "Nothing was installed" in message
    assert "\n" not in message
    assert tree(root) == before and root.exists() is root_exists


@pytest.mark.parametrize("skip, message", [(("test_batch",), "incomplete .*missing test_batch"),
                                           (("batches.meta",), "missing batches.meta")])
def test_a_right_md5_with_a_broken_batch_installs_nothing(tmp_path, data_root, skip, message):
    broken = write_cifar_archive(tmp_path / "broken.tar.gz", skip=skip)
    before = tree(data_root)
    with pytest.raises(DataError, match=message) as err:
        install_archive(broken, data_root, md5=md5_of(broken))
    assert tree(data_root) == before and leftovers(data_root) == []
    # the message names the archive, not the temporary folder it was unpacked into (removed by now)
    assert ".cifar-10-install-" not in str(err.value) and "broken.tar.gz" in str(err.value)
    assert "delete the folder" not in str(err.value) and "download it again" in str(err.value)


def test_an_incomplete_install_is_not_installed_and_is_replaced(archive, tmp_path):
    """A folder that lacks a batch (a copy cut short, a file deleted) is not "already installed"."""
    root = tmp_path / "data"
    folder = install_archive(archive, root, md5=None)
    assert installed(root) == folder
    (folder / "data_batch_3").unlink()
    (folder / "test_batch").write_bytes(b"")
    assert installed(root) is None and missing_files(folder) == ["data_batch_3", "test_batch"]
    assert install_archive(archive, root, md5=None) == folder  # not forced: replaced all the same
    assert installed(root) == folder and missing_files(folder) == []


@pytest.mark.parametrize("where", ["file", "inside a file"])
def test_a_file_as_data_root_is_one_line_and_nothing_is_written(archive, tmp_path, where):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    root = afile if where == "file" else afile / "data"
    with pytest.raises(DataError, match="cannot hold CIFAR-10: .*is a file; give a folder") as err:
        install_archive(archive, root, md5=None)
    assert "\n" not in str(err.value) and afile.read_text() == "not a folder"
    with pytest.raises(DataError, match="is a file"):  # checked before anything is downloaded
        download_cifar10(root, url="http://127.0.0.1:9/nothing-is-fetched")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "downloads"]


def test_a_folder_as_archive_is_one_line(tmp_path):
    with pytest.raises(DataError, match="is a folder, not cifar-10-python.tar.gz"):
        install_archive(tmp_path, tmp_path / "data")
    assert not (tmp_path / "data").exists()


def _tar(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
    return path


@pytest.mark.parametrize("kind, message", [
    ("not a tar", "could not be unpacked"),
    ("other folder", f"holds no {CIFAR_DIR}/ folder"),
    ("escape", "unsafe entry"),
    ("symlink", "unsafe entry"),
    ("corrupt batch", "not a readable CIFAR-10 batch"),
])
def test_odd_archives_install_nothing(tmp_path, data_root, kind, message):
    path = tmp_path / "odd.tar.gz"
    if kind == "not a tar":
        path.write_bytes(b"\x1f\x8b but not gzip")
    elif kind == "other folder":
        _tar(path, {"cifar-100-python/train": b"x"})
    elif kind == "escape":
        _tar(path, {f"{CIFAR_DIR}/data_batch_1": b"x", f"{CIFAR_DIR}/../../escaped": b"x"})
    elif kind == "symlink":
        _tar(path, {f"{CIFAR_DIR}/data_batch_1": b"x"}, symlink=f"{CIFAR_DIR}/test_batch")
    else:
        good = tmp_path / "good"
        write_cifar_archive(good)
        with tarfile.open(good) as src, tarfile.open(path, "w:gz") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read() if member.isfile() else None
                if member.name.endswith("data_batch_4"):
                    data, member.size = b"garbage", 7
                dst.addfile(member, io.BytesIO(data) if data is not None else None)
    before = tree(tmp_path)
    with pytest.raises(DataError, match=message) as info:
        install_archive(path, data_root, md5=None)
    assert "\n" not in str(info.value)
    assert tree(tmp_path) == before and leftovers(data_root) == []


def test_a_missing_archive_names_the_path(tmp_path):
    with pytest.raises(DataError, match="no archive at .*check the path given as ARCHIVE="):
        install_archive(tmp_path / "nope.tar.gz", tmp_path / "data")
    assert not (tmp_path / "data").exists()


# ----------------------------------------------------------------------------- downloads (from 127.0.0.1)
class _Handler(http.server.BaseHTTPRequestHandler):
    body = b""
    length: int | None = None
    chunked_cut = False

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        if self.chunked_cut:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"4000\r\n" + self.body[:10])
            return
        self.send_header("Content-Length", str(len(self.body) if self.length is None else self.length))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """``serve(body, length=None, chunked_cut=False)`` → the URL of a local server answering with ``body``."""
    servers = []

    def start(body: bytes, length: int | None = None, chunked_cut: bool = False) -> str:
        handler = type("Handler", (_Handler,), {"body": body, "length": length, "chunked_cut": chunked_cut})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/{ARCHIVE_NAME}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The download's temporary file goes here, so the test can see that it is removed."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


def test_download_installs_the_archive(archive, tmp_path, serve, private_tmp):
    url = serve(archive.read_bytes())
    folder = download_cifar10(tmp_path / "data", url=url, md5=md5_of(archive), progress=False)
    assert folder == tmp_path / "data" / CIFAR_DIR and len(load_cifar10(False, "cifar10", tmp_path / "data")) == 4
    assert list(private_tmp.iterdir()) == []
    assert download_cifar10(tmp_path / "data", url="http://127.0.0.1:9/never-asked", progress=False) == folder


def _fails_cleanly(root: Path, private_tmp: Path, **kwargs) -> str:
    start = time.monotonic()
    with pytest.raises(DataError) as info:
        download_cifar10(root, progress=False, **kwargs)
    assert time.monotonic() - start < 30
    message = str(info.value)
    assert "\n" not in message and "make data ARCHIVE=" in message, message
    assert not root.exists(), "a failed download must not create or change the data root"
    assert list(private_tmp.iterdir()) == [], "the partial download must be removed"
    return message


def test_no_server_fails_fast_and_names_the_manual_route(tmp_path, private_tmp):
    message = _fails_cleanly(tmp_path / "data", private_tmp, url=f"http://127.0.0.1:{closed_port()}/{ARCHIVE_NAME}")
    assert message.startswith("could not download CIFAR-10 (URLError")


def test_a_hanging_name_lookup_gives_up_after_the_timeout(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: time.sleep(3))
    start = time.monotonic()
    message = _fails_cleanly(tmp_path / "data", private_tmp, url="https://cifar.invalid/x.tar.gz", timeout=0.3)
    assert "took over 0.3 s" in message and time.monotonic() - start < 2


@pytest.mark.parametrize("how", ["short", "chunked"])
def test_a_broken_off_download_installs_nothing(archive, tmp_path, serve, private_tmp, how):
    body = archive.read_bytes()
    url = serve(body, length=len(body) + 1000) if how == "short" else serve(body, chunked_cut=True)
    message = _fails_cleanly(tmp_path / "data", private_tmp, url=url, md5=md5_of(archive))
    assert "could not download CIFAR-10" in message


def test_a_wrong_download_names_md5_and_the_manual_route(tmp_path, serve, private_tmp):
    url = serve(b"<html>a captive portal</html>")
    message = _fails_cleanly(tmp_path / "data", private_tmp, url=url)
    assert f"not {CIFAR10_MD5}" in message and "MD5" in message


def test_a_downloaded_archive_that_does_not_unpack_installs_nothing(tmp_path, serve, private_tmp):
    body = b"not a tar at all"
    message = _fails_cleanly(tmp_path / "data", private_tmp, url=serve(body), md5=hashlib.md5(body).hexdigest())
    assert "could not be unpacked" in message
