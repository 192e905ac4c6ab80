"""Who may see which scheme, department assessment and responsibility letter: UFD staff and
leaders their organisation's; a liaison only their own departments' (and no draft letter)."""

from django.shortcuts import get_object_or_404

from assessment.models import DepartmentAssessment, ResponsibilityLetter, Scheme, SelfFile
from orgs.models import Role
from plans.models import Plan


def get_scheme(request, pk: int) -> Scheme:
    return get_object_or_404(Scheme.objects.for_org(request.organisation), pk=pk)


def assessments_for(request):
    queryset = DepartmentAssessment.objects.for_org(request.organisation).select_related("scheme", "department")
    if request.membership.role == Role.LIAISON:
        queryset = queryset.filter(department__in=request.membership.departments.all())
    return queryset


def get_assessment(request, pk: int) -> DepartmentAssessment:
    return get_object_or_404(assessments_for(request), pk=pk)


def get_self_file(request, pk: int) -> SelfFile:
    """A self-assessment file of an assessment the user may see."""
    record = get_object_or_404(SelfFile.objects.select_related("assessment"), pk=pk)
    get_assessment(request, record.assessment_id)
    return record


def get_plan(request, pk: int) -> Plan:
    """Any plan of the organisation (letters are written from drafts too)."""
    return get_object_or_404(Plan.objects.for_org(request.organisation), pk=pk)


def letters_for(request):
    queryset = ResponsibilityLetter.objects.filter(plan__organisation=request.organisation).select_related(
        "plan", "plan__organisation", "department"
    )
    if request.membership.role == Role.LIAISON:
        queryset = queryset.filter(department__in=request.membership.departments.all()).exclude(
            status=ResponsibilityLetter.Status.DRAFT
        )
    return queryset


def get_letter(request, pk: int) -> ResponsibilityLetter:
    return get_object_or_404(letters_for(request), pk=pk)
