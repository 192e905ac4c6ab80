"""Corrections a reviewer makes to a parsed plan before it is saved: move an item to another
section, merge an item into the one before it, split one item in two.

Pure functions on the JSON form of a parse (``ParsedPlan.to_dict()``). A node is addressed by its
key, the path of child indexes from the section ("0" is the first section, "0.2" its third child),
as the review table numbers its rows. Each function changes the dict in place and raises
:class:`EditError` (a one-line Chinese message) when the edit does not apply.
"""

from __future__ import annotations

import re

from .structure import split_title
from .targets import find_targets


class EditError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _path(key: str) -> list[int]:
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)*", key or ""):
        raise EditError("找不到要修改的条目，请刷新页面后重试")
    return [int(p) for p in key.split(".")]


def _siblings_and_index(parsed: dict, key: str) -> tuple[list[dict], int]:
    path = _path(key)
    siblings = parsed.get("sections", [])
    for index in path[:-1]:
        if index >= len(siblings):
            raise EditError("找不到要修改的条目，请刷新页面后重试")
        siblings = siblings[index].setdefault("children", [])
    if path[-1] >= len(siblings):
        raise EditError("找不到要修改的条目，请刷新页面后重试")
    return siblings, path[-1]


def node_at(parsed: dict, key: str) -> dict:
    siblings, index = _siblings_and_index(parsed, key)
    return siblings[index]


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def merge_into_previous(parsed: dict, key: str) -> str:
    """Merge an item into the sibling before it (title and text become text, targets, departments
    and children are joined). Returns the key of the merged item."""
    siblings, index = _siblings_and_index(parsed, key)
    if "." not in key:
        raise EditError("部分不能合并，请合并其中的任务")
    if index == 0:
        raise EditError("这是本级第一项，前面没有可以合并的任务")
    node, previous = siblings[index], siblings[index - 1]
    own = "。".join(p for p in (node.get("title", ""), node.get("text", "")) if p)
    previous["text"] = "\n".join(p for p in (previous.get("text", ""), own) if p)
    previous["targets"] = [*previous.get("targets", []), *node.get("targets", [])]
    departments = previous.setdefault("departments", {"lead": [], "support": []})
    other = node.get("departments", {"lead": [], "support": []})
    departments["lead"] = _union(departments.get("lead", []), other.get("lead", []))
    departments["support"] = [
        n for n in _union(departments.get("support", []), other.get("support", [])) if n not in departments["lead"]
    ]
    previous.setdefault("children", []).extend(node.get("children", []))
    del siblings[index]
    return key.rsplit(".", 1)[0] + f".{index - 1}"


def split(parsed: dict, key: str, at: str) -> str:
    """Split an item where its text contains `at`: the text from there becomes a new item after it
    (its first sentence the title), with the same departments. Returns the new item's key."""
    at = (at or "").strip()
    siblings, index = _siblings_and_index(parsed, key)
    if "." not in key:
        raise EditError("只能拆分任务，不能拆分部分")
    node = siblings[index]
    text = node.get("text", "")
    position = text.find(at) if at else -1
    if position < 0:
        raise EditError("在这项任务的正文中找不到要拆分的文字")
    before, after = text[:position].rstrip("\n 。；;"), text[position:]
    title, rest = split_title(after)
    new = {
        "marker": "",
        "number": (node.get("number") or 0) + 1,
        "title": title.strip(" 。；;"),
        "text": rest.strip(),
        "departments": {
            "lead": list(node.get("departments", {}).get("lead", [])),
            "support": list(node.get("departments", {}).get("support", [])),
        },
        "targets": [t.to_dict() for t in find_targets(after)],
        "children": [],
    }
    node["text"] = before
    node["targets"] = [t.to_dict() for t in find_targets(node.get("title", "") + "。" + before)]
    siblings.insert(index + 1, new)
    return key.rsplit(".", 1)[0] + f".{index + 1}"


def move_to_section(parsed: dict, key: str, section: int) -> str:
    """Move an item (with its children) to the end of another section. Returns its new key."""
    if "." not in key:
        raise EditError("只能移动任务；部分的顺序以原文为准")
    sections = parsed.get("sections", [])
    if not 0 <= section < len(sections):
        raise EditError("请选择要移入的部分")
    siblings, index = _siblings_and_index(parsed, key)
    node = siblings.pop(index)
    children = sections[section].setdefault("children", [])
    children.append(node)
    return f"{section}.{len(children) - 1}"
