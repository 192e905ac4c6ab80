"""The import template offers drop-down lists (Excel data validation) for 性别, 民主党派 and
统战对象类别, and the import preview names the categories instead of counting them."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from people.imports import HEADERS
from people.tests.xlsx import upload

pytestmark = pytest.mark.django_db

EXPECTED = {
    "性别": ["男", "女"],
    "民主党派": ["民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"],
    "统战对象类别": [
        "民主党派成员",
        "无党派人士",
        "党外知识分子",
        "中青年党外专家学者",
        "留学回国人员",
        "归侨侨眷",
        "港澳台同胞亲属",
        "党外代表人士",
    ],
}


def _list_values(workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    first, last = cells.replace("$", "").split(":")
    sheet = workbook[sheet_name.strip("'")]
    return [row[0].value for row in sheet[first:last]]


def test_template_has_drop_down_lists(client, ufd_staff):
    client.force_login(ufd_staff)

    workbook = load_workbook(io.BytesIO(client.get(reverse("people:import-template")).content))

    sheet = workbook.worksheets[0]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        (cell_range,) = validation.sqref.ranges
        column = HEADERS[cell_range.min_col - 1]
        assert (cell_range.min_row, cell_range.max_row) == (2, 2000)
        found[column] = (_list_values(workbook, validation.formula1), validation.showErrorMessage)
    assert found == {
        "性别": (EXPECTED["性别"], True),
        "民主党派": (EXPECTED["民主党派"], True),
        # several categories may be typed with “、”, so the list offers but does not refuse
        "统战对象类别": (EXPECTED["统战对象类别"], False),
    }
    assert workbook["选项"].sheet_state == "hidden"
    assert [c.value for c in sheet[1]] == HEADERS


def test_preview_names_the_categories(client, ufd_staff, ufd_department):
    row = [""] * len(HEADERS)
    row[HEADERS.index("姓名")] = "张三"
    row[HEADERS.index("工号")] = "T1"
    row[HEADERS.index("统战对象类别")] = "留学回国人员、党外知识分子"
    client.force_login(ufd_staff)

    response = client.post(reverse("people:import"), {"file": upload([row])})

    html = response.content.decode()
    assert response.status_code == 200
    # 工号, 职务, 职称, then 类别: the names, where the preview used to show their count (2)
    assert "<td>T1</td><td></td><td></td><td>留学回国人员、党外知识分子</td></tr>" in html
