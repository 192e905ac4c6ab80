"""Reads other apps and home pages use (bounded in queries)."""

from django.db.models import Count

from publicity.models import Story


def story_figures(organisation, year: int) -> dict:
    """Stories published in `year`, in total and per column (kind): {"total": n, "by_kind": {label: n}}."""
    rows = (
        Story.objects.for_org(organisation)
        .filter(published_at__year=year, status=Story.Status.PUBLISHED)
        .values("kind")
        .annotate(n=Count("id"))
    )
    by_kind = {Story.Kind(r["kind"]).label: r["n"] for r in rows}
    return {"total": sum(by_kind.values()), "by_kind": by_kind}
