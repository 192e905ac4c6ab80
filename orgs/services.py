"""Organisation, department and role services. Each writes the audit log."""

from django.db import transaction

from core import audit
from orgs.models import Department, DepartmentAlias, Membership, Organisation, Role

DEPARTMENT_FIELDS = ["name", "short_name", "sort_order", "is_active"]


def _normalise(name: str) -> str:
    return "".join(name.split())


def find_department(organisation: Organisation, name: str) -> Department | None:
    """The department called `name` (its name, short name or an alias), or None."""
    wanted = _normalise(name)
    if not wanted:
        return None
    for department in Department.objects.for_org(organisation).prefetch_related("aliases"):
        names = [department.name, department.short_name, *department.alias_names]
        if wanted in {_normalise(n) for n in names if n}:
            return department
    return None


def department_directory(organisation: Organisation) -> list[tuple[str, list[str]]]:
    """(name, [short name and aliases]) for every department, as the plan parser takes it."""
    return [
        (d.name, [n for n in [d.short_name, *d.alias_names] if n])
        for d in Department.objects.for_org(organisation).prefetch_related("aliases")
    ]


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
