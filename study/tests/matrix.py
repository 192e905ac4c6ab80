"""The study push's rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from orgs.models import Role

STAFF = {Role.UFD_STAFF}
MEMBER = {Role.MEMBER}

STUDY_MATRIX = {
    "study:list": (STAFF, "get"),
    "study:create": (STAFF, "get"),
    "study:detail": (STAFF, "get"),
    "study:edit": (STAFF, "get"),
    "study:publish": (STAFF, "post"),
    "study:delete": (STAFF, "post"),
    "study:image-add": (STAFF, "post"),
    "study:question-add": (STAFF, "post"),
    "study:question-delete": (STAFF, "post"),
    "study:remind": (STAFF, "post"),
    # Figures per member and the points ranking: UFD staff and leaders, never members.
    "study:members": (STAFF | {Role.LEADER}, "get"),
    "study:export": (STAFF, "get"),
    # A material's file: staff, and members it is pushed to.
    "study:file": (STAFF | MEMBER, "get"),
    # Article images: anyone of the organisation who may read a material or its figures.
    "study:image": (STAFF | MEMBER | {Role.LEADER}, "get"),
    "study:m-list": (MEMBER, "get"),
    "study:m-points": (MEMBER, "get"),
    "study:m-detail": (MEMBER, "get"),
    "study:m-beat": (MEMBER, "post"),
    "study:m-quiz": (MEMBER, "post"),
    "study:m-reflection": (MEMBER, "post"),
}


def study_url_kwargs(org, personas):
    """A published file material pushed to the member, with a quiz question and an image."""
    from django.core.files.base import ContentFile

    from study.models import StudyImage
    from study.tests.factories import PNG, add_quiz, make_material

    material = make_material(org, kind="file", people=[personas[Role.MEMBER].person])
    question, _ = add_quiz(material)
    image = StudyImage(organisation=org, material=material)
    image.image.save("a.png", ContentFile(PNG), save=False)
    image.save()
    pk = {"pk": material.pk}
    names = [n for n in STUDY_MATRIX if n not in {"study:list", "study:create", "study:members", "study:export"}]
    names = [n for n in names if n not in {"study:m-list", "study:m-points", "study:image"}]
    return {n: pk for n in names} | {
        "study:question-delete": pk | {"question": question.pk},
        "study:image": {"pk": image.pk},
    }
