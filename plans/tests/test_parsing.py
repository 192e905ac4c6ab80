"""The plan parser on the seed, on text fixtures in every numbering style, and its building blocks."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest

from plans.parsing import ParseError, parse_plan, render_text, resolve_departments
from plans.parsing.departments import extract_tags
from plans.parsing.numerals import cn_to_int, int_to_cn, to_int
from plans.parsing.targets import find_targets

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fold(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text))


def compact(node: dict) -> dict:
    """The parts of a node our checks compare: marker, number, folded title, departments, targets."""
    return {
        "marker": node["marker"],
        "number": node["number"],
        "title": fold(node["title"]),
        "lead": node["departments"]["lead"],
        "support": node["departments"]["support"],
        "targets": [(fold(t["text"]), t["count"]) for t in node["targets"]],
        "children": [compact(c) for c in node["children"]],
    }


def outline(plan) -> list[tuple]:
    """(depth, marker, number, title) for every node, depth first."""
    rows = []

    def walk(node, depth):
        rows.append((depth, node.marker, node.number, node.title))
        for child in node.children:
            walk(child, depth + 1)

    for section in plan.sections:
        walk(section, 0)
    return rows


# --- the seed ------------------------------------------------------------------------------------


def test_seed_matches_expected_labels():
    expected = json.loads((SEEDS / "000_28af86dc0943f269.expected.json").read_text(encoding="utf-8"))
    plan = parse_plan((SEEDS / "000_28af86dc0943f269.txt").read_bytes(), filename="seed.txt").to_dict()
    assert plan["title"] == expected["title"]
    assert plan["year"] == expected["year"]
    assert [compact(s) for s in plan["sections"]] == [compact(s) for s in expected["sections"]]


def test_seed_cleans_noise_and_warns_about_inferred_number():
    plan = parse_plan((SEEDS / "000_28af86dc0943f269.txt").read_text(encoding="utf-8"))
    assert plan.preamble.startswith("2023年学校统战工作的指导思想和总体要求是")
    assert "党的十九大" in plan.preamble and "二十大" in plan.preamble
    assert "淘文阁" not in json.dumps(plan.to_dict(), ensure_ascii=False)
    assert "第四部分第3项缺少编号，已按位置推断为16" in plan.warnings
    item_1 = plan.sections[0].children[0]
    assert "2、" not in item_1.text and "深学细悟笃行" in item_1.text


def test_seed_contract_has_exact_keys():
    plan = parse_plan((SEEDS / "000_28af86dc0943f269.txt").read_bytes()).to_dict()
    assert set(plan) == {"title", "year", "preamble", "sections", "warnings"}
    node = plan["sections"][0]
    assert set(node) == {"marker", "number", "title", "text", "departments", "targets", "children"}
    assert set(node["departments"]) == {"lead", "support"}


# --- text fixtures -------------------------------------------------------------------------------


def test_notice_wrapped_plan_uses_attachment_title_and_skips_notice_and_trailer():
    plan = parse_plan((FIXTURES / "notice_plan.txt").read_bytes())
    assert plan.title == "某某学院2024年统一战线工作要点"
    assert plan.year == 2024
    assert plan.preamble.startswith("2024年是中华人民共和国成立75周年")
    assert "索引号" not in plan.preamble and "现将" not in plan.preamble
    assert outline(plan) == [
        (0, "一、", 1, "加强思想政治引领，筑牢团结奋斗的共同思想政治基础"),
        (1, "（一）", 1, "深化理论学习"),
        (2, "1.", 1, "持续深化理论武装"),
        (2, "2.", 2, "开展主题教育活动"),
        (3, "一是", 1, "组织党外代表人士赴革命教育基地开展学习考察"),
        (3, "二是", 2, "举办2期党外人士理论研修班"),
        (3, "三是", 3, "开展“同心讲堂”活动不少于3次"),
        (1, "（二）", 2, "加强政治交接"),
        (2, "3.", 3, "做好党外代表人士政治交接工作"),
        (0, "二、", 2, "服务学校中心工作，凝聚发展合力"),
        (1, "（一）", 1, "支持履职尽责"),
        (2, "1.", 1, "支持民主党派基层组织建设"),
        (2, "2.", 2, "做好建言献策工作"),
        (1, "（二）", 2, "发挥专家作用"),
        (2, "3.", 3, "发挥党外专家在学科建设中的作用"),
        (0, "三、", 3, "加强自身建设"),
        (1, "1.", 1, "加强统战干部队伍建设"),
        (1, "2.", 2, "加强统战信息宣传"),
    ]
    item_1 = plan.sections[0].children[0].children[0]
    assert item_1.departments.lead == ["党委统战部"]
    assert item_1.departments.support == ["党委宣传部", "党委教师工作部"]
    assert [(t.text, t.count) for t in item_1.targets] == [("每季度组织一次党外人士专题学习", 4)]
    item_2 = plan.sections[0].children[0].children[1]
    assert item_2.departments.lead == ["党委统战部"]  # the tag after 三是 belongs to the item
    assert [c.departments.lead for c in item_2.children] == [[], [], []]
    last = plan.sections[2].children[1]
    assert "抄送" not in last.text and "印发" not in last.text
    assert [(t.text, t.count) for t in last.targets] == [("全年编发统战工作简报6期", 6)]


def test_gbk_outline_block_is_not_duplicated():
    data = (FIXTURES / "outline_plan_gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    plan = parse_plan(data, filename="plan.txt")
    assert plan.title == "某某职业学院党委统战部2023年工作计划"
    assert [(s.marker, s.title) for s in plan.sections] == [
        ("一、", "指导思想"),
        ("二、", "工作目标"),
        ("三、", "重点任务"),
        ("四、", "保障措施"),
    ]
    tasks = plan.sections[2]
    assert [(c.marker, c.title) for c in tasks.children] == [
        ("1、", "加强党外代表人士队伍建设"),
        ("2、", "支持民主党派加强自身建设"),
        ("3、", "做好民族宗教工作"),
    ]
    first = tasks.children[0].children[0]
    assert first.marker == "（1）"
    assert first.departments.lead == ["党委统战部"] and first.departments.support == ["党委组织部", "人事处"]
    ethnic = tasks.children[2]
    assert ethnic.departments.lead == ["党委统战部"] and ethnic.departments.support == ["学生工作处", "保卫处"]
    assert "第 1 页" not in json.dumps(plan.to_dict(), ensure_ascii=False)
    meeting = tasks.children[1].children[0]
    assert [(t.text, t.count) for t in meeting.targets] == [("每学期召开一次民主党派负责人联席会议", 2)]


def test_hard_wrapped_text_with_footers_and_stray_spaces():
    plan = parse_plan((FIXTURES / "wrapped_plan.txt").read_text(encoding="utf-8"))
    assert plan.title == "中共某某大学委员会统战部2023年工作要点"
    assert plan.preamble.endswith("凝聚共识、汇聚力量。")
    assert outline(plan) == [
        (0, "一、", 1, "强化政治引领"),
        (1, "（一）", 1, "加强思想政治建设"),
        (1, "（二）", 2, "深化主题教育"),
        (2, "①", 1, "组织党外人士开展“学思想、强党性”主题教育活动，推动学习走深走实"),
        (2, "②", 2, "开展“同心”系列讲座，全年举办不少于4场"),
        (0, "二、", 2, "服务中心大局"),
        (1, "（一）", 1, "支持党外人士建言献策"),
        (1, "（二）", 2, "做好留学回国人员工作"),
    ]
    first = plan.sections[0].children[0]
    assert "二十大" in first.text
    assert first.departments.support == ["党委宣传部"]
    assert plan.sections[0].children[1].children[1].departments.support == ["工会"]
    assert plan.sections[1].children[1].departments.lead == ["人事处"]


# --- numbering styles, nested in any combination -------------------------------------------------

STYLES = {
    "一、": lambda n: f"{int_to_cn(n)}、",
    "（一）": lambda n: f"（{int_to_cn(n)}）",
    "(一)": lambda n: f"({int_to_cn(n)})",
    "1.": lambda n: f"{n}.",
    "1、": lambda n: f"{n}、",
    "1 .": lambda n: f"{n} .",
    "（1）": lambda n: f"（{n}）",
    "(1)": lambda n: f"({n})",
    "①": lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[n - 1],
}
SAME_KIND = [{"（一）", "(一)"}, {"1.", "1、", "1 ."}, {"（1）", "(1)"}]


def _distinct(styles: tuple[str, ...]) -> bool:
    return all(len(set(styles) & group) <= 1 for group in SAME_KIND)


def _nested_plan(styles: tuple[str, ...], *, run_in: bool) -> tuple[str, list[tuple]]:
    lines = ["某单位2024年工作要点", "为做好今年工作，制定本要点。"]
    expected = []

    def emit(depth: int, prefix: str) -> None:
        for n in (1, 2):
            marker = STYLES[styles[depth]](n)
            title = f"加强第{prefix}{n}项工作"
            line = marker + title
            if run_in or depth == len(styles) - 1:
                line += f"。围绕{prefix}{n}开展落实。"
            lines.append(line)
            expected.append((depth, marker, n, title))
            if depth + 1 < len(styles):
                emit(depth + 1, f"{prefix}{n}之")

    emit(0, "")
    return "\n".join(lines), expected


@pytest.mark.parametrize("styles", [s for s in itertools.permutations(STYLES, 2) if _distinct(s)])
def test_two_level_nesting_in_any_order(styles):
    text, expected = _nested_plan(styles, run_in=False)
    assert outline(parse_plan(text)) == expected


@pytest.mark.parametrize(
    "styles",
    [
        ("一、", "（一）", "1.", "（1）"),
        ("一、", "1、", "（1）", "①"),
        ("（一）", "1 .", "(1)"),
        ("一、", "(一)", "1、", "①"),
        ("1.", "（1）", "①"),
    ],
)
def test_deep_nesting_with_titles_running_into_body(styles):
    text, expected = _nested_plan(styles, run_in=True)
    plan = parse_plan(text)
    assert outline(plan) == expected
    assert all(node.text.startswith("围绕") for node in plan.walk())


def test_items_restarting_per_section_and_continuing_across_sections():
    restart = "一、甲\n1.子一\n2.子二\n二、乙\n1.子三\n"
    cont = "一、甲\n1.子一\n2.子二\n二、乙\n3.子三\n"
    assert [c.number for s in parse_plan(restart).sections for c in s.children] == [1, 2, 1]
    assert [c.number for s in parse_plan(cont).sections for c in s.children] == [1, 2, 3]


def test_inline_points_become_children():
    text = (
        "一、加强学习\n"
        "1.深化理论武装。一是加强政治引领，引导党外人士；二是开展专题研讨；三是举办1次读书会。（责任部门：统战部）\n"
    )
    item = parse_plan(text).sections[0].children[0]
    assert [(c.marker, c.number, c.title) for c in item.children] == [
        ("一是", 1, "加强政治引领，引导党外人士"),
        ("二是", 2, "开展专题研讨"),
        ("三是", 3, "举办1次读书会"),
    ]
    assert item.departments.lead == ["统战部"]
    assert [(t.text, t.count) for t in item.children[2].targets] == [("举办1次读书会", 1)]


def test_lone_yi_shi_is_not_a_point():
    item = parse_plan("一、总体要求\n1.坚持统一是根本。要坚持一是一、二是二的作风。\n").sections[0].children[0]
    assert item.children == []


def test_standalone_title_line_and_body_on_next_lines():
    plan = parse_plan(
        "一、指导思想\n坚持以习近平新时代中国特色社会主义思想为指导。\n二、主要任务：\n1.加强学习\n组织学习。\n"
    )
    assert [(s.title, s.text) for s in plan.sections] == [
        ("指导思想", "坚持以习近平新时代中国特色社会主义思想为指导。"),
        ("主要任务", ""),
    ]
    assert (plan.sections[1].children[0].title, plan.sections[1].children[0].text) == ("加强学习", "组织学习。")


def test_mixed_width_punctuation_and_full_width_digits():
    plan = parse_plan("一.加强学习\n１．持续深化理论武装.组织学习(责任部门:党委统战部;配合部门:宣传部)\n(２)开展调研\n")
    item = plan.sections[0].children[0]
    assert (item.marker, item.number, item.title) == ("１．", 1, "持续深化理论武装")
    assert item.departments.lead == ["党委统战部"] and item.departments.support == ["宣传部"]
    assert (item.children[0].marker, item.children[0].number) == ("(２)", 2)


def test_lost_number_at_line_start_is_inferred():
    plan = parse_plan("一、甲\n1.子一。内容。\n2.子二。内容。\n.子三。内容。\n")
    assert [(c.marker, c.number, c.title) for c in plan.sections[0].children][-1] == (".", 3, "子三")
    assert any("推断为3" in w for w in plan.warnings)


def test_enumerations_inside_text_are_not_markers():
    plan = parse_plan("一、工作安排\n1.一、二季度完成调研，提高到1.5倍，第1、2批完成。\n2.统一、规范管理。\n")
    assert [(c.marker, c.title) for c in plan.sections[0].children] == [
        ("1.", "一、二季度完成调研，提高到1.5倍，第1、2批完成"),
        ("2.", "统一、规范管理"),
    ]


def test_page_footer_inside_paragraph_is_removed_and_joined():
    text = (
        "一、加强学习\n1.持续深化理论武装。组织党外人士深入学习党的二十大精神，推动学习\n"
        "第 1 页 共 4 页\n走深走实。（责任部门：统战部）\n2.开展调研。\n"
    )
    item = parse_plan(text).sections[0].children[0]
    assert item.text == "组织党外人士深入学习党的二十大精神，推动学习走深走实。"
    assert item.departments.lead == ["统战部"]


def test_site_page_markers_in_other_scraped_text():
    text = (
        "《某学院2024年统战工作要点.doc》由会员分享,可在线阅读,更多相关请在某文库上搜索。\n"
        "1、某学院2024年统战工作要点为做好今年工作，制定本要点。一、强化政治引领1 .加强理论学习。组织学\n"
        "2、习研讨。(责任部门:党委统 战部)2 .开展主题教育。召开1次座谈会。(责任部门:党委统战部、工会)二、加强自身\n"
        "3、建设3 .加强队伍建设。组织培训。(责任部门:党委统战部)\n"
    )
    plan = parse_plan(text)
    assert plan.title == "某学院2024年统战工作要点"
    assert outline(plan) == [
        (0, "一、", 1, "强化政治引领"),
        (1, "1 .", 1, "加强理论学习"),
        (1, "2 .", 2, "开展主题教育"),
        (0, "二、", 2, "加强自身建设"),
        (1, "3 .", 3, "加强队伍建设"),
    ]
    assert plan.sections[0].children[0].text == "组织学习研讨。"
    assert plan.sections[0].children[0].departments.lead == ["党委统战部"]


def test_numbered_list_is_not_mistaken_for_page_markers():
    text = (
        "某学院2024年统战工作计划\n1、加强理论学习，组织学习研讨。\n"
        "2、开展主题教育，召开1次座谈会。\n3、加强队伍建设。\n"
    )
    plan = parse_plan(text)
    assert [(s.marker, s.title) for s in plan.sections] == [
        ("1、", "加强理论学习，组织学习研讨"),
        ("2、", "开展主题教育，召开1次座谈会"),
        ("3、", "加强队伍建设"),
    ]


def test_signature_and_date_after_last_item_are_dropped():
    text = "某学院2024年统战工作要点\n一、加强学习\n1.组织学习。\n中共某学院委员会统战部\n2024年2月1日\n"
    item = parse_plan(text).sections[0].children[0]
    assert item.text == ""


def test_title_two_lines_and_year_in_chinese():
    plan = parse_plan("中共某某学院委员会统战部\n二〇二四年工作要点\n一、加强学习\n")
    assert plan.title == "中共某某学院委员会统战部二〇二四年工作要点"
    assert plan.year == 2024


def test_plain_text_without_numbering_gives_warning_not_error():
    plan = parse_plan("这是一段没有编号的文字。")
    assert plan.sections == []
    assert plan.warnings == ["未识别到任何带编号的部分或条目，请检查文档格式"]


@pytest.mark.parametrize("data", [b"", b"   \n\n", ""])
def test_empty_input_is_a_parse_error(data):
    with pytest.raises(ParseError, match="为空"):
        parse_plan(data)


def test_oversized_input_is_refused():
    with pytest.raises(ParseError, match="20 MB"):
        parse_plan(b"a" * (20 * 1024 * 1024 + 1))


def test_render_text_round_trip_on_fixtures():
    for data in [(SEEDS / "000_28af86dc0943f269.txt").read_bytes(), *(p.read_bytes() for p in FIXTURES.glob("*.txt"))]:
        plan = parse_plan(data)
        again = parse_plan(render_text(plan))
        assert again.sections == plan.sections
        assert again.title == plan.title


# --- departments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lead", "support"),
    [
        ("（责任部门：党委统战部、党委宣传部）", ["党委统战部"], ["党委宣传部"]),
        ("(责任部门:党委统 战部)", ["党委统战部"], []),
        ("(责任部门:学生工作处、教务 处、团委)", ["学生工作处"], ["教务处", "团委"]),
        ("（牵头部门：党委统战部；配合部门：党委组织部、人事处）", ["党委统战部"], ["党委组织部", "人事处"]),
        ("（牵头部门：党委统战部、党委宣传部；配合部门：团委）", ["党委统战部", "党委宣传部"], ["团委"]),
        ("责任单位：党委统战部", ["党委统战部"], []),
        ("【牵头单位】党委统战部【配合单位】党委组织部、人事处", ["党委统战部"], ["党委组织部", "人事处"]),
        ("牵头：党委统战部 配合：党委宣传部 工会", ["党委统战部"], ["党委宣传部", "工会"]),
        ("（责任部门：党委统战部 党委宣传部）", ["党委统战部"], ["党委宣传部"]),
        ("（党委统战部牵头，人事处、国际交流处配合）", ["党委统战部"], ["人事处", "国际交流处"]),
        ("（责任部门：人事处、党委统战部（牵头））", ["党委统战部"], ["人事处"]),
        ("（责任领导：张三；责任部门：党委统战部）", ["党委统战部"], []),
        ("（配合部门：团委）", [], ["团委"]),
    ],
)
def test_department_tag_forms(text, lead, support):
    result = extract_tags("加强学习。" + text)
    assert (result.departments.lead, result.departments.support) == (lead, support)
    assert result.text == "加强学习。"


def test_text_without_tag_is_unchanged():
    text = "明确各部门职责，由学校牵头组织。"
    assert extract_tags(text).text == text
    assert extract_tags(text).departments.lead == []


def test_resolve_departments_with_aliases_and_unknown_names():
    departments = [("党委统战部", ["统战部"]), ("党委宣传部", ["宣传部"]), ("人事处", ["人事劳资处"]), ("团委", [])]
    result = resolve_departments(["党委统战部", "统战部", "宣传部", "人事劳资处", "校团委", "各二级学院"], departments)
    assert result.resolved == {
        "党委统战部": "党委统战部",
        "统战部": "党委统战部",
        "宣传部": "党委宣传部",
        "人事劳资处": "人事处",
        "校团委": "团委",
    }
    assert result.unknown == ["各二级学院"]


def test_parse_with_departments_reports_unknown_names():
    plan = parse_plan(
        (SEEDS / "000_28af86dc0943f269.txt").read_bytes(),
        departments={"党委统战部": ["统战部"], "党委宣传部": [], "党委组织部": [], "学生工作处": ["学工处"]},
    )
    data = plan.to_dict()
    assert data["unresolved_departments"] == ["人事劳资处", "教务处", "团委", "各二级学院部"]
    assert data["resolved_departments"]["党委统战部"] == "党委统战部"
    assert "未识别的部门：人事劳资处" in data["warnings"]
    assert data["sections"][1]["children"][5]["departments"]["lead"] == ["人事劳资处"]  # names kept as written


# --- targets and numerals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("召开一次统战工作座谈会，面向党外人士", [("召开一次统战工作座谈会", 1)]),
        ("召开1次少数民族学生座谈会，关心", [("召开1次少数民族学生座谈会", 1)]),
        ("举办2场专题报告会。", [("举办2场专题报告会", 2)]),
        ("开展理论学习不少于3次。", [("开展理论学习不少于3次", 3)]),
        ("每季度召开一次党外人士座谈会。", [("每季度召开一次党外人士座谈会", 4)]),
        ("座谈会每季度一次。", [("座谈会每季度一次", 4)]),
        ("每月一次推送学习材料。", [("每月一次推送学习材料", 12)]),
        ("全年报送信息10篇。", [("全年报送信息10篇", 10)]),
        ("组织十二批次参观。", [("组织十二批次参观", 12)]),
        ("举办两期培训班，开展3次调研。", [("举办两期培训班", 2), ("开展3次调研", 3)]),
        ("读一本好书、听一场报告、进行一项调研、提交一份议案", []),
        ("开展“五个一”活动，坚持“两个确立”，增强“四个意识”。", []),
        ("开展一次性排查，第一次会议。", []),
    ],
)
def test_targets(text, targets):
    assert [(t.text, t.count) for t in find_targets(text)] == targets


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十一", 21),
        ("九十九", 99),
        ("一百零五", 105),
        ("两", 2),
        ("二〇二三", 2023),
        ("①", 1),
        ("⑳", 20),
        ("１２", 12),
        ("7", 7),
        ("甲", None),
        ("", None),
    ],
)
def test_numerals(text, value):
    assert to_int(text) == value


def test_int_to_cn_round_trips():
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 1000))
