"""Migration 0003: an item's owner (a registry person) becomes that person's account; an owner
without an account is cleared (issue 10, defect 12)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_owner_people_become_their_accounts():
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    # Every app at its newest migration that does not need plans 0003 (later indexes do), so the way
    # back and the way forward are each one direction.
    kept = set(graph.nodes) - set(graph.backwards_plan(("plans", "0003_item_owner_account")))
    before = [n for n in kept if not any(c.key in kept and c.key[0] == n[0] for c in graph.node_map[n].children)]
    after = [n for n in before if n[0] != "plans"] + [("plans", "0003_item_owner_account")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Organisation = apps.get_model("orgs", "Organisation")
    User = apps.get_model("accounts", "User")
    Person = apps.get_model("people", "Person")
    Plan, Section, Item = (apps.get_model("plans", m) for m in ("Plan", "Section", "Item"))
    org = Organisation.objects.create(name="学院", slug="m")
    account = User.objects.create(username="owner")
    with_account = Person.objects.create(organisation=org, name="甲", user=account)
    without = Person.objects.create(organisation=org, name="乙")
    plan = Plan.objects.create(organisation=org, year=2026, title="要点")
    section = Section.objects.create(plan=plan, number=1, title="一")
    common = {"plan": plan, "section": section, "number": 1, "due_date": "2026-12-31"}
    kept = Item.objects.create(title="有账号", owner=with_account, **common)
    cleared = Item.objects.create(title="无账号", owner=without, **common)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    Item = executor.loader.project_state(after).apps.get_model("plans", "Item")
    assert Item.objects.get(pk=kept.pk).owner_id == account.pk
    assert Item.objects.get(pk=cleared.pk).owner_id is None
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
