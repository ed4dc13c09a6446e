"""tools/report.py: `make report` (= `python -m tools report`) runs notebooks with papermill into
reports/<time>/ with an index.

The report tests run on a notebooks folder they build themselves: a copy of 00_setup, a tiny
notebook that records values, and one that fails.  The tests that run them are marked
``notebook``; the usage errors and the pieces run without a kernel.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

import tools.__main__ as entry
from helpers import REPO_ROOT
from tools import report
from utils.paths import portable_name

SETUP = REPO_ROOT / "notebooks" / "00_setup.ipynb"


def make_notebook(path: Path, parameters: str, *code: str) -> Path:
    """A small lesson-shaped notebook: title, tagged parameters cell, code cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = json.loads(SETUP.read_text(encoding="utf-8"))["metadata"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"),
                nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
                *[nbformat.v4.new_code_cell(c) for c in code]]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def lessons(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course")  # a course folder: lessons in notebooks/, the sample beside them,
    (course / "sample").symlink_to(REPO_ROOT / "sample", target_is_directory=True)  # where lesson 00 looks for it
    folder = course / "notebooks"
    folder.mkdir()
    shutil.copy(SETUP, folder / SETUP.name)
    make_notebook(folder / "01_record.ipynb",
                  'epochs = 1         # budget\nprogress = True\ninteractive = True\nlabel = "default"',
                  "from utils import record\n"
                  "record('final_loss', round(1.0 / epochs, 3))\n"
                  "record('epochs_seen', epochs)\n"
                  "record('headless', [progress, interactive])\n"
                  "record('label', label)")
    make_notebook(folder / "02_fails.ipynb", "epochs = 1",
                  "raise RuntimeError('this lesson fails on purpose')\n")
    return folder


def run_report(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools", "report", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=900)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def index_rows(folder: Path) -> dict[str, dict]:
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    heads = [th.get_text(strip=True) for th in soup.select("thead th")]
    rows = {}
    for tr in soup.select("tbody tr"):
        cells = dict(zip(heads, tr.find_all("td")))
        link = cells["notebook"].find("a")  # a notebook stopped before it had a page has no link
        rows[(link or cells["notebook"]).get_text(strip=True)] = cells
    return rows


def no_remote_assets(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    refs = [tag.get(attr) for tag in soup.find_all(["script", "link", "img", "iframe", "source"])
            for attr in ("src", "href") if tag.get(attr)]
    return [r for r in refs if r.strip().lower().startswith(("http://", "https://", "//"))]


@pytest.fixture(scope="module")
def first_report(lessons, tmp_path_factory):
    """One report of all three notebooks: CI parameters from a file, --epochs and --device on top."""
    ci = yaml.safe_load((REPO_ROOT / "tests" / "ci_parameters.yaml").read_text(encoding="utf-8"))
    params = tmp_path_factory.mktemp("params") / "params.yaml"
    params.write_text(yaml.safe_dump({
        "default": {**(ci.get("default") or {}), "label": "from-file"},
        "notebooks": {"00_setup": ci["notebooks"]["00_setup"]},
        "01_record": {"epochs": 2},  # a top-level per-notebook block; --epochs below wins
    }), encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    proc = run_report("--notebooks-dir", str(lessons), "--out", str(out), "--params", str(params),
                      "--device", "cpu", "--epochs", "3")
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    return proc, out, folders


@pytest.mark.notebook
@pytest.mark.slow
def test_report_runs_every_notebook_and_indexes_them(first_report):
    proc, out, folders = first_report
    assert proc.returncode == 1, proc.stdout + proc.stderr  # one notebook failed
    assert "02_fails" in proc.stderr and "1 of 3 notebooks failed" in proc.stderr
    assert len(folders) == 1
    folder = folders[0]
    rows = index_rows(folder)
    assert list(rows) == ["00_setup", "01_record", "02_fails"]
    status = {name: cells["status"].get_text(strip=True) for name, cells in rows.items()}
    assert status == {"00_setup": "ok", "01_record": "ok", "02_fails": "failed"}
    assert rows["02_fails"]["error"].get_text(strip=True) == "RuntimeError: this lesson fails on purpose"
    assert rows["00_setup"]["error"].get_text(strip=True) == ""
    assert rows["00_setup"]["device"].get_text(strip=True) == "cpu"
    assert rows["00_setup"]["data source"].get_text(strip=True) in {"sample", "cifar10"}
    assert rows["01_record"]["device"].get_text(strip=True) == "—"  # it does not call start_lesson
    assert "batch_shape = [64, 3, 32, 32]" in rows["00_setup"]["key results"].get_text()
    assert "final_loss = 0.333" in rows["01_record"]["key results"].get_text()
    assert rows["00_setup"]["duration"].get_text(strip=True).endswith(" s")


@pytest.mark.notebook
@pytest.mark.slow
def test_report_passes_each_parameter_only_where_defined(first_report):
    _, _, (folder,) = first_report
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    by_name = {row["notebook"]: row for row in data["notebooks"]}
    setup, rec = by_name["00_setup"], by_name["01_record"]
    assert setup["parameters"] == {"device": "cpu", "progress": False, "num_images": 8}
    assert rec["parameters"] == {"epochs": 3, "progress": False, "interactive": False, "label": "from-file"}
    assert rec["results"] == {"final_loss": 0.333, "epochs_seen": 3, "headless": [False, False], "label": "from-file"}
    assert setup["results"]["test_size"] > 0 and setup["results"]["batch_shape"] == [64, 3, 32, 32]
    assert data["command"].startswith("python -m tools report ")
    executed = json.loads((folder / "00_setup.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and "num_images = 8" in "".join(injected[0]["source"])
    assert "epochs" not in "".join(injected[0]["source"])


@pytest.mark.notebook
@pytest.mark.slow
def test_report_pages_are_offline_html(first_report):
    _, _, (folder,) = first_report
    for name in ("00_setup", "01_record", "02_fails"):
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert no_remote_assets(page) == [], name
        soup = BeautifulSoup(page, "html.parser")
        for ref in [t.get("src") or t.get("href") for t in soup.find_all(["script", "link"])]:
            assert ref is None or (folder / ref.split("?")[0]).is_file(), ref  # e.g. mathjax/MathJax.js
    setup = (folder / "00_setup.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in setup  # the figure is embedded
    assert "this lesson fails on purpose" in (folder / "02_fails.html").read_text(encoding="utf-8")
    assert no_remote_assets((folder / "index.html").read_text(encoding="utf-8")) == []


@pytest.mark.notebook
@pytest.mark.slow
def test_second_report_is_a_new_folder_and_a_bad_parameter_fails_clearly(first_report, lessons):
    _, out, (first,) = first_report
    before = snapshot(first)
    proc = run_report("--notebooks-dir", str(lessons), "--out", str(out),
                      "--notebooks", "00_setup", "01_record.ipynb", "--device", "gpu")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(folders) == 2 and first in folders
    second = next(f for f in folders if f != first)
    assert snapshot(first) == before  # the earlier report is untouched
    rows = index_rows(second)
    assert list(rows) == ["00_setup", "01_record"]
    error = rows["00_setup"]["error"].get_text(strip=True)
    assert error.startswith("DeviceError: device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'")
    assert "\n" not in error and "Traceback" not in error
    assert rows["01_record"]["status"].get_text(strip=True) == "ok"  # it defines no device: not passed


# ---------------------------------------------------------------- usage errors and pieces (no kernel)

@pytest.mark.parametrize("args, message", [
    (["--notebooks", "07_nope"], "error: unknown notebook '07_nope'"),
    (["--params", "no/such/params.yaml"], "error: cannot read params file"),
])
def test_usage_errors_are_one_line_and_make_no_folder(lessons, tmp_path, args, message, capsys, monkeypatch):
    out = tmp_path / "reports"
    monkeypatch.chdir(REPO_ROOT)
    assert entry.main(["report", "--notebooks-dir", str(lessons), "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_the_edition_picks_the_notebooks_folder(tmp_path, capsys, monkeypatch):
    """--edition zh runs notebooks/zh/ (checked here with a name that exists in neither edition)."""
    for edition in ("en", "zh"):
        assert report.main(["--edition", edition, "--out", str(tmp_path / "r"), "--notebooks", "99_nope"]) == 2
        assert "unknown notebook '99_nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        report.main(["--edition", "fr"])
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("text, message", [
    ("default: [1, 2\n", "is not valid YAML (line"),
    ("- just a list\n", "must be a mapping"),
    ("defaults:\n  epochs: 1\n", "unknown key 'defaults'"),
    ("notebooks:\n  09_missing:\n    epochs: 1\n", "names notebook '09_missing', which does not exist"),
    ("00_setup:\n  epochs: 1\n", "gives 00_setup 'epochs', which its parameters cell does not define"),
    ("default: 3\n", "the default block must map parameter names to values"),
])
def test_bad_params_file_is_one_line_error(lessons, tmp_path, capsys, text, message):
    params = tmp_path / "params.yaml"
    params.write_text(text, encoding="utf-8")
    out = tmp_path / "reports"
    assert report.main(["--notebooks-dir", str(lessons), "--out", str(out), "--params", str(params)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_report_folders_are_new_and_portable(tmp_path):
    first, second = report.make_report_dir(tmp_path), report.make_report_dir(tmp_path)
    assert first != second and first.parent == second.parent == tmp_path
    assert portable_name(first.name) and portable_name(second.name) and not any(first.iterdir())


def test_report_folders_never_collide(tmp_path):
    first = report.make_report_dir(tmp_path, "2024-01-01_10-00-00")
    (first / "index.html").write_text("first")
    second = report.make_report_dir(tmp_path, "2024-01-01_10-00-00")
    third = report.make_report_dir(tmp_path, "2024-01-01_10-00-00")
    assert [first.name, second.name, third.name] == ["2024-01-01_10-00-00", "2024-01-01_10-00-00-2",
                                                     "2024-01-01_10-00-00-3"]
    assert (first / "index.html").read_text() == "first" and not any(second.iterdir())


def test_parameter_plan_filters_and_orders_sources():
    defined = {"a": {"device", "epochs", "progress"}, "b": {"device", "max_steps", "interactive", "progress"}}
    plan = report.plan_parameters(defined, default={"epochs": 1, "max_steps": 5, "seed": 3},
                                  per_notebook={"b": {"max_steps": 7}}, cli={"device": "cuda", "epochs": 4})
    assert plan == {"a": {"device": "cuda", "epochs": 4, "progress": False},
                    "b": {"device": "cuda", "max_steps": 7, "interactive": False, "progress": False}}
    assert report.parse_cli_value("3") == 3 and report.parse_cli_value("cuda:0") == "cuda:0"


def test_one_line_keeps_the_first_line_short():
    assert report.one_line("\n  first line\nsecond") == "first line"
    assert len(report.one_line("x" * 500)) == 300 and report.one_line("x" * 500).endswith("…")


def test_index_page_lists_rows_and_needs_no_internet(tmp_path):
    rows = [{"notebook": "01_a", "status": "ok", "duration_s": 1.5, "device": "cpu", "data_source": "sample",
             "parameters": {"epochs": 1}, "results": {"loss": 0.5}, "error": None, "ipynb": "01_a.ipynb", "html": "01_a.html"},
            {"notebook": "02_<b>", "status": "failed", "duration_s": 0.2, "device": "—", "data_source": "—",
             "parameters": {}, "results": {}, "error": "RuntimeError: <boom>", "ipynb": None, "html": None}]
    index = report.write_index(tmp_path, rows, {"created": "2024-01-01T00:00:00", "command": "python -m tools report",
                                                "python": "3.11"})
    page = index.read_text(encoding="utf-8")
    assert no_remote_assets(page) == [] and "<boom>" not in page and "&lt;boom&gt;" in page
    soup = BeautifulSoup(page, "html.parser")
    assert [tr.find("td").get_text(strip=True) for tr in soup.select("tbody tr")] == ["01_a(ipynb)", "02_<b>"]
    assert soup.select_one("tbody tr a")["href"] == "01_a.html"
    assert "1 of 2 notebooks ran; 1 failed" in page and "loss = 0.5" in page


def test_help_lists_every_data_source(capsys):
    with pytest.raises(SystemExit):
        report.main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "data_source: auto, cifar10, sample, synthetic, folder:<path>" in help_text


def test_the_kernel_is_started_without_its_tcp_warning(tmp_path, monkeypatch):
    """ipykernel warns "Kernel is running over TCP without encryption" at start-up, and logs an error when a report
    stopped by Ctrl-C closes its connection: the report passes it --log-level=CRITICAL."""
    import papermill

    seen = {}
    monkeypatch.setattr(papermill, "execute_notebook", lambda *args, **kwargs: seen.update(kwargs))
    notebook = make_notebook(tmp_path / "01_a.ipynb", "x = 1")
    (tmp_path / "out").mkdir()
    report.run_notebook(notebook, tmp_path / "out", {}, None, 60)
    assert seen["extra_arguments"] == ["--log-level=CRITICAL"]


def test_the_chinese_editions_index_page_is_chinese(tmp_path):
    rows = [{"notebook": "00_setup", "status": "ok", "duration_s": 1.5, "device": "cpu", "data_source": "sample",
             "parameters": {}, "results": {}, "error": None, "ipynb": None, "html": None}]
    page = report.write_index(tmp_path, rows, {"created": "2024-01-01T00:00:00", "command": "python -m tools report "
                                               "--edition zh", "python": "3.11"}, "zh").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html["lang"] == "zh-CN" and soup.h1.get_text().startswith("运行报告")
    assert [th.get_text() for th in soup.select("thead th")][:3] == ["笔记本", "状态", "用时"]
    assert "1 个笔记本中有 1 个运行成功" in page and "notebooks ran" not in page


def test_a_misspelt_default_parameter_is_named():
    """batchsize for batch_size in the params file's default block is named in a note, not dropped without a word."""
    assert report.unused_names({"00_setup": {"batch_size", "seed"}, "02_module": {"epochs"}},
                               {"batchsize": 32, "seed": 1, "epochs": 2}) == ["batchsize"]


# ---------------------------------------------------------------- issue 29: bad --out, full disks, Ctrl-C, own logs
@pytest.mark.parametrize("where, words", [("a file", "is a file, not a folder"),
                                          ("a name too long", "the name is too long")])
def test_an_out_that_cannot_hold_reports_is_one_line_and_makes_nothing(lessons, tmp_path, capsys, where, words):
    """Issue 29, item 6: --out naming a file gave FileExistsError, a 300-character name ENAMETOOLONG."""
    afile = tmp_path / "reports.txt"
    afile.write_text("mine")
    out = afile if where == "a file" else tmp_path / ("r" * 300)
    assert report.main(["--notebooks-dir", str(lessons), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out ") and words in err and len(err.splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports.txt"]


def test_a_full_disk_before_anything_ran_is_one_line_and_leaves_no_folder(lessons, tmp_path, small_files):
    """Issue 29, item 5: a full disk gave a shutil.Error traceback and half-copied MathJax files."""
    out = tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-m", "tools", "report", "--notebooks-dir", str(lessons), "--out", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, preexec_fn=small_files(64 * 1024))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: could not write ") and "nothing was run" in lines[0], lines
    assert list(out.iterdir()) == [], "the report folder it made is removed again"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_leaves_an_index_of_what_finished_and_no_half_run_notebook(tmp_path):
    """Issue 29, item 6: Ctrl-C during `tools report` gave a traceback, left a half-run notebook and no index.html.
    Also item 9: the report's TensorBoard runs go into its own folder (log_dir), not notebooks/logs."""
    import signal

    lessons = tmp_path / "lessons"
    lessons.mkdir()
    make_notebook(lessons / "00_quick.ipynb", 'log_dir = "logs"  # TensorBoard folder',
                  "import os\nfrom torch.utils.tensorboard import SummaryWriter\n"
                  "writer = SummaryWriter(os.path.join(log_dir, '00_quick'))\nwriter.close()\nprint('logged to', log_dir)")
    make_notebook(lessons / "01_sleeps.ipynb", "epochs = 1", "import time\ntime.sleep(120)")
    out = tmp_path / "reports"
    proc = subprocess.Popen([sys.executable, "-m", "tools", "report", "--notebooks-dir", str(lessons), "--out", str(out)],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stdout:  # wait until the second notebook runs
        lines.append(line)
        if line.startswith("running 01_sleeps"):
            break
    time.sleep(3)  # its kernel has started and sleeps
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, "".join(lines) + rest + err
    folder = next(out.iterdir())
    assert err.splitlines() == [f"python -m tools report: interrupted (Ctrl-C); the notebooks that finished are in "
                                f"{folder} (see its index.html)"], err
    rows = index_rows(folder)
    assert [r["status"].get_text(strip=True) for r in rows.values()] == ["ok", "interrupted"]
    assert not (folder / "01_sleeps.ipynb").exists() and (folder / "00_quick.ipynb").exists()
    assert list((folder / "logs" / "00_quick").glob("events.out.tfevents.*")), "the report's run is in its own folder"
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert [(r["notebook"], r["status"]) for r in results["notebooks"]] == [("00_quick", "ok"), ("01_sleeps", "interrupted")]
    assert results["notebooks"][0]["parameters"]["log_dir"] == str(folder / "logs")


def test_report_runs_get_their_own_log_dir_unless_one_is_given(lessons, tmp_path, monkeypatch):
    seen = {}

    def run_notebook(notebook, folder, params, *args):
        seen[notebook.stem] = params
        return {"notebook": notebook.stem, "status": "ok", "duration_s": 0.0, "device": "-", "data_source": "-",
                "parameters": params, "results": {}, "error": None, "ipynb": None, "html": None}

    monkeypatch.setattr(report, "run_notebook", run_notebook)
    monkeypatch.setattr(report, "copy_mathjax", lambda folder: False)
    monkeypatch.setattr("tools.kernel.ensure", lambda: "ok")
    folder_lessons = tmp_path / "lessons"
    folder_lessons.mkdir()
    make_notebook(folder_lessons / "05_logs.ipynb", 'log_dir = "logs"  # TensorBoard folder\nepochs = 1', "pass")
    make_notebook(folder_lessons / "06_none.ipynb", "epochs = 1", "pass")
    assert report.main(["--notebooks-dir", str(folder_lessons), "--out", str(tmp_path / "r")]) == 0
    folder = next((tmp_path / "r").iterdir())
    assert seen["05_logs"]["log_dir"] == str(folder / "logs") and "log_dir" not in seen["06_none"]
    params = tmp_path / "params.yaml"
    params.write_text("default:\n  log_dir: /somewhere/mine\n", encoding="utf-8")
    seen.clear()
    assert report.main(["--notebooks-dir", str(folder_lessons), "--out", str(tmp_path / "r"), "--params", str(params)]) == 0
    assert seen["05_logs"]["log_dir"] == "/somewhere/mine"
