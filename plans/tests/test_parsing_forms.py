"""Documents in the forms issue 15 names: task tables pasted as text, department lines of other
shapes, numbering run together in one line, titles that run into their body, pasted Markdown,
traditional characters with the sites' pinyin, and document-site boilerplate lists.

Every expected outline below was written by hand from the document above it."""

from plans.parsing import parse_plan


def tree(plan) -> list[tuple]:
    """(depth, marker, number, title, lead, support) for every node, depth first."""
    rows = []

    def walk(node, depth):
        rows.append((depth, node.marker, node.number, node.title, node.departments.lead, node.departments.support))
        for child in node.children:
            walk(child, depth + 1)

    for section in plan.sections:
        walk(section, 0)
    return rows


def test_task_table_pasted_with_tabs_repeated_header_and_merged_lead():
    text = (
        "某某学院2024年统战工作任务分解表\n"
        "序号\t工作任务\t具体内容\t牵头单位\t配合单位\t责任领导\t完成时限\n"
        "一、加强思想政治引领\n"
        "1\t加强理论学习\t组织党外人士开展理论学习，全年不少于4次\t党委统战部\t党委宣传部\t张副书记\t2024年12月\n"
        "2\t做好代表人士队伍建设\t建立党外代表人士人才库\t\t组织部、人事处\t张副书记\t2024年6月\n"
        "序号\t工作任务\t具体内容\t牵头单位\t配合单位\t责任领导\t完成时限\n"
        "二、支持民主党派建设\n"
        "3\t支持党派自身建设\t召开1次座谈会\t党委统战部\t—\t李校长\t2024年11月\n"
    )
    plan = parse_plan(text)
    assert plan.title == "某某学院2024年统战工作任务分解表"
    assert tree(plan) == [
        (0, "一、", 1, "加强思想政治引领", [], []),
        (1, "1", 1, "加强理论学习", ["党委统战部"], ["党委宣传部"]),
        (1, "2", 2, "做好代表人士队伍建设", ["党委统战部"], ["组织部", "人事处"]),
        (0, "二、", 2, "支持民主党派建设", [], []),
        (1, "3", 3, "支持党派自身建设", ["党委统战部"], []),
    ]
    first = plan.sections[0].children[0]
    assert first.text == "组织党外人士开展理论学习，全年不少于4次"
    assert [t.count for t in first.targets] == [4]
    assert [t.count for t in plan.sections[1].children[0].targets] == [1]


def test_task_table_pasted_with_runs_of_spaces():
    text = (
        "2024年统一战线工作责任分工表\n"
        "序号    重点工作            牵头单位      配合单位\n"
        "1       加强政治引领        党委统战部    党委宣传部\n"
        "2       做好联谊交友        党委统战部    各二级学院\n"
    )
    assert tree(parse_plan(text)) == [
        (0, "1", 1, "加强政治引领", ["党委统战部"], ["党委宣传部"]),
        (0, "2", 2, "做好联谊交友", ["党委统战部"], ["各二级学院"]),
    ]


def test_department_lines_after_items_and_on_a_section_heading():
    text = (
        "XX大学2024年统一战线工作要点\n"
        "一、加强政治引领\n"
        "1.深入学习贯彻党的二十大精神。组织全校统战成员开展专题学习。\n"
        "牵头单位：党委统战部  责任单位：党委宣传部、各二级学院\n"
        "2.开展主题教育活动。围绕学校中心工作开展主题教育。\n"
        "牵头：党委统战部\n"
        "配合：学生工作处、团委\n"
        "二、加强队伍建设（牵头单位：党委统战部、党委组织部）\n"
        "3.做好党外干部培养。完善党外干部培养选拔机制。\n"
    )
    assert tree(parse_plan(text)) == [
        (0, "一、", 1, "加强政治引领", [], []),
        (1, "1.", 1, "深入学习贯彻党的二十大精神", ["党委统战部"], ["党委宣传部", "各二级学院"]),
        (1, "2.", 2, "开展主题教育活动", ["党委统战部"], ["学生工作处", "团委"]),
        # names after a 牵头 key are all lead (the parser's documented convention)
        (0, "二、", 2, "加强队伍建设", ["党委统战部", "党委组织部"], []),
        (1, "3.", 3, "做好党外干部培养", [], []),
    ]


def test_numbering_run_together_in_one_line():
    text = (
        "XX学院2024年统战工作要点\n"
        "一、强化思想引领 1.加强理论学习。组织党外人士学习。2.开展专题调研。围绕学校发展开展调研。"
        "3.做好宣传工作。及时报道统战工作动态。\n"
        "二、加强组织建设（一）支持民主党派建设。支持各党派开展活动。（二）加强党外知识分子工作。成立联谊会。\n"
    )
    assert [row[:4] for row in tree(parse_plan(text))] == [
        (0, "一、", 1, "强化思想引领"),
        (1, "1.", 1, "加强理论学习"),
        (1, "2.", 2, "开展专题调研"),
        (1, "3.", 3, "做好宣传工作"),
        (0, "二、", 2, "加强组织建设"),
        (1, "（一）", 1, "支持民主党派建设"),
        (1, "（二）", 2, "加强党外知识分子工作"),
    ]


