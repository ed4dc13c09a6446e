"""GLOSSARY.md: each term in English and Chinese, linked to the lesson that teaches it in both editions, and
the Chinese words the style sheet (tools/zh_style.py) holds the 中文版 to."""
from __future__ import annotations

import json
import re

from helpers import NOTEBOOKS, REPO_ROOT

ROW = re.compile(r"^\| (?P<en>[^|]+) \| (?P<zh>[^|]+) \| \[[^\]]+\]\((?P<link>notebooks/[^)]+)\) · "
                 r"\[中文版\]\((?P<zh_link>notebooks/zh/[^)]+)\) \|$")


def rows():
    lines = (REPO_ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("| ") and not line.startswith(("| English", "|---"))]
    return table, [ROW.match(line) for line in table]


def names(zh: str) -> list[str]:
    """The names a lesson may give a term: each Chinese part of the column (``偏差``, ``归一化（标准化）``), or the
    Latin word the 中文版 keeps (``notebook（保留英文）``)."""
    parts = [n.strip() for n in re.split(r"[（）/]", zh) if n.strip()]
    chinese = [n for n in parts if re.search(r"[\u4e00-\u9fff]", n)]
    return [parts[0]] if parts and not re.search(r"[\u4e00-\u9fff]", parts[0]) else chinese


def test_every_row_is_well_formed():
    table, matches = rows()
    assert len(table) >= 40
    for line, m in zip(table, matches):
        assert m, f"malformed glossary row (each row links the English lesson and its 中文版): {line}"
        assert re.search(r"[\u4e00-\u9fff]", m["zh"]), f"no Chinese name in: {line}"
        assert re.search(r"[A-Za-z]", m["en"]), f"no English name in: {line}"
        assert m["zh_link"] == m["link"].replace("notebooks/", "notebooks/zh/"), f"the two links differ: {line}"


def test_links_point_at_lessons_that_mention_the_term():
    _, matches = rows()
    existing = {f"notebooks/{nb.name}": nb for nb in NOTEBOOKS}
    for m in matches:
        assert m["link"] in existing, f"glossary links to a missing lesson: {m['link']}"
        assert (REPO_ROOT / m["zh_link"]).exists(), f"glossary links to a missing 中文版 lesson: {m['zh_link']}"
    taught = {m["link"] for m in matches}
    assert set(existing) <= taught, f"lessons without a glossary entry: {set(existing) - taught}"


def test_lessons_name_their_terms_in_chinese():
    """Both editions of the lesson a term links to give the term's Chinese name (the English edition in
    brackets, the course's convention; the 中文版 in its prose)."""
    _, matches = rows()
    for m in matches:
        for link in (m["link"], m["zh_link"]):
            text = json.dumps(json.loads((REPO_ROOT / link).read_text(encoding="utf-8"))["cells"], ensure_ascii=False)
            assert any(n in text for n in names(m["zh"])), f"{link} never names {m['zh']!r}"


def test_names_reads_the_chinese_column():
    assert names("偏差") == ["偏差"] and names("归一化（标准化）") == ["归一化", "标准化"]
    assert names("notebook（保留英文）") == ["notebook"] and names("输入通道数 / 输出通道数") == ["输入通道数", "输出通道数"]


def test_the_style_sheet_uses_the_glossarys_words():
    """Each word the style sheet asks for (tools/zh_style.py TERMS) that names a glossary idea is the glossary's."""
    from tools import zh_style

    glossary = (REPO_ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    for word in ("训练方案", "逐步改进", "预测", "得分", "弯曲", "偏差", "notebook", "样本"):
        assert word in glossary, f"the style sheet asks for {word!r}, which GLOSSARY.md does not list"
    assert not [variant for variant in zh_style.TERMS if variant in glossary]
