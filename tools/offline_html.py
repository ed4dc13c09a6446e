"""Self-contained HTML for slides and reports: nbconvert templates without CDNs, offline MathJax.

nbconvert's templates load require.js, jQuery, MathJax, mermaid and the widget manager from
CDNs.  :func:`offline_template` leaves those out; MathJax 2 comes from the output folder's own
``mathjax/`` copy (from the ``jupyter-server-mathjax`` package) when :func:`copy_mathjax` found
it.  That package ships one web font, STIX-Web, while MathJax's combined configuration asks for
its TeX font (``jax/output/HTML-CSS/fonts/TeX/fontdata.js``, not shipped): so the copy gets a
small configuration file of its own, ``config/local/course.js``, that points MathJax at
STIX-Web, and :func:`mathjax_url` loads it after the combined configuration.  :func:`remote_assets` lists what a page would still fetch from the internet, so every
build can check that the answer is "nothing".

Every copy is made whole or not at all (:func:`replace_folder`): a full disk leaves the folder that
was there before, never a half-copied ``notes.js`` or empty MathJax files.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

MATHJAX_DIR_NAME = "mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # the configuration jupyter-server-mathjax ships
#: Parts of MathJax no page uses: the SVG output, the screen reader's speech rules (about 6 MB).
MATHJAX_SKIP = ("SVG", "mathmaps", "mathjax-sre.js")
#: MathJax's menus and messages follow the browser's language: English and Chinese are kept.
MATHJAX_LOCALES = ("en", "zh-hans", "zh-hant")
#: The web font MathJax uses: the only one jupyter-server-mathjax ships.
MATHJAX_FONT = "STIX-Web"
#: The course's own MathJax configuration, loaded after the combined one (``[MathJax]/config/local/course.js``).
MATHJAX_LOCAL_CONFIG = "local/course"
_COURSE_CONFIG = """// The course's MathJax settings (written by tools/offline_html.py): use the web font this copy ships.
MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "%s", imageFont: null}
});
MathJax.Ajax.loadComplete("[MathJax]/config/%s.js");
""" % (MATHJAX_FONT, MATHJAX_LOCAL_CONFIG)

# Blocks of nbconvert's templates that load from CDNs.
_NO_CDN = r"""
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
_NO_MATHJAX = r"""
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""

def offline_template(base: str, math: bool, extra: str = "") -> str:
    """A template extending nbconvert's ``base`` ('reveal' or 'lab') without any CDN.

    ``math``: keep nbconvert's MathJax block (pointed at the local copy); ``extra``: more
    Jinja blocks, e.g. the slides' own footer that loads reveal.js from a local folder.
    """
    text = "{%- extends '" + base + "/index.html.j2' -%}" + _NO_CDN + ("" if math else _NO_MATHJAX)
    return text + extra


# An asset reference: src= or href= of script, link, img, iframe, source, video, audio, embed;
# url(...) or @import in CSS; a module import in inline JavaScript.
_TAG = re.compile(r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(?:src|href|data)\s*=\s*(["'])(.*?)\1""", re.I | re.S)
CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)""", re.I)
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
# a module import in an inline script: import x from '...';  import('...')
_JS_IMPORT = re.compile(r"""\b(?:from|import)\s*\(?\s*["']([^"']+)["']""")


def asset_references(page: str) -> list[str]:
    """Every src/href of an asset tag and every CSS url(...)/@import in an HTML page."""
    refs = [m.group(2) for tag in _TAG.finditer(page) for m in _ATTR.finditer(tag.group(0))]
    for style in re.findall(r"<style\b[^>]*>(.*?)</style>", page, re.I | re.S):
        refs += CSS_URL.findall(style)
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.I | re.S):
        refs += _JS_IMPORT.findall(script)
    return refs


def remote_assets(page: str) -> list[str]:
    """The asset references of ``page`` that need the network (http:, https:, //host)."""
    return [ref for ref in asset_references(page) if REMOTE.match(ref.strip())]


def local_assets(page: str) -> list[str]:
    """The asset references of ``page`` that name local files (not data: URIs or anchors)."""
    return [ref for ref in asset_references(page)
            if not REMOTE.match(ref.strip()) and not ref.startswith(("data:", "#", "about:", "blob:"))]


def package_dir(package: str) -> Path | None:
    """The folder of an installed package, without importing it (None if it is not installed)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])



def replace_folder(target: Path, fill: Callable[[Path], None]) -> Path:
    """Make ``target`` anew with ``fill(folder)``, whole or not at all.

    ``fill`` builds the new folder under a temporary name next to ``target`` (same disk); only when it is
    complete does it take ``target``'s place, and the folder that was there is removed after.  A failure
    (a full disk: ``OSError`` or ``shutil.Error``) or an interrupt removes the temporary folder and leaves
    ``target`` as it was.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        fill(staging / target.name)
        old = staging / "previous"
        if target.exists():
            os.rename(target, old)
        try:
            os.rename(staging / target.name, target)
        except BaseException:
            if old.exists() and not target.exists():
                os.rename(old, target)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def write_problem(err: BaseException) -> tuple[str, str]:
    """``(path, reason)`` of a failed write: an ``OSError``, or the first error of a ``shutil.Error`` (copytree)."""
    from utils.paths import os_reason

    if isinstance(err, CopyFailed):
        err = err.error
    if isinstance(err, shutil.Error) and err.args and isinstance(err.args[0], list) and err.args[0]:
        _, where, why = err.args[0][0]
        return str(where), str(why)
    return str(getattr(err, "filename", None) or ""), os_reason(err)


def copy_mathjax(out_dir: Path) -> bool:
    """Copy MathJax 2 from ``jupyter-server-mathjax`` into ``out_dir/mathjax``; False if not installed."""
    folder = package_dir("jupyter_server_mathjax")
    source = folder / "static" if folder else None
    if source is None or not (source / "MathJax.js").is_file() or not (source / "config").is_dir():
        return False
    skip = shutil.ignore_patterns(*MATHJAX_SKIP)

    def ignore(folder: str, names: list[str]) -> set[str]:
        left_out = set(skip(folder, names))
        if Path(folder).name == "localization":
            left_out |= {n for n in names if n not in MATHJAX_LOCALES and (Path(folder) / n).is_dir()}
        return left_out

    def fill(target: Path) -> None:
        shutil.copytree(source, target, ignore=ignore, copy_function=copy_or_raise)
        local = target / "config" / f"{MATHJAX_LOCAL_CONFIG}.js"
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_text(_COURSE_CONFIG, encoding="utf-8")

    replace_folder(out_dir / MATHJAX_DIR_NAME, fill)
    return True


class CopyFailed(Exception):
    """A file copy that failed (a full disk): ends a ``copytree`` at once instead of at its end."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def copy_or_raise(src, dst, **kwargs):
    """``shutil.copy2``, but an ``OSError`` stops the whole copy (``copytree`` would try every other file first)."""
    try:
        return shutil.copy2(src, dst, **kwargs)
    except OSError as err:
        if err.filename is None:
            err.filename = str(dst)
        raise CopyFailed(err) from None


def mathjax_url() -> str:
    """The address pages load MathJax from: the copy in ``mathjax/``, its configuration, then the course's."""
    return f"{MATHJAX_DIR_NAME}/MathJax.js?config={MATHJAX_CONFIG},{MATHJAX_LOCAL_CONFIG}"
