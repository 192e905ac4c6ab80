"""Hole 4: exports crashed (500) on titles with / : [ ] ? * \\ because openpyxl refuses them in
sheet names. The shared writer makes any title a valid sheet name."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.exports import sheet_name, write_docx_table, write_xlsx

BAD_TITLE = "2026/2027 学年: [统战] 座谈会? *重要* \\ 第一期"


def test_sheet_name_replaces_every_forbidden_mark():
    assert sheet_name("a/b:c[d]e?f*g\\h") == "a_b_c_d_e_f_g_h"
    assert sheet_name("") == "Sheet1"
    assert sheet_name("'''") == "Sheet1"
    assert len(sheet_name("统" * 40)) == 31


def test_write_xlsx_accepts_a_title_with_every_forbidden_mark():
    data = write_xlsx([["姓名"], ["张三"]], title=BAD_TITLE)
    book = load_workbook(io.BytesIO(data))
    # 31 characters, the trailing space after the cut dropped.
    assert book.active.title == "2026_2027 学年_ _统战_ 座谈会_ _重要_ _"
    # The title line keeps the original text.
    assert book.active.cell(1, 1).value == BAD_TITLE


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=80))
def test_any_title_writes_a_readable_workbook_and_document(title):
    data = write_xlsx([["序号", "姓名"], [1, title]], title=title, watermark=title)
    book = load_workbook(io.BytesIO(data))
    name = book.active.title
    assert 1 <= len(name) <= 31
    assert not set(name) & set("/\\:[]?*")
    assert not name.startswith("'") and not name.endswith("'")
    assert write_docx_table([["姓名"], [title]], title=title, subtitle=title)[:2] == b"PK"


@pytest.mark.django_db
def test_event_exports_with_a_forbidden_title_return_200(client, ufd_staff, org):
    from events.tests.factories import EventFactory

    event = EventFactory(organisation=org, title=BAD_TITLE)
    client.force_login(ufd_staff)
    for name in ("signin-xlsx", "signin-docx", "attendance-xlsx"):
        response = client.get(
            f"/events/{event.pk}/"
            + {"signin-xlsx": "signin.xlsx", "signin-docx": "signin.docx", "attendance-xlsx": "attendance.xlsx"}[name]
        )
        assert response.status_code == 200, name
        assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_breakdown_export_with_a_forbidden_title_returns_200(client, ufd_staff, org):
    from plans.tests.factories import PlanFactory

    plan = PlanFactory(organisation=org, title="2026年/统战:工作[要点]?")
    client.force_login(ufd_staff)
    for fmt in ("xlsx", "docx"):
        response = client.get(f"/plans/{plan.pk}/export/?format={fmt}")
        assert response.status_code == 200, fmt
        assert response.content[:2] == b"PK"
