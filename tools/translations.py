"""The Chinese edition: ``notebooks/zh/`` generated from the English lessons plus translation files.

    make translations          # = python -m tools translations [build]
    make check-translations    # = python -m tools translations check   (part of make test)
    python -m tools translations stub 02_convolution   # add entries for untranslated cells
    python -m tools translations mark 02_convolution a8eb0734   # a translation was updated

One file per lesson, ``translations/zh/NN_topic.yaml``, maps each cell of the English notebook
(by its cell id) to its Chinese version and records a hash of the English source it was made
from::

    cells:
      a8eb0734:                 # the English cell's id
        source_hash: 3f2a9c1d0b7e
        markdown: |
          # 02 · 卷积层
          ...
      67455b70:
        source_hash: 9d8e7f6a5b4c
        code: same              # the English code as it is (nothing to translate)
      c393ad87:
        source_hash: 1a2b3c4d5e6f
        code: |                 # comments and string literals in Chinese, the code itself unchanged
          ...

**One source for code**: a Chinese code cell may differ from the English one only in comments
and string literals (an f-string keeps its ``{…}`` fields); ``check`` compares the two token by
token.  **Staleness is caught**: ``check`` fails, naming the lesson and the cell, when an English
cell changed after its translation was made (the hash differs), when a cell has no translation
(or one still marked ``todo``), when a translation belongs to no cell, and when
``notebooks/zh/`` is not what ``build`` makes from the current files.  After translating a
changed cell, ``mark`` records the English cell's new hash.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import string
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from utils.paths import REPO_ROOT

from .notebooks import EDITIONS, lessons

TRANSLATIONS_DIR = REPO_ROOT / "translations" / "zh"
SAME = "same"


def source_hash(source: str) -> str:
    """The hash a translation records of the English cell it translates (12 hex digits)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


# --------------------------------------------------------------------------- code shape
def _fields(literal: str) -> list[tuple]:
    """The replacement fields ``{expr!c:spec}`` of an f-string literal, in order."""
    body = literal.lstrip("rRbBuUfF")
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    body = body[len(quote):len(body) - len(quote)]
    try:
        return [(name, conv, spec) for _, name, spec, conv in string.Formatter().parse(body) if name is not None]
    except ValueError:
        return [("<unparsable>", body)]


def code_shape(source: str) -> list[tuple]:
    """The code's tokens without comments, with each string literal reduced to its kind.

    Two cells with the same shape differ at most in comments, in the text of string literals
    and in line breaks inside brackets.  Cells that Python cannot tokenize (IPython magics such
    as ``%tensorboard``) are compared line by line without ``#`` comments.
    """
    source = source.rstrip("\n") + "\n"  # a last line with or without its line break is the same code
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [("line", line.split("#")[0].rstrip()) for line in source.splitlines() if line.split("#")[0].strip()]
    shape: list[tuple] = []
    fstring_depth = 0
    for tok in tokens:
        kind = tokenize.tok_name[tok.type]
        if kind in ("COMMENT", "NL", "ENCODING", "ENDMARKER"):
            continue
        if kind == "FSTRING_START":  # Python 3.12+: f-strings come as several tokens
            fstring_depth += 1
            shape.append(("FSTRING",))
            continue
        if kind == "FSTRING_END":
            fstring_depth -= 1
            continue
        if kind == "FSTRING_MIDDLE":
            continue
        if kind == "STRING":
            prefix = tok.string[: len(tok.string) - len(tok.string.lstrip("rRbBuUfF"))].lower()
            shape.append(("STRING", _fields(tok.string)) if "f" in prefix else ("STRING",))
            continue
        if kind == "ERRORTOKEN" and not tok.string.strip():
            continue
        if kind == "NEWLINE":
            shape.append((kind,))
            continue
        shape.append((kind, tok.string))
    return shape


# --------------------------------------------------------------------------- files
@dataclass
class Problem:
    """One thing ``check`` found wrong: which lesson, which cell, what."""

    lesson: str
    cell: str
    text: str

    def __str__(self) -> str:
        where = f"{self.lesson}, cell {self.cell}" if self.cell else self.lesson
        return f"{where}: {self.text}"


class _Literal(str):
    """A string dumped as a YAML block scalar (``|``)."""


