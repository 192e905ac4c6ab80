"""The item owner (责任人) list offers the lead department's staff — accounts linked to that
department — not every registry person (issue 10, defect 12)."""

import pytest
from django.urls import reverse

from conftest import make_user
from orgs.models import Role
from plans.forms import ItemEditForm
from plans.models import ItemEvent
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory


@pytest.fixture
def staffed(org, other_org, student_department, ufd_department, liaison, person):
    """学生工作处 has two staff accounts (the `liaison` persona 'liaison' and 'sa2'), 统战部 one;
    another organisation has an account linked to a department of the same name."""
    from orgs.tests.factories import DepartmentFactory

    second = make_user(org, Role.LIAISON, "sa2", [student_department])
    second.name = "周学工"
    second.save()
    ufd = make_user(org, Role.LIAISON, "ufd-liaison", [ufd_department])
    other = make_user(
        other_org, Role.LIAISON, "elsewhere", [DepartmentFactory(organisation=other_org, name="学生工作处")]
    )
    plan = PlanFactory(organisation=org)
    item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=student_department)
    return {"item": item, "second": second, "ufd": ufd, "other": other}


@pytest.mark.django_db
def test_owner_choices_are_the_lead_departments_staff(staffed, liaison, person):
    form = ItemEditForm(item=staffed["item"])
    assert set(form.fields["owner"].queryset) == {liaison, staffed["second"]}
    labels = [label for value, label in form.fields["owner"].choices if value]
    assert sorted(labels) == sorted([liaison.name or "liaison", "周学工"])
    assert person.name not in labels  # a registry person is not offered


@pytest.mark.django_db
def test_saving_an_owner_of_the_lead_department(client, ufd_staff, staffed):
    item = staffed["item"]
    client.force_login(ufd_staff)
    data = {
        "title": item.title,
        "lead_department": item.lead_department_id,
        "owner": staffed["second"].pk,
        "due_date": item.due_date.isoformat(),
        "version": item.version,
    }
    response = client.post(reverse("plans:item-edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner == staffed["second"]
    assert "周学工" in client.get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert ItemEvent.objects.filter(item=item, kind="edited").count() == 1


@pytest.mark.django_db
def test_an_owner_outside_the_lead_department_is_refused(client, ufd_staff, staffed):
    item = staffed["item"]
    client.force_login(ufd_staff)
    base = {"title": item.title, "due_date": item.due_date.isoformat(), "version": item.version}
    for owner in (staffed["ufd"], staffed["other"]):
        response = client.post(
            reverse("plans:item-edit", args=[item.pk]),
            base | {"lead_department": item.lead_department_id, "owner": owner.pk},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["owner"]
    item.refresh_from_db()
    assert item.owner is None


@pytest.mark.django_db
def test_changing_the_lead_offers_the_new_departments_staff(client, ufd_staff, staffed, ufd_department):
    item = staffed["item"]
    client.force_login(ufd_staff)
    data = {
        "title": item.title,
        "lead_department": ufd_department.pk,
        "owner": staffed["ufd"].pk,
        "due_date": item.due_date.isoformat(),
        "version": item.version,
    }
    assert client.post(reverse("plans:item-edit", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert (item.lead_department, item.owner) == (ufd_department, staffed["ufd"])
