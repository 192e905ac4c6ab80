"""Objects of `org` that the registry's object URLs point at, for the access matrix
(dashboard/tests/test_access_matrix.py)."""

from datetime import date

from core.jobs import create_job, finish_job
from orgs.models import Role
from people import exports
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
    # A finished background export of the registry, its file kept under MEDIA_ROOT.
    job = create_job(
        "导出统战对象名册", user=personas[Role.UFD_STAFF], organisation=person.organisation, task=exports.EXPORT_TASK
    )
    finish_job(job.pk, result={"rows": 1, "filter": ""})
    exports.export_dir().mkdir(parents=True, exist_ok=True)
    exports.export_path(job).write_bytes(b"PK")
    return {
        "people:export-download": {"pk": job.pk},
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
