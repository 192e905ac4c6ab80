"""Reads of the registry that home pages and other apps use, each in a fixed number of queries.

- `pending_change_count(organisation)`: members' profile change requests waiting for review.
- `follow_ups(organisation, user, limit)`: open contact follow-ups (the user's own, and the count
  of all of the organisation's).
- `registry_composition(organisation)`: how many people, by category and by party.
"""

from people import services
from people.models import ContactRecord, Person, ProfileChangeRequest


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
    """The registry at a glance, by the figures page's own definitions (`services.registry_summary`,
    so the home pages and 统战对象统计 never disagree): {"total", "returned", "by_category": [(label, n)],
    "by_party": [(label, n)], "by_post": [(label, n)]}. Five queries."""
    return services.registry_summary(organisation)


def phones_of_users(users) -> dict:
    """{user id: (name, phone)} of the registry people linked to `users` who have a phone, for
    notices that @-mention them in a WeCom/DingTalk group. One query."""
    rows = Person.objects.filter(user__in=users).exclude(phone="").values_list("user_id", "name", "phone")
    return {user_id: (name, phone) for user_id, name, phone in rows}


def people_with_staff_number(staff_number: str):
    """Registry people with this 工号 in any organisation (single sign-on's account matching)."""
    if not staff_number:
        return []
    return list(Person.objects.filter(staff_number=staff_number).select_related("organisation")[:5])
