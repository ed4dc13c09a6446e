"""The lesson notebooks: which there are, what parameters they take, what HTML can show of them.

Shared by ``make report``, ``make slides``, ``make outputs`` and the tests, so that every tool
finds, reads and cleans notebooks the same way.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from utils.errors import CourseError
from utils.paths import REPO_ROOT
from utils.results import MIME_TYPE

#: Where the lessons live: the English edition, and the Chinese one generated from it.
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
EDITIONS = {"en": NOTEBOOKS_DIR, "zh": NOTEBOOKS_DIR / "zh"}
#: ipywidgets' output type (tqdm.auto's progress bars in a kernel).
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


#: Notebooks whose outputs are not fingerprinted, and English course messages in Chinese outputs, are failures;
#: set this to 0 to see them as notes only (while re-running the notebooks after a change to utils, say).
STRICT_ENV = "COURSE_STRICT_OUTPUTS"


def code_fingerprint(nb) -> str:
    """A hash of the notebook's code cells' sources: stored as ``metadata.course.outputs_from`` by ``make outputs``."""
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def outputs_text(nb) -> str:
    """Everything the notebook's stored outputs show as text (:func:`output_text`), cell after cell."""
    return "\n".join("".join(output_text(o) for o in cell.get("outputs", [])) for cell in nb.cells
                     if cell.cell_type == "code")


def message_stamp(nb) -> dict[str, str]:
    """``{key: hash}`` of the course messages (:data:`utils.messages.MESSAGES`) that ``nb``'s outputs show.

    Each template, English and Chinese, is looked for with its :func:`utils.messages.pattern`; the hash
    (:func:`utils.messages.template_hash`) is of the templates found, e.g. ``"zh:1f0c…"``.
    """
    from utils.messages import LANGUAGES, patterns, template_hash

    text = outputs_text(nb)
    found: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for key, regex in patterns(lang).items():
            if regex.search(text):
                found.setdefault(key, []).append(lang)
    return {key: template_hash(key, "+".join(langs)) for key, langs in sorted(found.items())}


def fingerprint(nb) -> None:
    """Record in ``nb``'s metadata that its outputs come from its code, and the course's messages, as they are now.

    ``metadata.course.outputs_from``: a hash of the code cells; ``metadata.course.messages``: the messages of
    ``utils/messages.py`` the outputs show, each with a hash of its text (:func:`message_stamp`).
    """
    course = nb.metadata.setdefault("course", {})
    course["outputs_from"] = code_fingerprint(nb)
    course["messages"] = message_stamp(nb)


def stale_messages(nb, name: str) -> list[str]:
    """The course messages ``nb``'s outputs show whose text in ``utils/messages.py`` changed (or is gone) since the
    outputs were made, one line each; ``[]`` also when the notebook records none."""
    from utils.messages import LANGUAGES, MESSAGES, template_hash

    found = []
    for key, recorded in ((nb.metadata.get("course") or {}).get("messages") or {}).items():
        languages = str(recorded).split(":")[0]
        if key not in MESSAGES:
            found.append(f"{name}: its outputs show the course message {key}, which utils/messages.py no longer has; "
                         f"run make outputs NB={name}")
        elif any(lang not in LANGUAGES for lang in languages.split("+")) or template_hash(key, languages) != recorded:
            found.append(f"{name}: its outputs show the course message {key}, whose text in utils/messages.py changed "
                         f"since they were made; run make outputs NB={name}")
    return found


def output_problems(nb, name: str, strict: bool | None = None, messages: bool = False) -> tuple[list[str], list[str]]:
    """``(failures, notes)`` about the stored outputs of notebook ``nb`` (``name``: its path, for the messages).

    A failure: the outputs were produced by other code than the notebook now holds, or show a course message
    whose text in ``utils/messages.py`` has changed since (:func:`stale_messages`).  Outputs not fingerprinted
    yet, and (``messages``: a Chinese notebook) English course messages in its outputs
    (:func:`utils.i18n.english_messages`), are failures when ``strict`` (the default; the environment variable
    COURSE_STRICT_OUTPUTS=0 makes them notes).  Outputs whose messages were never recorded (stored before
    ``make outputs`` recorded them) are a note only: ``python -m tools outputs --stamp NB`` records them.
    """
    from utils.i18n import english_messages

    strict = os.environ.get(STRICT_ENV, "1") != "0" if strict is None else strict
    again = f"run make outputs NB={name}"
    failures, notes, unrecorded = [], [], []
    course = nb.metadata.get("course") or {}
    stored = course.get("outputs_from")
    if stored is None:
        notes.append(f"{name}: outputs not fingerprinted (made before make outputs recorded their code); {again}")
    elif stored != code_fingerprint(nb):
        failures.append(f"{name}: its stored outputs were produced by other code than it now holds; {again}")
    elif "messages" not in course:
        unrecorded.append(f"{name}: the course messages its outputs show are not recorded; if its outputs are "
                          f"current: python -m tools outputs --stamp {name}")
    failures += stale_messages(nb, name)
    if messages:
        patterns = [re.compile(p) for p in english_messages()]
        for number, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            text = "".join(output_text(o) for o in cell.get("outputs", []))
            hits = [m.group(0) for p in patterns for m in [p.search(text)] if m]
            if hits:
                notes.append(f"{name}: cell {cell.get('id', number)} (#{number}) shows the English message "
                             f"{hits[0].strip()!r}, which has a Chinese version; {again}")
    return (failures + notes, unrecorded) if strict else (failures, notes + unrecorded)


