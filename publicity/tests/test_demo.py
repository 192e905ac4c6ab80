import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Target
from publicity.models import Story

pytestmark = pytest.mark.django_db


def test_demo_has_two_published_stories_counted_on_item_9(client, capsys):
    call_command("load_demo")
    stories = Story.objects.filter(organisation__slug="demo", status=Story.Status.PUBLISHED)
    assert sorted(s.get_kind_display() for s in stories) == ["人物风采", "工作动态"]
    assert all(s.author.username == "ufd" and s.reviewed_by.username == "leader" for s in stories)
    featured = [p for s in stories for p in s.people.all()]
    assert len(featured) == 1 and featured[0].has_publicity_consent
    target = Target.objects.get(item__number=9, item__plan__organisation__slug="demo")
    assert (target.text, target.achieved, target.count, target.item.progress) == ("推出专题报道2篇", 2, 2, 100)
    page = client.get(reverse("publicity:public-list", args=["demo"])).content.decode()
    assert "学校召开2023年统战工作座谈会" in page
