"""Reads of the registry that home pages and other apps use, each in a fixed number of queries.

- `pending_change_count(organisation)`: members' profile change requests waiting for review.
- `follow_ups(organisation, user, limit)`: open contact follow-ups (the user's own, and the count
  of all of the organisation's).
- `registry_composition(organisation)`: how many people, and how many in each category.
"""

from django.db.models import Count

from people.models import Category, ContactRecord, Person, PersonCategory, ProfileChangeRequest


def pending_change_count(organisation) -> int:
    """One query."""
    return ProfileChangeRequest.objects.filter(
        person__organisation=organisation, status=ProfileChangeRequest.Status.PENDING
    ).count()


def follow_ups(organisation, user, *, limit: int = 10) -> dict:
    """{"mine": [ContactRecord...] (oldest first, at most `limit`), "mine_count": n,
    "all_count": n (every open follow-up of the organisation)}. Three queries."""
    open_records = ContactRecord.objects.for_org(organisation).open_follow_ups()
    mine = open_records.filter(recorded_by=user)
    return {
        "mine": list(mine.select_related("person").order_by("date", "id")[:limit]),
        "mine_count": mine.count(),
        "all_count": open_records.count(),
    }


def registry_composition(organisation) -> dict:
    """{"total": people in the registry, "by_category": [(code, label, n)...] in the categories'
    order (a person in two categories counts in both)}. Two queries."""
    counts = dict(
        PersonCategory.objects.filter(person__organisation=organisation)
        .order_by()
        .values_list("category")
        .annotate(n=Count("id"))
    )
    return {
        "total": Person.objects.for_org(organisation).count(),
        "by_category": [(code, label, counts.get(code, 0)) for code, label in Category.choices],
    }
