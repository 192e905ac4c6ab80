"""Demo data for the five ones (called from dashboard/demo.py): this year's ledger of the demo
members, filled from a lecture, a visit and a research trip they checked in to, their suggestions
and filings, and self-reported books and research reports (most verified, some waiting).

Five ones concern registry people with a login: eleven more demo people get a member account
(`demo02` … `demo12`, no usable password: nobody logs in as them) so the figures have a spread.
Seed item 8 ("开展'五个一'活动") gets a counted target — every member completing all five — linked
to this year's five ones."""

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from core.files import minimal_pdf
from events import services as event_services
from events.models import Event, Registration
from fiveones import services
from fiveones.models import Entry
from orgs import services as org_services
from orgs.models import Role
from people.models import Person
from plans.models import Item, Target

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = minimal_pdf()
BOOKS = [
    ("乡土中国", "费孝通"),
    ("习近平新时代中国特色社会主义思想学习纲要", "中共中央宣传部"),
    ("中国统一战线史", "中共中央统战部"),
    ("大国工匠", "新华社"),
    ("觉醒年代", "龙平平"),
]


def _day(fraction: float) -> date:
    """A day this year, `fraction` of the way from 1 January to yesterday."""
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    span = max(0, (today - start).days - 1)
    return start + timedelta(days=int(span * fraction))


def _member_logins(org, people: list[Person]) -> list[Person]:
    members = []
    for n, person in enumerate(people, start=1):
        if person.user_id is None:
            user = User(username=f"demo{n:02d}", name=person.name)
            user.set_unusable_password()
            user.save()
            org_services.assign_role(user, organisation=org, role=Role.MEMBER)
            person.user = user
            person.save(update_fields=["user"])
        members.append(person)
    return members


def _held_event(org, ufd, *, title: str, type_: str, day: date, place: str, attendees: list[Person]) -> Event:
    start = timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))
    event = event_services.create_event(
        org,
        by=ufd,
        data={"title": title, "type": type_, "starts_at": start, "ends_at": start + timedelta(hours=3), "place": place},
    )
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                person=p,
                status=Registration.Status.REGISTERED,
                created_at=start - timedelta(days=3),
                checked_in_at=start - timedelta(minutes=5),
            )
            for p in attendees
        ]
    )
    event.refresh_from_db()
    if event.has_ended:
        event = event_services.record_report(
            event, by=ufd, minutes=f"{title}顺利举行，{len(attendees)}位党外人士参加。", attendance_count=None,
            version=event.version,
        )  # fmt: skip
        event_services.mark_held(event, by=ufd)
    return event


def _entry(person, *, slot, title, on, status, ufd, author="", reflection="", pdf=False) -> Entry:
    entry = Entry(
        organisation=person.organisation,
        person=person,
        year=on.year,
        slot=slot,
        title=title,
        author=author,
        on=on,
        reflection=reflection,
        proof_name="调研报告.pdf" if pdf else "照片.png",
        proof_kind="PDF" if pdf else "图片",
        created_by=person.user,
    )
    entry.proof.save(entry.proof_name, ContentFile(PDF if pdf else PNG), save=False)
    entry.save()
    if status == Entry.Status.VERIFIED:
        services.verify_entry(entry, by=ufd)
    return entry


def load_demo_five_ones(org, users: dict) -> None:
    ufd = users["ufd"]
    people = list(Person.objects.for_org(org).order_by("staff_number")[:12])
    members = _member_logins(org, people)
    me = members[0]  # 张建言, the member account
    year = timezone.localdate().year

    _held_event(
        org, ufd, title="新时代统一战线理论专题报告", type_="lecture", day=_day(0.2), place="图书馆报告厅",
        attendees=members[:10],
    )  # fmt: skip
    _held_event(
        org, ufd, title="参观红岩革命纪念馆", type_="visit", day=_day(0.45), place="红岩革命纪念馆",
        attendees=[members[i] for i in (0, 1, 2, 3, 4, 6, 8)],
    )  # fmt: skip
    _held_event(
        org, ufd, title="赴合作企业调研产教融合", type_="research", day=_day(0.6), place="市高新区",
        attendees=members[1:5],
    )  # fmt: skip

    # Books: verified for members 2–8; 张建言's waits for verification; research reports.
    for i, person in enumerate(members[1:8], start=1):
        title, author = BOOKS[i % len(BOOKS)]
        _entry(
            person, slot="book", title=title, author=author, on=_day(0.1 + i * 0.05), status=Entry.Status.VERIFIED,
            ufd=ufd, reflection="读后对统一战线的历史和作用有了更深的理解。",
        )  # fmt: skip
    _entry(
        me, slot="book", title="乡土中国", author="费孝通", on=_day(0.7), status=Entry.Status.PENDING, ufd=ufd,
        reflection="理解了中国基层社会的结构，对做好群众工作很有启发。",
    )  # fmt: skip
    _entry(
        members[6], slot="research", title="高职院校青年教师发展状况调研", on=_day(0.55), status=Entry.Status.VERIFIED,
        ufd=ufd, pdf=True,
    )  # fmt: skip
    _entry(
        members[7], slot="site", title="参观本市党史教育基地", on=_day(0.5), status=Entry.Status.PENDING, ufd=ufd,
        reflection="自行组织参观。",
    )  # fmt: skip

    item = Item.objects.filter(plan__organisation=org, number=8).order_by("-plan__year").first()
    if item is not None:
        target = Target.objects.create(
            item=item, text="开展“五个一”活动：成员全部完成“五个一”", count=len(members), order=1
        )
        services.link_target(org, by=ufd, year=year, target=target)
    services.sync_completions(org, year, by=ufd)
