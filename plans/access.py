"""Who may see or change which plan and item: role + organisation + department. Views call
these (404 for another organisation's objects); services call `can_report` / `can_close`."""

from django.shortcuts import get_object_or_404

from orgs.models import Department, Role
from plans.models import Evidence, Item, Plan, PlanImport


def plans_for(request):
    """The organisation's plans this user may read: every plan for UFD staff, the published
    ones for leaders and liaisons."""
    plans = Plan.objects.for_org(request.organisation)
    if request.membership.role != Role.UFD_STAFF:
        plans = plans.filter(status=Plan.Status.PUBLISHED)
    return plans


def get_plan_for_user(request, pk: int) -> Plan:
    return get_object_or_404(plans_for(request), pk=pk)


def get_item_for_user(request, pk: int) -> Item:
    items = Item.objects.filter(plan__in=plans_for(request)).with_lists()
    return get_object_or_404(items, pk=pk)


def get_evidence_for_user(request, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("report__item__plan"), pk=pk, report__item__plan__in=plans_for(request)
    )


def get_import_for_user(request, pk: int, *, unsaved: bool = False) -> PlanImport:
    """An import of the user's organisation; `unsaved` only one not yet saved as a plan."""
    imports = PlanImport.objects.filter(organisation=request.organisation)
    return get_object_or_404(imports.filter(plan__isnull=True) if unsaved else imports, pk=pk)


def user_departments(user) -> list[Department]:
    """The departments a liaison speaks for; none for any other role."""
    membership = getattr(user, "membership", None)
    if membership is None or membership.role != Role.LIAISON:
        return []
    return list(membership.departments.all())


def can_report(item: Item, user) -> bool:
    """Liaisons of the lead or a support department may report."""
    ids = {d.pk for d in user_departments(user)}
    return bool(ids) and (item.lead_department_id in ids or any(d.pk in ids for d in item.support_departments.all()))


def can_close(item: Item, user) -> bool:
    """Only the lead department's liaisons submit the closing report."""
    return item.lead_department_id in {d.pk for d in user_departments(user)}
