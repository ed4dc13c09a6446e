"""The Chinese edition's style sheet, checked (``python -m tools.zh_style``) and enforced by the tests.

It applies to the prose of ``translations/zh/*.yaml`` (markdown cells, and the Chinese of code
cells' comments and strings) and to the Chinese of the course's own messages (the table
``utils.messages.MESSAGES``, and ``tr(en, zh)`` in ``utils/exercises/``, ``tools/``, ``scripts/``).  Text in code spans or blocks and the tutorial's own words
in quotation marks (“…”), in a quote block (``> …``), a post's title (《…》) or listed in
``translations/zh/tutorial_quotes.txt`` (phrases of the notes quoted as written) are left as they are.

- **Terms**: one word per idea, the one GLOSSARY.md uses; :data:`TERMS` maps each variant to it, and
  :data:`TERM_PATTERNS` catches the variants that depend on the words around them:

  ========================  ===================================================================
  idea                      the course's word (variants it replaces)
  ========================  ===================================================================
  a Jupyter notebook        notebook (笔记本 — that is a laptop, 笔记本电脑, and 笔记 are the
                            learners' notes; 记事本 is Windows' Notepad)
  the shipped subset        样本, 课程自带的样本 (never one item of a batch: 一个输入, 一条数据)
  a training recipe         训练方案 (配方)
  improving step by step    逐步改进 (改进阶梯)
  what a model outputs      预测 (猜测)
  a class score (logit)     得分 (分数, which is also a fraction)
  a non-linearity's bend    弯曲 (弯折)
  bias                      偏差 (偏置), as the notes and GLOSSARY.md say
  a code exercise           （编程） (（代码）, （写代码）)
  ========================  ===================================================================
- **Address**: 你, never 您.
- **Punctuation**: full-width ，：；？！（） next to Chinese characters, never the half-width , : ; ? ! ( ).
- **Spacing**: a space between Chinese characters and Latin letters or digits is the writer's choice
  (both occur in good Chinese technical writing), so it is not checked.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import yaml

from utils.paths import REPO_ROOT

#: variant → the word the course uses.
TERMS = {"图片": "图像", "这一课": "本课", "随附": "自带", "测试数据集": "测试集", "训练数据集": "训练集",
         "运行统计量": "滑动统计量", "您": "你", "配方": "训练方案", "改进阶梯": "逐步改进", "猜测": "预测",
         "弯折": "弯曲", "偏置": "偏差", "（代码）": "（编程）", "（写代码）": "（编程）", "记事本": "notebook"}
#: variant (a regular expression: the word in its context) → the word the course uses.
TERM_PATTERNS = {
    r"笔记本(?!电脑)": "notebook",
    r"(?<!百)分数": "得分",
    r"个样本|样本 ?\d": "一个输入（一条数据）; 样本 is the shipped sample",
}
CJK = r"[\u3400-\u9fff]"
HALF = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
#: a half-width mark touching a Chinese character (a ':' in '1:2' or a URL is left alone)
PUNCT = re.compile(rf"(?<={CJK})[,:;?!] ?|[,:;?!] ?(?={CJK})")
#: a pair of half-width parentheses in Chinese text: next to a Chinese character, or around one
PAREN = re.compile(rf"(?<={CJK})\(([^()\n]*)\)|\(([^()\n]*)\)(?={CJK})|\(([^()\n]*{CJK}[^()\n]*)\)")
#: what is not prose: code blocks, code spans, the tutorial's words in quotes, URLs, LaTeX math
SKIP = re.compile(r"```.*?```|`[^`\n]*`|“[^”]*”|「[^」]*」|《[^》]*》|https?://\S+|\$[^$\n]*\$|^>[^\n]*", re.S | re.M)
#: The tutorial's notes quoted as written (their own half-width punctuation kept): one phrase a line.
QUOTES_FILE = REPO_ROOT / "translations" / "zh" / "tutorial_quotes.txt"


def _quotes() -> list[str]:
    if not QUOTES_FILE.exists():
        return []
    return [line for line in QUOTES_FILE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def _quoted(part: str, start: int, end: int, quotes: list[str]) -> bool:
    """Whether ``part[start:end]`` lies inside one of the tutorial's phrases quoted in ``part``."""
    for quote in quotes:
        at = part.find(quote)
        while at != -1:
            if at <= start and end <= at + len(quote):
                return True
            at = part.find(quote, at + 1)
    return False


