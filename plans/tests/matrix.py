"""The plans module's rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from django.core.files.base import ContentFile

from orgs.models import Role

READERS = {Role.UFD_STAFF, Role.LEADER, Role.LIAISON}

PLANS_MATRIX = {
    "plans:list": (READERS, "get"),
    "plans:import": ({Role.UFD_STAFF}, "get"),
    "plans:import-review": ({Role.UFD_STAFF}, "get"),
    "plans:import-discard": ({Role.UFD_STAFF}, "post"),
    "plans:detail": (READERS, "get"),
    "plans:section": (READERS, "get"),
    "plans:publish": ({Role.UFD_STAFF}, "post"),
    "plans:delete": ({Role.UFD_STAFF}, "post"),
    "plans:export": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "plans:item-detail": (READERS, "get"),
    "plans:item-edit": ({Role.UFD_STAFF}, "get"),
    "plans:item-report": ({Role.LIAISON}, "post"),
    "plans:item-accept": ({Role.UFD_STAFF}, "post"),
    "plans:item-return": ({Role.UFD_STAFF}, "post"),
    "plans:item-urge": ({Role.UFD_STAFF}, "post"),
    "plans:milestone-add": ({Role.UFD_STAFF}, "post"),
    "plans:milestone-done": ({Role.UFD_STAFF, Role.LIAISON}, "post"),
    "plans:evidence": (READERS, "get"),
    "plans:my-department": ({Role.LIAISON}, "get"),
    "plans:supervision": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "plans:urge-many": ({Role.UFD_STAFF}, "post"),
}


def plans_url_kwargs(org, personas, department):
    """A published plan of `org` with an item, a report with evidence, and an import record."""
    from plans.models import Evidence, PlanImport, ProgressReport
    from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory

    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan)
    item = ItemFactory(plan=plan, section=section, lead_department=department)
    report = ProgressReport.objects.create(item=item, text="进展", author=personas[Role.LIAISON])
    evidence = Evidence(report=report, original_name="a.png", kind="图片", size=10)
    evidence.file.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\n00"), save=True)
    milestone = item.milestones.create(title="一季度", due_date=item.due_date)
    record = PlanImport.objects.create(organisation=org, created_by=personas[Role.UFD_STAFF], error="解析失败")
    by_plan = {"pk": plan.pk}
    by_item = {"pk": item.pk}
    return {
        "plans:import-review": {"pk": record.pk},
        "plans:import-discard": {"pk": record.pk},
        "plans:detail": by_plan,
        "plans:section": {"pk": plan.pk, "section_pk": section.pk},
        "plans:publish": by_plan,
        "plans:delete": by_plan,
        "plans:export": by_plan,
        "plans:item-detail": by_item,
        "plans:item-edit": by_item,
        "plans:item-report": by_item,
        "plans:item-accept": by_item,
        "plans:item-return": by_item,
        "plans:item-urge": by_item,
        "plans:milestone-add": by_item,
        "plans:evidence": {"pk": evidence.pk},
        "plans:milestone-done": {"pk": item.pk, "milestone_pk": milestone.pk},
    }
