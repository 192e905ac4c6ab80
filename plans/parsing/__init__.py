"""Parse a plan document (工作要点) — text, scraped text, .docx or .pdf — into a structured plan.

Pure Python, no Django. ``parse_plan(data, filename=..., departments=...)`` returns a
:class:`ParsedPlan`; ``ParsedPlan.to_dict()`` is the JSON contract of ``manage.py parse_plan``.
"""

from __future__ import annotations

import re

from .clean import remove_stray_spaces
from .departments import DepartmentSpec, Resolution, render_tag, resolve_departments
from .document import find_front, find_year, trim_trailer
from .model import MAX_BYTES, Departments, Node, Para, ParsedPlan, ParseError, Source, Target
from .reader import read_source
from .structure import CLOSERS, OPENERS, TreeBuilder, drop_outline
from .variants import restore, simplify, strip_pinyin_noise, to_simplified

__all__ = [
    "MAX_BYTES",
    "Departments",
    "Node",
    "ParseError",
    "ParsedPlan",
    "Resolution",
    "Target",
    "parse_plan",
    "render_text",
    "resolve_departments",
]


def parse_plan(
    data: bytes | str, *, filename: str | None = None, departments: DepartmentSpec | None = None
) -> ParsedPlan:
    """Parse a plan document into sections, items, departments and counted targets.

    ``data`` is the file's bytes (format detected from magic bytes and ``filename``) or pasted text.
    ``departments``, when given, is the organisation's departments as (canonical name, aliases)
    pairs; names in the plan are resolved against it and unknown ones reported.
    Raises :class:`ParseError` (a one-line Chinese message) for empty, unreadable, unsupported,
    unsafe or oversized input.
    """
    source = read_source(data, filename)
    back = source.restore
    if back is None:  # a Word or PDF document: its paragraphs are read as simplified here
        for para in source.paras:
            para.text = strip_pinyin_noise(para.text)
        texts, back = to_simplified([p.text for p in source.paras])
        for para, text in zip(source.paras, texts, strict=True):
            para.text = text
        if back:
            source.site_title = simplify(source.site_title)
    plan = build_plan(source, departments=departments)
    restore(plan, back)
    return plan


def build_plan(source: Source, *, departments: DepartmentSpec | None = None) -> ParsedPlan:
    """Turn the paragraphs read from a document into a plan."""
    paras = list(source.paras)
    texts = [p.text for p in paras]
    front = find_front(texts, source.site_title)
    body = paras[front.start :]
    if front.remainder.strip():
        body.insert(0, Para(front.remainder))
    body = _trim(body)
    built = TreeBuilder(body, flat=source.flat).build()
    sections, dropped, after_outline = drop_outline(built.sections)
    if after_outline:
        built.preamble.append(after_outline)
    warnings = source.warnings + front.warnings + built.warnings
    if dropped:
        warnings.append("已忽略文首的提纲（与正文标题重复）")
    if not sections:
        warnings.append("未识别到任何带编号的部分或条目，请检查文档格式")
    preamble = "\n".join(
        p for p in (remove_stray_spaces(x) for x in built.preamble) if p and not (dropped and _OUTLINE_HEADING.match(p))
    )
    keys = {id(node): key for key, node in node_keys(sections)}
    plan = ParsedPlan(
        node_warnings=[{"key": keys[id(n)], "message": m} for n, m in built.node_warnings if id(n) in keys],
        title=front.title or None,
        year=find_year(front.title, preamble or "\n".join(texts[:50])),
        preamble=preamble,
        sections=sections,
        warnings=warnings,
        source_format=source.fmt,
    )
    if departments is not None:
        resolution = resolve_departments(plan.department_names(), departments)
        plan.resolved_departments = resolution.resolved
        plan.unresolved_departments = resolution.unknown
        plan.warnings.extend(f"未识别的部门：{name}" for name in resolution.unknown)
    return plan


def node_keys(sections: list[Node]):
    """(key, node) for every node: the path of child indexes ("0", "0.2", "0.2.1"), as the review
    table and ``plans.parsing.edits`` address nodes."""
    stack = [(str(i), s) for i, s in reversed(list(enumerate(sections)))]
    while stack:
        key, node = stack.pop()
        yield key, node
        stack.extend((f"{key}.{i}", c) for i, c in reversed(list(enumerate(node.children))))


_OUTLINE_HEADING = re.compile(r"^\s*(?:目\s*录|提\s*纲|目\s*次)\s*[:：]?\s*$")


def _trim(body: list[Para]) -> list[Para]:
    keep = len(body)
    while keep and body[keep - 1].marker is None and keep > len(body) - 12:
        keep -= 1
    tail_texts, _ = trim_trailer([p.text for p in body[keep:]])
    if keep == 0 or body[keep - 1].marker is not None or keep < len(body):
        pass
    head = body[:keep]
    tail = [Para(t) for t in tail_texts]
    if tail and body[keep:] and tail[-1].text != body[keep + len(tail) - 1].text:
        return head + tail
    return head + body[keep : keep + len(tail)]


def render_text(plan: ParsedPlan) -> str:
    """Render a plan back to plain text that parses to the same tree."""
    lines: list[str] = []
    if plan.title:
        lines.append(plan.title)
    if plan.preamble:
        lines.extend(plan.preamble.split("\n"))
    for section in plan.sections:
        _render_node(section, lines)
    return "\n".join(lines) + "\n"


def _balanced(title: str) -> bool:
    """True when the title's brackets and quotes close (a 。 after it then ends the title)."""
    depth = 0
    for ch in title:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)  # as split_title counts them
    return depth == 0 and title.count('"') % 2 == 0


def _render_node(node: Node, lines: list[str]) -> None:
    text_lines = node.text.split("\n") if node.text else []
    head = node.marker + node.title
    if text_lines and _balanced(node.title):
        head += "。" + text_lines[0]
        text_lines = text_lines[1:]
    tag = render_tag(node.departments)
    out = [head, *text_lines]
    out[-1] += tag
    lines.extend(out)
    for child in node.children:
        _render_node(child, lines)
