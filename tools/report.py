"""Run the lessons headless with papermill into a new report folder with an index.html.

    python -m tools report                                   # every notebooks/NN_*.ipynb
    python -m tools report --device cuda --data folder:/path/to/images --epochs 3
    python -m tools report --params params.yaml --notebooks 03_convolution 08_optimizers
    python -m tools report --edition zh                      # the Chinese edition, notebooks/zh/
    make report DEVICE=cuda EPOCHS=3 NB='02_module 03_convolution'

Each run makes a new folder ``reports/<date>_<time>/`` (``-2``, ``-3``, ... if that name is
taken; earlier reports are never touched) holding, per notebook, papermill's executed
``NN_topic.ipynb`` and its ``NN_topic.html``, plus ``index.html`` (one row per notebook:
status, duration, device, data source, parameters, key results, error) and ``results.json``
(the same, for scripts).  The HTML pages need no internet: images are embedded, nbconvert's
CDN scripts (require.js, mermaid, widgets) are left out, and MathJax comes from the report's
own ``mathjax/`` folder (from the ``jupyter-server-mathjax`` package; without it math stays
as TeX source).

Parameters reach only the notebooks whose ``parameters`` cell defines them: ``--device`` sets
``device``, ``--data`` sets ``data_source``, ``--epochs`` sets ``epochs``; ``interactive=False``
and ``progress=False`` are always passed (headless).  A YAML file (``--params``) holds a
``default:`` block and per-notebook blocks (top level or under ``notebooks:``, as in
tests/ci_parameters.yaml); a per-notebook block may only name parameters that notebook
defines.  The command-line options win over the file.

Key results are what each lesson's probes read from its run (``tools/probes/<lesson>.yaml``, a
cell appended at execution time and removed from the page; see :mod:`tools.probes`); device and
data source are the common probes ("—" when absent).
A failing notebook is marked failed with its one-line error (``ename: evalue``); the others
still run, and the command exits 1.  A usage error (unknown notebook, unreadable params
file, an ``--out`` that is a file, read-only or too long a name) is one line on stderr, exit 2,
before anything runs or any folder is made.

A report's TensorBoard runs (and lesson 10's saved models) go into its own folder,
``reports/<date>_<time>/logs/`` (``log_dir``, for the lessons that have it, unless ``--params``
names another), never among a learner's own runs in ``notebooks/logs``.  Ctrl-C, SIGTERM or SIGHUP
stop the report with one line (status 128 + the signal's number): the notebook that was running
is marked interrupted and its half-run copy removed, and ``index.html`` lists what finished.
Every file is written whole (a temporary name, renamed); a full disk is one line, exit 1.
"""
from __future__ import annotations

import argparse
import html
import json
import logging
import os
import platform
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

import yaml

from utils import paths
from utils.cli import exit_status, interrupted_line, signal_name
from utils.errors import CourseError
from utils.messages import msg
from utils.results import read_results

from .notebooks import EDITIONS, notebook_parameters, select_notebooks, strip_unshowable
from .offline_html import CopyFailed, copy_mathjax, mathjax_url, offline_template, remote_assets, write_problem

HEADLESS = {"interactive": False, "progress": False}
MISSING = "—"
NOT_RESULTS = {"device", "data_source"}  # shown in their own columns


# ----------------------------------------------------------------------------- parameters

