"""Property tests: any input gives a plan or a clear ParseError; rendering and parsing again is stable."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.parsing import ParsedPlan, ParseError, parse_plan, render_text
from plans.parsing.numerals import int_to_cn

PLAN_ALPHABET = st.sampled_from(
    list(
        "加强学习组织开展党外人士统战部工作建设服务教育理论实践会议一二三是"
        "（）()、，。；：1234 .\n①②牵头配合责任部门召开次场不少于每季度全年篇第页共-"
    )
)


def _parse_or_error(data, **kwargs) -> ParsedPlan | None:
    try:
        plan = parse_plan(data, **kwargs)
    except ParseError as exc:
        assert exc.message and "\n" not in exc.message
        return None
    assert isinstance(plan, ParsedPlan)
    plan.to_dict()
    return plan


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_plan_or_parse_error(text):
    _parse_or_error(text)


@settings(max_examples=300, deadline=None)
@given(st.text(PLAN_ALPHABET, max_size=400))
def test_plan_like_text_gives_plan_or_parse_error(text):
    _parse_or_error(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "a.txt", "a.docx", "a.pdf", "a.doc"]))
def test_any_bytes_give_plan_or_parse_error(data, filename):
    _parse_or_error(data, filename=filename)


MAGIC = [b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MAGIC), st.binary(max_size=1000))
def test_bytes_with_magic_numbers_give_plan_or_parse_error(magic, rest):
    _parse_or_error(magic + rest)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=500), st.text(PLAN_ALPHABET, max_size=200))
def test_zips_with_odd_word_parts_give_plan_or_parse_error(junk, text):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", junk)
        archive.writestr("word/document.xml", f"<w:document><w:body><w:p>{text}</w:p></w:body></w:document>")
    _parse_or_error(out.getvalue(), filename="x.docx")


def tree(plan: ParsedPlan):
    def node(n):
        return (
            n.marker,
            n.number,
            n.title,
            n.text,
            tuple(n.departments.lead),
            tuple(n.departments.support),
            tuple((t.text, t.count) for t in n.targets),
            tuple(node(c) for c in n.children),
        )

    return plan.title, plan.preamble, tuple(node(s) for s in plan.sections)


@settings(max_examples=300, deadline=None)
@given(st.text(PLAN_ALPHABET, max_size=400))
def test_render_then_parse_gives_the_same_tree_for_any_parsed_text(text):
    plan = _parse_or_error(text)
    if plan is None or not plan.sections:
        return
    again = parse_plan(render_text(plan))
    assert tree(again)[2] == tree(plan)[2]


# --- generated plans: the parser recovers the structure they were written with -------------------

LEVEL_STYLES = [
    lambda n: f"{int_to_cn(n)}、",
    lambda n: f"（{int_to_cn(n)}）",
    lambda n: f"{n}.",
    lambda n: f"（{n}）",
    lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[n - 1],
]
WORDS = st.sampled_from(
    ["加强", "理论", "学习", "组织", "党外", "人士", "统战", "服务", "建设", "调研", "宣传", "队伍"]
)
TITLE = st.lists(WORDS, min_size=1, max_size=5).map("".join)
DEPTS = st.lists(st.sampled_from(["党委统战部", "党委宣传部", "人事处", "团委", "学生工作处"]), max_size=3, unique=True)
TARGET = st.sampled_from(["", "召开1次座谈会", "举办2场报告会", "每季度召开一次例会", "开展3次调研"])


@st.composite
def plan_specs(draw):
    depth = draw(st.integers(1, 3))
    start = draw(st.integers(0, len(LEVEL_STYLES) - depth))
    styles = LEVEL_STYLES[start : start + depth]

    def nodes(level):
        count = draw(st.integers(1, 3))
        out = []
        for n in range(1, count + 1):
            children = nodes(level + 1) if level + 1 < depth else []
            out.append(
                {
                    "marker": styles[level](n),
                    "number": n,
                    "title": draw(TITLE),
                    "body": draw(st.booleans()),
                    "target": draw(TARGET),
                    "depts": draw(DEPTS),
                    "children": children,
                }
            )
        return out

    return nodes(0)


def _write(spec, lines):
    for node in spec:
        line = node["marker"] + node["title"]
        if node["body"] or node["target"]:
            line += "。" + (node["target"] + "，" if node["target"] else "") + "认真抓好落实。"
        if node["depts"]:
            line += "（责任部门：" + "、".join(node["depts"]) + "）"
        lines.append(line)
        _write(node["children"], lines)


def _expected(spec):
    return [
        (n["marker"], n["number"], n["title"], n["depts"][:1], n["depts"][1:], _expected(n["children"])) for n in spec
    ]


def _got(nodes):
    return [(n.marker, n.number, n.title, n.departments.lead, n.departments.support, _got(n.children)) for n in nodes]


@settings(max_examples=200, deadline=None)
@given(plan_specs())
def test_generated_plans_parse_to_their_structure_and_round_trip(spec):
    lines = ["某单位2024年工作要点", "为做好今年工作，制定本要点。"]
    _write(spec, lines)
    plan = parse_plan("\n".join(lines))
    assert _got(plan.sections) == _expected(spec)
    assert plan.title == "某单位2024年工作要点"
    again = parse_plan(render_text(plan))
    assert tree(again) == tree(plan)
