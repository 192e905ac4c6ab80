"""Objects of `org` that the registry's object URLs point at, for the access matrix
(dashboard/tests/test_access_matrix.py)."""

from datetime import date

from orgs.models import Role
from people.models import ContactRecord, Group, ProfileChangeRequest, StudyAbroad


def people_url_kwargs(person, personas) -> dict:
    study = StudyAbroad.objects.create(person=person, country_region="英国", institution="剑桥大学")
    group = Group.objects.create(organisation=person.organisation, name="矩阵测试组")
    group.members.add(person)
    contact = ContactRecord.objects.create(
        person=person,
        date=date(2026, 3, 1),
        recorded_by=personas[Role.UFD_STAFF],
        met_by="王同心",
        method=ContactRecord.Method.TALK,
        follow_up_needed=True,
        follow_up="协调实验室",
    )
    change = ProfileChangeRequest.objects.create(person=person, changes={"phone": ["", "13800000000"]})
    return {
        "people:reveal": {"pk": person.pk},
        "people:record-add": {"pk": person.pk, "kind": "study"},
        "people:record-remove": {"pk": person.pk, "kind": "study", "record_pk": study.pk},
        "people:contact-create": {"pk": person.pk},
        "people:contact-outcome": {"pk": contact.pk},
        "people:group-detail": {"pk": group.pk},
        "people:group-delete": {"pk": group.pk},
        "people:group-remove": {"pk": group.pk, "person_pk": person.pk},
        "people:change-review": {"pk": change.pk},
    }
