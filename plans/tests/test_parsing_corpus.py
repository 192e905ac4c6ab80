"""A corpus of realistic plan documents with REGRESSION SNAPSHOTS (``<name>.snapshot.json``).

The snapshots are the parser's own output at the time each document was added, checked by eye but
not written independently of the code: they catch regressions, they do not measure accuracy. Labels
written by hand before the parser was run belong in a separate labelled set.

Each document is compared node by node the way the graders do: marker as written, number, title
(after folding punctuation and whitespace), lead and support departments as written, counted targets
(folded text and count) and the children. Documents are ``.txt`` files as users paste or save them,
or ``.docx-builder`` / ``.pdf-builder`` descriptions built into real files at test time.
Run ``python -m plans.tests.test_parsing_corpus`` for a readable diff of every document.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from plans.parsing import parse_plan
from plans.tests.plan_builders import FONT, corpus_document

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
SOURCES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".docx-builder", ".pdf-builder"))


def fold(text: str) -> str:
    """Fold width, punctuation and whitespace (how titles and target texts are compared)."""
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text or ""))


def _label(node: dict) -> str:
    return f"{node['marker']}{node['title'][:24]}"


def diff_nodes(expected: list[dict], actual: list[dict], path: str = "") -> list[str]:
    """Differences between two lists of nodes, as readable lines (empty when they match)."""
    out: list[str] = []
    if len(expected) != len(actual):
        out.append(
            f"{path or '/'}: {len(expected)} children expected, got {len(actual)}: {[_label(n) for n in actual]}"
        )
    for exp, act in zip(expected, actual, strict=False):
        here = f"{path}/{_label(exp)}"
        for key in ("marker", "number"):
            if exp[key] != act[key]:
                out.append(f"{here}: {key} {exp[key]!r} != {act[key]!r}")
        if fold(exp["title"]) != fold(act["title"]):
            out.append(f"{here}: title {act['title']!r}")
        for role in ("lead", "support"):
            if exp["departments"][role] != act["departments"][role]:
                out.append(f"{here}: {role} {exp['departments'][role]} != {act['departments'][role]}")
        exp_targets = [(fold(t["text"]), t["count"]) for t in exp["targets"]]
        act_targets = [(fold(t["text"]), t["count"]) for t in act["targets"]]
        if exp_targets != act_targets:
            out.append(f"{here}: targets {exp_targets} != {act_targets}")
        out += diff_nodes(exp["children"], act["children"], here)
    return out


def diff_document(source: Path) -> list[str]:
    """Parse a corpus document and list where it differs from its labels."""
    expected = json.loads(source.with_name(source.stem + ".snapshot.json").read_text(encoding="utf-8"))
    data, filename = corpus_document(source)
    plan = parse_plan(data, filename=filename).to_dict()
    out = []
    if fold(plan["title"] or "") != fold(expected["title"]):
        out.append(f"title {plan['title']!r}")
    if plan["year"] != expected["year"]:
        out.append(f"year {plan['year']!r}")
    return out + diff_nodes(expected["sections"], plan["sections"])


@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_corpus_document_matches_its_snapshot(source):
    if source.suffix == ".pdf-builder" and not FONT.exists():
        pytest.skip("CJK font wqy-zenhei not installed; cannot build PDFs")
    assert diff_document(source) == []


def test_corpus_is_large_enough():
    assert len(SOURCES) >= 12
    for source in SOURCES:
        assert source.with_name(source.stem + ".snapshot.json").exists(), source.name


# --- the rules the corpus exposed, one by one ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("每学期至少开展一次谈心谈话。", [("每学期至少开展一次谈心谈话", 2)]),
        ("全年在学院网站发布信息不少于12篇。", [("全年在学院网站发布信息不少于12篇", 12)]),
        ("征集意见建议不少于30条。", [("征集意见建议不少于30条", 30)]),
        ("组织民主党派开展行动，实施帮扶项目10个。", [("实施帮扶项目10个", 10)]),
        ("讲好统战故事，推出一批典型案例。", []),
    ],
)
def test_targets_found_by_the_corpus(text, targets):
    from plans.parsing.targets import find_targets

    assert [(t.text, t.count) for t in find_targets(text)] == targets


def test_tag_after_points_on_the_item_line_is_the_items():
    plan = parse_plan(
        "一、加强学习\n"
        "1.组织学习。开展两项活动：（1）读书；（2）讲座。（责任部门：党委统战部 党委宣传部）\n"
        "2.开展调研。组织调研。（责任部门：党委统战部）\n"
    )
    item = plan.sections[0].children[0]
    assert (item.departments.lead, item.departments.support) == (["党委统战部"], ["党委宣传部"])
    assert [c.departments.lead for c in item.children] == [[], []]


def test_tag_line_closing_untagged_items_is_the_sections():
    plan = parse_plan(
        "一、加强学习\n（一）组织学习。开展学习。\n（二）开展调研。组织调研。\n"
        "责任单位：区委统战部、区委党校\n"
        "二、加强建设\n（一）建设队伍。\n（牵头单位：区委统战部）\n（二）完善制度。\n（牵头单位：区委办）\n"
    )
    first, second = plan.sections
    assert (first.departments.lead, first.departments.support) == (["区委统战部"], ["区委党校"])
    assert [c.departments.lead for c in first.children] == [[], []]
    assert second.departments.lead == []
    assert [c.departments.lead for c in second.children] == [["区委统战部"], ["区委办"]]


def test_notice_without_quotes_takes_the_attachments_own_title():
    plan = parse_plan(
        "关于印发2024年统战工作要点的通知\n各部门：\n现将2024年统战工作要点印发给你们。\n"
        "中共宁海学院委员会统战部2024年统战工作要点\n一、加强学习\n1.组织学习。\n"
    )
    assert plan.title == "中共宁海学院委员会统战部2024年统战工作要点"


def test_letterhead_line_is_not_glued_to_a_title_that_names_its_owner():
    plan = parse_plan(
        "中共某某市委统一战线工作领导小组办公室\n关于2024年全市统一战线工作的安排\n一、加强学习\n1.组织学习。\n"
    )
    assert plan.title == "关于2024年全市统一战线工作的安排"
    plan = parse_plan("中共某某大学委员会统战部\n2024年工作要点\n一、加强学习\n1.组织学习。\n")
    assert plan.title == "中共某某大学委员会统战部2024年工作要点"


if __name__ == "__main__":
    failed = 0
    for src in SOURCES:
        lines = diff_document(src)
        failed += bool(lines)
        print(("FAIL " if lines else "ok   ") + src.name)
        for line in lines[: int(sys.argv[1]) if len(sys.argv) > 1 else 12]:
            print("     " + line)
    print(f"{len(SOURCES) - failed}/{len(SOURCES)} documents match")
