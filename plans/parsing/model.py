"""Data classes of a parsed plan and the parse error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 20 * 1024 * 1024


class ParseError(Exception):
    """Input that cannot be turned into a plan; the message is one line of Chinese for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Para:
    """A paragraph of the source; ``marker``/``number``/``kind`` are set when Word numbered it."""

    text: str
    marker: str | None = None
    number: int | None = None
    kind: str | None = None


@dataclass
class Source:
    """Paragraphs read from a document, and what the reader noticed."""

    paras: list[Para]
    fmt: str
    flat: bool = False
    site_title: str | None = None
    warnings: list[str] = field(default_factory=list)
    # simplified → the document's own characters, when the text was read as simplified (variants.py)
    restore: dict[str, str] | None = None


@dataclass
class Target:
    """A counted target such as 召开1次座谈会 (count 1) or 每季度一次 (count 4)."""

    text: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form {"text", "count"}."""
        return {"text": self.text, "count": self.count}


@dataclass
class Departments:
    """Lead (牵头) and support (配合) departments, names as written."""

    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str]]:
        """Return the JSON form {"lead", "support"}."""
        return {"lead": list(self.lead), "support": list(self.support)}


@dataclass
class Node:
    """A numbered part of the plan: a section, an item, a sub-item or an inline point (一是…)."""

    marker: str
    number: int
    title: str
    text: str = ""
    departments: Departments = field(default_factory=Departments)
    targets: list[Target] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    kind: str = field(default="", compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the node and its children."""
        return {
            "marker": self.marker,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "departments": self.departments.to_dict(),
            "targets": [t.to_dict() for t in self.targets],
            "children": [c.to_dict() for c in self.children],
        }

    def walk(self):
        """Yield this node and all its descendants, depth first."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class ParsedPlan:
    """The result of parsing one plan document."""

    title: str | None = None
    year: int | None = None
    preamble: str = ""
    sections: list[Node] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_format: str = field(default="text", compare=False)
    resolved_departments: dict[str, str] | None = field(default=None, compare=False)
    unresolved_departments: list[str] | None = field(default=None, compare=False)
    # the warnings that concern one node, {"key", "message"} (not in the JSON contract; the import keeps them)
    node_warnings: list[dict[str, str]] = field(default_factory=list, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract: title, year, preamble, sections, warnings (+ resolution if asked)."""
        out: dict[str, Any] = {
            "title": self.title,
            "year": self.year,
            "preamble": self.preamble,
            "sections": [s.to_dict() for s in self.sections],
            "warnings": list(self.warnings),
        }
        if self.resolved_departments is not None:
            out["resolved_departments"] = dict(self.resolved_departments)
            out["unresolved_departments"] = list(self.unresolved_departments or [])
        return out

    def walk(self):
        """Yield every node of the plan, depth first."""
        for section in self.sections:
            yield from section.walk()

    def department_names(self) -> list[str]:
        """All department names in the plan, in order of first appearance."""
        seen: dict[str, None] = {}
        for node in self.walk():
            for name in node.departments.lead + node.departments.support:
                seen.setdefault(name, None)
        return list(seen)
