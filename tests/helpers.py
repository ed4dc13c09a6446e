"""Helpers the tests import by name (``from helpers import ...``): notebooks, their parameters, papermill."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ZH_NOTEBOOKS = sorted((REPO_ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))


def devices() -> list[str]:
    """The devices the notebooks are executed on: the CPU, and CUDA where there is a GPU."""
    import torch

    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def parameters_of(notebook: Path) -> dict:
    """The names and values assigned in the notebook's first code cell, which must be tagged."""
    import ast
    import json

    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert cells, f"{notebook.name} has no code cell"
    first = cells[0]
    assert "parameters" in first.get("metadata", {}).get("tags", []), \
        f"{notebook.name}: the first code cell must be tagged 'parameters'"
    values = {}
    for node in ast.parse("".join(first["source"])).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name), \
            f"{notebook.name}: the parameters cell may hold plain assignments only"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def ci_parameters(notebook: Path, device: str, runs_dir: str | None = None) -> dict:
    """The CI-sized papermill parameters of ``notebook`` (see ``ci_parameters.yaml``); the lesson's TensorBoard runs
    and project folder go into ``runs_dir`` (default: the test session's ``COURSE_RUNS_DIR``)."""
    runs_dir = runs_dir or os.environ["COURSE_RUNS_DIR"]
    import yaml

    spec = yaml.safe_load((Path(__file__).parent / "ci_parameters.yaml").read_text(encoding="utf-8"))
    defined = parameters_of(notebook)
    params = {k: v for k, v in (spec.get("default") or {}).items() if k in defined}
    params.update((spec.get("notebooks") or {}).get(notebook.stem) or {})
    params["device"] = device
    if "log_dir" in defined:  # TensorBoard runs made by the tests go to the test session's folder
        params["log_dir"] = os.path.join(runs_dir, notebook.stem)
    if "project_dir" in defined:  # lesson 10's project folder too, one per edition
        params["project_dir"] = os.path.join(runs_dir, f"{notebook.stem}-{edition(notebook)}-project")
    return params


def execute(notebook: Path, out_dir: Path, **parameters) -> Path:
    """Execute ``notebook`` with papermill (kernel in the notebook's folder, as in JupyterLab) and
    its probe cell appended (:mod:`tools.probes`); return the output path (``read_results`` reads it)."""
    from tools.probes import execute as execute_with_probes

    prefix = "zh-" if notebook.parent.name == "zh" else ""
    out = out_dir / f"{prefix}{notebook.stem}-{len(list(out_dir.glob('*.ipynb')))}.ipynb"
    return execute_with_probes(notebook, out, parameters, progress_bar=False, execution_timeout=900)


def tensorboard_events(name: str, results: dict):
    """The TensorBoard events (every scalar, image and histogram) of the run folder that lesson
    ``name`` recorded as ``run_folder``; fails if that folder holds no event file."""
    from tensorboard.backend.event_processing.event_accumulator import HISTOGRAMS, IMAGES, SCALARS, EventAccumulator

    run = Path(os.environ["COURSE_RUNS_DIR"]) / name / results["run_folder"]  # run_folder may be absolute
    assert any(p.name.startswith("events.out.tfevents") for p in run.iterdir()), f"no TensorBoard events in {run}"
    return EventAccumulator(str(run), size_guidance={HISTOGRAMS: 0, IMAGES: 0, SCALARS: 0}).Reload()


def edition(path: str | os.PathLike[str]) -> str:
    """``"zh"`` for a notebook of the Chinese edition (stored, or run by :func:`execute`), else ``"en"``."""
    path = Path(path)
    return "zh" if path.parent.name == "zh" or path.name.startswith("zh-") else "en"


def stored_notebooks(name: str) -> list[Path]:
    """The stored notebook ``name`` of each edition (parametrize with ``ids=edition``)."""
    return [REPO_ROOT / "notebooks" / f"{name}.ipynb", REPO_ROOT / "notebooks" / "zh" / f"{name}.ipynb"]


