import io

from docx import Document
from openpyxl import load_workbook

from core.exports import safe_cell, write_docx_table, write_xlsx


def test_formulas_are_neutralised():
    assert [safe_cell(v) for v in ["=1+1", "+86", "-2", "@SUM(A1)", "正常", 5]] == [
        "'=1+1",
        "'+86",
        "'-2",
        "'@SUM(A1)",
        "正常",
        5,
    ]


def test_xlsx_has_title_watermark_header_and_safe_cells():
    data = write_xlsx([["姓名", "备注"], ["张三", '=HYPERLINK("x")']], title="名单", watermark="导出人：王 2026年")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "名单"
    assert values[1][0] == "导出人：王 2026年"
    assert values[2] == ["姓名", "备注"]
    assert values[3] == ["张三", '\'=HYPERLINK("x")']
    assert sheet.page_setup.orientation == "landscape"


def test_docx_table_has_the_rows():
    data = write_docx_table([["序号", "任务"], [1, "召开座谈会"]], title="任务分解表")
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "任务分解表"
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["序号", "任务"], ["1", "召开座谈会"]]
