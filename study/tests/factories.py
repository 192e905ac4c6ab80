"""Study materials built directly (fast), for tests, the access matrix and the demo."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from core.files import minimal_pdf
from study.models import Assignment, Choice, Question, StudyMaterial

PDF = minimal_pdf()
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def make_material(organisation, *, people=(), kind="article", published=True, **fields) -> StudyMaterial:
    """A material (published by default, pushed an hour ago) assigned to `people`."""
    now = timezone.now()
    material = StudyMaterial(
        organisation=organisation,
        title=fields.pop("title", "学习贯彻统一战线工作条例"),
        kind=kind,
        body=fields.pop("body", "<p>统一战线是党克敌制胜、执政兴国的重要法宝。</p>"),
        publish_at=fields.pop("publish_at", now - timedelta(hours=1)),
        status=StudyMaterial.Status.PUBLISHED if published else StudyMaterial.Status.DRAFT,
        published_at=now if published else None,
        **fields,
    )
    if kind == "file":
        material.file.save("条例.pdf", ContentFile(PDF), save=False)
        material.file_name = "条例.pdf"
    material.save()
    Assignment.objects.bulk_create([Assignment(material=material, person=p) for p in people])
    return material


def add_quiz(material: StudyMaterial) -> tuple[Question, Question]:
    """Two questions: a single choice (right answer 第二项) and a multiple choice (1 and 3)."""
    single = Question.objects.create(material=material, text="统一战线是什么？", order=1)
    Choice.objects.bulk_create(
        [
            Choice(question=single, text="一般工作方法", order=1),
            Choice(question=single, text="重要法宝", correct=True, order=2),
        ]
    )
    multiple = Question.objects.create(material=material, text="统战工作对象包括？", multiple=True, order=2)
    Choice.objects.bulk_create(
        [
            Choice(question=multiple, text="民主党派成员", correct=True, order=1),
            Choice(question=multiple, text="境外势力", order=2),
            Choice(question=multiple, text="无党派人士", correct=True, order=3),
        ]
    )
    return single, multiple
