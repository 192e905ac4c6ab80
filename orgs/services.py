"""Organisation, department and role services. Each writes the audit log."""

import unicodedata

from django.db import transaction

from core import audit
from orgs.models import Department, DepartmentAlias, Membership, Organisation, Role

DEPARTMENT_FIELDS = ["name", "short_name", "sort_order", "is_active"]


def _fold(name: str) -> str:
    """A name as compared: spaces dropped, full-width forms folded (党委 统战部（一） = 党委统战部(一))."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


class DepartmentLookup:
    """The organisation's departments by every name they go by — name, short name, aliases — read
    once (`department_lookup`). `get(name)` is the department a name as written stands for (spaces
    and character width ignored; when two departments share a name the first in sort order has it);
    `spec()` is what the plan parser's `plans.parsing.resolve_departments` takes, which also
    matches loosely (prefixes such as 党委, a part of a name)."""

    def __init__(self, departments):
        self.departments = list(departments)
        self._by_name: dict[str, Department] = {}
        for department in self.departments:
            for name in [department.name, department.short_name, *department.alias_names]:
                if _fold(name):
                    self._by_name.setdefault(_fold(name), department)

    def get(self, name: str) -> Department | None:
        return self._by_name.get(_fold(name))

    def spec(self) -> list[tuple[str, list[str]]]:
        """(name, [short name and aliases]) for every department."""
        return [(d.name, [n for n in [d.short_name, *d.alias_names] if n]) for d in self.departments]


def department_lookup(organisation: Organisation) -> DepartmentLookup:
    """The one resolver of department names for imports, parsed plans and lookups. Two queries."""
    return DepartmentLookup(Department.objects.for_org(organisation).prefetch_related("aliases"))


@transaction.atomic
def create_department(
    organisation: Organisation,
    *,
    by,
    name: str,
    short_name: str = "",
    sort_order: int = 100,
    aliases: list[str] | None = None,
    request=None,
) -> Department:
    """Creates a department with its aliases. Audits."""
    department = Department.objects.create(
        organisation=organisation, name=name, short_name=short_name, sort_order=sort_order
    )
    for alias in aliases or []:
        DepartmentAlias.objects.create(department=department, name=alias)
    changes = {"name": ["", name], "aliases": ["", "、".join(aliases or [])]}
    audit.log("create", department, by=by, request=request, changes=changes)
    return department


@transaction.atomic
def update_department(department: Department, *, by, data: dict, aliases: list[str], request=None) -> Department:
    """Updates fields and replaces the alias list. Audits the changed fields."""
    before = audit.snapshot(department, DEPARTMENT_FIELDS) | {"aliases": "、".join(department.alias_names)}
    for field in DEPARTMENT_FIELDS:
        if field in data:
            setattr(department, field, data[field])
    department.save(update_fields=DEPARTMENT_FIELDS)
    department.aliases.exclude(name__in=aliases).delete()
    existing = set(department.aliases.values_list("name", flat=True))
    for alias in aliases:
        if alias not in existing:
            DepartmentAlias.objects.create(department=department, name=alias)
    after = audit.snapshot(department, DEPARTMENT_FIELDS) | {"aliases": "、".join(aliases)}
    audit.log("update", department, by=by, request=request, changes=audit.diff(before, after))
    return department


@transaction.atomic
def assign_role(user, *, organisation: Organisation, role: Role, departments=(), by=None, request=None) -> Membership:
    """Gives `user` its one role in `organisation` (replacing any earlier one). Audits."""
    membership = Membership.objects.filter(user=user).first()
    before = {
        "role": membership.role if membership else "",
        "departments": "、".join(sorted(d.name for d in membership.departments.all())) if membership else "",
    }
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    else:
        membership.organisation = organisation
        membership.role = role
        membership.save(update_fields=["organisation", "role"])
    membership.departments.set(departments if role == Role.LIAISON else [])
    after = {"role": role, "departments": "、".join(sorted(d.name for d in membership.departments.all()))}
    action = "update" if before["role"] else "create"
    audit.log(action, membership, by=by, request=request, changes=audit.diff(before, after))
    return membership


def set_sso_provisioning(organisation: Organisation, *, allowed: bool, by=None) -> Organisation:
    """Whether single sign-on may create a member account for a registry person of `organisation`
    at first login (issue 17). Audits."""
    before = audit.snapshot(organisation, ["sso_provisioning"])
    organisation.sso_provisioning = allowed
    organisation.save(update_fields=["sso_provisioning"])
    audit.log(
        "update",
        organisation,
        by=by,
        organisation=organisation,
        changes=audit.changed(organisation, before, ["sso_provisioning"]),
    )
    return organisation
