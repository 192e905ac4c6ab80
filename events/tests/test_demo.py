import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event
from plans.models import Target

pytestmark = pytest.mark.django_db


def test_demo_events_count_towards_seed_item_4(capsys):
    call_command("load_demo")
    symposium = Event.objects.get(title=f"{timezone.localdate().year}年统战工作座谈会")
    assert symposium.is_held
    assert symposium.registrations.filter(checked_in_at__isnull=False).count() == 11
    target = Target.objects.get(item__number=4, item__plan__organisation=symposium.organisation)
    assert (target.achieved, target.count, target.item.progress) == (1, 1, 100)
    study = Event.objects.get(title="民主党派成员学习交流会")
    assert study.status == "published"
    assert study.invitations.filter(person__user__username="member").exists()
