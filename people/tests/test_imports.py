"""Reading and checking import files: every error kind, with its row and column."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from people.imports import HEADERS, check_rows, parse_month, parse_period, parse_posts, read_sheet
from people.models import Category, Party, PublicPost

DEPARTMENTS = {"党委统战部": 1, "统战部": 1, "信息工程学院": 2}


def check(rows, header=None, existing=None):
    return check_rows(
        header or HEADERS,
        [(n, r) for n, r in enumerate(rows, start=2)],
        departments=DEPARTMENTS.get,
        existing=existing or {},
    )


def line(**values):
    return [values.get(h, "") for h in HEADERS]


@pytest.mark.parametrize(
    "value",
    [
        "1980-05",
        "1980.05",
        "1980/5",
        "1980年5月",
        "1980年05月",
        " 1980.5 ",
        "198005",
        datetime(1980, 5, 17),
        date(1980, 5, 2),
        1980.05,
    ],
)
def test_month_accepts_office_forms_and_excel_dates(value):
    assert parse_month(value) == date(1980, 5, 1)


def test_month_number_cell_keeps_october():
    assert parse_month(1980.1) == date(1980, 10, 1)


@pytest.mark.parametrize("value", ["1980-13", "80.5", "五月", "1980", "2200-01"])
def test_month_refuses_what_it_cannot_read(value):
    with pytest.raises(ValueError, match="无法识别的年月"):
        parse_month(value)


@pytest.mark.parametrize(
    "value",
    [
        "2008.09-2012.07",
        "2008.9—2012.7",
        "2008年9月至2012年7月",
        "2008/09 ~ 2012/07",
        "2008-09-2012-07",
        "2008.09～2012.07",
    ],
)
def test_study_period_forms(value):
    assert parse_period(value) == (date(2008, 9, 1), date(2012, 7, 1))


def test_study_period_until_now_and_errors():
    assert parse_period("2020.09-至今") == (date(2020, 9, 1), None)
    with pytest.raises(ValueError):
        parse_period("2012.07-2008.09")
    with pytest.raises(ValueError):
        parse_period("四年")


def test_posts_are_parsed_by_kind_level_and_term():
    posts = parse_posts("市政协委员（第十四届）、全国人大代表、区侨联委员")
    assert [(p["kind"], p["level"], p["term"]) for p in posts] == [
        (PublicPost.Kind.CPPCC, PublicPost.Level.CITY, "第十四届"),
        (PublicPost.Kind.NPC, PublicPost.Level.NATIONAL, ""),
        (PublicPost.Kind.OTHER, PublicPost.Level.DISTRICT, ""),
    ]


def test_a_good_row_is_read_completely():
    checked = check(
        [
            line(
                **{
                    "姓名": "张三",
                    "性别": "男",
                    "出生年月": "1980.05",
                    "工号": 1001,
                    "所在部门": "统战部",
                    "职务": "主任",
                    "职称": "教授",
                    "学历": "博士",
                    "统战对象类别": "党外知识分子、留学回国人员",
                    "民主党派": "九三学社",
                    "入党派时间": "2010年6月",
                    "党派职务": "支社主委",
                    "人大政协职务": "市政协委员",
                    "留学国家(地区)": "英国",
                    "留学院校": "剑桥大学",
                    "学位": "博士",
                    "留学起止时间": "2008.09-2012.07",
                    "回国时间": "2012.08",
                    "手机": 13912345678,
                    "邮箱": "zs@example.edu.cn",
                }
            )
        ]
    )
    assert checked.problems == []
    data = checked.rows[0].data
    assert (data["name"], data["gender"], data["birth_month"], data["staff_number"]) == (
        "张三",
        "M",
        date(1980, 5, 1),
        "1001",
    )
    assert (data["department"], data["party"], data["party_join_month"]) == (1, Party.JIUSAN, date(2010, 6, 1))
    assert data["categories"] == [Category.NON_PARTY_INTELLECTUAL, Category.RETURNED_SCHOLAR, Category.DEMOCRATIC_PARTY]
    assert data["study"]["start_month"] == date(2008, 9, 1)
    assert data["study"]["return_month"] == date(2012, 8, 1)
    assert data["phone"] == "13912345678"


def test_every_problem_is_reported_with_row_and_column():
    checked = check(
        [
            line(姓名="甲", 工号="A1"),
            line(姓名="乙", 工号="A1", 所在部门="不存在处", 出生年月="1980-13"),
            line(姓名="", 统战对象类别="党外人士", 性别="男性"),
            line(姓名="丁", 民主党派="某党", 手机="电话", 邮箱="not-mail", 留学院校="哈佛"),
            line(姓名="戊", 留学起止时间="很久以前", 留学国家="", 回国时间="去年"),
        ]
    )
    found = {(p.row, p.column) for p in checked.problems}
    assert found == {
        (3, "工号"),
        (3, "所在部门"),
        (3, "出生年月"),
        (4, "姓名"),
        (4, "统战对象类别"),
        (4, "性别"),
        (5, "民主党派"),
        (5, "手机"),
        (5, "邮箱"),
        (5, "留学国家(地区)"),
        (6, "留学起止时间"),
        (6, "回国时间"),
    }
    messages = {(p.row, p.column): p.message for p in checked.problems}
    assert messages[(3, "工号")] == "工号“A1”与第2行重复"
    assert "未知部门“不存在处”" in messages[(3, "所在部门")]
    assert "未知类别“党外人士”" in messages[(4, "统战对象类别")]
    assert str(checked.problems[0]).startswith("第3行【")
    assert not checked.ok


@pytest.mark.parametrize("column", ["宗教信仰", "民族", "身份证号", "证件号码", "Religion", "Ethnicity", "ID card"])
def test_sensitive_columns_refuse_the_file(column):
    checked = check([line(姓名="甲")], header=[*HEADERS, column])
    assert [(p.row, p.column) for p in checked.problems] == [(1, column)]
    assert "不收集宗教信仰、民族和身份证件号码" in checked.problems[0].message
    assert checked.rows == []


def test_unknown_and_duplicate_headers_and_missing_name():
    checked = check([["x", "y", "z"]], header=["工号", "爱好", "工号"])
    assert [(p.column, p.message) for p in checked.problems] == [
        ("爱好", "无法识别的表头，请使用导入模板中的列名"),
        ("工号", "表头重复"),
        ("姓名", "缺少“姓名”列"),
    ]


def test_header_aliases_and_full_width_brackets_and_serial_numbers():
    header = ["序号", "姓名", "手机号码", "留学国家（地区）", "部门"]
    checked = check([[1, "甲", "13900000000", "日本", "信息工程学院"]], header=header)
    assert checked.problems == []
    assert checked.rows[0].data["study"]["country_region"] == "日本"
    assert checked.rows[0].data["department"] == 2


def test_existing_staff_numbers_are_marked_as_updates():
    checked = check([line(姓名="甲", 工号="T1"), line(姓名="乙", 工号="T2")], existing={"T1": 42})
    assert [r.existing_id for r in checked.rows] == [42, None]
    assert (checked.new_count, checked.updated_count) == (1, 1)


def test_empty_file_is_a_problem():
    assert [p.message for p in check([]).problems] == ["表格中没有数据"]


def test_read_sheet_reads_real_excel_date_cells_and_skips_blank_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(line(姓名="甲", 出生年月=datetime(1980, 5, 1), 民主党派="民盟", 入党派时间=datetime(2001, 7, 1)))
    sheet.append([None] * len(HEADERS))
    sheet.append(line(姓名="乙"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    header, rows = read_sheet(io.BytesIO(buffer.getvalue()))
    assert [number for number, _ in rows] == [2, 4]
    checked = check_rows(header, rows, departments={}.get, existing={})
    assert checked.problems == []
    assert checked.rows[0].data["birth_month"] == date(1980, 5, 1)
    assert checked.rows[0].data["party_join_month"] == date(2001, 7, 1)
