"""Reads of the assessment for other modules (the year-end summary, home pages)."""

from assessment.models import Scheme


def year_results(organisation, year: int) -> dict:
    """The published results of `year`: {"published": bool, "rows": [{"rank", "department",
    "total", "grade"}]} in ranking order (empty rows until published). Two queries."""
    scheme = Scheme.objects.for_org(organisation).filter(year=year).first()
    if scheme is None or not scheme.is_published:
        return {"published": False, "rows": []}
    rows = [
        {"rank": a.rank, "department": a.department.name, "total": a.total, "grade": a.get_grade_display()}
        for a in scheme.assessments.filter(total__isnull=False)
        .select_related("department")
        .order_by("rank", "department__sort_order")
    ]
    return {"published": True, "rows": rows}