def _literal(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")


yaml.SafeDumper.add_representer(_Literal, _literal)


def translation_path(lesson: str, folder: Path = TRANSLATIONS_DIR) -> Path:
    return folder / f"{lesson}.yaml"


def load(lesson: str, folder: Path = TRANSLATIONS_DIR) -> dict:
    """The translation file of ``lesson`` as ``{cell id: entry}`` (empty if there is none)."""
    path = translation_path(lesson, folder)
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(data.get("cells") or {})


def save(lesson: str, cells: dict, folder: Path = TRANSLATIONS_DIR) -> Path:
    """Write ``cells`` (in the English notebook's order) to the lesson's translation file."""
    path = translation_path(lesson, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = {}
    for cell_id, entry in cells.items():
        entry = dict(entry)
        for key in ("markdown", "code"):
            if isinstance(entry.get(key), str) and entry[key] != SAME:
                entry[key] = _Literal(entry[key].rstrip("\n") + "\n")
        out[str(cell_id)] = entry
    header = (f"# 中文版 of notebooks/{lesson}.ipynb: one entry per English cell (by cell id).\n"
              f"# After editing: python -m tools translations build && python -m tools outputs notebooks/zh/{lesson}.ipynb\n")
    text = yaml.dump({"lesson": lesson, "cells": out}, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False,
                     width=4096)
    path.write_text(header + text, encoding="utf-8")
    return path


def translate(english: nbformat.NotebookNode, cells: dict) -> nbformat.NotebookNode:
    """The Chinese notebook made from ``english`` and its translation entries (sources only)."""
    zh = nbformat.v4.new_notebook(metadata=english.metadata)
    for cell in english.cells:
        entry = cells.get(cell.id) or {}
        text = entry.get(cell.cell_type)
        if text is None or text == SAME:
            text = cell.source
        new = nbformat.from_dict({k: v for k, v in cell.items() if k not in ("outputs", "execution_count", "source")})
        new.source = text.rstrip("\n")
        if cell.cell_type == "code":
            new.outputs, new.execution_count = [], None
        zh.cells.append(new)
    return zh


def problems_of(lesson: str, english_dir: Path = EDITIONS["en"], zh_dir: Path = EDITIONS["zh"],
                folder: Path = TRANSLATIONS_DIR) -> list[Problem]:
    """Everything stale, missing or inconsistent in one lesson's Chinese edition."""
    english = nbformat.read(english_dir / f"{lesson}.ipynb", as_version=4)
    cells = load(lesson, folder)
    found: list[Problem] = []
    if not cells:
        return [Problem(lesson, "", f"no translation file {translation_path(lesson, folder).relative_to(REPO_ROOT) if folder.is_relative_to(REPO_ROOT) else translation_path(lesson, folder)}; "
                                    f"run: python -m tools translations stub {lesson}")]
    ids = [c.id for c in english.cells]
    for number, cell in enumerate(english.cells):
        where = f"{cell.id} (#{number}, {cell.cell_type})"
        entry = cells.get(cell.id)
        if not entry or entry.get(cell.cell_type) is None:
            found.append(Problem(lesson, where, "has no translation"))
            continue
        if entry.get("todo"):
            found.append(Problem(lesson, where, "is still marked todo (not translated yet)"))
        if entry.get("source_hash") != source_hash(cell.source):
            found.append(Problem(lesson, where, "the English cell changed since its translation was made; update the "
                                                f"translation, then: python -m tools translations mark {lesson} {cell.id}"))
        text = entry[cell.cell_type]
        if cell.cell_type == "code" and text != SAME and code_shape(text) != code_shape(cell.source):
            found.append(Problem(lesson, where, "the Chinese code differs from the English code (only comments and "
                                                "string literals may differ)"))
    for cell_id in cells:
        if cell_id not in ids:
            found.append(Problem(lesson, str(cell_id), "translates a cell the English notebook no longer has; delete it"))
    zh_path = zh_dir / f"{lesson}.ipynb"
    if not zh_path.exists():
        found.append(Problem(lesson, "", f"notebooks/zh/{lesson}.ipynb is missing; run: python -m tools translations build"))
    elif not found:
        built = translate(english, cells)
        stored = nbformat.read(zh_path, as_version=4)
        if [(c.id, c.cell_type, c.source, c.metadata.get("tags", [])) for c in stored.cells] != \
                [(c.id, c.cell_type, c.source, c.metadata.get("tags", [])) for c in built.cells]:
            found.append(Problem(lesson, "", f"notebooks/zh/{lesson}.ipynb is not what the translation file makes; "
                                             f"run: python -m tools translations build, then python -m tools outputs notebooks/zh/{lesson}.ipynb"))
    return found


def build(lesson: str, english_dir: Path = EDITIONS["en"], zh_dir: Path = EDITIONS["zh"],
          folder: Path = TRANSLATIONS_DIR) -> Path:
    """Write ``notebooks/zh/<lesson>.ipynb``; cells whose source did not change keep their stored outputs."""
    english = nbformat.read(english_dir / f"{lesson}.ipynb", as_version=4)
    zh = translate(english, load(lesson, folder))
    path = zh_dir / f"{lesson}.ipynb"
    if path.exists():
        old = {c.id: c for c in nbformat.read(path, as_version=4).cells}
        for cell in zh.cells:
            before = old.get(cell.id)
            if cell.cell_type == "code" and before is not None and before.source == cell.source:
                cell.outputs, cell.execution_count = before.outputs, before.execution_count
    zh_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(zh, path)
    return path


def stub(lesson: str, english_dir: Path = EDITIONS["en"], folder: Path = TRANSLATIONS_DIR) -> int:
    """Add a ``todo`` entry (the English text, its hash) for every cell without a translation; return how many."""
    english = nbformat.read(english_dir / f"{lesson}.ipynb", as_version=4)
    cells = load(lesson, folder)
    added = 0
    ordered = {}
    for cell in english.cells:
        if cell.id in cells:
            ordered[cell.id] = cells.pop(cell.id)
            continue
        ordered[cell.id] = {"source_hash": source_hash(cell.source), "todo": True, cell.cell_type: cell.source}
        added += 1
    ordered.update(cells)  # entries of removed cells stay, so check can name them
    save(lesson, ordered, folder)
    return added


def mark(lesson: str, cell_ids: list[str], english_dir: Path = EDITIONS["en"], folder: Path = TRANSLATIONS_DIR) -> None:
    """Record that the translations of ``cell_ids`` now follow the current English cells."""
    english = {c.id: c for c in nbformat.read(english_dir / f"{lesson}.ipynb", as_version=4).cells}
    cells = load(lesson, folder)
    for cell_id in cell_ids:
        if cell_id not in english or cell_id not in cells:
            raise SystemExit(f"error: {lesson} has no cell {cell_id!r} in both the notebook and the translation file")
        cells[cell_id]["source_hash"] = source_hash(english[cell_id].source)
        cells[cell_id].pop("todo", None)
    save(lesson, cells, folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools translations", description="The Chinese edition (notebooks/zh/).")
    sub = parser.add_subparsers(dest="action", required=True)
    for name, text in [("build", "write notebooks/zh/ from the English lessons and translations/zh/"),
                       ("check", "fail, naming lesson and cell, if a translation is stale, missing or inconsistent"),
                       ("stub", "add todo entries for cells that have no translation yet")]:
        p = sub.add_parser(name, help=text)
        p.add_argument("lessons", nargs="*", help="lesson names such as 02_convolution (default: all)")
    p = sub.add_parser("mark", help="record that a cell's translation follows the current English cell")
    p.add_argument("lesson")
    p.add_argument("cells", nargs="+")
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in ("build", "check", "stub", "mark", "-h", "--help"):
        argv = ["build", *argv]  # `python -m tools translations [lessons]` builds
    args = parser.parse_args(argv)
    if args.action == "mark":
        mark(args.lesson, args.cells)
        return 0
    names = args.lessons or [p.stem for p in lessons(EDITIONS["en"])]
    if args.action == "build":
        for name in names:
            print(f"wrote {build(name).relative_to(REPO_ROOT)}")
        return 0
    if args.action == "stub":
        for name in names:
            print(f"{name}: {stub(name)} cells to translate in {translation_path(name).relative_to(REPO_ROOT)}")
        return 0
    found = [p for name in names for p in problems_of(name)]
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"{len(found)} problem(s) in the Chinese edition.", file=sys.stderr)
        return 1
    print(f"translations of {len(names)} lessons are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
