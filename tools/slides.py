"""Build a reveal.js slide deck of each lesson into slides/, readable with no internet.

    python -m tools slides                                   # every notebooks/NN_*.ipynb
    python -m tools slides --notebooks 03_convolution 04_pooling
    make slides NB='03_convolution'

Each deck is ``slides/NN_topic.slides.html`` (nbconvert's SlidesExporter, from the stored
outputs; nothing is executed), with ``slides/index.html`` listing them.  Open a deck in a
browser: arrow keys move, ``s`` opens the speaker view, ``Esc`` the overview.

Offline: nbconvert's reveal template loads reveal.js, require.js, jQuery, MathJax and mermaid
from CDNs.  Here the template loads reveal.js from ``slides/reveal.js/`` (copied from the
``sphinx-revealjs`` package, which ships reveal.js 5; ``--reveal-dir`` takes any other copy
with ``dist/`` and ``plugin/``) and MathJax 2 from ``slides/mathjax/`` (copied from the
``jupyter-server-mathjax`` package; without it math stays as TeX source), and leaves
require.js, jQuery, mermaid and the widget manager out.  So a deck references no http(s)
asset at all; this is checked after every build.

Slides follow ``cell.metadata.slideshow`` (see tools/slide_metadata.py).  A notebook that has
none yet gets :func:`slide_metadata.add_slide_metadata` applied to the copy that is exported.

Bad input is one line and exit status 2 before anything is written: an ``--out`` that is a file,
lies in one, cannot be written or has a name too long for the system; a notebook that is not JSON
or has no cell.  Every file is written whole or not at all (a temporary name, renamed; reveal.js and
MathJax copied into a temporary folder that takes the old one's place only when complete), so a full
disk is one line (exit status 1) and leaves the decks that were there as they were.
"""
from __future__ import annotations

import argparse
import contextlib
import html
import os
import shutil
import sys
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import SlidesExporter

from utils.errors import CourseError
from utils.messages import msg
from utils.paths import REPO_ROOT, folder_problem, show, write_atomic

from .notebooks import EDITIONS, read_notebook, select_notebooks, strip_unshowable
from .offline_html import (CSS_URL, MATHJAX_DIR_NAME, REMOTE, CopyFailed, copy_mathjax, copy_or_raise, mathjax_url,
                           offline_template, package_dir, remote_assets, replace_folder, write_problem)
from .slide_metadata import add_slide_metadata

REVEAL_DIR_NAME = "reveal.js"
THEME = "white"

# reveal.js files a deck needs, relative to a reveal.js folder (the theme's fonts come along).
REVEAL_FILES = ["LICENSE", "dist/reveal.css", "dist/reveal.js", f"dist/theme/{THEME}.css",
                "dist/theme/fonts/source-sans-pro", "plugin/notes/notes.js"]

#: reveal.js's theme writes headings in capitals ("03 · CONVOLUTION", and PyTorch names such as
#: ``nn.Conv2d`` become ``NN.CONV2D``): headings keep the lesson's own case.  The selector is more
#: specific than the theme's ``.reveal h1``, so it wins wherever the theme's stylesheet comes.
HEADING_CSS = """.reveal .slides h1, .reveal .slides h2, .reveal .slides h3,
.reveal .slides h4, .reveal .slides h5, .reveal .slides h6 { text-transform: none; }"""

# reveal.js (a UMD build) loads with plain <script> tags from the local copy, no require.js.
# Tall slides scroll instead of running off the projector.
_REVEAL_FOOTER = r"""
{%- block html_head_css -%}
<style type="text/css">
""" + HEADING_CSS + r"""
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ reveal_url_prefix }}/dist/reveal.js"></script>
<script src="{{ reveal_url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
    controls: true,
    progress: true,
    history: true,
    transition: "{{ reveal_transition }}",
    slideNumber: "{{ reveal_number }}",
    plugins: [RevealNotes],
    width: {{ reveal_width }},
    height: {{ reveal_height }},
});
function fitSlide() {
    // A slide taller than the screen scrolls (nbconvert's reveal_scroll, without jQuery).
    var height = Reveal.getConfig().height;
    var slide = Reveal.getCurrentSlide();
    if (slide && slide.scrollHeight > height) {
        slide.style.height = height + "px";
        slide.style.overflowY = "auto";
        slide.style.top = "0px";
    }
}
function rerenderMath() {
    // MathJax lays out hidden slides badly: render the shown one again, as nbconvert does.
    var slide = Reveal.getCurrentSlide();
    if (window.MathJax && MathJax.Hub && slide && MathJax.Hub.getAllJax(slide).length) {
        MathJax.Hub.Rerender(slide);
    }
}
Reveal.on("ready", fitSlide);
Reveal.on("slidechanged", fitSlide);
Reveal.on("slidechanged", rerenderMath);
Reveal.on("resize", fitSlide);
</script>
{% endblock footer_js %}
"""


