"""What the tests and ``make report`` read from a lesson run, without a line in the lesson for it.

A lesson computes its numbers with plain PyTorch and prints them; it keeps no variable and
makes no call for the tests.  To check those numbers, the tests (and ``make report``, for its
"key results" column) run the lesson with one extra cell appended at execution time — the
*probe cell* — that evaluates named Python expressions in the lesson's namespace and stores
their values in the run's output.  The stored notebook never holds that cell.

Each lesson's probes are a YAML file ``tools/probes/<lesson>.yaml``, name → expression::

    stride1: output[0, 0]                              # a tensor becomes a nested list
    max_ge_avg_everywhere: bool((maxed >= avged).all())
    run_folder: writer.log_dir

Every lesson also gets ``device`` and ``data_source`` (for the report's columns).  An
expression that fails (a renamed variable, say) stores ``{"probe_error": "..."}`` under its name,
so the run still finishes and the test that reads it fails with the reason.

A second cell, put *before* the lesson's first cell (the *recorder*), keeps every text matplotlib
draws in the run's figures (titles, axis and tick labels, legends, captions): the probe cell stores
them as ``drawn_texts``, so that the tests can read what a figure says (the 中文版's figures must say it
in Chinese, ``tests/test_chinese_output.py``) without a line in the lesson.  Both cells carry the tag
:data:`PROBE_TAG`; :func:`strip_probe_cell` removes them.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import yaml

from utils.paths import REPO_ROOT

PROBES_DIR = REPO_ROOT / "tools" / "probes"
#: The tag of the appended cell (removed again by :func:`strip_probe_cell`).
PROBE_TAG = "course-probe"
#: Probes every lesson gets, where its namespace defines the names they read.
COMMON = {"device": "str(device)", "data_source": "data_source"}


def probes_of(lesson: str, folder: Path = PROBES_DIR) -> dict[str, str]:
    """The probes of ``lesson`` (e.g. ``"03_convolution"``): ``{name: expression}``; {} if it has none."""
    path = folder / f"{lesson}.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError(f"{path}: expected a mapping of names to Python expressions (strings)")
    return data


#: The code of the recorder cell: wraps ``Figure.draw`` so that each drawn figure's visible texts are kept.
RECORDER_SOURCE = "\n".join([
    "import matplotlib.figure as _probe_figure",
    "from matplotlib.text import Text as _probe_Text",
    "_probe_drawn = []",
    "_probe_draw = _probe_figure.Figure.draw",
    "def _probe_recording_draw(self, renderer, *args, **kwargs):",
    "    _probe_result = _probe_draw(self, renderer, *args, **kwargs)",
    "    _probe_drawn.extend(t.get_text() for t in self.findobj(_probe_Text) if t.get_visible() and t.get_text().strip())",
    "    return _probe_result",
    "_probe_figure.Figure.draw = _probe_recording_draw",
])


def probe_source(probes: dict[str, str]) -> str:
    """The code of the probe cell for ``probes`` (names of its own start with ``_probe``); it also stores
    the texts the recorder cell saw drawn, as ``drawn_texts`` (when a figure was drawn)."""
    return "\n".join([
        "from utils.results import record as _probe_record",
        f"for _probe_name, _probe_expr in {json.dumps({**COMMON, **probes}, ensure_ascii=False)}.items():",
        "    try:",
        "        _probe_value = eval(_probe_expr)",
        "    except Exception as _probe_err:",
        "        if _probe_name in " + repr(tuple(COMMON)) + ":",
        "            continue",
        "        _probe_value = {'probe_error': f'{_probe_expr}: {type(_probe_err).__name__}: {_probe_err}'}",
        "    try:",
        "        _probe_record(_probe_name, _probe_value, show=False)",
        "    except TypeError as _probe_err:",
        "        _probe_record(_probe_name, {'probe_error': f'{_probe_expr}: {_probe_err}'}, show=False)",
        "if globals().get('_probe_drawn'):",
        "    _probe_record('drawn_texts', sorted(set(_probe_drawn)), show=False)",
    ])


def with_probe_cell(nb: nbformat.NotebookNode, lesson: str, folder: Path = PROBES_DIR) -> nbformat.NotebookNode:
    """``nb`` with the probe cell of ``lesson`` appended (a lesson without probes gets the common ones), and the
    recorder cell put before its first cell."""
    cell = nbformat.v4.new_code_cell(probe_source(probes_of(lesson, folder)))
    cell.metadata["tags"] = [PROBE_TAG]
    recorder = nbformat.v4.new_code_cell(RECORDER_SOURCE)
    recorder.metadata["tags"] = [PROBE_TAG]
    nb.cells = [recorder, *nb.cells, cell]
    return nb


def strip_probe_cell(path: Path) -> None:
    """Remove the probe and recorder cells from an executed notebook (what a report page shows is the lesson)."""
    from .notebooks import write_notebook

    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if PROBE_TAG not in c.metadata.get("tags", [])]
    write_notebook(nb, path)


def execute(notebook: Path, output: Path, parameters: dict, **papermill_options) -> Path:
    """Run ``notebook`` with papermill and its probe cell appended; the kernel starts in the
    notebook's folder, as in JupyterLab.  Returns ``output`` (read it with ``utils.read_results``)."""
    import papermill

    notebook, output = Path(notebook), Path(output)
    nb = with_probe_cell(nbformat.read(notebook, as_version=4), notebook.stem)
    source = output.with_name(output.stem + ".probed-input.ipynb")
    nbformat.write(nb, source)
    try:
        papermill.execute_notebook(str(source), str(output), parameters=parameters, cwd=str(notebook.parent),
                                   **papermill_options)
    finally:
        source.unlink(missing_ok=True)
    return output
