"""The assessment module's rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from django.core.files.base import ContentFile

from core.files import minimal_pdf
from orgs.models import Role

STAFF = {Role.UFD_STAFF}
READERS = {Role.UFD_STAFF, Role.LEADER}
LIAISON = {Role.LIAISON}

ASSESSMENT_MATRIX = {
    "assessment:scheme-list": (READERS, "get"),
    "assessment:scheme-create": (STAFF, "post"),
    "assessment:scheme-detail": (READERS, "get"),
    "assessment:scheme-edit": (STAFF, "get"),
    "assessment:indicator-add": (STAFF, "post"),
    "assessment:indicator-delete": (STAFF, "post"),
    "assessment:scheme-open": (STAFF, "post"),
    "assessment:scheme-publish": (STAFF, "post"),
    "assessment:export-xlsx": (READERS, "get"),
    "assessment:export-docx": (READERS, "get"),
    # Leaders read a department's scores; only UFD staff may post them.
    "assessment:department": (READERS, "get"),
    "assessment:adjustment-add": (STAFF, "post"),
    "assessment:adjustment-delete": (STAFF, "post"),
    "assessment:appeal-decide": (STAFF, "post"),
    "assessment:mine": (LIAISON, "get"),
    # A liaison's own department only (another department's assessment is a 404).
    "assessment:self": (LIAISON, "get"),
    "assessment:self-submit": (LIAISON, "post"),
    "assessment:file-add": (LIAISON, "post"),
    "assessment:appeal": (LIAISON, "post"),
    "assessment:file": (READERS | LIAISON, "get"),
    "assessment:letters": (STAFF, "get"),
    "assessment:letters-generate": (STAFF, "post"),
    "assessment:letters-issue": (STAFF, "post"),
    "assessment:letter-docx": (STAFF | LIAISON, "get"),
    "assessment:letter-sign": (STAFF, "post"),
    "assessment:letter-scan": (STAFF | LIAISON, "get"),
}

PDF = minimal_pdf()


def assessment_url_kwargs(org, personas):
    """A scheme of `org` with an indicator, an assessment of the liaison's department with a file,
    an adjustment and an appeal, and a signed letter of a published plan."""
    from assessment import services
    from assessment.models import Adjustment, Appeal, DepartmentAssessment, ResponsibilityLetter, SelfFile
    from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory

    staff = personas[Role.UFD_STAFF]
    department = personas[Role.LIAISON].membership.departments.first()
    scheme = services.create_scheme(org, by=staff, year=2031, copy_last_year=False)
    indicator = scheme.indicators.first()
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=department)
    record = SelfFile(assessment=assessment, original_name="材料.pdf", kind="PDF", size=len(PDF))
    record.file.save("a.pdf", ContentFile(PDF), save=True)
    line = Adjustment.objects.create(assessment=assessment, kind="bonus", points=1, reason="获奖")
    Appeal.objects.create(assessment=assessment, reason="理由")
    plan = PlanFactory(organisation=org, year=2031)
    ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=department)
    letter = ResponsibilityLetter.objects.create(plan=plan, department=department, status="signed")
    letter.signed_file.save("scan.pdf", ContentFile(PDF), save=True)
    letter.signed_name = "scan.pdf"
    letter.save()
    by_scheme = {"pk": scheme.pk}
    by_assessment = {"pk": assessment.pk}
    by_plan = {"plan_pk": plan.pk}
    by_letter = {"pk": letter.pk}
    return {
        "assessment:scheme-detail": by_scheme,
        "assessment:scheme-edit": by_scheme,
        "assessment:indicator-add": by_scheme,
        "assessment:indicator-delete": by_scheme | {"indicator_pk": indicator.pk},
        "assessment:scheme-open": by_scheme,
        "assessment:scheme-publish": by_scheme,
        "assessment:export-xlsx": by_scheme,
        "assessment:export-docx": by_scheme,
        "assessment:department": by_assessment,
        "assessment:adjustment-add": by_assessment,
        "assessment:adjustment-delete": by_assessment | {"line_pk": line.pk},
        "assessment:appeal-decide": by_assessment,
        "assessment:self": by_assessment,
        "assessment:self-submit": by_assessment,
        "assessment:file-add": by_assessment,
        "assessment:appeal": by_assessment,
        "assessment:file": {"pk": record.pk},
        "assessment:letters": by_plan,
        "assessment:letters-generate": by_plan,
        "assessment:letters-issue": by_plan,
        "assessment:letter-docx": by_letter,
        "assessment:letter-sign": by_letter,
        "assessment:letter-scan": by_letter,
    }