def pick(path: str | os.PathLike[str], en: str, zh: str) -> str:
    """``en`` or ``zh``: what the notebook at ``path`` prints, in its edition's language."""
    return zh if edition(path) == "zh" else en


def not_answered(path: str | os.PathLike[str], id: str) -> str:
    """The line ``check(id, None)`` prints in the notebook's language."""
    return pick(path, f"Exercise {id}: not answered yet", f"练习 {id}：还没有作答")


def notebook_outputs(path: str | os.PathLike[str]) -> list[dict]:
    """Every output of every cell of the notebook at ``path``, in order."""
    import json

    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return [o for c in cells for o in c.get("outputs", [])]


def stream_text(path: str | os.PathLike[str]) -> str:
    """All that the notebook's cells printed (stream outputs), joined."""
    return "".join("".join(o.get("text", "")) for o in notebook_outputs(path) if o.get("output_type") == "stream")


# ----------------------------------------------------------------------------- data on disk (tests/utils, tests/tools)
def write_cifar(root: str | os.PathLike[str], per_batch: int = 4, seed: int = 0, skip: tuple[str, ...] = ()) -> Path:
    """Write a tiny CIFAR-10 in torchvision's python format under ``root/cifar-10-batches-py``.

    ``data_batch_1..5`` and ``test_batch`` hold ``per_batch`` random images each; the names in
    ``skip`` are left out (a broken dataset).  Returns the ``cifar-10-batches-py`` folder.
    """
    import pickle

    import numpy as np

    from utils.data import CIFAR10_CLASSES, CIFAR_DIR

    rng = np.random.default_rng(seed)
    folder = Path(root) / CIFAR_DIR
    folder.mkdir(parents=True)
    entries = {"batches.meta": {"label_names": list(CIFAR10_CLASSES), "num_cases_per_batch": per_batch, "num_vis": 3072}}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        entries[name] = {"batch_label": name, "data": rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8),
                         "labels": rng.integers(0, 10, per_batch).tolist(),
                         "filenames": [f"{name}_{i}.png" for i in range(per_batch)]}
    for name, entry in entries.items():
        if name not in skip:
            with open(folder / name, "wb") as f:
                pickle.dump(entry, f, protocol=2)
    return folder


def write_cifar_archive(path: str | os.PathLike[str], **kwargs) -> Path:
    """A ``cifar-10-python.tar.gz``-shaped archive of :func:`write_cifar`'s dataset at ``path``."""
    import tarfile
    import tempfile

    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_cifar(tmp, **kwargs)
        with tarfile.open(path, "w:gz") as tar:
            tar.add(folder, arcname=folder.name)
    return path


