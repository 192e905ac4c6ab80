"""Scores a parse against labels written by hand: node precision, recall and F1 (a node matches when
depth, numbering, number and title agree after folding width, punctuation and spaces), department
sets exact and targets exact on the matched nodes. Used by the labelled-corpus test and
`bench/bench_parser_labels.py`."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

LABELLED = Path(__file__).resolve().parent / "fixtures" / "labelled"


def fold(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text or ""))


def _flatten(nodes: list[dict], depth: int = 0, out: list | None = None) -> list[tuple[tuple, dict]]:
    out = [] if out is None else out
    for node in nodes:
        key = (depth, fold(node.get("marker", "")), node.get("number"), fold(node.get("title", "")))
        out.append((key, node))
        _flatten(node.get("children", []), depth + 1, out)
    return out


def _departments(node: dict) -> tuple[frozenset, frozenset]:
    d = node.get("departments", {})
    return frozenset(d.get("lead", [])), frozenset(d.get("support", []))


def _targets(node: dict) -> Counter:
    return Counter((fold(t["text"]), t["count"]) for t in node.get("targets", []))


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    departments_exact: int = 0
    targets_exact: int = 0
    title_ok: bool = True

    def __add__(self, other: Score) -> Score:
        return Score(
            self.expected + other.expected,
            self.found + other.found,
            self.matched + other.matched,
            self.departments_exact + other.departments_exact,
            self.targets_exact + other.targets_exact,
            self.title_ok and other.title_ok,
        )

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def departments(self) -> float:
        return self.departments_exact / self.matched if self.matched else 1.0

    @property
    def targets(self) -> float:
        return self.targets_exact / self.matched if self.matched else 1.0


def score(expected: dict, actual: dict) -> Score:
    exp, act = _flatten(expected["sections"]), _flatten(actual["sections"])
    waiting: dict[tuple, list[dict]] = {}
    for key, node in act:
        waiting.setdefault(key, []).append(node)
    result = Score(expected=len(exp), found=len(act), title_ok=fold(expected.get("title")) == fold(actual.get("title")))
    for key, node in exp:
        candidates = waiting.get(key)
        if not candidates:
            continue
        other = candidates.pop(0)
        result.matched += 1
        result.departments_exact += _departments(node) == _departments(other)
        result.targets_exact += _targets(node) == _targets(other)
    return result


def labelled_documents() -> list[tuple[Path, dict]]:
    """(document, labels) for every hand-labelled document."""
    out = []
    for labels in sorted(LABELLED.glob("*.labels.json")):
        data = json.loads(labels.read_text(encoding="utf-8"))
        out.append((labels.with_name(data["document"]), data))
    return out
