"""Shared test set-up: loopback for Jupyter kernels, a private runs folder, notebook helpers."""
from __future__ import annotations

import errno
import fcntl
import os
import socket
import struct
import tempfile
from pathlib import Path

import pytest

from helpers import BACKGROUND, REPO_ROOT, SESSION_THREADS, ZH_NOTEBOOKS, BackgroundNbval, ci_parameters, execute

EDITIONS = ["en"] + (["zh"] if ZH_NOTEBOOKS else [])


def _loopback_works() -> bool:
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        try:
            client.connect(server.getsockname())
        except OSError as err:
            if err.errno in (errno.ENETUNREACH, errno.EADDRNOTAVAIL, errno.ECONNREFUSED):
                return False
            raise
    return True


def _bring_loopback_up() -> None:
    """Set the ``lo`` interface up (as ``ip link set lo up`` does), for ``unshare -n make test``.

    Jupyter kernels talk to their clients over 127.0.0.1.  A fresh network namespace has
    no network at all, not even loopback; raising loopback gives local sockets only.
    """
    SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


def pytest_configure(config: pytest.Config) -> None:
    if not _loopback_works():
        try:
            _bring_loopback_up()
        except OSError as err:
            raise pytest.UsageError(
                f"Jupyter kernels need the loopback interface, which is down here ({err}); run `ip link set lo up` first."
            ) from None
    # TensorBoard runs made by the tests go to a temporary folder, not the learner's runs/.
    if "COURSE_RUNS_DIR" not in os.environ:
        os.environ["COURSE_RUNS_DIR"] = tempfile.mkdtemp(prefix="course-test-runs-")
    # One PyTorch thread per process: nbval's runs go on beside the rest of the suite (two streams of work), and two
    # processes with a thread per core each slow each other down many times over (OpenMP threads wait by spinning).
    # The one test that times a run as a learner starts it (lesson 10's project) runs it alone with the default.
    if "OMP_NUM_THREADS" not in os.environ:
        os.environ["OMP_NUM_THREADS"] = os.environ[SESSION_THREADS] = "1"


#: The test that times lesson 10's project at its defaults (3 minutes at most): it runs last, on an idle machine.
PROJECT_TEST = "test_the_project_runs_in_an_empty_folder_and_learns[en]"


@pytest.hookimpl(trylast=True)  # after -m/-k have deselected what will not run
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """nbval's runs of the lessons start now, in the background (helpers.BackgroundNbval), and their tests go to the
    end of the session, where their results are ready; the project test that times itself comes after them."""
    nbval = [item for item in items if getattr(item, "originalname", "") == "test_nbval"]
    project = [item for item in items if item.name == PROJECT_TEST]
    if config.getoption("collectonly") or len(nbval) < 2:
        return
    rest = [item for item in items if item not in nbval and item not in project]
    items[:] = rest + nbval + project
    BACKGROUND["nbval"] = BackgroundNbval([item.callspec.params["nb"] for item in nbval])


def pytest_sessionfinish(session: pytest.Session) -> None:
    background = BACKGROUND.pop("nbval", None)
    if background is not None:  # a session that stopped early starts no more nbval runs; the one under way ends first
        background.stop()


_EXECUTED: dict[tuple, Path] = {}


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """``executed(name, device="cpu", edition="en")``: the papermill output of a lesson run with CI parameters.

    Each (notebook, device, edition) is executed once per test session and shared by the tests
    that read its recorded results.  ``edition="zh"`` runs ``notebooks/zh/<name>.ipynb``.
    """
    out_dir = tmp_path_factory.mktemp("papermill")

    def run(name: str, device: str = "cpu", edition: str = "en") -> Path:
        folder = REPO_ROOT / "notebooks" / ("" if edition == "en" else edition)
        notebook = folder / f"{name}.ipynb"
        key = (name, device, edition)
        if key not in _EXECUTED:
            _EXECUTED[key] = execute(notebook, out_dir, **ci_parameters(notebook, device))
        return _EXECUTED[key]

    return run


@pytest.fixture(params=EDITIONS)
def output(executed, request) -> Path:
    """The CPU papermill run (CI parameters) of the lesson named by the test module's ``NAME``,
    once per edition: every lesson test runs on the English and on the Chinese notebook."""
    return executed(request.module.NAME, edition=request.param)


@pytest.fixture
def results(output) -> dict:
    """What that run recorded with ``utils.record``."""
    from utils import read_results

    return read_results(output)


@pytest.fixture(autouse=True)
def _language_restored():
    """Each test starts in English and leaves the course's language as it found it
    (a test that runs Chinese feedback must not make a later test read Chinese)."""
    from utils.i18n import language, set_language

    before = language()
    set_language("en")
    yield
    set_language(before)