def md5_of(path: str | os.PathLike[str]) -> str:
    import hashlib

    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def tree(folder: str | os.PathLike[str]) -> dict[str, bytes | None]:
    """Everything under ``folder``: relative path → file bytes (``None`` for a folder); {} if absent."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


# ----------------------------------------------------------------------------- JupyterLab (make lab, python -m tools lab)
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_args(port: int, token: str = "test-token") -> list[str]:
    """JupyterLab options for a test server: this port, loopback only, no browser, a known token."""
    return ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"]


def serves_jupyterlab(cmd: list[str], port: int, token: str = "test-token", timeout: float = 120) -> str:
    """Start ``cmd`` (which should serve JupyterLab on ``port``), wait until it answers, check that its
    root folder is ``notebooks/`` and that /lab loads; stop it (its whole process group); return the
    root folder's listing (JSON text).  Fails with the command's output if it exits or never answers."""
    import signal
    import subprocess
    import time
    import urllib.request

    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, answer = time.time() + timeout, None
        while time.time() < deadline and answer is None:
            time.sleep(0.5)
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/api/contents?type=directory",
                                             headers={"Authorization": f"token {token}"})
                answer = urllib.request.urlopen(req, timeout=5).read().decode()
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(f"{' '.join(cmd)} exited: {proc.stdout.read().decode()[-3000:]}") from None
        assert answer is not None, f"JupyterLab did not answer within {timeout:g} s"
        lab = urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=30)
        assert lab.status == 200
        return answer
    finally:
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        proc.stdout.close()


def english_course_messages(path: str | os.PathLike[str]) -> list[str]:
    """The English course messages that have a Chinese version (``utils.i18n.english_messages``) found in
    the outputs of the executed notebook at ``path``."""
    import re

    from tools.notebooks import output_text
    from utils.i18n import english_messages

    text = "".join(output_text(o) for o in notebook_outputs(path))
    return [m.group(0) for p in english_messages() for m in [re.search(p, text)] if m]


# --------------------------------------------------------------------------- nbval, beside the rest of the suite
#: Lessons whose default run trains for minutes: nbval runs both editions with the CI-sized parameters (their checked
#: cells are small worked examples that do not depend on the budget); their default runs are checked through the
#: stored outputs (tests/lessons/test_lesson_10.py, test_lesson_11.py) and lesson 10's project run at its defaults.
LONG_LESSONS = {"10_training_routine", "11_better_model"}


def run_nbval(nb: Path, folder: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """nbval on the stored notebook ``nb`` (a long lesson: a copy in ``folder`` with the CI-sized parameters injected
    as papermill injects them, its runs in ``folder``), in a pytest of its own."""
    target = str(nb.relative_to(REPO_ROOT))
    if nb.stem in LONG_LESSONS:
        import nbformat
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        # load_notebook_node, as papermill reads a notebook: every cell gets its tags list
        copy = parameterize_notebook(load_notebook_node(str(nb)), ci_parameters(nb, "cpu", runs_dir=str(folder / "runs")))
        target = str(folder / nb.name)
        nbformat.write(copy, target)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
           "--nbval-sanitize-with", str(REPO_ROOT / "tests" / "nbval_sanitize.cfg"), "--nbval-cell-timeout", "900", target]
    return subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1800)


class BackgroundNbval:
    """nbval's runs of the lessons, one at a time in a thread that starts with the test session, beside the rest of
    the suite (which runs one notebook or one test at a time and leaves much of a second core idle); ``test_nbval``
    reads their results.  The environment is the one the session started with (a test's monkeypatching does not
    reach them); each run has a folder of its own.  ``tests/conftest.py`` starts it and puts the nbval tests last."""

    def __init__(self, notebooks: list[Path]) -> None:
        self.env = dict(os.environ)
        self.folder = Path(tempfile.mkdtemp(prefix="course-nbval-"))
        self.results: dict[Path, object] = {}
        self.done = {nb: threading.Event() for nb in notebooks}
        self.stopped = False
        self.thread = threading.Thread(target=self._run_all, args=(list(notebooks),), daemon=True)
        self.thread.start()

    def _run_all(self, notebooks: list[Path]) -> None:
        for i, nb in enumerate(notebooks):
            if self.stopped:
                break
            folder = self.folder / str(i)
            folder.mkdir()
            try:
                self.results[nb] = run_nbval(nb, folder, self.env)
            except BaseException as err:  # e.g. the timeout: the test reports it
                self.results[nb] = err
            self.done[nb].set()

    def result(self, nb: Path) -> subprocess.CompletedProcess:
        """nbval's run of ``nb``, once it is over (an error it raised is raised here)."""
        self.done[nb].wait()
        result = self.results[nb]
        if isinstance(result, BaseException):
            raise result
        return result

    def wait(self) -> None:
        """Until every run is over (a test that times itself waits for an idle machine)."""
        self.thread.join()

    def stop(self) -> None:
        """Start no more runs; wait for the one under way (one lesson), then remove the runs' folders."""
        self.stopped = True
        self.thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)


#: Set when the test session chose ``OMP_NUM_THREADS=1`` itself (tests/conftest.py): a test that times a run as a
#: learner starts it removes both.
SESSION_THREADS = "COURSE_TEST_ONE_THREAD"

#: The session's background nbval runs, if it has them (set by tests/conftest.py).
BACKGROUND: dict[str, BackgroundNbval] = {}


def background_idle() -> None:
    """Wait until the session's background runs are over (for a test that measures time)."""
    if "nbval" in BACKGROUND:
        BACKGROUND["nbval"].wait()
