"""Registry services: every change is audited; concurrent edits are refused, not merged."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import audit
from people.models import Person, PersonCategory

FIELDS = ["name", "gender", "birth_month", "staff_number", "department", "job_title", "phone", "email"]


class StaleEdit(Exception):
    """Someone else saved the record since this edit began."""


# Personal contact data is recorded in the audit log only as masked values: the audit admin
# must see that it changed, not what it is.
MASKED = {"phone": "masked_phone", "email": "masked_email", "birth_month": None}


def _snapshot(person: Person) -> dict:
    values = audit.snapshot(person, FIELDS) | {"categories": "、".join(person.category_labels)}
    for field, masked in MASKED.items():
        if values[field]:
            values[field] = getattr(person, masked) if masked else "****"
    return values


def _set_categories(person: Person, categories: list[str]) -> None:
    person.category_links.exclude(category__in=categories).delete()
    existing = set(person.category_links.values_list("category", flat=True))
    PersonCategory.objects.bulk_create(
        [PersonCategory(person=person, category=c) for c in categories if c not in existing]
    )


@transaction.atomic
def create_person(organisation, *, by, data: dict, request=None) -> Person:
    """Creates a registry record. Audits."""
    person = Person(organisation=organisation, **{f: data[f] for f in FIELDS if f in data})
    person.save()
    _set_categories(person, data.get("categories", []))
    person = Person.objects.prefetch_related("category_links").get(pk=person.pk)
    audit.record(
        "create",
        user=by,
        organisation=organisation,
        obj=person,
        request=request,
        changes=audit.diff({}, _snapshot(person)),
    )
    return person


@transaction.atomic
def update_person(person: Person, *, by, data: dict, version: int, request=None) -> Person:
    """Saves the edit only if nobody saved since `version` was read; else raises StaleEdit.
    Audits the changed fields."""
    before = _snapshot(person)
    updated = Person.objects.filter(pk=person.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **{f: data[f] for f in FIELDS if f in data}
    )
    if not updated:
        raise StaleEdit
    person = Person.objects.get(pk=person.pk)
    _set_categories(person, data.get("categories", []))
    person = Person.objects.prefetch_related("category_links").get(pk=person.pk)
    audit.record(
        "update",
        user=by,
        organisation=person.organisation,
        obj=person,
        request=request,
        changes=audit.diff(before, _snapshot(person)),
    )
    return person


@transaction.atomic
def delete_person(person: Person, *, by, request=None) -> None:
    audit.record(
        "delete",
        user=by,
        organisation=person.organisation,
        obj=person,
        request=request,
        changes={k: [v, ""] for k, v in _snapshot(person).items() if v},
    )
    person.delete()


def record_view(person: Person, *, by, request=None) -> None:
    """Every read of a person's record is audited."""
    audit.record("view", user=by, organisation=person.organisation, obj=person, request=request)
