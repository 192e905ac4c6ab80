"""Reads of the registry that home pages and other apps use, each in a fixed number of queries.

- `pending_change_count(organisation)`: members' profile change requests waiting for review.
- `follow_ups(organisation, user, limit)`: open contact follow-ups (the user's own, and the count
  of all of the organisation's).
- `registry_composition(organisation)`: how many people, by category, party and post (the home
  pages, 统战对象统计 and the year-end summary).
- `group_members(group)`: whom an event or a study push targets.
- `people_with_consent(organisation)`: whom publicity may name.
- `open_follow_ups(user)`, `contact_figures(organisation, year=…)`: the contact log's pages.
- `phones_of_users(users)`: for notices that @-mention people in a WeCom/DingTalk group.
- `my_person(request)`: the member's own person record (members' pages of every app).
"""

from collections.abc import Sequence

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils.translation import get_language

from core.figures_cache import org_cached
from people.forms import PersonFilterForm
from people.models import (
    Category,
    ContactRecord,
    Group,
    Party,
    PartyMembership,
    Person,
    PersonCategory,
    ProfileChangeRequest,
    PublicPost,
)


def my_person(request, *, queryset: QuerySet | None = None) -> Person | None:
    """The member's own person record in their organisation, or None: the one lookup of every
    app's member pages. `queryset` (of Person) adds what a page prefetches. One query."""
    people = Person.objects.all() if queryset is None else queryset
    person = people.for_org(request.organisation).of_user(request.user)
    if person is not None:
        person.organisation = request.organisation  # the same row (for_org): not fetched again
    return person


def pending_change_count(organisation) -> int:
    """One query."""
    return ProfileChangeRequest.objects.filter(
        person__organisation=organisation, status=ProfileChangeRequest.Status.PENDING
    ).count()


def follow_ups(organisation, user, *, limit: int = 10) -> dict:
    """{"mine": [ContactRecord...] (oldest first, at most `limit`), "mine_count": n,
    "all_count": n (every open follow-up of the organisation)}. Two queries for the user's own;
    the organisation's count is cached under its data version (core.figures_cache)."""
    open_records = ContactRecord.objects.for_org(organisation).open_follow_ups()
    mine = open_records.filter(recorded_by=user)
    return {
        "mine": list(mine.select_related("person").order_by("date", "id")[:limit]),
        "mine_count": mine.count(),
        "all_count": org_cached("people.open_follow_ups", organisation, (), open_records.count),
    }


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


def people_with_consent(organisation) -> QuerySet:
    """People of `organisation` with a publicity consent given and not withdrawn."""
    return Person.objects.for_org(organisation).with_consent()


def group_members(group: Group) -> QuerySet:
    """The people a group targets, as a QuerySet of Person in the group's organisation.
    A saved-filter group is evaluated now (people added to the registry later are included);
    a static group is its hand-picked members."""
    people = Person.objects.for_org(group.organisation)
    if group.kind == Group.Kind.STATIC:
        return people.filter(static_groups=group)
    data = QueryDict(mutable=True)
    for key, value in group.filter.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    form = PersonFilterForm(data, organisation=group.organisation)
    return form.filter(people)


def open_follow_ups(user) -> QuerySet:
    """The follow-ups `user` recorded that are not closed yet, oldest first."""
    return (
        ContactRecord.objects.open_follow_ups().filter(recorded_by=user).select_related("person").order_by("date", "id")
    )


CONTACTED_SHOWN = 50


class PeopleById(Sequence):
    """People listed by id, in the ids' order, read from the database a slice at a time (what
    a Paginator asks): the page's rows are fresh, only the list of ids was cached."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def _rows(self, ids) -> list[Person]:
        found = Person.objects.select_related("department").only("pk", "name", "department__name").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(self.ids[index])
        return self._rows([self.ids[index]])[0]

    def __iter__(self):
        return iter(self._rows(self.ids))


def contact_figures(organisation, *, year: int) -> dict:
    """Contacts per person in `year` (most first) and the people not contacted in `year`
    (`not_contacted`: a sequence read a slice at a time). The counts and the ids are cached under
    the organisation's data version (core.figures_cache): when nothing changed, one query for the
    contacted people shown and one per slice of the not contacted."""
    found = org_cached("people.contact_figures", organisation, (year,), lambda: _contact_figures(organisation, year))
    people = Person.objects.select_related("department").in_bulk([pk for pk, _ in found["top"]])
    contacted = []
    for pk, n in found["top"]:
        if pk in people:
            people[pk].contacts_in_year = n
            contacted.append(people[pk])
    return {
        "year": year,
        "contacted": contacted,
        "not_contacted": PeopleById(found["not_contacted"]),
        "contacted_count": found["contacted_count"],
        "contacted_shown": CONTACTED_SHOWN,
        "not_contacted_count": found["people_count"] - found["contacted_count"],
        "contact_count": found["contact_count"],
        "people_count": found["people_count"],
    }


def _contact_figures(organisation, year: int) -> dict:
    # Counted from the year's contact records (a few thousand), not by joining every person of the
    # college to their records and sorting them all (0.2 s at province scale).
    contacts = ContactRecord.objects.filter(person__organisation=organisation, date__year=year).order_by()
    per_person = contacts.values("person_id").annotate(n=Count("id"))
    # The most contacted first, the first CONTACTED_SHOWN only (thousands at scale); the counts cover all.
    top = [
        (row["person_id"], row["n"]) for row in per_person.order_by("-n", "person__name", "person_id")[:CONTACTED_SHOWN]
    ]
    not_contacted = (
        Person.objects.for_org(organisation)
        .exclude(Exists(ContactRecord.objects.filter(person=OuterRef("pk"), date__year=year)))
        .order_by("name", "id")
        .values_list("pk", flat=True)
    )
    return {
        "top": top,
        "not_contacted": list(not_contacted),
        "contacted_count": per_person.count(),
        "contact_count": contacts.count(),
        "people_count": Person.objects.for_org(organisation).count(),
    }


def registry_composition(organisation) -> dict:
    """The registry at a glance, one definition for the figures page, the home pages and the year-end
    summary: {"total", "returned", "by_category": [(label, n)], "by_party": [(label, n)],
    "by_post": [(label, n)]}. Five queries; cached under the organisation's data version and the
    labels' language: none when nothing changed."""
    parts = (get_language(),)
    return org_cached("people.registry", organisation, parts, lambda: _registry_composition(organisation))


def _registry_composition(organisation) -> dict:
    people = Person.objects.for_org(organisation)
    by_category = dict(
        PersonCategory.objects.filter(person__organisation=organisation)
        .values_list("category")
        .annotate(n=Count("person", distinct=True))
    )
    by_party = dict(
        PartyMembership.objects.filter(person__organisation=organisation)
        .values_list("party")
        .annotate(n=Count("person", distinct=True))
    )
    by_post = dict(
        PublicPost.objects.filter(person__organisation=organisation)
        .values_list("kind")
        .annotate(n=Count("person", distinct=True))
    )
    # 留学回国人员 by its one definition (category or a study record, once per person), so the tile
    # and the by-category row are the same number.
    returned = people.returned_scholars().count()
    by_category[Category.RETURNED_SCHOLAR] = returned
    return {
        "total": people.count(),
        "returned": returned,
        # Labels as text of the current language (in the cache key): a lazy label is costly to unpickle.
        "by_category": [(str(label), by_category.get(code, 0)) for code, label in Category.choices],
        "by_party": [(str(label), by_party.get(code, 0)) for code, label in Party.choices],
        "by_post": [(str(label), by_post.get(code, 0)) for code, label in PublicPost.Kind.choices],
    }
