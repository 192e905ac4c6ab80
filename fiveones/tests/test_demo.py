import pytest
from django.core.management import call_command
from django.utils import timezone

from fiveones.models import Completion, Entry
from fiveones.queries import completion_figures, member_ledger
from orgs.models import Organisation
from people.models import Person
from plans.models import Target

pytestmark = pytest.mark.django_db


def test_demo_has_a_year_of_five_ones(capsys):
    call_command("load_demo")
    org = Organisation.objects.get(slug="demo")
    year = timezone.localdate().year

    figures = completion_figures(org, year)
    assert figures["total"].members == 12
    assert figures["total"].complete == Completion.objects.filter(organisation=org, year=year).count() >= 3
    assert len(figures["low"]) >= 2

    # The member account: report (lecture), site (visit) and proposal filled; the book waits.
    me = member_ledger(Person.objects.get(organisation=org, user__username="member"), year)
    assert {s.slot.value: s.filled for s in me.slots} == {
        "book": False,
        "report": True,
        "site": True,
        "research": False,
        "proposal": True,
    }
    assert [e.title for e in me.slots[0].pending] == ["乡土中国"]
    assert Entry.objects.filter(organisation=org, status="pending").count() == 2

    target = Target.objects.get(item__plan__organisation=org, item__number=8)
    assert (target.achieved, target.count) == (figures["total"].complete, 12)