def parse_cli_value(text: str):
    """``"3"`` → 3, ``"0.5"`` → 0.5, anything else stays a string (the notebook checks it)."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def load_params_file(path: Path, known: set[str]) -> tuple[dict, dict[str, dict]]:
    """Read a params YAML file: ``(default block, {notebook: block})``; CourseError if unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = paths.os_reason(err) if isinstance(err, OSError) else type(err).__name__
        raise CourseError(msg("report.params_unreadable", path=path, reason=reason)) from None
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = msg("report.params_line", line=where.line + 1) if where is not None else ""
        raise CourseError(msg("report.params_not_yaml", path=path, line=line)) from None
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        raise CourseError(msg("report.params_not_mapping", path=path))
    default = spec.pop("default", None) or {}
    per_notebook = dict(spec.pop("notebooks", None) or {})
    for key in list(spec):
        if key in known:
            per_notebook[key] = spec.pop(key)
    if spec:
        raise CourseError(msg("report.params_unknown_key", path=path, entry=next(iter(spec)),
                              known=", ".join(sorted(known))))
    blocks = {"default": default, **{f"notebook {k}": v for k, v in per_notebook.items()}}
    for where, block in blocks.items():
        if not isinstance(block, dict) or not all(isinstance(k, str) for k in block):
            raise CourseError(msg("report.params_block", path=path, block=where))
    unknown = sorted(set(per_notebook) - known)
    if unknown:
        raise CourseError(msg("report.params_unknown_notebook", path=path, name=unknown[0],
                              known=", ".join(sorted(known))))
    return default, per_notebook


def unused_names(defined: dict[str, set[str]], given: dict) -> list[str]:
    """The names in ``given`` that no notebook of ``defined`` defines (a misspelt ``batchsize``, say)."""
    known = set().union(*defined.values()) if defined else set()
    return sorted(set(given) - known)


def plan_parameters(defined: dict[str, set[str]], default: dict, per_notebook: dict[str, dict],
                    cli: dict) -> dict[str, dict]:
    """The parameters each notebook gets: file default < file per-notebook < command line, then
    headless flags; each kept only where the notebook's parameters cell defines it."""
    plan = {}
    for name, names in defined.items():
        own = per_notebook.get(name) or {}
        extra = sorted(set(own) - names)
        if extra:
            raise CourseError(msg("report.params_undefined", notebook=name, name=extra[0],
                                  defined=", ".join(sorted(names)) or "-"))
        merged = {**default, **own, **cli, **HEADLESS}
        plan[name] = {k: v for k, v in merged.items() if k in names}
    return plan


# ----------------------------------------------------------------------------- running

def make_report_dir(reports_root: Path, stamp: str | None = None) -> Path:
    """Create a new folder ``reports_root/<stamp>`` atomically (``-2``, ``-3``, ... on collision)."""
    return paths.new_path(reports_root, stamp)


