"""Who may see which study material: UFD staff any of their organisation's; a member only a
visible material assigned to them. 404 otherwise."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from people.queries import my_person as my_person  # the views' lookup of the member's own record
from study.models import Assignment, StudyImage, StudyMaterial


def get_material_for_staff(request, pk: int) -> StudyMaterial:
    return get_object_or_404(StudyMaterial.objects.for_org(request.organisation), pk=pk)


def get_assignment_for_member(request, pk: int) -> Assignment:
    """The member's assignment of a visible material of their organisation; 404 otherwise."""
    person = my_person(request)
    if person is None:
        raise Http404
    return get_object_or_404(
        Assignment.objects.select_related("material", "person").filter(
            person=person, material__in=StudyMaterial.objects.for_org(request.organisation).visible()
        ),
        material_id=pk,
    )


def get_image_for_user(request, pk: int) -> StudyImage:
    return get_object_or_404(StudyImage.objects.filter(organisation=request.organisation), pk=pk)
