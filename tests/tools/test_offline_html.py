"""tools/offline_html.py: HTML for slides and reports that needs no internet."""
from __future__ import annotations

import re

from jinja2 import DictLoader
import nbformat
import pytest
from nbconvert import HTMLExporter

from tools.offline_html import (MATHJAX_DIR_NAME, MATHJAX_FONT, MATHJAX_LOCAL_CONFIG, MATHJAX_LOCALES, MATHJAX_SKIP,
                                asset_references, copy_mathjax, local_assets,
                                mathjax_url, offline_template, package_dir, remote_assets)


def test_remote_asset_detector():
    page = ('<script src="https://cdn.x/r.js"></script><link href="//fonts.x/a.css" rel="stylesheet">'
            '<img src="data:image/png;base64,AA"><a href="https://example.com">a link is fine</a>'
            '<style>@import url(http://x/y.css);</style><script src="reveal.js/dist/reveal.js"></script>')
    assert remote_assets(page) == ["https://cdn.x/r.js", "//fonts.x/a.css", "http://x/y.css"]
    assert local_assets(page) == ["reveal.js/dist/reveal.js"]
    module = "<script type='module'>import mermaid from 'https://cdn.x/mermaid.mjs';</script>"
    assert remote_assets(module) == ["https://cdn.x/mermaid.mjs"]
    assert remote_assets("<iframe src='HTTPS://x/y'></iframe><video src=\"//v/x.mp4\"></video>") == ["HTTPS://x/y", "//v/x.mp4"]
    assert asset_references('<style>body { background: url("img/a.png"); }</style>') == ["img/a.png"]


def _export(math: bool) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T\n\n$x^2$"), nbformat.v4.new_code_cell("print(1)")]
    exporter = HTMLExporter(template_name="lab", template_file="t.html.j2", mathjax_url=mathjax_url(),
                            extra_loaders=[DictLoader({"t.html.j2": offline_template("lab", math)})])
    body, _ = exporter.from_notebook_node(nb)
    return body


@pytest.mark.parametrize("math", [True, False])
def test_offline_template_loads_nothing_from_a_cdn(math):
    page = _export(math)
    assert remote_assets(page) == []
    assert "require.js" not in page and "mermaid" not in page.lower().split("<body")[0]
    assert (mathjax_url() in page) is math


def test_mathjax_is_copied_without_the_unused_parts(tmp_path):
    if package_dir("jupyter_server_mathjax") is None:
        pytest.skip("jupyter-server-mathjax is not installed")
    assert copy_mathjax(tmp_path)
    target = tmp_path / MATHJAX_DIR_NAME
    assert (target / "MathJax.js").is_file() and (target / "config").is_dir()
    assert not [p for p in target.rglob("*") if any(skip in p.parts for skip in MATHJAX_SKIP)]
    assert sorted(p.name for p in (target / "localization").iterdir() if p.is_dir()) == sorted(MATHJAX_LOCALES)
    (target / "stale.txt").write_text("from an earlier build")
    assert copy_mathjax(tmp_path) and not (target / "stale.txt").exists()
    assert mathjax_url().startswith(f"{MATHJAX_DIR_NAME}/MathJax.js?config=")


def test_every_file_mathjax_asks_for_is_in_the_copy(tmp_path):
    """Nothing MathJax loads is missing: its configurations, what they load, and the web font's data.

    MathJax's combined configuration asks for its TeX font (``fonts/TeX/fontdata.js``), which
    jupyter-server-mathjax does not ship, so formulas fell back to another font; the course's
    own configuration points it at STIX-Web, which is shipped.
    """
    if package_dir("jupyter_server_mathjax") is None:
        pytest.skip("jupyter-server-mathjax is not installed")
    assert copy_mathjax(tmp_path)
    target = tmp_path / MATHJAX_DIR_NAME
    configs = mathjax_url().split("config=", 1)[1].split(",")
    assert configs[-1] == MATHJAX_LOCAL_CONFIG
    for name in configs:
        assert (target / "config" / f"{name}.js").is_file(), name
    text = "\n".join((target / "config" / f"{name}.js").read_text(encoding="utf-8") for name in configs)
    start = text.index("Preloading(")
    bundled = set(re.findall(r"\[MathJax\]/([\w./-]+)", text[start:text.index(")", start)]))
    for ref in set(re.findall(r"\[MathJax\]/([\w./-]+)", text)) - bundled:
        assert (target / ref).is_file(), f"MathJax would load {ref}, which is not in the copy"
    for ref in set(re.findall(r"\[a11y\]/([\w./-]+)", text)):
        assert (target / "extensions" / "a11y" / ref).is_file(), ref
    ours = (target / "config" / f"{MATHJAX_LOCAL_CONFIG}.js").read_text(encoding="utf-8")
    assert "availableFonts: []" in ours and "imageFont: null" in ours  # never a locally installed or image font
    font = re.search(r'webFont: "([^"]+)"', ours).group(1)
    assert font == MATHJAX_FONT
    fontdata = target / "jax" / "output" / "HTML-CSS" / "fonts" / font / "fontdata.js"
    assert fontdata.is_file()
    parts = set(re.findall(r'"([A-Za-z]+/[A-Za-z]+/Main\.js)"', fontdata.read_text(encoding="utf-8")))
    assert parts and not [p for p in parts if not (fontdata.parent / p).is_file()]
    assert len(list((target / "fonts" / "HTML-CSS" / font / "woff").glob("*.woff"))) > 40


def test_package_dir_without_importing():
    assert package_dir("no_such_package_here") is None
    assert (package_dir("nbformat") / "__init__.py").is_file()
