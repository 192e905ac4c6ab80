"""`generate_scale`: counts per model as asked, the demo college's share, reproducibility."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from core import audit_chain
from core.models import AuditEvent
from events.models import Event, Registration
from orgs.models import Organisation
from people.models import Person
from plans.models import Item, ProgressReport
from proposals.models import Answer, Proposal

pytestmark = pytest.mark.django_db

SIZES = {"orgs": 5, "people": 120, "events": 40, "suggestions": 150, "items": 30}


def generate(**overrides):
    args = {**SIZES, **overrides}
    call_command("generate_scale", *[f"--{k}={v}" for k, v in args.items()], "--quiet", stdout=io.StringIO())


def test_counts_per_model_match_the_arguments():
    generate()
    assert Organisation.objects.count() == 5
    assert Person.objects.count() == 120
    assert Event.objects.count() == 40
    assert Proposal.objects.count() == 150
    assert Item.objects.count() == 30
    # Derived kinds exist: reports, registrations with check-ins, answers with ratings, audit lines.
    assert ProgressReport.objects.exists()
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert Answer.objects.exclude(rating="").exists()
    assert AuditEvent.objects.filter(action="view").exists()


def test_the_audit_chain_stays_valid():
    generate()
    checked, breaks = audit_chain.verify()
    assert checked >= 120 and breaks == []


def test_demo_college_gets_at_least_a_tenth_of_every_kind_after_load_demo():
    call_command("load_demo", stdout=io.StringIO())
    before = {m: m.objects.filter(**{path: "demo"}).count() for m, path in KINDS.items()}
    generate(orgs=20)
    for model, path in KINDS.items():
        added = model.objects.filter(**{path: "demo"}).count() - before[model]
        assert added >= SIZES[NAMES[model]] / 10, model


KINDS = {
    Person: "organisation__slug",
    Event: "organisation__slug",
    Proposal: "organisation__slug",
    Item: "plan__organisation__slug",
}
NAMES = {Person: "people", Event: "events", Proposal: "suggestions", Item: "items"}


def test_one_org_puts_everything_in_the_demo_college():
    generate(orgs=1, people=300)
    assert Organisation.objects.get().slug == "demo"
    assert Person.objects.filter(organisation__slug="demo").count() == 300


def snapshot():
    return (
        sorted(Person.objects.values_list("organisation__slug", "staff_number", "name", "birth_month")),
        sorted(Proposal.objects.values_list("organisation__slug", "case_number", "title", "status", "kind")),
        Registration.objects.count(),
        ProgressReport.objects.count(),
    )


class Rollback(Exception):
    pass


def generated_then_rolled_back(seed):
    """The snapshot of one run, undone afterwards (a savepoint: the audit log refuses DELETE)."""
    with pytest.raises(Rollback), transaction.atomic():
        generate(seed=seed)
        taken = snapshot()
        raise Rollback
    return taken


def test_same_seed_gives_the_same_data():
    first = generated_then_rolled_back(7)
    assert first[0] and first[1]
    assert Person.objects.count() == 0
    assert generated_then_rolled_back(7) == first
    assert generated_then_rolled_back(8) != first
