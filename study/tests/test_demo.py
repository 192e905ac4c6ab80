import pytest
from django.core.management import call_command

from orgs.models import Organisation
from plans.models import Target
from study.models import PointEntry, StudyMaterial
from study.queries import materials_with_figures

pytestmark = pytest.mark.django_db


def test_demo_has_two_materials_with_receipts(capsys):
    call_command("load_demo")
    org = Organisation.objects.get(slug="demo")

    materials = {m.title: m for m in materials_with_figures(org)}
    article = materials["学习《中国共产党统一战线工作条例》"]
    link = materials["中央统战工作会议精神解读"]
    assert article.status == link.status == StudyMaterial.Status.PUBLISHED
    assert article.reach >= 12
    assert 0 < article.read < article.reach
    assert 0 < article.passed < article.read
    assert link.read == 4
    assert PointEntry.objects.filter(organisation=org).exists()
    target = Target.objects.get(item__plan__organisation=org, item__number=1)
    assert (target.achieved, target.count) == (2, 12)
