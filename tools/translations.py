"""The Chinese edition: ``notebooks/zh/`` generated from the English lessons plus translation files.

    make translations          # = python -m tools translations [build]
    make check-translations    # = python -m tools translations check   (part of make test)
    python -m tools translations stub 03_convolution   # add entries for untranslated cells
    python -m tools translations mark 03_convolution a8eb0734   # a stale cell's translation was updated

One file per lesson, ``translations/zh/NN_topic.yaml``, maps the cells of the English notebook (by
cell id) to their Chinese text.  **Translations hold prose, not code**: a markdown cell's entry is
its whole Chinese text; a code cell's entry holds only its translated comments and string literals,
which ``build`` applies, token by token, to the English code (so the code exists once)::

    cells:
      a8eb0734:                       # a markdown cell
        source_hash: ef0061339d1b     # the English text it translates
        translation_hash: 3e7b0dd6e7cc
        markdown: |
          # 03 · 卷积层
      e152684e:                       # a code cell
        texts_hash: d28e0833d35f      # the English comments and strings the translator saw
        translation_hash: 25cb25952b60
        comments:                     # English comment (after "# ") -> Chinese
          the answer: 答案
        strings:                      # English string literal (between its quotes, as written) -> Chinese
          patch:\n: 小块：\n
          'x is {x:.2f}': 'x 是 {x:.2f}'   # an f-string keeps its {…} fields

A comment or string not in the maps stays English; a code cell with no comment or string to
translate needs no entry.  A cell Python cannot tokenize (``%tensorboard …``) has only its ``#``
comments translated, line by line; a ``%%writefile FILE`` cell is read as the Python file it writes
(its comments and strings translate as in any code cell).  The hashes are written by ``stub`` and ``mark``, not by hand.

**Data strings are never translated.**  A string literal is data, and ``check`` refuses a
translation of it (naming the cell), when it is a dict key, a subscript (``d["loss"]``), an operand
of a comparison (``==``, ``in``), an argument of a call in :data:`DATA_CALLS` (``record``,
``check_parameters``, ``check_int``, ``os.path.join``, ``getattr``, …), the value of a keyword argument
other than the display keywords in :data:`DISPLAY_KEYWORDS` (``title=``, ``label=``, ``xlabel=``,
``desc=``, …; so ``reduction="mean"`` is data), a bytes literal, or a value in the parameters cell.
Two exceptions: ``language="en"`` in a call of :data:`LANGUAGE_CALLS` (``check_parameters``,
``start_lesson``) becomes ``language="zh"`` in every Chinese notebook (no entry needed), and a cell's ``display:`` list names strings this rule calls data that
the lesson only shows (08's dict of update orders, whose keys are printed labels) — the translator
vouches for them.

**Staleness is caught**: ``check`` fails, naming the lesson and the cell, when
- a markdown cell's English text changed since its translation (``source_hash``);
- a code cell no longer has an English comment or string its entry maps, or has a new one that is
  neither translated nor marked as staying English (``texts_hash`` differs).  A change to the code
  alone leaves the translation current: ``build`` applies it, no edit to the yaml;
- a translation is refused (a data string, other ``{…}`` fields, a comment translated over two lines, or text
  that changes the code's tokens), a cell has no translation or one still marked ``todo``, a
  translation belongs to no cell, or ``notebooks/zh/`` is not what ``build`` makes;
- the stored zh notebook's outputs were produced by other code than it holds (``make outputs``
  records a hash of the code cells in ``metadata.course.outputs_from``; see
  :func:`tools.notebooks.output_problems`), or show a course message whose text in
  ``utils/messages.py`` changed since (``metadata.course.messages``), or are not fingerprinted at all,
  or a zh output shows an English course message (:func:`utils.i18n.english_messages`: every English
  template of the table); ``COURSE_STRICT_OUTPUTS=0`` prints the last two as notes instead.

**mark** records that a stale (or ``todo``) cell's translation follows the English cell again.  It
marks only a cell whose translation changed since it was last marked (``translation_hash``), and
otherwise says why not in one line (exit 2); ``mark --unchanged`` marks a cell whose English change
needs no new translation (a typo fixed, a new string that stays English).
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import string
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from utils.paths import REPO_ROOT

from .notebooks import EDITIONS, lessons, output_problems

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
    head, body = cell_magic(source)
    if head:  # %%writefile FILE: the magic's line, then the file's Python code
        return [("line", head.rstrip())] + code_shape(body)
    tokens = _tokens(source)
    if tokens is None:
        return [("line", line.split("#")[0].rstrip()) for line in source.splitlines() if line.split("#")[0].strip()]
    shape: list[tuple] = []
    for tok in tokens:
        kind = tokenize.tok_name[tok.type]
        if kind in ("COMMENT", "NL", "ENCODING", "ENDMARKER"):
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


# --------------------------------------------------------------------------- texts of a code cell
#: Keyword arguments whose string value is shown to a learner (and may be translated).
DISPLAY_KEYWORDS = frozenset({"title", "label", "xlabel", "ylabel", "desc", "text", "s", "help", "msg", "message",
                              "prompt", "question", "hint", "note", "caption", "suptitle", "legend", "name", "unit",
                              "end", "sep", "postfix"})
#: Calls whose string arguments are data (names a lookup uses), never prose.
DATA_CALLS = frozenset({"record", "start_lesson", "check_parameters", "find_cifar10", "check_int", "check_float",
                        "check_bool", "check_choice",
                        "getattr", "setattr", "hasattr", "open", "Path", "get_cmap", "to", "type", "astype", "view",
                        "einsum", "format", "register_buffer", "add_scalar", "add_scalars", "add_image",
                        "add_images", "add_graph", "add_histogram", "savefig", "import_module", "join", "joinpath",
                        "glob", "rglob", "get", "pop", "setdefault", "startswith", "endswith", "environ"})
#: The one data string an edition sets itself: check_parameters(..., language="en") (and the older
#: start_lesson(..., language="en")) becomes language="zh".
LANGUAGE_CALLS, LANGUAGE_KEYWORD = frozenset({"check_parameters", "start_lesson"}), "language"


@dataclass(frozen=True)
class Text:
    """A comment or string literal of a code cell: the part a translation may replace.

    ``text`` is what a translation file maps: a comment without its ``#`` and the space after it;
    a string literal between its quotes, as written (escapes such as ``\\n`` as two characters, an
    f-string with its ``{…}`` fields).  ``start``/``end`` are (line, column) of ``text`` in the cell.
    """

    kind: str                    # "comment" or "string"
    text: str
    start: tuple[int, int]
    end: tuple[int, int]
    data: str = ""               # why the string is data (never translated), or ""
    language: bool = False       # the value of start_lesson's language=

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.text)


def _tokens(source: str) -> list[tokenize.TokenInfo] | None:
    """``source``'s tokens, with each f-string as one ``STRING`` token as Python 3.11 gives it (Python 3.12+
    splits it into ``FSTRING_START`` … ``FSTRING_END``); ``None`` if Python cannot tokenize it (an IPython magic)."""
    try:
        raw = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    offsets = _offsets(source)
    tokens: list[tokenize.TokenInfo] = []
    depth, start = 0, (0, 0)
    for tok in raw:
        kind = tokenize.tok_name[tok.type]
        if kind == "FSTRING_START":
            if depth == 0:
                start = tok.start
            depth += 1
        elif kind == "FSTRING_END":
            depth -= 1
            if depth == 0:
                literal = source[offsets[start[0] - 1] + start[1]:offsets[tok.end[0] - 1] + tok.end[1]]
                tokens.append(tokenize.TokenInfo(tokenize.STRING, literal, start, tok.end, tok.line))
        elif depth == 0:
            tokens.append(tok)
    return tokens


def _offsets(source: str) -> list[int]:
    """Where each line of ``source`` starts (lines end at ``\n`` only, as for tokenize)."""
    starts, total = [0], 0
    for line in source.split("\n"):
        total += len(line) + 1
        starts.append(total)
    return starts


def _comment(tok_string: str, row: int, col: int) -> Text:
    body = tok_string[1:]
    lead = len(body) - len(body.lstrip())
    text = body.strip()
    return Text("comment", text, (row, col + 1 + lead), (row, col + 1 + lead + len(text)))


def _string(literal: str, row: int, col: int) -> Text:
    """The text between the quotes of ``literal`` (which starts at ``row``, ``col`` and may span lines)."""
    prefix = len(literal) - len(literal.lstrip("rRbBuUfF"))
    quote = 3 if literal[prefix:prefix + 3] in ('"""', "'''") else 1
    body = literal[prefix + quote:len(literal) - quote]
    start = (row, col + prefix + quote)
    lines = body.split("\n")
    end = (row + len(lines) - 1, (start[1] if len(lines) == 1 else 0) + len(lines[-1]))
    return Text("string", body, start, end)