def _prose_parts(text: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches of ``text`` that are prose."""
    parts, at = [], 0
    for m in SKIP.finditer(text):
        parts.append((at, m.start()))
        at = m.end()
    parts.append((at, len(text)))
    return parts


def problems(text: str) -> list[str]:
    """What ``text`` (Chinese prose) does against the style sheet."""
    found, quotes = [], _quotes()
    for start, end in _prose_parts(text):
        part = text[start:end]
        for variant, word in TERMS.items():
            if variant in part:
                found.append(f"{variant!r} → {word!r}")
        for pattern, word in TERM_PATTERNS.items():
            for m in re.finditer(pattern, part):
                if not _quoted(part, m.start(), m.end(), quotes):
                    found.append(f"{m.group()!r} → {word!r}")
        for m in PUNCT.finditer(part):
            if _quoted(part, m.start(), m.end(), quotes):
                continue
            context = part[max(0, m.start() - 6):m.end() + 6].replace("\n", " ")
            found.append(f"half-width {m.group().strip()!r} next to Chinese: …{context}…")
        for m in PAREN.finditer(part):
            context = part[max(0, m.start() - 6):m.end() + 6].replace("\n", " ")
            found += [f"half-width {mark!r} next to Chinese: …{context}…" for mark in "()"]
    return found


def fix(text: str) -> str:
    """``text`` with the terms and punctuation of the style sheet (prose only)."""
    out, at = [], 0
    for start, end in _prose_parts(text):
        out.append(text[at:start])
        part = text[start:end]
        for variant, word in TERMS.items():
            part = part.replace(variant, word)
        part = re.sub(r"笔记本(?!电脑)", "notebook", part)
        part = PAREN.sub(lambda m: "（" + next(g for g in m.groups() if g is not None) + "）", part)
        quotes = _quotes()
        part = PUNCT.sub(lambda m: m.group() if _quoted(part, m.start(), m.end(), quotes) else HALF[m.group().strip()],
                         part)
        out.append(part)
        at = end
    out.append(text[at:])
    return "".join(out)


def translation_texts(path: Path) -> list[tuple[str, str]]:
    """(where, Chinese text) of a translation file: markdown cells, and code cells' Chinese comments and strings."""
    cells = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cells") or {}
    found = []
    for cell_id, entry in cells.items():
        if isinstance(entry.get("markdown"), str):
            found.append((f"{path.name} {cell_id}", entry["markdown"]))
        for key in ("comments", "strings"):
            for english, chinese in (entry.get(key) or {}).items():
                found.append((f"{path.name} {cell_id} {key}", str(chinese)))
    return found


def message_texts(path: Path) -> list[tuple[str, str]]:
    """(where, Chinese text) of each ``tr(en, zh)`` call in a Python file (string parts of an f-string), and of the
    ``task=`` and ``hint=`` pairs of each ``exercise(...)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("tr", "fig_text") \
                and len(node.args) == 2:
            zh = node.args[1]
            parts = [zh.value] if isinstance(zh, ast.Constant) and isinstance(zh.value, str) else \
                [v.value for v in getattr(zh, "values", []) if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            found.append((f"{path.relative_to(REPO_ROOT)}:{node.lineno}", "{}".join(parts)))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "exercise":  # an exercise's task and hint
            for keyword in node.keywords:
                if keyword.arg in ("task", "hint") and isinstance(keyword.value, ast.Tuple) and len(keyword.value.elts) == 2:
                    zh = keyword.value.elts[1]
                    parts = [zh.value] if isinstance(zh, ast.Constant) and isinstance(zh.value, str) else \
                        [v.value for v in getattr(zh, "values", []) if isinstance(v, ast.Constant) and isinstance(v.value, str)]
                    found.append((f"{path.relative_to(REPO_ROOT)}:{keyword.value.lineno}", "{}".join(parts)))
    return found


def table_texts() -> list[tuple[str, str]]:
    """(where, Chinese template) of each entry of the course's table of messages (its fields left in)."""
    from utils.messages import MESSAGES

    return [(f"utils/messages.py {key}", zh) for key, (_, zh) in MESSAGES.items()]


def all_texts(root: Path = REPO_ROOT) -> list[tuple[str, str]]:
    texts = [t for p in sorted((root / "translations" / "zh").glob("*.yaml")) for t in translation_texts(p)]
    texts += table_texts()
    for folder in ("utils", "tools", "scripts"):
        texts += [t for p in sorted((root / folder).rglob("*.py")) for t in message_texts(p)]
    return texts


def main() -> int:
    found = [(where, p) for where, text in all_texts() for p in problems(text)]
    for where, p in found:
        print(f"{where}: {p}")
    print(f"{len(found)} style problem(s) in the Chinese edition." if found else "Chinese edition: style sheet followed.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
