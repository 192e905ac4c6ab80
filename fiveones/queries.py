"""Reads of the five ones: the ledger of a member or of every member of an organisation, and
the completion figures. Bounded in SQL queries whatever the number of members (the ledger of an
organisation is 5 queries; the figures add 2 plus one per saved-filter group).

What fills a slot (documented in README.md):
- 听一场报告: checked-in attendance of an event of type 报告/讲座 that year, or a verified entry;
- 参观一处教育基地: checked-in attendance of a 参观 event, or a verified entry;
- 进行一项调研: checked-in attendance of a 调研 event, or a verified research report (entry);
- 提交一份议案: a suggestion submitted that year or a verified outside filing (proposals.queries);
- 读一本好书: a verified entry (title, author, reflection).
Registration without check-in never counts."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.queries import EventType, checked_in_events_by_person
from fiveones.models import SLOTS, Entry, Slot
from people.models import Category, Group, Party, PartyMembership, Person, PersonCategory
from people.queries import group_members
from proposals.queries import submitted_proposals_by_person

EVENT_SLOTS = {EventType.LECTURE: Slot.REPORT, EventType.VISIT: Slot.SITE, EventType.RESEARCH: Slot.RESEARCH}


MEMBER_URLS = {
    "event": "events:m-detail",
    "suggestion": "proposals:my-detail",
    "filing": "proposals:outside-edit",
    "entry": "fiveones:proof",
}
STAFF_URLS = {
    "event": "events:detail",
    "suggestion": "proposals:detail",
    "filing": "proposals:outside-detail",
    "entry": "fiveones:proof",
}


@dataclass(frozen=True)
class Source:
    """One record filling a slot. `kind`: event / suggestion / filing / entry."""

    kind: str
    pk: int
    label: str
    on: date

    @property
    def member_url(self) -> str:
        return reverse(MEMBER_URLS[self.kind], args=[self.pk])

    @property
    def staff_url(self) -> str:
        return reverse(STAFF_URLS[self.kind], args=[self.pk])

    @property
    def how(self) -> str:
        prefix = {
            "event": _("活动签到"),
            "suggestion": _("建言献策"),
            "filing": _("履职记录"),
            "entry": _("自报已核实"),
        }
        on = date_format(self.on, _("Y年n月j日"))
        return _("%(how)s：%(label)s（%(on)s）") % {"how": prefix[self.kind], "label": self.label, "on": on}


@dataclass
class SlotState:
    slot: Slot
    sources: list[Source] = field(default_factory=list)
    pending: list[Entry] = field(default_factory=list)
    rejected: list[Entry] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        return bool(self.sources)

    @property
    def label(self) -> str:
        return str(self.slot.label)

    @property
    def how(self) -> str:
        """How the slot was filled, in one line (the export's cell)."""
        if self.sources:
            return "；".join(s.how for s in self.sources)
        if self.pending:
            return _("待核实：") + "；".join(e.title for e in self.pending)
        return _("未完成")


@dataclass
class Ledger:
    person: Person
    year: int
    slots: list[SlotState]

    @property
    def filled_count(self) -> int:
        return sum(1 for s in self.slots if s.filled)

    @property
    def complete(self) -> bool:
        return self.filled_count == len(SLOTS)

    @property
    def missing(self) -> list[str]:
        return [s.label for s in self.slots if not s.filled]


def members(organisation):
    """The people the five ones concerns: registry people of `organisation` with a login."""
    return Person.objects.for_org(organisation).filter(user__isnull=False)


def ledgers(organisation, year: int, *, people=None) -> list[Ledger]:
    """The ledger of every member of `organisation` (or of `people`, Person objects of it) for
    `year`, ordered by name. Five queries."""
    if people is None:
        people = list(members(organisation).select_related("department").order_by("name", "id"))
    ids = [p.pk for p in people] if len(people) < 500 else None
    events = checked_in_events_by_person(organisation=organisation, year=year, types=EVENT_SLOTS, person_ids=ids)
    proposals = submitted_proposals_by_person(organisation=organisation, year=year, person_ids=ids)
    entries = Entry.objects.for_org(organisation).filter(year=year).order_by("on", "id")
    if ids is not None:
        entries = entries.filter(person_id__in=ids)
    entries_by_person = defaultdict(list)
    for entry in entries:
        entries_by_person[entry.person_id].append(entry)

    result = []
    for person in people:
        states = {slot: SlotState(slot) for slot in SLOTS}
        for event in events.get(person.pk, []):
            day = timezone.localtime(event.starts_at).date()
            label = f"{event.type_label}·{event.title}"
            states[EVENT_SLOTS[event.type]].sources.append(Source("event", event.pk, label, day))
        for record in proposals.get(person.pk, []):
            states[Slot.PROPOSAL].sources.append(Source(record.kind, record.pk, record.title, record.on))
        for entry in entries_by_person.get(person.pk, []):
            state = states[entry.slot]
            if entry.status == Entry.Status.VERIFIED:
                title = f"《{entry.title}》" if entry.slot == Slot.BOOK else entry.title
                state.sources.append(Source("entry", entry.pk, title, entry.on))
            elif entry.status == Entry.Status.PENDING:
                state.pending.append(entry)
            else:
                state.rejected.append(entry)
        result.append(Ledger(person=person, year=year, slots=[states[s] for s in SLOTS]))
    return result


def member_ledger(person: Person, year: int) -> Ledger:
    return ledgers(person.organisation, year, people=[person])[0]


@dataclass
class Bucket:
    label: str
    members: int = 0
    complete: int = 0
    filled: int = 0

    @property
    def rate(self) -> int:
        """Per cent of members with all five."""
        return round(self.complete * 100 / self.members) if self.members else 0

    @property
    def average(self) -> str:
        return f"{self.filled / self.members:.1f}" if self.members else "0"

    def add(self, ledger: Ledger) -> None:
        self.members += 1
        self.filled += ledger.filled_count
        self.complete += ledger.complete


def completion_figures(organisation, year: int, *, all_ledgers: list[Ledger] | None = None) -> dict:
    """Completion by slot, category, party, department and group; who has 0–2 of 5."""
    all_ledgers = ledgers(organisation, year) if all_ledgers is None else all_ledgers
    by_id = {ledger.person.pk: ledger for ledger in all_ledgers}
    total = Bucket(_("全部成员"))
    slot_counts = {slot: 0 for slot in SLOTS}
    departments: dict[str, Bucket] = {}
    for ledger in all_ledgers:
        total.add(ledger)
        for state in ledger.slots:
            slot_counts[state.slot] += state.filled
        name = ledger.person.department.name if ledger.person.department_id else _("未填写部门")
        departments.setdefault(name, Bucket(name)).add(ledger)

    def grouped(pairs, labels) -> list[Bucket]:
        buckets = {code: Bucket(label) for code, label in labels}
        for person_id, code in pairs:
            if person_id in by_id and code in buckets:
                buckets[code].add(by_id[person_id])
        return [b for b in buckets.values() if b.members]

    category_pairs = PersonCategory.objects.filter(person__organisation=organisation).values_list(
        "person_id", "category"
    )
    party_pairs = PartyMembership.objects.filter(person__organisation=organisation).values_list("person_id", "party")
    groups = []
    static_pairs = Group.members.through.objects.filter(group__organisation=organisation).values_list(
        "group_id", "person_id"
    )
    static_members = defaultdict(set)
    for group_id, person_id in static_pairs:
        static_members[group_id].add(person_id)
    for group in Group.objects.for_org(organisation):
        ids = (
            static_members[group.pk]
            if group.kind == Group.Kind.STATIC
            else set(group_members(group).values_list("pk", flat=True))
        )
        bucket = Bucket(group.name)
        for person_id in ids:
            if person_id in by_id:
                bucket.add(by_id[person_id])
        if bucket.members:
            groups.append(bucket)
    return {
        "total": total,
        "by_slot": [(str(slot.label), slot_counts[slot]) for slot in SLOTS],
        "by_category": grouped(category_pairs, Category.choices),
        "by_party": grouped(party_pairs, Party.choices),
        "by_department": sorted(departments.values(), key=lambda b: b.label),
        "by_group": groups,
        "low": [ledger for ledger in all_ledgers if ledger.filled_count <= 2],
    }


def year_choices(today: date | None = None) -> list[int]:
    year = (today or timezone.localdate()).year
    return [year - i for i in range(4)]


def year_completion(organisation, year: int) -> dict:
    """For the year-end summary (reports): how many members, how many filled all five slots, the
    rate (per cent, rounded), the average number of slots filled, and per slot how many members
    filled it. The ledgers' five queries, nothing per member or per group."""
    total = Bucket(_("全部成员"))
    by_slot = {slot: 0 for slot in SLOTS}
    for ledger in ledgers(organisation, year):
        total.add(ledger)
        for state in ledger.slots:
            by_slot[state.slot] += state.filled
    return {
        "members": total.members,
        "complete": total.complete,
        "rate": total.rate,
        "average": total.average,
        "by_slot": [(str(slot.label), by_slot[slot]) for slot in SLOTS],
    }
