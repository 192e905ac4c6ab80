"""留学回国人员 has one definition everywhere: in the category OR with a study-abroad record, each
person once. The figures tile, the by-category row, the registry filter, the list and the export
agree."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from people.models import Category, PersonCategory, StudyAbroad
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(org):
    """Hand-built: 3 returned scholars by the definition, 2 people who are not."""
    both = PersonFactory(organisation=org, name="甲两段留学")
    PersonCategory.objects.create(person=both, category=Category.RETURNED_SCHOLAR)
    StudyAbroad.objects.create(person=both, country_region="英国", start_month=date(2005, 9, 1))
    StudyAbroad.objects.create(person=both, country_region="美国", start_month=date(2010, 9, 1))
    category_only = PersonFactory(organisation=org, name="乙仅有类别")
    PersonCategory.objects.create(person=category_only, category=Category.RETURNED_SCHOLAR)
    record_only = PersonFactory(organisation=org, name="丙仅有经历")
    StudyAbroad.objects.create(person=record_only, country_region="日本")
    other = PersonFactory(organisation=org, name="丁无党派")
    PersonCategory.objects.create(person=other, category=Category.NON_PARTY_INTELLECTUAL)
    PersonFactory(organisation=org, name="戊无类别")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_figures_tile_and_category_row_agree(client, ufd_staff, registry):
    client.force_login(ufd_staff)

    text = _text(client.get(reverse("people:figures")).content.decode())

    assert "3 留学回国人员" in text  # the tile
    assert "留学回国人员 3" in text  # the by-category row
    assert "5 统战对象" in text
    assert "党外知识分子 1" in text


def test_list_filter_list_page_and_export_count_the_same_people(client, ufd_staff, registry):
    client.force_login(ufd_staff)

    listed = client.get(reverse("people:list"), {"category": Category.RETURNED_SCHOLAR})
    returned = client.get(reverse("people:returned"))
    export = client.get(reverse("people:returned-export"))

    names = {p.name for p in listed.context["page"]}
    assert names == {"甲两段留学", "乙仅有类别", "丙仅有经历"}
    assert "共 3 人" in returned.content.decode()
    sheet = load_workbook(io.BytesIO(export.content)).active
    exported = [row[1] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    # one line per study record; a person in the category without a record gets one line
    assert sorted(exported) == sorted(["甲两段留学", "甲两段留学", "乙仅有类别", "丙仅有经历"])
