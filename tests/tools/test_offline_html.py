"""tools/offline_html.py: HTML for slides and reports that needs no internet."""
from __future__ import annotations

from jinja2 import DictLoader
import nbformat
import pytest
from nbconvert import HTMLExporter

from tools.offline_html import (MATHJAX_DIR_NAME, MATHJAX_SKIP, asset_references, copy_mathjax, local_assets,
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
    (target / "stale.txt").write_text("from an earlier build")
    assert copy_mathjax(tmp_path) and not (target / "stale.txt").exists()
    assert mathjax_url().startswith(f"{MATHJAX_DIR_NAME}/MathJax.js?config=")


def test_package_dir_without_importing():
    assert package_dir("no_such_package_here") is None
    assert (package_dir("nbformat") / "__init__.py").is_file()
