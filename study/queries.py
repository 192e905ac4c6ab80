"""Reads of the study push: figures per material and per member, points and ranking. Bounded in
SQL queries whatever the number of materials or members."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from people.models import Person
from study.models import Assignment, PointEntry, Question, StudyMaterial


def materials_with_figures(organisation, *, year: int | None = None):
    """Materials with `reach` (assigned), `read`, `passed` (quiz passed) and `quiz` (has one)."""
    materials = StudyMaterial.objects.for_org(organisation)
    if year:
        materials = materials.filter(publish_at__year=year)
    return materials.annotate(
        reach=Count("assignments", distinct=True),
        read=Count("assignments", filter=Q(assignments__read_at__isnull=False), distinct=True),
        passed=Count("assignments", filter=Q(assignments__quiz_passed_at__isnull=False), distinct=True),
        quiz=Exists(Question.objects.filter(material=OuterRef("pk"))),
    )


def my_materials(person, *, now=None):
    """The assignments of `person` whose material is visible now, newest first."""
    now = now or timezone.now()
    return (
        Assignment.objects.filter(person=person, material__in=StudyMaterial.objects.visible(now))
        .select_related("material")
        .annotate(quiz=Exists(Question.objects.filter(material=OuterRef("material_id"))))
        .order_by("-material__publish_at", "-id")
    )


@dataclass
class MemberRow:
    person: Person
    assigned: int
    read: int
    complete: int
    points: int

    @property
    def rate(self) -> int:
        return round(self.read * 100 / self.assigned) if self.assigned else 0


def member_completion(organisation, year: int) -> list[MemberRow]:
    """Per member with something assigned in `year`: assigned, read, completed (read + quiz
    passed if any + reflection if required), the year's points; ordered by points (the ranking).
    Three queries."""
    assignments = Assignment.objects.filter(
        material__organisation=organisation,
        material__status=StudyMaterial.Status.PUBLISHED,
        material__publish_at__year=year,
    ).annotate(quiz=Exists(Question.objects.filter(material=OuterRef("material_id"))))
    stats: dict[int, list[int]] = {}
    for person_id, read_at, passed_at, reflection_at, reflection_mode, quiz in assignments.values_list(
        "person_id", "read_at", "quiz_passed_at", "reflection_at", "material__reflection", "quiz"
    ):
        row = stats.setdefault(person_id, [0, 0, 0])
        row[0] += 1
        row[1] += read_at is not None
        row[2] += bool(
            read_at
            and (not quiz or passed_at)
            and (reflection_mode != StudyMaterial.Reflection.REQUIRED or reflection_at)
        )
    points = dict(
        PointEntry.objects.filter(organisation=organisation, day__year=year)
        .values_list("person_id")
        .annotate(total=Sum("points"))
    )
    ids = set(stats) | set(points)
    people = Person.objects.filter(pk__in=ids).select_related("department")
    rows = [MemberRow(p, *stats.get(p.pk, [0, 0, 0]), points=points.get(p.pk, 0)) for p in people]
    rows.sort(key=lambda r: (-r.points, -r.read, r.person.name))
    return rows


def yearly_points(person, year: int) -> int:
    """A member's study points in `year`."""
    return PointEntry.objects.filter(person=person, day__year=year).aggregate(total=Sum("points"))["total"] or 0


def study_figures(organisation, year: int) -> dict:
    """For dashboards: materials pushed, reach, read, read rate. Two queries."""
    materials = StudyMaterial.objects.for_org(organisation).filter(
        status=StudyMaterial.Status.PUBLISHED, publish_at__year=year
    )
    totals = Assignment.objects.filter(material__in=materials).aggregate(
        reach=Count("id"), read=Count("id", filter=Q(read_at__isnull=False))
    )
    reach, read = totals["reach"], totals["read"]
    return {
        "materials": materials.count(),
        "reach": reach,
        "read": read,
        "rate": round(read * 100 / reach) if reach else 0,
    }
