"""tools/slides.py: `make slides` (= `python -m tools slides`) builds classroom decks that work offline."""
from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

import tools.__main__ as entry
from helpers import REPO_ROOT
from tools import slides
from utils.paths import portable_name
from utils.results import MIME_TYPE

SETUP = REPO_ROOT / "notebooks" / "00_setup.ipynb"
# a 1x1 PNG
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")).decode()


def md(text, **metadata):
    return nbformat.v4.new_markdown_cell(text, metadata=metadata)


def code(text, outputs=(), **metadata):
    cell = nbformat.v4.new_code_cell(text, metadata=metadata)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    cell.execution_count = 1
    return cell


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def small_lesson() -> nbformat.NotebookNode:
    """A lesson-shaped notebook with stored outputs (nothing is executed to build a deck)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = json.loads(SETUP.read_text(encoding="utf-8"))["metadata"]
    nb.cells = [
        md("# 98 · Tiny lesson (小课)\n\nAfter this lesson you will be able to count."),
        code('device = "auto"  # PARAMETERS-CELL-MARKER', tags=["parameters"]),
        code("lesson = 'set up'", [stream("Device: cpu\n")]),
        md("## Counting\nExplanation-of-counting, with math: $n^2 = 1764$."),
        code("print('hello', 42)", [stream("hello 42\n")]),
        md("A second thought, after the code."),
        code("record_it()", [
            {"output_type": "display_data", "metadata": {},
             "data": {MIME_TYPE: {"name": "n", "value": 42},
                      "text/plain": "n = 42"}},
            {"output_type": "display_data", "metadata": {},
             "data": {MIME_TYPE: {"name": "hidden", "value": 1}}},
            {"output_type": "display_data", "metadata": {},
             "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2,
                                                                   "version_minor": 0},
                      "text/plain": "HBox(progress bar)"}},
        ]),
        md("## A picture\nExplanation-of-the-picture."),
        code("show()", [{"output_type": "display_data", "metadata": {},
                         "data": {"image/png": PNG, "text/plain": "<Figure>"}}]),
        md("## Next\nGo on to lesson 99."),
    ]
    return nb


# ---------------------------------------------------------------- decks

@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    lessons = tmp_path_factory.mktemp("lessons")
    shutil.copy(SETUP, lessons / SETUP.name)
    nbformat.write(small_lesson(), lessons / "98_tiny.ipynb")
    out = tmp_path_factory.mktemp("slides")
    assert entry.main(["slides", "--notebooks-dir", str(lessons), "--out", str(out)]) == 0
    return lessons, out


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def top_slides(soup: BeautifulSoup) -> list:
    return soup.select("div.reveal > div.slides > section")


def asset_refs(soup: BeautifulSoup) -> list[str]:
    refs = [tag.get(attr) for tag in soup.find_all(["script", "link", "img", "iframe", "source", "video", "audio"])
            for attr in ("src", "href") if tag.get(attr)]
    for script in soup.find_all("script", src=False):  # module imports in inline JavaScript
        refs += re.findall(r"""\b(?:from|import)\s*\(?\s*["']([^"']+)["']""", script.get_text())
    for style in soup.find_all("style"):
        text = style.get_text()
        for marker in ("url(", "@import"):
            start = 0
            while (i := text.find(marker, start)) >= 0:
                refs.append(text[i + len(marker):i + len(marker) + 40].strip(" '\"("))
                start = i + 1
    return refs


@pytest.mark.parametrize("name", ["00_setup", "98_tiny"])
def test_one_slide_per_heading(decks, name):
    lessons, out = decks
    nb = nbformat.read(lessons / f"{name}.ipynb", as_version=4)
    headings = [c.source.splitlines()[0][3:] for c in nb.cells
                if c.cell_type == "markdown" and c.source.startswith("## ")]
    sections = top_slides(soup_of(out / f"{name}.slides.html"))
    assert len(sections) == len(headings) + 1  # the title slide, then one per '## '
    assert sections[0].find("h1") is not None
    for section, heading in zip(sections[1:], headings):
        assert section.find("h2").get_text(strip=True).startswith(heading.split("`")[0].strip())


def test_code_stays_with_its_explanation_and_output(decks):
    _, out = decks
    soup = soup_of(out / "98_tiny.slides.html")
    inner = [s for s in soup.find_all("section") if not s.find("section")]

    def slide_with(text):
        found = [s for s in inner if text in s.get_text()]
        assert len(found) == 1, text
        return found[0]

    counting = slide_with("print('hello', 42)")
    assert "Explanation-of-counting," in counting.get_text() and "hello 42" in counting.get_text()
    assert slide_with("A second thought") is not counting  # markdown after code opens a sub-slide
    assert "n = 42" in slide_with("record_it()").get_text()
    picture = slide_with("Explanation-of-the-picture.")
    assert picture.find("img", src=lambda s: s and s.startswith("data:image/png;base64,"))
    assert slide_with("Device: cpu") is not slide_with("Tiny lesson")  # title slide holds the title only
    page = (out / "98_tiny.slides.html").read_text(encoding="utf-8")
    assert "PARAMETERS-CELL-MARKER" not in page  # the parameters cell is skipped
    assert "HBox(progress bar)" not in page and "widget-view" not in page


def test_headings_keep_their_case(decks):
    """The white theme capitalises headings (``--r-heading-text-transform: uppercase``); the decks undo that."""
    from tools.slides import HEADING_CSS, REVEAL_DIR_NAME, THEME

    _, out = decks
    theme = (out / REVEAL_DIR_NAME / "dist" / "theme" / f"{THEME}.css").read_text(encoding="utf-8")
    assert "uppercase" in theme, "the theme still capitalises: this test still matters"
    soup = soup_of(out / "98_tiny.slides.html")
    styles = "\n".join(tag.get_text() for tag in soup.find_all("style"))
    assert HEADING_CSS in styles and "text-transform: none" in HEADING_CSS
    assert all(f".reveal .slides h{n}" in HEADING_CSS for n in range(1, 7))


@pytest.mark.parametrize("name", ["00_setup", "98_tiny"])
def test_decks_need_no_internet(decks, name):
    _, out = decks
    deck = out / f"{name}.slides.html"
    soup = soup_of(deck)
    refs = asset_refs(soup)
    remote = [r for r in refs if r.strip().lower().startswith(("http://", "https://", "//"))]
    assert remote == []
    local = [r for r in refs if not r.startswith(("data:", "#"))]
    assert "reveal.js/dist/reveal.js" in local and "reveal.js/dist/reveal.css" in local
    assert "reveal.js/plugin/notes/notes.js" in local
    assert any(ref.startswith("mathjax/MathJax.js?config=") for ref in local)  # math renders offline too
    for ref in local:
        assert (deck.parent / ref.split("?")[0]).is_file(), ref
    assert not soup.find("script", src=lambda s: s and "require" in s)
    assert "Reveal.initialize" in deck.read_text(encoding="utf-8")


def test_bundled_reveal_files_are_complete_and_offline(decks):
    _, out = decks
    reveal = out / "reveal.js"
    theme = reveal / "dist" / "theme" / "white.css"
    assert theme.is_file() and (reveal / "LICENSE").is_file()
    for css in reveal.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for part in text.split("url(")[1:]:
            ref = part.split(")")[0].strip(" '\"")
            if ref.startswith("data:"):
                continue
            assert not ref.startswith(("http:", "https:", "//")), (css.name, ref)
            assert (css.parent / ref.split("?")[0].split("#")[0]).is_file(), (css.name, ref)


def test_index_lists_the_decks(decks):
    _, out = decks
    links = [a["href"] for a in soup_of(out / "index.html").find_all("a")]
    assert links == ["00_setup.slides.html", "98_tiny.slides.html"]


def test_slides_cli_rejects_unknown_notebook(decks, tmp_path, capsys):
    lessons, _ = decks
    assert slides.main(["--notebooks-dir", str(lessons), "--out", str(tmp_path / "s"), "--notebooks", "42_x"]) == 2
    assert capsys.readouterr().err.startswith("error: unknown notebook '42_x'")
    assert not (tmp_path / "s").exists()


def test_deck_names_are_portable(decks):
    _, out = decks
    assert slides.deck_path(Path("notebooks/03_convolution.ipynb"), out) == out / "03_convolution.slides.html"
    assert all(portable_name(p.name) for p in out.rglob("*"))


def test_a_folder_that_is_not_reveal_js_is_refused(decks, tmp_path, capsys):
    lessons, _ = decks
    fake = tmp_path / "fake-reveal"
    (fake / "dist").mkdir(parents=True)
    args = ["--notebooks-dir", str(lessons), "--out", str(tmp_path / "s"), "--reveal-dir", str(fake)]
    assert slides.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "is not a reveal.js folder" in err and len(err.splitlines()) == 1


def test_the_chinese_editions_index_page_is_chinese(tmp_path):
    deck = tmp_path / "00_setup.slides.html"
    deck.write_text("<html></html>", encoding="utf-8")
    page = slides.write_index([deck], tmp_path, "zh").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<h1>幻灯片 · PyTorch 快速入门</h1>" in page and "Open a deck" not in page
    assert 'href="00_setup.slides.html"' in page


# ---------------------------------------------------------------- issue 29: bad input, full disks
@pytest.mark.parametrize("where, words", [("a file", "is a file, not a folder"), ("inside a file", "is a file"),
                                          ("a name too long", "the name is too long")])
def test_an_out_that_cannot_hold_decks_is_one_line_before_anything_is_written(decks, tmp_path, capsys, where, words):
    """Issue 29, item 6: --out naming an existing file gave FileExistsError, a 300-character name ENAMETOOLONG."""
    lessons, _ = decks
    afile = tmp_path / "slides.html"
    afile.write_text("mine")
    out = {"a file": afile, "inside a file": afile / "slides", "a name too long": tmp_path / ("s" * 300)}[where]
    assert slides.main(["--notebooks-dir", str(lessons), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out ") and words in err and len(err.splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slides.html"] and afile.read_text() == "mine"


@pytest.mark.parametrize("content, words", [("{not json", "is not a notebook (NotJSONError"),
                                            (json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                         "nbformat_minor": 5}), "without a single cell"),
                                            ("", "is not a notebook")])
def test_a_notebook_that_is_not_one_is_one_line_and_nothing_is_written(decks, tmp_path, capsys, content, words):
    """Issue 29, item 6: a non-JSON or cell-less NN_x.ipynb gave a traceback and left an out folder with only reveal.js."""
    lessons = tmp_path / "lessons"
    shutil.copytree(decks[0], lessons)
    (lessons / "50_broken.ipynb").write_text(content, encoding="utf-8")
    out = tmp_path / "slides"
    assert slides.main(["--notebooks-dir", str(lessons), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "50_broken.ipynb" in err and words in err and len(err.splitlines()) == 1, err
    assert not out.exists()


def test_a_full_disk_leaves_the_decks_that_were_there(decks, tmp_path, small_files):
    """Issue 29, item 5: a full disk gave an OSError traceback and left notes.js cut at 65,536 bytes and 0-byte MathJax
    files.  ``ulimit -f`` 64 KB stands for the full disk; the decks built before stay whole."""
    import subprocess
    import sys

    lessons, built = decks
    out = tmp_path / "slides"
    shutil.copytree(built, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    proc = subprocess.run([sys.executable, "-m", "tools", "slides", "--notebooks-dir", str(lessons), "--out", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, preexec_fn=small_files(64 * 1024))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: could not write ") and \
        "(the file is larger than this system allows); the slides that were there are as they were" in lines[0], lines
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in built.iterdir()), "no temporary folder left"


def test_a_full_disk_in_a_new_out_folder_leaves_nothing(decks, tmp_path, small_files):
    import subprocess
    import sys

    out = tmp_path / "new" / "slides"
    proc = subprocess.run([sys.executable, "-m", "tools", "slides", "--notebooks-dir", str(decks[0]), "--out", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, preexec_fn=small_files(64 * 1024))
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert list(tmp_path.iterdir()) == [], "no folder it made is left"