def test_title_running_into_its_body_keeps_a_short_heading():
    text = (
        "XX学院2024年统战工作要点\n"
        "一、把握一条主线紧紧围绕铸牢中华民族共同体意识这条主线，深入开展民族团结进步教育\n"
        "1.加强思想引领深入学习贯彻党的二十大精神，引导党外人士坚定拥护“两个确立”\n"
        "2.持续深入学习贯彻习近平新时代中国特色社会主义思想\n"
    )
    plan = parse_plan(text)
    assert [row[3] for row in tree(plan)] == [
        "把握一条主线",
        "加强思想引领",
        "持续深入学习贯彻习近平新时代中国特色社会主义思想",  # a long title that is a title stays whole
    ]
    assert plan.sections[0].text.startswith("紧紧围绕铸牢中华民族共同体意识这条主线")
    assert all(len(n.title) <= 40 for n in plan.walk())


def test_pasted_markdown_headings_bold_lists_and_a_pipe_table():
    text = (
        "# XX学院2024年统战工作要点\n\n"
        "## 一、加强政治引领\n\n"
        "1. **深化理论学习**。组织党外人士开展集中学习。（牵头：党委统战部）\n"
        "2. **开展主题活动**。开展“同心”系列活动。（牵头：党委统战部；配合：团委）\n\n"
        "## 加强队伍建设\n\n"
        "- **做好党外代表人士工作**：建立人才库。\n"
        "  - 完善培养机制。\n"
        "- **加强培训**：举办培训班2期。\n"
    )
    plan = parse_plan(text)
    assert plan.title == "XX学院2024年统战工作要点"
    assert tree(plan) == [
        (0, "一、", 1, "加强政治引领", [], []),
        (1, "1.", 1, "深化理论学习", ["党委统战部"], []),
        (1, "2.", 2, "开展主题活动", ["党委统战部"], ["团委"]),
        (0, "", 2, "加强队伍建设", [], []),
        (1, "-", 1, "做好党外代表人士工作", [], []),
        (2, "-", 1, "完善培养机制", [], []),
        (1, "-", 2, "加强培训", [], []),
    ]
    assert [t.count for t in plan.sections[1].children[1].targets] == [2]


def test_markdown_pipe_task_table():
    text = (
        "# 2024年统战工作任务分解表\n\n"
        "| 序号 | 工作任务 | 牵头单位 | 配合单位 |\n"
        "|---|---|---|---|\n"
        "| 1 | **做好宣传工作** | 党委宣传部 | 党委统战部 |\n"
        "| 2 | 关心留学回国人员 | 人事处 | — |\n"
    )
    assert tree(parse_plan(text)) == [
        (0, "1", 1, "做好宣传工作", ["党委宣传部"], ["党委统战部"]),
        (0, "2", 2, "关心留学回国人员", ["人事处"], []),
    ]


def test_traditional_characters_are_read_and_given_back_as_written():
    text = (
        "XX學院2024年統戰工作要點\n"
        "一、加強政治引領\n"
        "1.深入學習貫徹黨的二十大精神。組織黨外人士開展學習，全年不少於4次。（牽頭單位：黨委統戰部）\n"
        "2.鞏固共同思想政治基礎。推動形態(tài)建設。（牽頭單位：黨委統戰部；配合單位：黨委宣傳部）\n"
    )
    plan = parse_plan(text, departments=[("党委统战部", ["统战部"]), ("党委宣传部", [])])
    assert plan.title == "XX學院2024年統戰工作要點"
    assert tree(plan) == [
        (0, "一、", 1, "加強政治引領", [], []),
        (1, "1.", 1, "深入學習貫徹黨的二十大精神", ["黨委統戰部"], []),
        (1, "2.", 2, "鞏固共同思想政治基礎", ["黨委統戰部"], ["黨委宣傳部"]),
    ]
    assert [t.count for t in plan.sections[0].children[0].targets] == [4]
    assert plan.sections[0].children[1].text == "推動形態建設。"
    assert plan.resolved_departments == {"黨委統戰部": "党委统战部", "黨委宣傳部": "党委宣传部"}
    assert plan.unresolved_departments == []


def test_simplified_text_with_a_stray_variant_is_left_alone():
    plan = parse_plan("2024年工作要点\n一、加强學习\n1.做好工作。（牵头单位：党委统战部）\n")
    assert plan.sections[0].title == "加强學习"


def test_document_site_boilerplate_list_is_never_items():
    text = (
        "1.部分包含数学公式或PPT动画的文件，查看预览时可能会显示错乱或异常，文件下载后无此问题，请放心下载。\n"
        "2.本文档由用户上传，版权归属用户，本站仅提供信息存储空间服务。\n"
        "3.下载前请仔细阅读文档内容，确认文档内容符合您的需求后进行下载。\n"
        "XX学院2024年统战工作要点\n"
        "一、加强政治引领\n"
        "1.深化理论学习。组织学习。（牵头单位：党委统战部）\n"
    )
    plan = parse_plan(text)
    assert plan.title == "XX学院2024年统战工作要点"
    assert [row[:4] for row in tree(plan)] == [(0, "一、", 1, "加强政治引领"), (1, "1.", 1, "深化理论学习")]