def cell_magic(source: str) -> tuple[str, str]:
    """``(first line, the rest)`` of a cell that starts with a cell magic whose body is Python (``%%writefile
    model.py``: the file it writes), else ``("", source)``."""
    first, _, rest = source.partition("\n")
    if first.lstrip().startswith("%%writefile"):
        return first, rest
    return "", source


def _magic_texts(source: str) -> list[Text]:
    """Comments of a cell Python cannot tokenize (IPython magics), read line by line."""
    found = []
    for row, line in enumerate(source.splitlines(), start=1):
        if "#" in line and line.split("#", 1)[1].strip():
            col = line.index("#")
            found.append(_comment(line[col:].rstrip(), row, col))
    return found


def _data_strings(source: str, parameters: bool) -> dict[tuple[int, int], tuple[tuple[int, int], str, bool]]:
    """``{start: (end, why it is data, is start_lesson's language=)}`` for every data string literal of ``source``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    lines = source.splitlines()

    def char_col(row: int, col: int) -> int:  # ast counts UTF-8 bytes, tokenize characters
        line = lines[row - 1] if row - 1 < len(lines) else ""
        return len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))

    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def call_name(call: ast.Call) -> str:
        func = call.func
        return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""

    found = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)))):
            continue
        if isinstance(parents.get(node), (ast.JoinedStr, ast.FormattedValue)) and not isinstance(node, ast.JoinedStr):
            continue  # a piece of an f-string
        child, parent = node, parents.get(node)
        while isinstance(parent, (ast.Tuple, ast.List, ast.Set, ast.Starred)):
            child, parent = parent, parents.get(parent)
        why, language = "", False
        if isinstance(node.value if isinstance(node, ast.Constant) else None, bytes):
            why = "a bytes literal"
        elif isinstance(parent, ast.Dict) and child in parent.keys:
            why = "a dict key"
        elif isinstance(parent, ast.Subscript) and child is parent.slice:
            why = "a subscript"
        elif isinstance(parent, ast.Compare):
            why = "compared (==, in, ...)"
        elif isinstance(parent, ast.keyword):
            call = parents.get(parent)
            name = call_name(call) if isinstance(call, ast.Call) else ""
            if name in LANGUAGE_CALLS and parent.arg == LANGUAGE_KEYWORD:
                why, language = f"{name}'s {parent.arg}=", True
            elif name in DATA_CALLS or parent.arg not in DISPLAY_KEYWORDS:
                why = f"the value of {parent.arg or '**'}= in {name or 'a call'}(...)"
        elif isinstance(parent, ast.Call) and child in parent.args and call_name(parent) in DATA_CALLS:
            why = f"an argument of {call_name(parent)}(...)"
        elif parameters and isinstance(parent, (ast.Assign, ast.AnnAssign)):
            why = "a parameter's value"
        if why:
            start = (node.lineno, char_col(node.lineno, node.col_offset))
            found[start] = ((node.end_lineno, char_col(node.end_lineno, node.end_col_offset)), why, language)
    return found


def texts(source: str, parameters: bool = False) -> list[Text]:
    """The comments and string literals of a code cell, in order, each string marked if it is data.

    An f-string is one literal on every Python version (3.12 tokenizes it in pieces).  A cell
    Python cannot tokenize (``%tensorboard …``) has only its ``#`` comments, read line by line; a
    ``%%writefile`` cell is read as the Python file it writes.
    ``parameters``: the cell is the lesson's parameters cell (its string values are data).
    """
    head, body = cell_magic(source)
    if head:  # a %%writefile cell: its body is a Python file, one line down
        return [Text(t.kind, t.text, (t.start[0] + 1, t.start[1]), (t.end[0] + 1, t.end[1]), t.data, t.language)
                for t in texts(body)]
    tokens = _tokens(source)
    if tokens is None:
        return _magic_texts(source)
    data = _data_strings(source, parameters)
    found: list[Text] = []
    for tok in tokens:
        kind = tokenize.tok_name[tok.type]
        if kind == "COMMENT":
            found.append(_comment(tok.string, *tok.start))
        elif kind == "STRING":
            found.append(_string(tok.string, *tok.start))
    marked = []
    for text in found:
        if text.kind == "string":
            # the literal's token starts before its text (prefix and quote): find the data node that holds it
            for start, (end, why, language) in data.items():
                if start <= text.start and text.end <= end:
                    text = Text(text.kind, text.text, text.start, text.end, why, language)
                    break
        marked.append(text)
    return marked


def replace_texts(source: str, replacements: dict[tuple[int, int], tuple[tuple[int, int], str]]) -> str:
    """``source`` with each span ``start: (end, new text)`` replaced."""
    offsets = _offsets(source)
    out = source
    for start, (end, new) in sorted(replacements.items(), reverse=True):
        a, b = offsets[start[0] - 1] + start[1], offsets[end[0] - 1] + end[1]
        out = out[:a] + new + out[b:]
    return out


# --------------------------------------------------------------------------- files
@dataclass
class Problem:
    """One thing ``check`` found wrong: which lesson, which cell, what (a ``warning`` does not fail it)."""

    lesson: str
    cell: str
    text: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.lesson}, cell {self.cell}" if self.cell else self.lesson
        return f"{where}: {self.text}"


class Refused(Exception):
    """``mark`` will not mark a cell; the message says why (one line)."""


class _Literal(str):
    """A string dumped as a YAML block scalar (``|``)."""


def _literal(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")


yaml.SafeDumper.add_representer(_Literal, _literal)

FIELDS = {"comment": "comments", "string": "strings"}


def translation_path(lesson: str, folder: Path = TRANSLATIONS_DIR) -> Path:
    return folder / f"{lesson}.yaml"


def load(lesson: str, folder: Path = TRANSLATIONS_DIR) -> dict:
    """The translation file of ``lesson`` as ``{cell id: entry}`` (empty if there is none)."""
    path = translation_path(lesson, folder)
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): v for k, v in (data.get("cells") or {}).items()}


ORDER = ("source_hash", "texts_hash", "translation_hash", "todo", "markdown", "comments", "strings", "display", "code")


def save(lesson: str, cells: dict, folder: Path = TRANSLATIONS_DIR) -> Path:
    """Write ``cells`` (in the English notebook's order) to the lesson's translation file."""
    path = translation_path(lesson, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = {}
    for cell_id, entry in cells.items():
        entry = {k: entry[k] for k in sorted(entry, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))}
        if isinstance(entry.get("markdown"), str) and entry["markdown"] != SAME:
            entry["markdown"] = _Literal(entry["markdown"].rstrip("\n") + "\n")
        out[str(cell_id)] = entry
    header = (f"# 中文版 of notebooks/{lesson}.ipynb: one entry per English cell (by cell id); a code cell's entry maps\n"
              f"# its English comments and strings to Chinese (see tools/translations.py).\n"
              f"# After editing: python -m tools translations build && python -m tools outputs notebooks/zh/{lesson}.ipynb\n")
    text = yaml.dump({"lesson": lesson, "cells": out}, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False,
                     width=4096)
    path.write_text(header + text, encoding="utf-8")
    return path


def cell_texts(cell) -> list[Text]:
    """The comments and string literals of a code cell (its parameters cell's values are data)."""
    return texts(cell.source, parameters="parameters" in cell.metadata.get("tags", []))


def texts_hash(items: list[Text]) -> str:
    """The hash of the translatable comments and strings a translator saw (data strings left out)."""
    return source_hash("\n".join(sorted({f"{t.kind}:{t.text}" for t in items if not t.data})))


def translation_hash(entry: dict, cell_type: str) -> str:
    """The hash of what a translator wrote for a cell (so ``mark`` sees whether it changed)."""
    if cell_type != "code":
        return source_hash(str(entry.get(cell_type) or ""))
    return source_hash(json.dumps({f: entry.get(f) or {} for f in FIELDS.values()}, sort_keys=True, ensure_ascii=False,
                                  default=str))


def _maps(entry: dict) -> dict[str, dict]:
    return {kind: {str(k): str(v) for k, v in (entry.get(field) or {}).items()} for kind, field in FIELDS.items()}


def translate_code(cell, entry: dict | None, language: str = "zh") -> str:
    """The code cell's source with its comments and strings translated (and ``language=`` set)."""
    maps = _maps(entry or {})
    shown = set((entry or {}).get("display") or [])
    replacements = {}
    for t in cell_texts(cell):
        if t.language:
            new = language if t.text in ("en", "zh") else None
        elif t.data and t.text not in shown:
            new = None
        else:
            new = maps[t.kind].get(t.text)
        if new is not None and new != t.text:
            replacements[t.start] = (t.end, new)
    return replace_texts(cell.source, replacements)


def _fields_of(body: str):
    try:
        return [(name, conv, spec) for _, name, spec, conv in string.Formatter().parse(body) if name is not None]
    except ValueError:
        return "unparsable"


def code_problems(lesson: str, cell, entry: dict | None, hashes: bool = True) -> list[str]:
    """What is wrong with the translation of one code cell (``hashes``: also whether it is stale)."""
    items = cell_texts(cell)
    if entry is None:
        if any(not t.data for t in items):
            return [f"has comments or strings but no translation; run: python -m tools translations stub {lesson}"]
        return []
    found = []
    shown = set(entry.get("display") or [])
    if hashes and entry.get("todo"):
        found.append("is still marked todo (not translated yet)")
    for kind, field in FIELDS.items():
        for en, zh in (entry.get(field) or {}).items():
            if not isinstance(en, str) or not isinstance(zh, str):
                found.append(f"{field}: {en!r}: {zh!r} must be text (put it in quotes)")
                continue
            occurrences = [t for t in items if t.key == (kind, en)]
            if not occurrences:
                found.append(f"the English cell no longer has the {kind} {en!r}: the translation is stale; translate "
                             f"its new text under {field}:, then: python -m tools translations mark {lesson} {cell.id}")
            elif zh != en and any(t.data for t in occurrences) and en not in shown:
                why = next(t.data for t in occurrences if t.data)
                found.append(f"translates the string {en!r}, which is data ({why}): data strings are never translated")
            elif kind == "string" and _fields_of(en) != _fields_of(zh):
                found.append(f"the translation of {en!r} has other {{…}} fields than the English: {zh!r}")
            elif kind == "comment" and "\n" in zh:
                found.append(f"the translation of the comment {en!r} must be one line")
    if hashes and entry.get("texts_hash") != texts_hash(items):
        maps = _maps(entry)
        new = [t.text for t in items if not t.data and t.text not in maps[t.kind]]
        new = list(dict.fromkeys(new))
        listed = ", ".join(repr(n) for n in new[:4]) + (", …" if len(new) > 4 else "")
        found.append(f"its comments or strings changed since the translation was made (untranslated: {listed or 'none'}); "
                     f"translate what is new, then: python -m tools translations mark {lesson} {cell.id} "
                     f"(add --unchanged if the new text stays English)")
    if not found and code_shape(translate_code(cell, entry)) != code_shape(cell.source):
        found.append("a translated string or comment changes the code (a quote, a brace or a line break in it?)")
    return found


def translate(english: nbformat.NotebookNode, cells: dict) -> nbformat.NotebookNode:
    """The Chinese notebook made from ``english`` and its translation entries (sources only)."""
    metadata = {k: v for k, v in english.metadata.items() if k != "course"}  # outputs_from belongs to one edition
    zh = nbformat.v4.new_notebook(metadata=metadata)
    for cell in english.cells:
        entry = cells.get(cell.id) or {}
        if cell.cell_type == "code":
            text = translate_code(cell, entry)
        else:
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
                folder: Path = TRANSLATIONS_DIR, strict: bool | None = None) -> list[Problem]:
    """Everything stale, missing or inconsistent in one lesson's Chinese edition, and its stored outputs.

    Problems with ``warning`` set do not fail ``check`` (outputs not fingerprinted yet, English messages in a
    Chinese output) when ``strict`` is false (default: strict, unless the environment sets COURSE_STRICT_OUTPUTS=0).
    """
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
        if cell.cell_type == "code":
            found += [Problem(lesson, where, text) for text in code_problems(lesson, cell, entry)]
            continue
        if not entry or entry.get(cell.cell_type) is None:
            found.append(Problem(lesson, where, "has no translation"))
            continue
        if entry.get("todo"):
            found.append(Problem(lesson, where, "is still marked todo (not translated yet)"))
        if entry.get("source_hash") != source_hash(cell.source):
            found.append(Problem(lesson, where, "the English cell changed since its translation was made; update the "
                                                f"translation, then: python -m tools translations mark {lesson} {cell.id}"))
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
        else:
            failures, notes = output_problems(stored, f"notebooks/zh/{lesson}.ipynb", strict=strict, messages=True)
            found += [Problem(lesson, "", text) for text in failures]
            found += [Problem(lesson, "", text, warning=True) for text in notes]
    return found


def build(lesson: str, english_dir: Path = EDITIONS["en"], zh_dir: Path = EDITIONS["zh"],
          folder: Path = TRANSLATIONS_DIR) -> Path:
    """Write ``notebooks/zh/<lesson>.ipynb``; cells whose source did not change keep their stored outputs.

    The notebook keeps its own ``metadata.course`` (the fingerprint of the code its outputs came from).
    """
    english = nbformat.read(english_dir / f"{lesson}.ipynb", as_version=4)
    zh = translate(english, load(lesson, folder))
    path = zh_dir / f"{lesson}.ipynb"
    if path.exists():
        previous = nbformat.read(path, as_version=4)
        if "course" in previous.metadata:
            zh.metadata["course"] = previous.metadata["course"]
        old = {c.id: c for c in previous.cells}
        for cell in zh.cells:
            before = old.get(cell.id)
            if cell.cell_type == "code" and before is not None and before.source == cell.source:
                cell.outputs, cell.execution_count = before.outputs, before.execution_count
    zh_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(zh, path)
    return path


def stub(lesson: str, english_dir: Path = EDITIONS["en"], folder: Path = TRANSLATIONS_DIR) -> int:
    """Add a ``todo`` entry for every cell without a translation that needs one; return how many.

    A markdown cell's entry starts as the English text; a code cell's maps each of its comments and
    (non-data) strings to itself, for the translator to replace.  A code cell with neither needs no entry.
    """
    english = nbformat.read(english_dir / f"{lesson}.ipynb", as_version=4)
    cells = load(lesson, folder)
    added = 0
    ordered = {}
    for cell in english.cells:
        if cell.id in cells:
            ordered[cell.id] = cells.pop(cell.id)
            continue
        if cell.cell_type == "code":
            items = cell_texts(cell)
            if all(t.data for t in items):
                continue
            entry = {"texts_hash": texts_hash(items), "todo": True}
            for kind, field in FIELDS.items():
                mapped = {t.text: t.text for t in items if t.kind == kind and not t.data}
                if mapped:
                    entry[field] = mapped
        else:
            entry = {"source_hash": source_hash(cell.source), "todo": True, cell.cell_type: cell.source}
        entry["translation_hash"] = translation_hash(entry, cell.cell_type)
        ordered[cell.id] = entry
        added += 1
    ordered.update(cells)  # entries of removed cells stay, so check can name them
    save(lesson, ordered, folder)
    return added


def mark(lesson: str, cell_ids: list[str], english_dir: Path = EDITIONS["en"], folder: Path = TRANSLATIONS_DIR,
         unchanged: bool = False) -> None:
    """Record that the translations of ``cell_ids`` now follow the current English cells.

    Only a cell that needs it (stale or ``todo``) whose translation changed since it was last marked is marked
    (``unchanged``: the English change needs no new translation, e.g. a new string that stays English);
    otherwise :class:`Refused` says why.  Nothing is written unless every cell can be marked.
    """
    english = {c.id: c for c in nbformat.read(english_dir / f"{lesson}.ipynb", as_version=4).cells}
    cells = load(lesson, folder)
    for cell_id in cell_ids:
        cell = english.get(cell_id)
        if cell is None or (cell_id not in cells and cell.cell_type != "code"):
            raise Refused(f"{lesson} has no cell {cell_id!r} in both the notebook and the translation file")
        entry = cells.setdefault(cell_id, {})
        if cell.cell_type == "code":
            items = cell_texts(cell)
            wrong = code_problems(lesson, cell, entry, hashes=False)
            if wrong:
                raise Refused(f"{lesson} {cell_id}: cannot mark it: {wrong[0]}")
            stale, key, value = entry.get("texts_hash") != texts_hash(items), "texts_hash", texts_hash(items)
        else:
            stale, key, value = entry.get("source_hash") != source_hash(cell.source), "source_hash", source_hash(cell.source)
        if not stale and not entry.get("todo"):
            raise Refused(f"{lesson} {cell_id}: its translation is current; nothing to mark")
        new_hash = translation_hash(entry, cell.cell_type)
        previous = entry.get("translation_hash") or translation_hash({}, cell.cell_type)  # no entry: nothing written
        if not unchanged and previous == new_hash:
            raise Refused(f"{lesson} {cell_id}: its translation has not changed since it was last marked; translate the "
                          f"English change first (or mark --unchanged if the change needs no new translation)")
        entry[key], entry["translation_hash"] = value, new_hash
        entry.pop("todo", None)
    save(lesson, cells, folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools translations", description="The Chinese edition (notebooks/zh/).")
    sub = parser.add_subparsers(dest="action", required=True)
    for name, text in [("build", "write notebooks/zh/ from the English lessons and translations/zh/"),
                       ("check", "fail, naming lesson and cell, if a translation is stale, missing or inconsistent, "
                                 "or a stored Chinese notebook's outputs come from other code"),
                       ("stub", "add todo entries for cells that have no translation yet")]:
        p = sub.add_parser(name, help=text)
        p.add_argument("lessons", nargs="*", help="lesson names such as 03_convolution (default: all)")
    p = sub.add_parser("mark", help="record that a cell's (changed) translation follows the current English cell")
    p.add_argument("lesson")
    p.add_argument("cells", nargs="+")
    p.add_argument("--unchanged", action="store_true",
                   help="mark although the translation did not change (the English change needs none)")
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in ("build", "check", "stub", "mark", "-h", "--help"):
        argv = ["build", *argv]  # `python -m tools translations [lessons]` builds
    args = parser.parse_args(argv)
    if args.action == "mark":
        try:
            mark(args.lesson, args.cells, unchanged=args.unchanged)
        except Refused as why:
            print(f"error: {why}", file=sys.stderr)
            return 2
        return 0
    names = [Path(n).name.removesuffix(".ipynb") for n in args.lessons] or [p.stem for p in lessons(EDITIONS["en"])]
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
        print(f"note: {problem}" if problem.warning else problem, file=sys.stderr)
    failed = [p for p in found if not p.warning]
    if failed:
        print(f"{len(failed)} problem(s) in the Chinese edition.", file=sys.stderr)
        return 1
    print(f"translations of {len(names)} lessons are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