def one_line(text: str, limit: int = 300) -> str:
    line = next((s.strip() for s in str(text).splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


class _QuietParameterWarnings(logging.Filter):
    """Papermill's own parameter parser misreads comments holding '=' (``# batch_size=1``) and
    then warns of a "unknown parameter" it was given; :func:`notebook_parameters` checked them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(("Unable to parse line", "Passed unknown parameter"))


for _name in ("papermill", "papermill.translators"):
    logging.getLogger(_name).addFilter(_QuietParameterWarnings())


#: Passed to the kernel: ipykernel's start-up warnings (e.g. "Kernel is running over TCP without
#: encryption", about its local 127.0.0.1 connection) would otherwise be printed among the report's lines,
#: and so would the error it logs when a report stopped by Ctrl-C closes its connection mid-cell (a notebook's
#: own errors are in its outputs, not in the kernel's log).
KERNEL_ARGUMENTS = ["--log-level=CRITICAL"]


def run_notebook(notebook: Path, out_dir: Path, parameters: dict, kernel: str | None, timeout: int,
                 math: bool = False) -> dict:
    """Execute one notebook with papermill; return its row for the index."""
    from papermill.exceptions import PapermillExecutionError

    from .probes import execute, strip_probe_cell

    output = out_dir / notebook.name
    start = time.monotonic()
    error = None
    try:
        execute(notebook, output, parameters, kernel_name=kernel, progress_bar=False, log_output=False,
                execution_timeout=timeout, extra_arguments=KERNEL_ARGUMENTS)
    except PapermillExecutionError as err:
        error = one_line(f"{err.ename}: {err.evalue}")
    except Exception as err:  # kernel missing or dead, timeout, ...
        error = one_line(f"{type(err).__name__}: {err}")
    duration = time.monotonic() - start
    if output.exists() and error is not None and not _whole_notebook(output):
        output.unlink()  # papermill writes its copy as it goes: a full disk can leave half of it
    results = {}
    if output.exists():
        try:
            results = read_results(output)
            strip_probe_cell(output)  # the page shows the lesson, not the cell that read its numbers
        except (OSError, ValueError):
            pass
    row = {
        "notebook": notebook.stem,
        "status": "failed" if error else "ok",
        "duration_s": round(duration, 1),
        "device": results.get("device", MISSING),
        "data_source": results.get("data_source", MISSING),
        "parameters": parameters,
        "results": {k: v for k, v in results.items() if k not in NOT_RESULTS},
        "error": error,
        "ipynb": output.name if output.exists() else None,
        "html": None,
    }
    if output.exists():
        try:
            row["html"] = to_html(output, notebook.parent, math).name
        except Exception as err:  # the run's status stands; say why there is no page
            row["html_error"] = one_line(f"{type(err).__name__}: {err}")
    return row


def _whole_notebook(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return True
    except (OSError, ValueError):
        return False


def to_html(executed: Path, notebooks_dir: Path, math: bool = False) -> Path:
    """Convert an executed notebook to a self-contained HTML page next to it.

    nbconvert's 'lab' template (self-contained CSS), without its CDN scripts; ``math``: MathJax
    from the report's own ``mathjax/`` folder, else math stays as TeX source.
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="offline_lab.html.j2",
                            extra_loaders=[DictLoader({"offline_lab.html.j2": offline_template("lab", math)})],
                            mathjax_url=mathjax_url(), embed_images=True)
    nb = nbformat.read(executed, as_version=4)
    strip_unshowable(nb)
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": executed.stem, "path": str(notebooks_dir)}})
    remote = remote_assets(body)
    if remote:
        raise CourseError(f"the page would load {remote[0]} from the internet")
    return paths.write_atomic(executed.with_suffix(".html"), lambda f: f.write(body.encode("utf-8")))


# ----------------------------------------------------------------------------- index

def _value(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"


#: The index page's words, by language (the 中文版's report is in Chinese).
INDEX_WORDS = {
    "en": {"lang": "en", "report": "Report", "ran": "{ok} of {n} notebooks ran", "failed": "; {failed} failed or stopped",
           "created": "Created {created} with", "python": "Python", "no_html": "no HTML page",
           "columns": ["notebook", "status", "duration", "device", "data source", "parameters", "key results", "error"]},
    "zh": {"lang": "zh-CN", "report": "运行报告", "ran": "{n} 个笔记本中有 {ok} 个运行成功", "failed": "，{failed} 个失败或被中断",
           "created": "生成于 {created}，命令", "python": "Python", "no_html": "没有 HTML 页面",
           "columns": ["笔记本", "状态", "用时", "设备", "数据来源", "参数", "关键结果", "错误"]},
}


def write_index(folder: Path, rows: list[dict], meta: dict, language: str = "en") -> Path:
    """The report's index page, in ``language`` (``"zh"``: the Chinese edition's report)."""
    words = INDEX_WORDS[language]

    def cell(text: str) -> str:
        return f"<td>{text}</td>"

    body = []
    for row in rows:
        name = html.escape(row["notebook"])
        link = f'<a href="{html.escape(row["html"])}">{name}</a>' if row.get("html") else name
        if row.get("ipynb"):
            link += f' <small>(<a href="{html.escape(row["ipynb"])}">ipynb</a>)</small>'
        status = f'<span class="{row["status"]}">{row["status"]}</span>'
        params = ", ".join(f"{k}={_value(v)}" for k, v in row["parameters"].items())
        results = "<br>".join(f"<code>{html.escape(k)} = {html.escape(_value(v))}</code>"
                              for k, v in row["results"].items()) or MISSING
        error = html.escape(row["error"] or "")
        if row.get("html_error"):
            error += f"<br><small>{words['no_html']}: {html.escape(row['html_error'])}</small>"
        body.append("<tr>" + "".join([
            cell(link), cell(status), cell(f"{row['duration_s']:.1f} s"),
            cell(html.escape(str(row["device"]))), cell(html.escape(str(row["data_source"]))),
            cell(f"<small>{html.escape(params)}</small>"), cell(results), cell(f'<span class="error">{error}</span>'),
        ]) + "</tr>")
    failed = sum(r["status"] != "ok" for r in rows)
    summary = words["ran"].format(ok=len(rows) - failed, n=len(rows)) + (words["failed"].format(failed=failed) if failed else "")
    header = "".join(f"<th>{c}</th>" for c in words["columns"])
    page = f"""<!DOCTYPE html>
<html lang="{words['lang']}">
<head>
<meta charset="utf-8">
<title>{words['report']} {html.escape(folder.name)} · PyTorch 快速入门</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: .4em .6em; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
.ok {{ color: #17702a; font-weight: bold; }}
.failed, .interrupted {{ color: #b00020; font-weight: bold; }}
.error {{ color: #b00020; }}
code {{ font-size: 90%; }}
</style>
</head>
<body>
<h1>{words['report']} {html.escape(folder.name)}</h1>
<p>{html.escape(summary)}{"。" if language == "zh" else "."} {words['created'].format(created=html.escape(meta["created"]))}
<code>{html.escape(meta["command"])}</code> ({words['python']} {html.escape(meta["python"])}).</p>
<table>
<thead><tr>{header}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
</body>
</html>
"""
    return paths.write_atomic(folder / "index.html", lambda f: f.write(page.encode("utf-8")))


# ----------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools report",
                                     description="Run the lessons with papermill into reports/<time>/ with an index.html.")
    parser.add_argument("--notebooks", nargs="+", metavar="NB",
                        help="notebook names such as 03_convolution (default: every NN_*.ipynb)")
    parser.add_argument("--device", help="device for notebooks that take one: auto, cpu, cuda, cuda:N")
    parser.add_argument("--data", help="data_source: auto, cifar10, sample, synthetic, folder:<path>")
    parser.add_argument("--epochs", help="epochs, for notebooks that take it")
    parser.add_argument("--params", type=Path, help="YAML file: a default: block and per-notebook blocks")
    parser.add_argument("--edition", choices=sorted(EDITIONS), default="en",
                        help="en: notebooks/, zh: the Chinese edition notebooks/zh/ (default en)")
    parser.add_argument("--notebooks-dir", type=Path, help="where the lessons are (default: the edition's folder)")
    parser.add_argument("--out", type=Path, default=paths.REPO_ROOT / "reports", help="where report folders go (default: reports/)")
    parser.add_argument("--kernel", help="Jupyter kernel (default: the notebook's own, tudui-pytorch)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds one cell may run (default 3600)")
    args = parser.parse_args(argv)
    args.notebooks_dir = args.notebooks_dir or EDITIONS[args.edition]
    args.out = Path(os.path.abspath(args.out))  # relative to the current folder, as typed

    cli = {k: parse_cli_value(v) for k, v in
           (("device", args.device), ("data_source", args.data), ("epochs", args.epochs)) if v is not None}
    if "device" in cli:
        cli["device"] = str(args.device)
    if "data_source" in cli:
        cli["data_source"] = str(args.data)
    try:
        notebooks = select_notebooks(args.notebooks_dir, args.notebooks)
        known = {p.stem for p in args.notebooks_dir.glob("[0-9][0-9]_*.ipynb")}
        default, per_notebook = load_params_file(args.params, known) if args.params else ({}, {})
        defined = {nb.stem: notebook_parameters(nb) for nb in notebooks}
        plan = plan_parameters(defined, default, per_notebook, cli)
        problem = paths.folder_problem(args.out)
        if problem is not None:
            raise CourseError(msg("tools.out_unusable", path=args.out, problem=problem))
        folder = make_report_dir(args.out)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # the folder could not be made after all (a full disk)
        print("error: " + msg("tools.cannot_write", path=paths.show(args.out), reason=paths.os_reason(err),
                              outcome=msg("tools.nothing_ran")), file=sys.stderr)
        return 1
    for name in unused_names(defined, {**default, **cli}):
        print(msg("report.unused", name=name, defined=", ".join(sorted(set().union(*defined.values())))))
    logs = folder / "logs"  # the report's TensorBoard runs (and lesson 10's models): its own, not notebooks/logs
    for name, names in defined.items():
        if "log_dir" in names and "log_dir" not in {**default, **(per_notebook.get(name) or {}), **cli}:
            plan[name] = {**plan[name], "log_dir": str(logs)}

    meta = {"created": datetime.now().isoformat(timespec="seconds"),
            "command": " ".join(["python -m tools report", *(argv if argv is not None else sys.argv[1:])]),
            "python": platform.python_version()}
    rows = []
    if args.kernel is None:  # the course's kernel, with this environment on its PATH (tools.kernel)
        from .kernel import ensure

        ensure()
    print(msg("report.folder", path=folder))
    try:
        math = copy_mathjax(folder)
    except (OSError, shutil.Error, CopyFailed) as err:  # a full disk before anything ran: no report folder is left
        where, reason = write_problem(err)
        shutil.rmtree(folder, ignore_errors=True)
        print("error: " + msg("tools.cannot_write", path=paths.show(where or folder), reason=reason,
                              outcome=msg("tools.nothing_ran")), file=sys.stderr)
        return 1
    notebook = None
    try:
        for notebook in notebooks:
            print(msg("report.running", name=notebook.stem), flush=True)
            row = run_notebook(notebook, folder, plan[notebook.stem], args.kernel, args.timeout, math)
            rows.append(row)
            if row["status"] == "ok":
                print(msg("report.ok", name=row["notebook"], seconds=row["duration_s"]), flush=True)
            else:
                print(msg("report.failed", name=row["notebook"], seconds=row["duration_s"], error=row["error"]), flush=True)
            # keep the index current, so an interrupted run still leaves a readable report
            save_index(folder, rows, meta, args.edition)
    except KeyboardInterrupt as err:  # Ctrl-C, SIGTERM, SIGHUP: say what finished, drop the half-run notebook
        line = interrupted_line("python -m tools report", err, msg("tools.report_kept", path=paths.show(folder)))
        if notebook is not None and (not rows or rows[-1]["notebook"] != notebook.stem):
            for leftover in (folder / notebook.name, (folder / notebook.name).with_suffix(".html")):
                leftover.unlink(missing_ok=True)
            rows.append({"notebook": notebook.stem, "status": "interrupted", "duration_s": 0.0, "device": MISSING,
                         "data_source": MISSING, "parameters": plan[notebook.stem], "results": {},
                         "error": msg("tools.interrupted_here", signal=signal_name(err)), "ipynb": None, "html": None})
        try:
            save_index(folder, rows, meta, args.edition)
        except OSError:
            pass
        print(line, file=sys.stderr)
        return exit_status(err)
    except OSError as err:  # the index could not be written (a full disk): the pages written so far are whole
        print("error: " + msg("tools.cannot_write", path=paths.show(err.filename or folder),
                              reason=paths.os_reason(err), outcome=msg("tools.report_kept", path=paths.show(folder))),
              file=sys.stderr)
        return 1
    index = folder / "index.html"
    failed = [r["notebook"] for r in rows if r["status"] != "ok"]
    print(msg("report.done", path=index))
    if failed:
        print(msg("report.some_failed", failed=len(failed), total=len(rows), names=", ".join(failed)), file=sys.stderr)
        return 1
    return 0


def save_index(folder: Path, rows: list[dict], meta: dict, language: str) -> None:
    """``index.html`` and ``results.json`` of the rows so far, each written whole."""
    write_index(folder, rows, meta, language)
    text = json.dumps({**meta, "notebooks": rows}, indent=1, ensure_ascii=False, default=str)
    paths.write_atomic(folder / "results.json", lambda f: f.write(text.encode("utf-8")))


if __name__ == "__main__":
    sys.exit(main())
