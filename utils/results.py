"""Key results a notebook records, so reports and tests read numbers instead of scraping text.

In a notebook, :func:`record` shows ``name = value`` and also stores the value under a
course-specific MIME type in the cell's output.  :func:`read_results` reads them back from
an executed ``.ipynb`` (papermill's output, say).
"""
from __future__ import annotations

import json
import math
import numbers
from pathlib import Path
from typing import Any

MIME_TYPE = "application/vnd.tudui-course.result+json"


def _plain(value: Any) -> Any:
    """Convert tensors, NumPy scalars and tuples to JSON-friendly Python values."""
    if hasattr(value, "tolist"):  # torch.Tensor, numpy arrays and scalars
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else str(value)
    raise TypeError(f"record() takes numbers, strings, lists and dicts (got {type(value).__name__})")


def _emit(bundle: dict[str, Any]) -> None:
    """Send a MIME bundle to the notebook (or print its text outside IPython)."""
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is None:
        if "text/plain" in bundle:
            print(bundle["text/plain"])
        return
    display(bundle, raw=True)


def record(name: str, value: Any, show: bool = True) -> None:
    """Show ``name = value`` and store it for :func:`read_results`.

    Args:
        name: a short key such as ``"final_loss"``.
        value: a number, string, bool, tensor, or a list/dict of those.
        show: print ``name = value`` (``False``: store it silently, e.g. the device).
    """
    plain = _plain(value)
    bundle: dict[str, Any] = {MIME_TYPE: {"name": name, "value": plain}}
    if show:
        bundle["text/plain"] = f"{name} = {plain!r}"
    _emit(bundle)


def read_results(notebook: str | Path | dict) -> dict[str, Any]:
    """Return ``{name: value}`` of every :func:`record` call stored in an executed notebook."""
    nb = notebook if isinstance(notebook, dict) else json.loads(Path(notebook).read_text(encoding="utf-8"))
    found: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            entry = output.get("data", {}).get(MIME_TYPE)
            if entry is not None:
                found[entry["name"]] = entry["value"]
    return found
