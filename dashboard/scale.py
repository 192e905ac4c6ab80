"""Province-scale data for benchmarks (`manage.py generate_scale`): many colleges of Zipf-like sizes,
people (a share with member logins) with categories, parties, consents and contacts, a year of plan
items and progress reports, events with registrations and check-ins, suggestions with answers and
ratings, audit events; the later modules (five ones, study, publicity, assessment, budget,
notifications, suggestion timelines and filings) in `dashboard.scale_modules`. Every row goes
through `dashboard.scale_bulk.bulk()` (multi-row inserts) in one transaction.

Reproducible: the same arguments and seed give the same rows (dates are relative to today, as in
the demo). The demo college (slug `demo`) is the first college and gets the largest share, at least
a tenth of every kind; with `orgs=1` it gets everything. Generated logins: `<prefix>-ufd`,
`-leader`, `-l<department id>` and members `-m<number>`, with the demo's password."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit_chain
from core.models import AuditChainHead, AuditEvent
from dashboard.demo import PASSWORD
from events.models import Event, Registration
from orgs.models import Department, Membership, Organisation, Role
from people.models import (
    Category,
    ContactRecord,
    Party,
    PartyMembership,
    Person,
    PersonCategory,
    PublicityConsent,
)
from people.pinyin import name_keys
from plans.models import Item, Plan, ProgressReport, Section
from proposals.models import Answer, Outcome, Proposal, Rating, Status

from .scale_bulk import Progress, bulk, fast_load, new, shares, zipf_weights
from .scale_modules import Modules

DEMO_SLUG = "demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "建华海燕志强丽萍文博晓东雪梅国庆春霞立新明远思源静怡宏伟玉兰子涵浩然欣怡俊杰佳琪天宇梓萱"
DEPARTMENTS = ["党委统战部", "党委办公室", "人事处", "教务处", "科研处", "学生工作处", "团委", "财务处"]
SCHOOLS = ["机电工程学院", "信息工程学院", "经济管理学院", "艺术学院", "外国语学院", "建筑工程学院", "医学院"]
CITIES = "杭宁温嘉湖绍金衢舟台丽苏锡常徐通扬盐淮宿连镇泰"
TITLES = ["教授", "副教授", "讲师", "高级工程师", "实验师", "助教"]
# Lectures, visits and research trips fill three of the five ones (fiveones.queries).
EVENT_TYPES = ["symposium", "study", "training", "lecture", "visit", "research", "other"]
MEMBER_SHARE = 0.3  # people with a member login (the five ones and study reads need one)
TOPICS = ["产教融合", "青年教师培养", "实验室开放", "图书馆服务", "食堂管理", "校园安全", "科研经费", "学生就业"]


@dataclass
class College:
    org: Organisation
    departments: list[Department]
    staff: User
    leader: User | None = None
    prefix: str = ""  # of the usernames generated for it
    liaisons: dict[int, User] = field(default_factory=dict)  # department id -> liaison
    people: list[int] = field(default_factory=list)  # person ids
    members: dict[int, int] = field(default_factory=dict)  # person id -> user id (member logins)
    categories: dict[str, list[int]] = field(default_factory=dict)  # category -> person ids
    events: list = field(default_factory=list)
    plan: Plan | None = None
    items: list = field(default_factory=list)


class Generator(Modules):
    def __init__(self, *, orgs, people, events, suggestions, items, seed=1, progress=None):
        self.n_orgs, self.n_people, self.n_events = orgs, people, events
        self.n_suggestions, self.n_items = suggestions, items
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress or Progress()
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.hashed = make_password(PASSWORD)
        self.topics = TOPICS
        self.consenting: set[int] = set()  # people whose publicity consent stands
        self.proposals: list[Proposal] = []

    def bulk(self, model, rows, label: str) -> list:
        return bulk(model, rows, self.progress, label)

    def moment(self, days_ago: float) -> datetime:
        return self.now - timedelta(days=days_ago)

    # -- colleges -------------------------------------------------------------------------------
    def colleges(self) -> list[College]:
        result = []
        demo = Organisation.objects.filter(slug=DEMO_SLUG).first()
        if demo is None:
            demo = Organisation.objects.create(name="示例职业技术学院", slug=DEMO_SLUG)
        existing = set(Organisation.objects.filter(slug__startswith="scale-").values_list("slug", flat=True))
        new_orgs = []
        for n in range(1, self.n_orgs):
            slug = f"scale-{self.seed}-{n:03d}"
            if slug in existing:
                raise ValueError(f"{slug} exists: run with another --seed or a fresh database")
            city = CITIES[n % len(CITIES)]
            new_orgs.append(Organisation(name=f"{city}州第{n}职业技术学院", slug=slug))
        Organisation.objects.bulk_create(new_orgs)
        orgs = [demo, *Organisation.objects.filter(slug__startswith=f"scale-{self.seed}-").order_by("slug")]
        # Departments: the demo keeps its own (adding the missing standard ones); others get a
        # size-dependent number of schools.
        weights = zipf_weights(len(orgs))
        wanted = []
        have = {(d.organisation_id, d.name) for d in Department.objects.filter(organisation__in=orgs)}
        for i, org in enumerate(orgs):
            schools = SCHOOLS[: max(1, min(len(SCHOOLS), round(len(SCHOOLS) * weights[i] / weights[0])))]
            for order, name in enumerate(DEPARTMENTS + schools, start=1):
                if (org.pk, name) not in have:
                    wanted.append(Department(organisation=org, name=name, sort_order=order * 10))
        Department.objects.bulk_create(wanted)
        by_org = {}
        for d in Department.objects.filter(organisation__in=orgs).order_by("sort_order", "id"):
            by_org.setdefault(d.organisation_id, []).append(d)
        # One UFD staff account, one leader and one liaison per department in each new college.
        hashed = self.hashed
        users, memberships = [], []
        for org in orgs[1:]:
            users.append(User(username=f"{org.slug}-ufd", name="统战干部", password=hashed))
            users.append(User(username=f"{org.slug}-leader", name="校领导", password=hashed))
            for d in by_org[org.pk]:
                users.append(User(username=f"{org.slug}-l{d.pk}", name=f"{d.name}联络员", password=hashed))
        User.objects.bulk_create(users, batch_size=2000)
        saved = {u.username: u for u in User.objects.filter(username__startswith=f"scale-{self.seed}-")}
        for org in orgs:
            if org.slug == DEMO_SLUG:
                prefix = f"scale-{self.seed}-demo"
                staff = self._demo_user(org, Role.UFD_STAFF, f"{prefix}-ufd", "统战干部", memberships)
                leader = self._demo_user(org, Role.LEADER, f"{prefix}-leader", "校领导", memberships)
                college = College(org, by_org[org.pk], staff, leader, prefix)
                for m in Membership.objects.filter(organisation=org, role=Role.LIAISON).prefetch_related("departments"):
                    for d in m.departments.all():
                        college.liaisons.setdefault(d.pk, m.user)
            else:
                staff, leader = saved[f"{org.slug}-ufd"], saved[f"{org.slug}-leader"]
                memberships.append(Membership(user=staff, organisation=org, role=Role.UFD_STAFF))
                memberships.append(Membership(user=leader, organisation=org, role=Role.LEADER))
                college = College(org, by_org[org.pk], staff, leader, org.slug)
                for d in by_org[org.pk]:
                    college.liaisons[d.pk] = saved[f"{org.slug}-l{d.pk}"]
            result.append(college)
        created = Membership.objects.bulk_create(memberships, batch_size=2000)
        links = []
        through = Membership.departments.through
        for college in result[1:]:
            ids = {m.user_id: m.pk for m in created if m.organisation_id == college.org.pk}
            liaison_members = [
                Membership(user=u, organisation=college.org, role=Role.LIAISON) for u in college.liaisons.values()
            ]
            for m in Membership.objects.bulk_create(liaison_members):
                ids[m.user_id] = m.pk
            for dep_id, u in college.liaisons.items():
                links.append(through(membership_id=ids[u.pk], department_id=dep_id))
        through.objects.bulk_create(links, batch_size=2000)
        self.progress("colleges", len(result), len(result))
        return result

    def _demo_user(self, org, role, username, name, memberships) -> User:
        """The demo college's first user of `role`, or a new one."""
        user = User.objects.filter(membership__organisation=org, membership__role=role).order_by("id").first()
        if user is None:
            user = User.objects.create(username=username, name=name, password=self.hashed)
            memberships.append(Membership(user=user, organisation=org, role=role))
        return user

    # -- people --------------------------------------------------------------------------------
    def people(self, colleges: list[College], weights: list[float]) -> None:
        """People (a share with a member login), their categories, parties, publicity consents
        and a year of contacts."""
        rng = self.rng
        counts = shares(self.n_people, weights)
        rows, logins = [], []
        for college, count in zip(colleges, counts, strict=True):
            deps = college.departments
            for n in range(count):
                name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
                initials, pinyin = name_keys(name)
                person = new(
                    Person,
                    organisation_id=college.org.pk,
                    name=name,
                    gender=rng.choice("MF"),
                    birth_month=date(1960 + rng.randrange(35), 1 + rng.randrange(12), 1),
                    staff_number=f"S{self.seed}-{n:06d}",
                    department_id=deps[rng.randrange(len(deps))].pk,
                    professional_title=rng.choice(TITLES),
                    phone=f"13{rng.randrange(10**9):09d}",
                    email=f"p{n}@{college.org.slug}.edu.cn",
                    name_initials=initials,
                    name_pinyin=pinyin,
                )
                rows.append(person)
                if rng.random() < MEMBER_SHARE:
                    logins.append((college, person, new(User, username=f"{college.prefix}-m{n:05d}", name=name)))
        for _, _, user in logins:
            user.password = self.hashed
        self.bulk(User, [u for _, _, u in logins], "member logins")
        for _, person, user in logins:
            person.user_id = user.pk
        self.bulk(
            Membership,
            [new(Membership, user_id=u.pk, organisation_id=c.org.pk, role=Role.MEMBER) for c, _, u in logins],
            "memberships",
        )
        saved = self.bulk(Person, rows, "people")
        index = {c.org.pk: c for c in colleges}
        categories, parties, contacts, consents = [], [], [], []
        codes = [c.value for c in Category]
        party_codes = [p.value for p in Party]
        methods = [m.value for m in ContactRecord.Method]
        for person in saved:
            college = index[person.organisation_id]
            college.people.append(person.pk)
            if person.user_id:
                college.members[person.pk] = person.user_id
            for code in rng.sample(codes, rng.choice((1, 1, 2))):
                categories.append(new(PersonCategory, person_id=person.pk, category=code))
                college.categories.setdefault(code, []).append(person.pk)
            if rng.random() < 0.3:
                parties.append(new(PartyMembership, person_id=person.pk, party=rng.choice(party_codes)))
            if rng.random() < 0.15:  # publicity consent, a tenth of it withdrawn since
                given = self.today - timedelta(days=rng.randrange(30, 700))
                withdrawn = given + timedelta(days=rng.randrange(1, 29)) if rng.random() < 0.1 else None
                consents.append(new(PublicityConsent, person_id=person.pk, given_at=given, withdrawn_at=withdrawn))
            if rng.random() < 0.4:
                contacts.append(
                    new(
                        ContactRecord,
                        person_id=person.pk,
                        date=self.today - timedelta(days=rng.randrange(365)),
                        recorded_by_id=college.staff.pk,
                        met_by=college.staff.name or "统战部",
                        method=rng.choice(methods),
                        raised=f"关于{rng.choice(TOPICS)}的想法。",
                    )
                )
        self.bulk(PersonCategory, categories, "categories")
        self.bulk(PartyMembership, parties, "parties")
        self.bulk(PublicityConsent, consents, "consents")
        self.bulk(ContactRecord, contacts, "contacts")
        self.consenting = {c.person_id for c in consents if c.withdrawn_at is None}

    # -- plans ---------------------------------------------------------------------------------
    def plans(self, colleges: list[College], weights: list[float]) -> None:
        rng, year = self.rng, self.today.year
        counts = shares(self.n_items, weights)
        plan_rows = []
        for college, count in zip(colleges, counts, strict=True):
            plan = Plan.objects.filter(organisation=college.org, year=year, status=Plan.Status.PUBLISHED).first()
            if plan is None and count:
                plan = Plan(
                    organisation=college.org,
                    year=year,
                    title=f"{college.org.name}{year}年统战工作要点",
                    status=Plan.Status.PUBLISHED,
                    published_at=self.moment(300),
                    created_by=college.staff,
                )
                plan_rows.append(plan)
            college.plan = plan
        Plan.objects.bulk_create(plan_rows)
        sections = []
        for college, count in zip(colleges, counts, strict=True):
            if not count:
                continue
            start = college.plan.sections.count()
            for s in range(max(1, min(6, count // 5 or 1))):
                sections.append(
                    Section(
                        plan=college.plan,
                        marker=f"{'一二三四五六'[s]}、",
                        number=start + s + 1,
                        title=f"第{s + 1}部分",
                        order=start + s + 1,
                    )
                )
        Section.objects.bulk_create(sections)
        by_plan = {}
        for s in sections:
            by_plan.setdefault(s.plan_id, []).append(s)
        items = []
        for college, count in zip(colleges, counts, strict=True):
            if not count:
                continue
            first = (college.plan.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            secs = by_plan[college.plan.pk]
            for n in range(count):
                due = self.today + timedelta(days=rng.randrange(-120, 240))
                started = rng.random() < 0.7
                items.append(
                    new(
                        Item,
                        plan=college.plan,
                        section=secs[n * len(secs) // count],
                        number=first + n,
                        order=first + n,
                        title=f"做好{rng.choice(TOPICS)}相关工作（{first + n}）",
                        text="加强联系，凝聚共识，服务学校中心工作。",
                        lead_department=rng.choice(college.departments),
                        due_date=due,
                        started=started,
                        progress=rng.randrange(10, 100) if started else 0,
                        accepted_at=self.moment(rng.randrange(1, 60)) if started and rng.random() < 0.2 else None,
                    )
                )
        # A year of monthly-ish reports per started item; the item's last report time is known
        # before it is written, so nothing is updated afterwards.
        times = []
        for item in items:
            at = [self.moment(rng.randrange(1, 365)) for _ in range(rng.randrange(1, 12))] if item.started else []
            item.last_report_at = max(at) if at else None
            times.append(at)
        saved = self.bulk(Item, items, "items")
        reports = []
        org_of_plan = {c.plan.pk: c for c in colleges if c.plan is not None}
        for item, at in zip(saved, times, strict=True):
            college = org_of_plan[item.plan_id]
            college.items.append(item)
            author = college.liaisons.get(item.lead_department_id) or college.staff
            for moment in at:
                reports.append(
                    new(
                        ProgressReport,
                        item_id=item.pk,
                        department_id=item.lead_department_id,
                        author_id=author.pk,
                        text="按计划推进，已完成阶段任务。",
                        created_at=moment,
                    )
                )
        self.bulk(ProgressReport, reports, "reports")

    # -- events --------------------------------------------------------------------------------
    def events(self, colleges: list[College], weights: list[float]) -> None:
        rng = self.rng
        counts = shares(self.n_events, weights)
        rows = []
        for college, count in zip(colleges, counts, strict=True):
            for n in range(count):
                days = rng.randrange(-60, 365)  # a year back, two months ahead
                day = self.today - timedelta(days=days)
                start = timezone.make_aware(datetime.combine(day, dtime(9 + rng.randrange(8), 0)), self.tz)
                past = days > 0
                rows.append(
                    new(
                        Event,
                        organisation=college.org,
                        title=f"{rng.choice(TOPICS)}座谈会（{n + 1}）",
                        type=rng.choice(EVENT_TYPES),
                        starts_at=start,
                        ends_at=start + timedelta(hours=2),
                        place="行政楼会议室",
                        department=college.departments[0],
                        description="围绕学校中心工作听取党外人士意见建议。",
                        capacity=rng.choice((None, 30, 50, 100)),
                        public_signup=rng.random() < 0.2,
                        status=Event.Status.PUBLISHED,
                        held_at=start + timedelta(hours=2) if past else None,
                        created_by=college.staff,
                    )
                )
        saved = self.bulk(Event, rows, "events")
        index = {c.org.pk: c for c in colleges}
        registrations = []
        for event in saved:
            index[event.organisation_id].events.append(event)
            people = index[event.organisation_id].people
            if not people:
                continue
            k = min(len(people), rng.randrange(2, 20))
            past = event.starts_at < self.now
            for pid in rng.sample(people, k):
                registrations.append(
                    new(
                        Registration,
                        event=event,
                        person_id=pid,
                        status=Registration.Status.REGISTERED,
                        created_at=event.starts_at - timedelta(days=rng.randrange(1, 14)),
                        checked_in_at=event.starts_at - timedelta(minutes=5) if past and rng.random() < 0.8 else None,
                    )
                )
        self.bulk(Registration, registrations, "registrations")

    # -- suggestions ---------------------------------------------------------------------------
    def suggestions(self, colleges: list[College], weights: list[float]) -> None:
        rng = self.rng
        counts = shares(self.n_suggestions, weights)
        kinds = ["suggestion", "proposal", "opinion"]
        from proposals.models import Category as ProposalCategory

        categories = [c.value for c in ProposalCategory]
        flow = [Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.ANSWERED, Status.CLOSED, Status.DECLINED]
        flow = [s for s in flow if s in Status.values]
        outcomes, ratings = [o.value for o in Outcome], [r.value for r in Rating]
        rows = []
        case = {}
        for college, count in zip(colleges, counts, strict=True):
            people = college.people
            if not people:
                continue
            for _ in range(count):
                status = rng.choices(flow, weights=[10, 5, 15, 20, 45, 5][: len(flow)])[0]
                submitted = self.moment(rng.randrange(1, 365))
                handled = status not in (Status.SUBMITTED, Status.DECLINED)
                answered = status in (Status.ANSWERED, Status.CLOSED)
                assigned = answered or status == Status.ASSIGNED
                number = ""
                if handled:
                    case[college.org.pk] = case.get(college.org.pk, 0) + 1
                    number = f"S{self.seed}-{case[college.org.pk]:06d}"
                row = new(
                    Proposal,
                    organisation=college.org,
                    kind=rng.choice(kinds),
                    category=rng.choice(categories),
                    title=f"关于{rng.choice(TOPICS)}的建议",
                    content="建议学校进一步研究，完善相关制度，加强服务保障。",
                    submitter_id=rng.choice(people),
                    submitted_by=college.staff,
                    status=status,
                    submitted_at=submitted,
                    accepted_at=submitted + timedelta(days=2) if handled else None,
                    case_number=number,
                    lead_department=rng.choice(college.departments) if assigned else None,
                    assigned_at=submitted + timedelta(days=3) if assigned else None,
                    due_date=(submitted + timedelta(days=30)).date() if assigned else None,
                    decline_reason="不属于学校职权范围。" if status == Status.DECLINED else "",
                    outcome=rng.choice(outcomes) if answered else "",
                    first_answered_at=submitted + timedelta(days=20) if answered else None,
                    answered_on_time=rng.random() < 0.8 if answered else None,
                    answered_at=submitted + timedelta(days=21) if answered else None,
                    rating=rng.choice(ratings) if status == Status.CLOSED else "",
                    rated_at=submitted + timedelta(days=25) if status == Status.CLOSED else None,
                    closed_at=submitted + timedelta(days=26) if status == Status.CLOSED else None,
                )
                rows.append(row)
        saved = self.proposals = self.bulk(Proposal, rows, "suggestions")
        index = {c.org.pk: c for c in colleges}
        answers = []
        for p in saved:
            if not p.outcome:
                continue
            college = index[p.organisation_id]
            answers.append(
                new(
                    Answer,
                    proposal=p,
                    department_id=p.lead_department_id,
                    outcome=p.outcome,
                    text="经研究，已纳入本部门工作计划，将按期落实。",
                    answered_by=college.liaisons.get(p.lead_department_id) or college.staff,
                    answered_at=p.answered_at,
                    state=Answer.State.RELEASED,
                    rating=p.rating,
                    rated_at=p.rated_at,
                )
            )
        self.bulk(Answer, answers, "answers")

    # -- audit ---------------------------------------------------------------------------------
    def audit(self, colleges: list[College], weights: list[float]) -> None:
        """Person reads and edits over the year, appended to each college's hash chain."""
        rng = self.rng
        total = self.n_people  # one audited action per person on average
        counts = shares(total, weights)
        rows = []
        for college, count in zip(colleges, counts, strict=True):
            if not college.people:
                continue
            key = audit_chain.chain_key(college.org.pk)
            head, _ = AuditChainHead.objects.get_or_create(chain=key)
            seq, prev = head.seq, head.last_hash
            for _ in range(count):
                pid = rng.choice(college.people)
                event = new(
                    AuditEvent,
                    at=self.moment(rng.randrange(1, 365 * 24) / 24),
                    user=college.staff,
                    username=college.staff.username,
                    organisation=college.org,
                    action=rng.choice(["view", "view", "view", "update", "export"]),
                    object_type="people.person",
                    object_id=str(pid),
                    object_repr="统战对象",
                    changes={},
                    ip="10.0.0.1",
                )
                seq += 1
                event.seq, event.prev_hash = seq, prev
                event.hash = audit_chain.event_hash(event)
                prev = event.hash
                rows.append(event)
            head.seq, head.last_hash = seq, prev
            head.save(update_fields=["seq", "last_hash"])
        self.bulk(AuditEvent, rows, "audit events")

    def run(self) -> dict:
        with fast_load(), transaction.atomic():
            colleges = self.colleges()
            weights = zipf_weights(len(colleges))
            self.people(colleges, weights)
            self.plans(colleges, weights)
            self.events(colleges, weights)
            self.suggestions(colleges, weights)
            self.proposal_extras(colleges, weights)
            self.five_ones(colleges, weights)
            self.study(colleges, weights)
            self.publicity(colleges, weights)
            self.assessment(colleges)
            self.budget(colleges, weights)
            self.notifications(colleges, weights)
            self.audit(colleges, weights)
        return {"colleges": len(colleges), "demo": colleges[0].org.pk}


def generate(*, orgs=150, people=60000, events=30000, suggestions=200000, items=5000, seed=1, progress=None) -> dict:
    return Generator(
        orgs=orgs, people=people, events=events, suggestions=suggestions, items=items, seed=seed, progress=progress
    ).run()