def output_text(output) -> str:
    """The text an output shows: a stream's text, a result's text/plain, an error's name and value."""
    if output.get("output_type") == "stream":
        text = output.get("text", "")
    elif output.get("output_type") == "error":
        text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
    else:
        text = output.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else str(text)


def write_notebook(nb, path: Path) -> Path:
    """Write ``nb`` to ``path`` as ``nbformat.write`` does, but atomically (:func:`utils.paths.write_atomic`): a full
    disk, a size limit or an interrupt leaves the notebook that was there whole, never half a JSON file."""
    import nbformat

    from utils.paths import write_atomic

    text = nbformat.writes(nb)
    text = text if text.endswith("\n") else text + "\n"
    return write_atomic(path, lambda f: f.write(text.encode("utf-8")))


def read_notebook(path: Path):
    """``path`` read as a notebook (nbformat 4), or :class:`CourseError` with one line: not JSON, not a notebook,
    or a notebook without a cell (say, a file saved by another program under a lesson's name)."""
    import nbformat

    from utils.messages import msg
    from utils.paths import show

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001 — nbformat raises JSON, validation and reading errors of many kinds
        reason = str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
        raise CourseError(msg("tools.not_a_notebook", path=show(path), reason=f"{type(err).__name__}: {reason}")) from None
    if not isinstance(nb.get("cells"), list) or not nb.cells:
        raise CourseError(msg("tools.no_cells", path=show(path)))
    return nb


def lessons(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Every lesson notebook ``NN_topic.ipynb`` in ``folder``, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def select_notebooks(notebooks_dir: Path, names: list[str] | None) -> list[Path]:
    """The lesson notebooks to use: all ``NN_*.ipynb`` in ``notebooks_dir``, or those named."""
    from utils.messages import msg

    available = lessons(notebooks_dir)
    if not names:
        if not available:
            raise CourseError(msg("tools.no_lessons", path=notebooks_dir))
        return available
    by_stem = {p.stem: p for p in available}
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        if stem not in by_stem:
            known = ", ".join(by_stem) or "none"
            raise CourseError(msg("tools.unknown_notebook", name=name, known=known))
        if by_stem[stem] not in chosen:
            chosen.append(by_stem[stem])
    return chosen


def notebook_parameters(notebook: Path) -> set[str]:
    """The names the notebook's ``parameters`` cell assigns (empty if it has none).

    The cell is parsed with :mod:`ast` (papermill.inspect_notebook's line parser misreads
    comments such as ``# batch_size=1``); papermill's parser is the fallback for cells that
    are not plain Python.
    """
    import ast

    from utils.messages import msg

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as err:
        raise CourseError(msg("tools.not_a_notebook", path=notebook.name, reason=f"{type(err).__name__}: {err}")) from None
    tagged = [c for c in cells if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        return set()
    source = tagged[0]["source"]
    source = "".join(source) if isinstance(source, list) else source
    try:
        tree = ast.parse(source)
    except SyntaxError:
        import papermill

        return set(papermill.inspect_notebook(str(notebook)))
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    names.add(sub.id)
    return names


def strip_unshowable(nb) -> None:
    """Drop what HTML cannot show: progress-bar widgets, and utils.record's data (its text stays)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                continue
            data.pop(MIME_TYPE, None)
            if "data" in output and not data:
                continue  # record(..., show=False): nothing to show
            kept.append(output)
        cell.outputs = kept
    nb.metadata.pop("widgets", None)