def find_reveal_dir() -> Path:
    """reveal.js as shipped in the ``sphinx-revealjs`` package (requirements.txt)."""
    folder = package_dir("sphinx_revealjs")
    if folder is None:
        raise CourseError(msg("slides.no_reveal"))
    return folder / "_static" / "revealjs"


def copy_reveal(source: Path, out_dir: Path) -> Path:
    """Copy the reveal.js files the decks use into ``out_dir/reveal.js``; return that folder."""
    missing = [f for f in REVEAL_FILES if not (source / f).exists()]
    if missing:
        raise CourseError(msg("slides.not_reveal", path=source, missing=", ".join(missing)))
    def fill(target: Path) -> None:
        for name in REVEAL_FILES:
            src, dst = source / name, target / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, copy_function=copy_or_raise)
            else:
                copy_or_raise(src, dst)
        css = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in target.rglob("*.css"))
        remote = [u for u in CSS_URL.findall(css) if REMOTE.match(u)]
        if remote:
            raise CourseError(f"the reveal.js theme loads remote assets ({remote[0]}); pick another theme")

    return replace_folder(out_dir / REVEAL_DIR_NAME, fill)


def make_exporter(math: bool = True) -> SlidesExporter:
    """nbconvert's SlidesExporter with the offline template (``math``: MathJax in ./mathjax)."""
    return SlidesExporter(
        extra_loaders=[DictLoader({"offline_reveal.html.j2": offline_template("reveal", math, _REVEAL_FOOTER)})],
        template_file="offline_reveal.html.j2",
        reveal_url_prefix=REVEAL_DIR_NAME,
        reveal_theme=THEME,
        reveal_number="c/t",
        reveal_width="1280",
        reveal_height="800",
        mathjax_url=mathjax_url(),
        embed_images=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def prepare(nb) -> None:
    """Make the in-memory copy presentable: slide metadata if it has none; nothing unshowable."""
    if not any("slide_type" in c.get("metadata", {}).get("slideshow", {}) for c in nb.cells):
        add_slide_metadata(nb)
    strip_unshowable(nb)


def deck_path(notebook: Path, out_dir: Path) -> Path:
    """Where the deck of ``notebook`` goes: ``out_dir/<NN_topic>.slides.html``."""
    return out_dir / f"{notebook.stem}.slides.html"


def build_deck(notebook: Path, out_dir: Path, exporter: SlidesExporter | None = None) -> Path:
    """Write ``out_dir/<name>.slides.html`` for ``notebook``; return its path."""
    exporter = exporter or make_exporter(math=(out_dir / MATHJAX_DIR_NAME / "MathJax.js").is_file())
    nb = read_notebook(notebook)
    prepare(nb)
    resources = {"metadata": {"name": notebook.stem, "path": str(notebook.parent)}}  # embed_images reads path
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    remote = remote_assets(body)
    if remote:
        raise CourseError(f"{notebook.name}: the deck would load {remote[0]} from the internet")
    return write_atomic(deck_path(notebook, out_dir), lambda f: f.write(body.encode("utf-8")))


def write_index(decks: list[Path], out_dir: Path, language: str = "en") -> Path:
    """The decks' index page, in ``language`` (``"zh"`` for the Chinese edition's slides/zh/)."""
    rows = "\n".join(f'<li><a href="{html.escape(d.name)}">{html.escape(d.name.removesuffix(".slides.html"))}</a></li>'
                     for d in decks)
    if language == "zh":
        lang, title = "zh-CN", "幻灯片 · PyTorch 快速入门"
        intro = ("打开一份幻灯片：方向键翻页，<kbd>s</kbd> 打开演讲者视图，<kbd>Esc</kbd> 显示全部幻灯片的概览。"
                 "幻灯片不需要联网。")
    else:
        lang, title = "en", "Slides · PyTorch 快速入门"
        intro = ("Open a deck; arrow keys move, <kbd>s</kbd> opens the speaker view, <kbd>Esc</kbd> the overview.\n"
                 "The decks work offline.")
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 40em; margin: 2em auto; }} li {{ margin: .4em 0; }}</style>
</head><body>
<h1>{title}</h1>
<p>{intro}</p>
<ul>
{rows}
</ul>
</body></html>
"""
    return write_atomic(out_dir / "index.html", lambda f: f.write(page.encode("utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools slides", description="Build offline reveal.js slide decks of the lessons.")
    parser.add_argument("--notebooks", nargs="+", metavar="NB",
                        help="notebook names such as 03_convolution (default: every NN_*.ipynb)")
    parser.add_argument("--edition", choices=["all", *sorted(EDITIONS)], default="all",
                        help="all (default): slides/ from notebooks/ and slides/zh/ from notebooks/zh/; or one edition")
    parser.add_argument("--notebooks-dir", type=Path, help="build from this folder only (into --out)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "slides", help="output folder (default: slides/)")
    parser.add_argument("--reveal-dir", type=Path,
                        help="a reveal.js folder (dist/, plugin/) to copy instead of sphinx-revealjs's")
    args = parser.parse_args(argv)
    args.out = Path(os.path.abspath(args.out))  # relative to the current folder, as typed
    if args.notebooks_dir is not None:
        jobs = [(args.notebooks_dir, args.out)]
    else:
        editions = sorted(EDITIONS) if args.edition == "all" else [args.edition]
        jobs = [(EDITIONS[e], args.out if e == "en" else args.out / e) for e in editions
                if e == args.edition or any(EDITIONS[e].glob("[0-9][0-9]_*.ipynb"))]
    try:
        problem = folder_problem(args.out)
        if problem is not None:
            raise CourseError(msg("tools.out_unusable", path=args.out, problem=problem))
        reveal_source = args.reveal_dir or find_reveal_dir()
        chosen = [(select_notebooks(folder, args.notebooks), folder, out) for folder, out in jobs]
        for notebooks, _, _ in chosen:  # every notebook readable, before anything is written
            for notebook in notebooks:
                read_notebook(notebook)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    new_folders = sorted({folder for _, _, out in chosen for folder in (out, *out.parents) if not folder.exists()},
                         key=lambda p: len(p.parts), reverse=True)  # the folders this run will make, deepest first
    try:
        for notebooks, folder, out in chosen:
            language = "zh" if folder.resolve() == EDITIONS["zh"].resolve() else "en"
            index = build_decks(notebooks, out, reveal_source, language)
            print(msg("slides.done", path=index))
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (OSError, shutil.Error, CopyFailed) as err:  # a full disk: what was there before is whole
        where, reason = write_problem(err)
        for folder in new_folders:  # folders this run made and could not fill
            with contextlib.suppress(OSError):
                folder.rmdir()
        print("error: " + msg("tools.cannot_write", path=show(where) if where else show(args.out), reason=reason,
                              outcome=msg("tools.slides_kept")), file=sys.stderr)
        return 1
    return 0


def build_decks(notebooks: list[Path], out: Path, reveal_source: Path, language: str = "en") -> Path:
    """Build a deck per notebook into ``out`` with its own reveal.js and MathJax; return the index page."""
    out.mkdir(parents=True, exist_ok=True)
    copy_reveal(reveal_source, out)
    math = copy_mathjax(out)
    if not math:
        print(msg("slides.no_mathjax"))
    exporter = make_exporter(math)
    for notebook in notebooks:
        deck = build_deck(notebook, out, exporter)
        print(f"ok {deck.relative_to(out.parent) if out.name == 'zh' else deck.name}")
    return write_index(sorted(out.glob("[0-9][0-9]_*.slides.html")), out, language)


if __name__ == "__main__":
    sys.exit(main())
