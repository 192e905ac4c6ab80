""".docx (typed numbers, Word auto-numbering, tables), .pdf, unsupported and malicious files."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from plans.parsing import ParseError, parse_plan
from plans.tests.plan_builders import FONT, build_docx, build_pdf, docx_from_text, zip_bytes

needs_font = pytest.mark.skipif(not FONT.exists(), reason="CJK font wqy-zenhei not installed; cannot build PDFs")


def outline(plan) -> list[tuple]:
    rows = []

    def walk(node, depth):
        rows.append((depth, node.marker, node.number, node.title))
        for child in node.children:
            walk(child, depth + 1)

    for section in plan.sections:
        walk(section, 0)
    return rows


TYPED = """某某学院2024年统战工作要点
为做好2024年学校统战工作，制定本要点。
一、加强思想政治引领
（一）深化理论学习
1.持续深化理论武装。组织党外人士深入学习，召开2次专题座谈会。（牵头部门：党委统战部；配合部门：党委宣传部）
2.开展主题教育。一是组织专题学习；二是开展实践活动。（责任部门：党委统战部）
二、加强自身建设
1.加强队伍建设。组织统战干部参加培训。（责任部门：党委统战部、人事处）
"""

TYPED_OUTLINE = [
    (0, "一、", 1, "加强思想政治引领"),
    (1, "（一）", 1, "深化理论学习"),
    (2, "1.", 1, "持续深化理论武装"),
    (2, "2.", 2, "开展主题教育"),
    (3, "一是", 1, "组织专题学习"),
    (3, "二是", 2, "开展实践活动"),
    (0, "二、", 2, "加强自身建设"),
    (1, "1.", 1, "加强队伍建设"),
]


def test_docx_with_typed_numbers():
    plan = parse_plan(docx_from_text(TYPED), filename="plan.docx")
    assert plan.source_format == "docx"
    assert plan.title == "某某学院2024年统战工作要点"
    assert outline(plan) == TYPED_OUTLINE
    first = plan.sections[0].children[0].children[0]
    assert (first.departments.lead, first.departments.support) == (["党委统战部"], ["党委宣传部"])
    assert [(t.text, t.count) for t in first.targets] == [("召开2次专题座谈会", 2)]


def test_docx_with_word_auto_numbering_gets_its_numbers():
    blocks = [
        ("p", "某某学院2024年统战工作要点"),
        ("p", "为做好2024年学校统战工作，制定本要点。"),
        ("auto", 0, "加强思想政治引领"),
        ("auto", 1, "深化理论学习"),
        ("auto", 2, "持续深化理论武装。组织学习。（牵头部门：党委统战部；配合部门：党委宣传部）"),
        ("auto", 2, "开展主题教育。组织活动。"),
        ("auto", 3, "赴教育基地学习考察。"),
        ("auto", 3, "举办1次读书会。"),
        ("auto", 1, "加强政治交接"),
        ("auto", 2, "做好政治交接工作。"),
        ("auto", 0, "加强自身建设"),
        ("auto", 1, "加强队伍建设"),
        ("p", "中共某某学院委员会统战部"),
        ("p", "2024年2月1日"),
    ]
    plan = parse_plan(build_docx(blocks), filename="auto.docx")
    assert outline(plan) == [
        (0, "一、", 1, "加强思想政治引领"),
        (1, "（一）", 1, "深化理论学习"),
        (2, "1.", 1, "持续深化理论武装"),
        (2, "2.", 2, "开展主题教育"),
        (3, "（1）", 1, "赴教育基地学习考察"),
        (3, "（2）", 2, "举办1次读书会"),
        (1, "（二）", 2, "加强政治交接"),
        (2, "1.", 1, "做好政治交接工作"),
        (0, "二、", 2, "加强自身建设"),
        (1, "（一）", 1, "加强队伍建设"),
    ]
    item = plan.sections[0].children[0].children[0]
    assert (item.departments.lead, item.departments.support) == (["党委统战部"], ["党委宣传部"])
    assert plan.sections[1].children[0].text == ""  # signature and date dropped


def test_docx_mixing_typed_sections_and_auto_numbered_items():
    blocks = [
        ("p", "某单位2024年工作要点"),
        ("p", "一、强化引领"),
        ("auto", 2, "加强学习。"),
        ("auto", 2, "开展调研。"),
        ("p", "二、加强建设"),
        ("auto", 2, "加强队伍建设。"),
    ]
    plan = parse_plan(build_docx(blocks), filename="mixed.docx")
    assert outline(plan) == [
        (0, "一、", 1, "强化引领"),
        (1, "1.", 1, "加强学习"),
        (1, "2.", 2, "开展调研"),
        (0, "二、", 2, "加强建设"),
        (1, "3.", 3, "加强队伍建设"),
    ]


def test_docx_task_table_becomes_items_with_departments():
    blocks = [
        ("p", "某单位2024年统战工作任务分解"),
        ("p", "一、重点任务"),
        (
            "table",
            [
                ["序号", "工作任务", "牵头部门", "配合部门", "完成时限"],
                ["1", "召开1次党外人士座谈会", "党委统战部", "党委办公室、校长办公室", "6月底"],
                ["2", "开展建言献策活动", "党委统战部", "", "全年"],
            ],
        ),
    ]
    plan = parse_plan(build_docx(blocks), filename="table.docx")
    items = plan.sections[0].children
    assert [(i.marker, i.number, i.title) for i in items] == [
        ("1", 1, "召开1次党外人士座谈会"),
        ("2", 2, "开展建言献策活动"),
    ]
    assert (items[0].departments.lead, items[0].departments.support) == (["党委统战部"], ["党委办公室", "校长办公室"])
    assert [(t.text, t.count) for t in items[0].targets] == [("召开1次党外人士座谈会", 1)]


def test_docx_layout_table_text_is_read():
    blocks = [("p", "某单位2024年工作要点"), ("table", [["一、加强学习"], ["1.组织学习。（责任部门：统战部）"]])]
    plan = parse_plan(build_docx(blocks), filename="layout.docx")
    assert outline(plan) == [(0, "一、", 1, "加强学习"), (1, "1.", 1, "组织学习")]


@needs_font
def test_pdf_with_wrapped_lines_and_page_footers():
    paragraphs = [
        "^某某学院2024年统战工作要点",
        "为做好2024年学校统战工作，结合学校实际，制定本要点，请各部门认真贯彻落实，确保各项任务落到实处。",
    ]
    for n in range(1, 4):
        paragraphs += [f"{'一二三'[n - 1]}、第{n}部分工作"]
        paragraphs += [
            f"1.持续深化第{n}部分理论武装。组织党外人士深入学习习近平新时代中国特色社会主义思想，"
            "深刻领会党的二十大精神，"
            "召开2次专题座谈会，不断增进政治共识，巩固共同思想政治基础。（责任部门：党委统战部、党委宣传部）",
            f"2.开展第{n}部分主题教育。组织党外人士开展主题教育活动，进一步巩固共同思想政治基础，推动学校各项事业发展进步，"
            "凝聚奋进力量。（牵头部门：党委统战部）",
        ]
    plan = parse_plan(build_pdf(paragraphs), filename="plan.pdf")
    assert plan.source_format == "pdf"
    assert plan.title == "某某学院2024年统战工作要点"
    assert len(plan.sections) == 3
    item = plan.sections[0].children[0]
    assert (item.marker, item.title) == ("1.", "持续深化第1部分理论武装")
    assert item.text.endswith("巩固共同思想政治基础。")
    assert (item.departments.lead, item.departments.support) == (["党委统战部"], ["党委宣传部"])
    assert [(t.text, t.count) for t in item.targets] == [("召开2次专题座谈会", 2)]
    assert "- 1 -" not in str(plan.to_dict())


@needs_font
def test_scanned_pdf_asks_for_ocr():
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (40, 40), "white")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=100)
    with pytest.raises(ParseError, match="OCR"):
        parse_plan(bytes(pdf.output()), filename="scan.pdf")


def test_old_doc_asks_to_save_as_docx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ParseError, match=r"另存为.*docx"):
        parse_plan(data, filename="plan.doc")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.4 broken", "a.pdf", "损坏"),
        (b"PK\x03\x04 not really a zip", "a.docx", "损坏"),
        (b"hello", "a.docx", "不是 Word"),
        (b"\x89PNG\r\n\x1a\n....", "a.png", "OCR"),
        (b"{\\rtf1\\ansi hello}", "a.rtf", "docx"),
        (b"\x00\x01\x02\x03" * 100, "a.bin", "无法识别"),
    ],
)
def test_unsupported_inputs_have_clear_messages(data, filename, message):
    with pytest.raises(ParseError, match=message):
        parse_plan(data, filename=filename)


def test_excel_file_is_refused():
    with pytest.raises(ParseError, match="Excel"):
        parse_plan(zip_bytes({"xl/workbook.xml": b"<workbook/>"}), filename="a.xlsx")


def _docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_from_text("一、加强学习\n"))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_bomb_docx_is_refused_quickly():
    parts = _docx_parts()
    parts["word/media/padding.bin"] = b"\x00" * (30 * 1024 * 1024)
    data = zip_bytes(parts)
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ParseError, match="压缩炸弹"):
        parse_plan(data, filename="bomb.docx")
    assert time.perf_counter() - started < 1


def test_docx_with_external_entity_is_refused():
    parts = _docx_parts()
    xml = parts["word/document.xml"].decode("utf-8")
    xml = xml.replace("?>", '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
    parts["word/document.xml"] = xml.replace("加强学习", "&xxe;").encode("utf-8")
    with pytest.raises(ParseError, match="DTD"):
        parse_plan(zip_bytes(parts), filename="xxe.docx")


def test_docx_with_deep_nesting_is_refused_quickly():
    parts = _docx_parts()
    xml = parts["word/document.xml"].decode("utf-8")
    deep = "<w:sdt><w:sdtContent>" * 10000 + "</w:sdtContent></w:sdt>" * 10000
    parts["word/document.xml"] = xml.replace("<w:body>", "<w:body>" + deep, 1).encode("utf-8")
    started = time.perf_counter()
    with pytest.raises(ParseError, match="嵌套过深"):
        parse_plan(zip_bytes(parts), filename="deep.docx")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_encodings_are_detected(encoding):
    plan = parse_plan(TYPED.encode(encoding), filename="plan.txt")
    assert outline(plan) == TYPED_OUTLINE


def test_html_page_text_is_read():
    html = (
        "<html><body><h1>某单位2024年工作要点</h1><p>一、加强学习</p>"
        "<p>1.组织学习。（责任部门：统战部）</p></body></html>"
    )
    plan = parse_plan(html.encode("utf-8"), filename="page.html")
    assert plan.title == "某单位2024年工作要点"
    assert outline(plan) == [(0, "一、", 1, "加强学习"), (1, "1.", 1, "组织学习")]
