import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from people.models import Category, Party, PartyMembership, StudyAbroad
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def sheet_values(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
def scholar(org, ufd_department):
    person = PersonFactory(
        organisation=org,
        name='=HYPERLINK("x")',
        phone="13912345678",
        email="hg@example.edu.cn",
        department=ufd_department,
        job_title="主任",
        professional_title="教授",
        birth_month=date(1980, 5, 1),
    )
    person.category_links.create(category=Category.RETURNED_SCHOLAR)
    StudyAbroad.objects.create(
        person=person,
        country_region="英国",
        institution="剑桥大学",
        degree="博士",
        start_month=date(2008, 9, 1),
        end_month=date(2012, 7, 1),
        return_month=date(2012, 8, 1),
    )
    StudyAbroad.objects.create(person=person, country_region="美国", institution="斯坦福大学", degree="访问学者")
    PartyMembership.objects.create(person=person, party=Party.JIUSAN)
    return person


def test_register_export_is_masked_watermarked_neutralised_and_audited(client, ufd_staff, scholar, org):
    PersonFactory(organisation=org, name="非九三")
    client.force_login(ufd_staff)
    response = client.get(reverse("people:export"), {"party": Party.JIUSAN})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    values = sheet_values(response)
    assert values[0][0] == "统战对象名册"
    assert values[1][0].startswith(f"导出人：{ufd_staff.name}　导出时间：")
    assert values[2][:3] == ["序号", "姓名", "性别"]
    assert len(values) == 4  # title, watermark, header, one person
    assert values[3][1] == '\'=HYPERLINK("x")'  # formula neutralised
    assert "139****5678" in values[3] and "h***@example.edu.cn" in values[3]
    assert "13912345678" not in str(values)
    event = AuditEvent.objects.get(action="export")
    assert (event.user, event.changes["rows"], event.changes["filter"]) == (ufd_staff, 1, "民主党派：九三学社")
    assert "purpose" not in event.changes


def test_unmasked_export_needs_a_purpose_and_audits_it(client, ufd_staff, scholar):
    client.force_login(ufd_staff)
    refused = client.post(reverse("people:export"), {"unmasked": "on", "purpose": ""})
    assert refused.status_code == 302
    assert AuditEvent.objects.filter(action="export").count() == 0
    response = client.post(reverse("people:export"), {"unmasked": "on", "purpose": "报送市委统战部"})
    assert "13912345678" in str(sheet_values(response))
    event = AuditEvent.objects.get(action="export")
    assert event.changes["purpose"] == "报送市委统战部"


def test_returned_scholars_list_has_the_columns_one_line_per_study(client, ufd_staff, scholar):
    client.force_login(ufd_staff)
    values = sheet_values(client.get(reverse("people:returned-export")))
    assert values[0][0] == "留学回国人员明细清单"
    assert values[2] == [
        "序号",
        "姓名",
        "性别",
        "出生年月",
        "所在部门",
        "职务/职称",
        "留学国家(地区)",
        "留学院校",
        "学位",
        "留学起止时间",
        "回国时间",
        "联系电话",
    ]
    assert values[3][3:] == [
        "1980.05",
        "党委统战部",
        "主任/教授",
        "英国",
        "剑桥大学",
        "博士",
        "2008.09-2012.07",
        "2012.08",
        "139****5678",
    ]
    assert values[4][0] == 2 and values[4][6] == "美国"
    assert AuditEvent.objects.get(action="export").changes["rows"] == 2


def test_leader_gets_the_returned_list_masked_and_may_not_unmask(client, leader, scholar):
    client.force_login(leader)
    page = client.get(reverse("people:returned")).content.decode()
    assert "剑桥大学" in page and "139****5678" in page and "13912345678" not in page
    assert "13912345678" not in str(sheet_values(client.get(reverse("people:returned-export"))))
    response = client.post(reverse("people:returned-export"), {"unmasked": "on", "purpose": "想看"})
    assert response.status_code == 403
