"""tools/kernel.py and tools/tensorboard.py: %tensorboard works in the course's kernel however it is started
(issue 29, item 9), and TensorBoard runs without an activated environment."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from helpers import REPO_ROOT, free_port
from tools import kernel
from tools import tensorboard as tb


def test_the_kernelspec_puts_this_environment_in_front_of_the_path_jupyter_gives(tmp_path, capsys):
    assert kernel.main(["--prefix", str(tmp_path)]) == 0
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / kernel.NAME / "kernel.json").read_text())
    assert spec["display_name"] == "Python 3 (tudui-pytorch)" and spec["argv"][0] == sys.executable
    assert "ipykernel_launcher" in spec["argv"] and "{connection_file}" in spec["argv"]
    folders, rest = spec["env"]["PATH"].rsplit(os.pathsep, 1)
    assert rest == "${PATH}", "Jupyter fills in the PATH it starts the kernel with"
    assert folders.split(os.pathsep)[-1] == sysconfig.get_path("scripts")
    assert (Path(sysconfig.get_path("scripts")) / ("tensorboard.exe" if os.name == "nt" else "tensorboard")).exists()
    assert "registered" in capsys.readouterr().out


def test_on_windows_the_conda_folders_come_too(tmp_path):
    for sub in ("Library/bin", "Library/usr/bin"):
        (tmp_path / sub).mkdir(parents=True)
    folders = kernel.path_folders(prefix=str(tmp_path), windows=True)
    assert folders[:3] == [str(tmp_path), str(tmp_path / "Library" / "usr" / "bin"), str(tmp_path / "Library" / "bin")]
    assert folders[-1] == sysconfig.get_path("scripts")


def test_ensure_installs_a_missing_kernel_and_refreshes_an_old_one(tmp_path, monkeypatch):
    """`tools lab` (and report, outputs) call ensure(): a kernel registered by a bare `python -m ipykernel install`,
    which has no env, gets the PATH entry; one of another environment is left alone."""
    jupyter = tmp_path / "share" / "jupyter"
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))  # searched before the user's and this environment's folders
    old = jupyter / "kernels" / kernel.NAME
    old.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": kernel.DISPLAY_NAME, "language": "python"}
    (old / "kernel.json").write_text(json.dumps(spec))
    assert kernel.find() == old and not kernel.is_current(old)
    assert kernel.ensure() == "refreshed" and kernel.is_current(old) and kernel.ensure() == "ok"
    assert json.loads((old / "kernel.json").read_text())["argv"] == spec["argv"], "only the env is added"
    (old / "kernel.json").write_text(json.dumps({**spec, "argv": ["/another/env/bin/python", *spec["argv"][1:]]}))
    assert kernel.ensure() == "other"
    installed = []
    monkeypatch.setattr(kernel, "find", lambda: None)
    monkeypatch.setattr(kernel, "install", lambda **kwargs: installed.append(kwargs) or tmp_path)
    assert kernel.ensure() == "installed" and installed == [{}]


def test_the_makefile_and_the_lab_command_register_it_this_way():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert '"$(PY)" -m tools kernel' in makefile and "ipykernel install" not in makefile
    import inspect

    from tools import lab

    assert "ready_kernel()" in inspect.getsource(lab.main)


def stripped_path() -> str:
    """The shell's PATH without this environment (as in a shell where it was never activated)."""
    scripts = os.path.realpath(sysconfig.get_path("scripts"))
    kept = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and os.path.realpath(p) != scripts and not os.path.realpath(p).startswith(os.path.realpath(sys.prefix))]
    return os.pathsep.join(kept or ["/usr/bin", "/bin"])


def stop_tensorboards(tmp: Path) -> list[int]:
    """Stop the TensorBoard processes %tensorboard started (their info files are in tmp/.tensorboard-info)."""
    stopped = []
    for info in (tmp / ".tensorboard-info").glob("pid-*.info"):
        pid = json.loads(info.read_text())["pid"]
        try:
            os.kill(pid, signal.SIGTERM)
            stopped.append(pid)
        except OSError:
            pass
    return stopped


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="checked on POSIX here; the kernelspec's PATH uses os.pathsep on Windows")
def test_tensorboard_magic_works_in_a_kernel_started_without_the_environment_on_path(tmp_path):
    """Issue 29, item 9: under `make lab` every %tensorboard cell said "ERROR: Could not find `tensorboard`" (the
    environment's bin/ was not on the kernel's PATH).  Here papermill — which starts kernels as JupyterLab does,
    through jupyter_client — runs a %tensorboard cell in the course's kernel, registered by `tools kernel`, from a
    shell whose PATH lacks the environment."""
    kernel.install(prefix=str(tmp_path / "prefix"))
    path = stripped_path()
    assert shutil.which("tensorboard", path=path) is None, "this shell's PATH must not have TensorBoard"
    logs = tmp_path / "logs"
    logs.mkdir()
    port = free_port()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": kernel.NAME, "display_name": kernel.DISPLAY_NAME,
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("%load_ext tensorboard"),
                nbformat.v4.new_code_cell(f"%tensorboard --logdir {logs} --port {port}")]
    nbformat.write(nb, tmp_path / "in.ipynb")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "PATH": path, "JUPYTER_PATH": str(tmp_path / "prefix" / "share" / "jupyter"), "TMPDIR": str(tmp)}
    env.pop("VIRTUAL_ENV", None)
    try:
        proc = subprocess.run([sys.executable, "-m", "papermill", str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"),
                               "--no-progress-bar", "--cwd", str(tmp_path)], env=env, capture_output=True, text=True,
                              timeout=240)
    finally:
        stopped = stop_tensorboards(tmp)
    assert proc.returncode == 0, proc.stderr[-3000:]
    outputs = json.dumps(nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[1].outputs)
    assert "Could not find" not in outputs, outputs
    assert "<iframe" in outputs or f"localhost:{port}" in outputs, outputs
    started = "".join(p.read_text(errors="replace") for p in tmp.glob(".tensorboard-stderr-*"))
    assert f"at http://localhost:{port}/" in started, started  # TensorBoard itself said it serves
    assert not serving(port), f"TensorBoard is stopped again (with its kernel, or by this test: {stopped})"


def serving(port: int, seconds: float = 10) -> bool:
    """Whether something still answers on ``port`` after up to ``seconds``."""
    import socket
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return False
        time.sleep(0.2)
    return True


def test_tools_tensorboard_runs_this_environments_tensorboard_on_the_lessons_runs():
    assert tb.command([]) == [sys.executable, "-m", "tensorboard.main", "--logdir", str(REPO_ROOT / "notebooks")]
    assert tb.command(["--logdir", "runs/train", "--port", "6007"]) == [
        sys.executable, "-m", "tensorboard.main", "--logdir", "runs/train", "--port", "6007"]
    assert tb.command(["--logdir=reports"])[-1] == "--logdir=reports" and "--logdir" not in tb.command(["--logdir=x"])[3:4]


def test_python_m_tensorboard_main_is_tensorboard():
    """What the README and `make tensorboard` run works with this environment's Python alone."""
    proc = subprocess.run([sys.executable, "-m", "tensorboard.main", "--version_tb"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PATH": stripped_path()})
    assert proc.returncode == 0 and proc.stdout.strip(), proc.stderr[-2000:]
