"""Demo data for `make run`: a college, its departments, one user per role and ~30 members.

The seed plan is shown as the current year's, and every date is relative to today, so the traffic
lights show green, yellow and red as in real use. Loaded once: a second run finds the
organisation and changes nothing."""

import random
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from fiveones.demo import load_demo_five_ones
from orgs import services as org_services
from orgs.models import Department, Organisation, Role
from people import services as people_services
from people.models import Category, Person
from publicity.demo import load_demo_stories
from study.demo import load_demo_study

ORG_SLUG = "demo"
ORG_NAME = "示例职业技术学院"
PASSWORD = "Tongxin@2026"

# (name, short name, aliases)
DEPARTMENTS = [
    ("党委统战部", "统战部", ["统战部"]),
    ("党委宣传部", "宣传部", ["宣传部"]),
    ("党委组织部", "组织部", ["组织部"]),
    ("人事劳资处", "人事处", ["人事处"]),
    ("学生工作处", "学工处", ["学工处"]),
    ("教务处", "", []),
    ("团委", "", ["校团委"]),
    ("各二级学院部", "二级学院", ["各二级学院", "各二级学院（部）"]),
    ("党委办公室", "党办", ["党办", "校办"]),
    ("科研处", "", []),
    ("财务处", "", []),
    ("机电工程学院", "机电学院", []),
    ("信息工程学院", "信息学院", []),
    ("经济管理学院", "经管学院", []),
]

# (username, name, role, liaison departments)
ACCOUNTS = [
    ("ufd", "王同心", Role.UFD_STAFF, []),
    ("liaison", "李联络", Role.LIAISON, ["学生工作处"]),
    ("member", "张建言", Role.MEMBER, []),
    ("leader", "赵书记", Role.LEADER, []),
    ("sysadmin", "系统管理员", Role.SYSADMIN, []),
    ("secadmin", "安全管理员", Role.SECADMIN, []),
    ("auditor", "审计管理员", Role.AUDITADMIN, []),
]

# Liaisons of the other departments (not printed on start). 人事劳资处, 党委宣传部, 财务处 and
# 科研处 have none on purpose: 督办 marks them 无联络员 and 催办 warns that nobody was reached.
MORE_LIAISONS = [
    ("tzb", "孙统战", "党委统战部"),
    ("zzb", "周组织", "党委组织部"),
    ("jwc", "吴教务", "教务处"),
    ("tw", "郑团委", "团委"),
    ("ejxy", "冯学院", "各二级学院部"),
    ("dangban", "陈党办", "党委办公室"),
    ("jdxy", "褚机电", "机电工程学院"),
    ("xxxy", "卫信息", "信息工程学院"),
    ("jgxy", "蒋经管", "经济管理学院"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "建华",
    "海燕",
    "志强",
    "丽萍",
    "文博",
    "晓东",
    "雪梅",
    "国庆",
    "春霞",
    "立新",
    "明远",
    "思源",
    "静怡",
    "宏伟",
    "玉兰",
]
# 职称 (professional title) and 职务 (post) are different fields.
PROFESSIONAL_TITLES = ["教授", "副教授", "讲师", "高级工程师", "实验师", "副教授", "讲师"]
POSTS = ["系主任", "", "教研室主任", "", "实验室主任", "副院长", ""]


def demo_accounts() -> list[tuple[str, str, str]]:
    return [(username, Role(role).label, PASSWORD) for username, _, role, _ in ACCOUNTS]


@transaction.atomic
def load_demo() -> tuple[Organisation, bool]:
    """Creates the demo organisation and everything in it. Returns (org, created)."""
    org = Organisation.objects.filter(slug=ORG_SLUG).first()
    if org is not None:
        return org, False
    org = Organisation.objects.create(name=ORG_NAME, slug=ORG_SLUG)
    for order, (name, short, aliases) in enumerate(DEPARTMENTS, start=1):
        org_services.create_department(
            org, by=None, name=name, short_name=short, sort_order=order * 10, aliases=aliases
        )
    departments = {d.name: d for d in Department.objects.for_org(org)}

    users = {}
    hashed = make_password(PASSWORD)  # hashed once: every demo account has the same password
    accounts = ACCOUNTS + [(u, n, Role.LIAISON, [d]) for u, n, d in MORE_LIAISONS]
    for username, name, role, liaison_of in accounts:
        user = User.objects.create(username=username, name=name, password=hashed)
        org_services.assign_role(user, organisation=org, role=role, departments=[departments[d] for d in liaison_of])
        users[username] = user

    rng = random.Random(2023)
    teaching = [departments[n] for n in ["机电工程学院", "信息工程学院", "经济管理学院", "教务处", "科研处"]]
    category_sets = [
        [Category.DEMOCRATIC_PARTY, Category.NON_PARTY_INTELLECTUAL],
        [Category.NON_PARTY],
        [Category.NON_PARTY_INTELLECTUAL],
        [Category.RETURNED_SCHOLAR, Category.NON_PARTY_INTELLECTUAL],
        [Category.YOUNG_EXPERT, Category.NON_PARTY_INTELLECTUAL],
        [Category.OVERSEAS_CHINESE],
        [Category.REPRESENTATIVE, Category.DEMOCRATIC_PARTY],
    ]
    for i in range(30):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        if i == 0:
            name = "张建言"
        data = {
            "name": name,
            "gender": Person.Gender.MALE if i % 2 else Person.Gender.FEMALE,
            "birth_month": date(1965 + rng.randrange(25), 1 + rng.randrange(12), 1),
            "staff_number": f"T{2001 + i}",
            "department": teaching[i % len(teaching)],
            "job_title": POSTS[i % len(POSTS)],
            "professional_title": PROFESSIONAL_TITLES[i % len(PROFESSIONAL_TITLES)],
            "phone": f"139{rng.randrange(10**8):08d}",
            "email": f"demo{i + 1}@example.edu.cn",
            "categories": [c.value for c in category_sets[i % len(category_sets)]],
        }
        person = people_services.create_person(org, by=None, data=data)
        if i == 0:
            person.user = users["member"]
            person.save(update_fields=["user"])
    load_demo_registry(org, users)
    load_demo_plan(org, users)
    load_demo_events(org, users)
    load_demo_proposals(org, users)
    load_demo_stories(org, users)
    load_demo_five_ones(org, users)
    load_demo_study(org, users)
    from assessment.demo import load_demo_assessment
    from budget.demo import load_demo_budget

    load_demo_assessment(org, users)
    load_demo_budget(org, users)
    return org, True


SEED_PLAN = Path(__file__).parent / "demo_data" / "seed_plan_2023.txt"
SEED_YEAR = "2023"

# Due dates of the seed plan's items, in days from today. Red: 2 and 10 overdue, 5 with a missed
# milestone; yellow: 3 due within 7 days, 7 with a milestone in 2 days; green: 4 done by its target
# (the symposium), 9 by its two published stories (publicity demo), 13 accepted. The others are
# spread between a week from today and the year end (or over the next months when the year ends within three weeks).
DUE_IN_DAYS = {2: -12, 10: -5, 3: 6, 9: 4}
MILESTONES = {5: ("第一阶段培训", -7), 7: ("调研报告初稿", 2)}


def _later_due_dates(numbers: list[int], today: date) -> dict[int, date]:
    """Green due dates for `numbers`, in order, more than 7 days ahead."""
    first = today + timedelta(days=8)
    span = (date(today.year, 12, 31) - first).days
    if span < 14:
        return {n: first + timedelta(days=20 + 7 * i) for i, n in enumerate(numbers)}
    step = span / max(1, len(numbers) - 1)
    return {n: first + timedelta(days=round(i * step)) for i, n in enumerate(numbers)}


def demo_year() -> int:
    return timezone.localdate().year


def load_demo_plan(org: Organisation, users: dict) -> None:
    """The seed plan (职业技术学院2023年统战工作要点, its real text) shown as this year's plan:
    its year is set to the current year, due dates are relative to today, then it is published,
    with progress on a few items."""
    from plans import services as plan_services
    from plans.imports import import_without_review
    from plans.models import Item, Milestone

    year, today = demo_year(), timezone.localdate()
    text = SEED_PLAN.read_text(encoding="utf-8").replace(SEED_YEAR, str(year))
    plan = import_without_review(
        org, data=text.encode("utf-8"), filename=f"职业技术学院{year}年统战工作要点.txt", year=year, by=users["ufd"]
    )
    items = {item.number: item for item in plan.items.all()}
    later = _later_due_dates(sorted(n for n in items if n not in DUE_IN_DAYS), today)
    for number, item in items.items():
        item.due_date = today + timedelta(days=DUE_IN_DAYS[number]) if number in DUE_IN_DAYS else later[number]
    Item.objects.bulk_update(items.values(), ["due_date"])
    Milestone.objects.bulk_create(
        [
            Milestone(item=items[n], title=title, due_date=today + timedelta(days=days))
            for n, (title, days) in MILESTONES.items()
        ]
    )
    plan_services.publish_plan(plan, by=users["ufd"])
    plan_services.post_report(items[1], by=users["tzb"], text="已组织党外人士专题学习2次，覆盖56人。")
    liaison = users["liaison"]  # 学生工作处 leads item 13
    symposium = plan_services.post_report(
        items[13], by=liaison, text="已召开少数民族学生座谈会，收集意见建议12条，正在逐条落实。"
    )
    activity = plan_services.post_report(
        items[13], by=liaison, text="少数民族学生活动已举办，全年任务完成。", closing=True
    )
    # The reports count towards item 13's two targets, so 销号 needs no "targets unmet" reason.
    for target, source in zip(items[13].targets.all(), [symposium, activity], strict=False):
        plan_services.record_achievement(target, source=source, by=users["ufd"], label=source.text[:40])
    plan_services.accept_closing(items[13], by=users["ufd"], note="材料齐全，同意销号。")
    plan_services.urge(items[10], by=users["ufd"], note="请人事劳资处报送留学回国人员明细清单更新情况。")


def _month_after(month: date) -> date:
    """The first of the next month: a scholar returns after the study ends."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def load_demo_registry(org: Organisation, users: dict) -> None:
    """Parties, public posts, study abroad, consent and a few contacts for the demo people."""
    from people.models import ContactRecord, Party, PartyMembership, PublicityConsent, PublicPost, StudyAbroad

    people = list(Person.objects.for_org(org).order_by("staff_number"))
    parties = list(Party)
    studies = [
        ("英国", "剑桥大学", "博士", (2008, 9), (2012, 7)),
        ("美国", "斯坦福大学", "访问学者", (2015, 9), (2016, 8)),
        ("日本", "东京大学", "硕士", (2005, 4), (2007, 3)),
        ("德国", "慕尼黑工业大学", "博士", (2010, 10), (2014, 6)),
        ("澳大利亚", "墨尔本大学", "博士后", (2018, 2), (2019, 12)),
    ]
    for i, person in enumerate(people):
        codes = person.categories
        if Category.DEMOCRATIC_PARTY in codes:
            PartyMembership.objects.create(
                person=person,
                party=parties[i % len(parties)],
                join_month=date(2005 + i % 15, 1 + i % 12, 1),
                post="支部委员" if i % 3 == 0 else "",
            )
        if Category.RETURNED_SCHOLAR in codes or i % 10 == 7:
            country, school, degree, start, end = studies[i % len(studies)]
            StudyAbroad.objects.create(
                person=person,
                country_region=country,
                institution=school,
                degree=degree,
                start_month=date(*start, 1),
                end_month=date(*end, 1),
                return_month=_month_after(date(*end, 1)),
            )
        if Category.REPRESENTATIVE in codes:
            PublicPost.objects.create(
                person=person,
                kind=PublicPost.Kind.CPPCC,
                level=PublicPost.Level.CITY,
                term="第十四届",
                title="市政协委员",
            )
        if i % 4 == 0:
            PublicityConsent.objects.create(
                person=person, given_at=timezone.localdate() - timedelta(days=200), note="书面同意"
            )
    for person, (month, method, follow_up) in zip(
        people[1:4],
        [(90, "talk", "协调实验室开放时间"), (60, "visit", ""), (20, "phone", "反映子女入学问题，转人事处")],
        strict=True,
    ):
        ContactRecord.objects.create(
            person=person,
            date=timezone.localdate() - timedelta(days=month),
            recorded_by=users["ufd"],
            met_by="王同心",
            method=method,
            raised="希望学校为党外教师搭建更多建言平台。",
            follow_up_needed=bool(follow_up),
            follow_up=follow_up,
        )
    people[5].assigned_cadres.add(users["liaison"])


def load_demo_events(org: Organisation, users: dict) -> None:
    """Events: this year's symposium, held a month ago and counted towards plan item 4 (if the
    seed plan has that target), and an upcoming study session published to the democratic-party
    members."""
    from datetime import datetime, time

    from events import services as event_services
    from events.models import Event, Invitation, Registration
    from plans.services import targets_for_org

    ufd = users["ufd"]
    departments = {d.name: d for d in Department.objects.for_org(org)}
    people = list(Person.objects.for_org(org).order_by("staff_number"))
    start = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=30), time(14, 30)))
    symposium = event_services.create_event(
        org,
        by=ufd,
        data={
            "title": f"{demo_year()}年统战工作座谈会",
            "type": "symposium",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "place": "行政楼三楼会议室",
            "department": departments["党委统战部"],
            "description": "邀请党外代表人士围绕学校事业发展建言献策。",
            "agenda": "一、通报学校年度重点工作\n二、党外代表人士发言\n三、校领导讲话",
            "capacity": 30,
            "audience_categories": [Category.REPRESENTATIVE, Category.DEMOCRATIC_PARTY],
            "targets": list(targets_for_org(org).filter(item__number=4, text__contains="座谈会")[:1]),
        },
    )
    Event.objects.filter(pk=symposium.pk).update(status=Event.Status.PUBLISHED)
    Invitation.objects.bulk_create([Invitation(event=symposium, person=p) for p in people[:12]])
    for i, person in enumerate(people[:12]):
        Registration.objects.create(
            event=symposium,
            person=person,
            status=Registration.Status.REGISTERED,
            created_at=start - timedelta(days=5, minutes=i),
            checked_in_at=start - timedelta(minutes=10) if i != 3 else None,
        )
    symposium.refresh_from_db()
    symposium = event_services.record_report(
        symposium,
        by=ufd,
        minutes=f"{start.month}月{start.day}日下午，学校召开{demo_year()}年统战工作座谈会。与会党外代表人士围绕人才培养、产教融合等提出意见建议。",
        attendance_count=13,
        version=symposium.version,
    )
    event_services.add_feedback(symposium, by=ufd, text="建议增加党外教师参与专业建设论证的机会。", raised_by="王建华")
    event_services.add_feedback(symposium, by=ufd, text="希望完善青年教师访学支持政策。", raised_by="李海燕")
    event_services.mark_held(symposium, by=ufd)

    soon = timezone.localtime() + timedelta(days=7)
    study = event_services.create_event(
        org,
        by=ufd,
        data={
            "title": "民主党派成员学习交流会",
            "type": "study",
            "starts_at": soon.replace(hour=15, minute=0, second=0, microsecond=0),
            "ends_at": soon.replace(hour=17, minute=0, second=0, microsecond=0),
            "place": "图书馆二楼报告厅",
            "department": departments["党委统战部"],
            "description": "学习《中国共产党统一战线工作条例》，交流学习体会。",
            "capacity": 20,
            "public_signup": True,
            "audience_categories": [Category.DEMOCRATIC_PARTY],
            "audience_people": [people[0]],
        },
    )
    event_services.publish_event(study, by=ufd)


def load_demo_proposals(org: Organisation, users: dict) -> None:
    """Suggestions (建言献策) at each step of the handling loop — a draft, one waiting for review,
    one with 学生工作处 and overdue, an answer waiting for UFD review, one re-handled after an
    unsatisfied rating, one closed as 优秀建言 and public, one declined — an answer template,
    and two outside filings (one verified)."""
    import uuid

    from django.db.models import Q

    from plans.services import targets_for_org
    from proposals import services as proposal_services
    from proposals.models import FilingKind, FilingLevel, FilingStatus, Outcome, Proposal, Rating

    ufd, member, liaison = users["ufd"], users["member"], users["liaison"]
    student_affairs = Department.objects.get(organisation=org, name="学生工作处")
    support = Department.objects.get(organisation=org, name="财务处")
    people = list(Person.objects.for_org(org).order_by("staff_number"))
    me = people[0]  # 张建言, the member account
    symposium = f"{demo_year()}年统战工作座谈会"

    def submit(person, title, content, category, *, kind="suggestion", by=ufd, source=symposium):
        data = {"kind": kind, "category": category, "title": title, "content": content, "source": source}
        proposal, _ = proposal_services.save_draft(
            org, by=by, submitter=person, data=data, client_token=uuid.uuid4(), cosigners=[]
        )
        return proposal_services.submit_proposal(proposal, by=by)

    def assign(proposal, *, review=False):
        proposal = proposal_services.accept_proposal(proposal, by=ufd)
        return proposal_services.assign_proposal(
            proposal, by=ufd, lead=student_affairs, support=[support], review_required=review
        )

    proposal_services.save_draft(
        org,
        by=member,
        submitter=me,
        client_token=uuid.uuid4(),
        data={
            "kind": "suggestion",
            "category": "talent",
            "title": "关于设立青年教师访学专项的建议（草稿）",
            "content": "建议每年安排专项经费支持青年教师到行业企业访学。",
        },
    )
    waiting = submit(
        me,
        "关于延长图书馆周末开放时间的建议",
        "期末复习期间，建议周六、周日图书馆开放到晚上十点。",
        "logistics",
        by=member,
        source="",
    )
    overdue = assign(
        submit(people[1], "关于完善学生心理健康服务的建议", "建议增加专职心理咨询师，开设夜间咨询时段。", "safety")
    )
    Proposal.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    in_review = assign(
        submit(people[2], "关于加强学生宿舍用电安全的社情民意", "部分宿舍存在违规电器。", "safety", kind="opinion"),
        review=True,
    )
    proposal_services.answer_proposal(
        in_review, by=liaison, outcome=Outcome.ADOPTED, text="已组织全面排查，将于本月完成整改。"
    )
    rehandled = assign(
        submit(
            me, "关于增加学生社团活动场地的建议", "建议开放部分教室晚间供社团使用。", "teaching", by=member, source=""
        )
    )
    rehandled = proposal_services.answer_proposal(
        rehandled, by=liaison, outcome=Outcome.REFERENCE, text="留作参考，待新学生活动中心建成后统筹安排。"
    )
    proposal_services.rate_proposal(rehandled, by=member, rating=Rating.UNSATISFIED, comment="希望先给出过渡办法。")
    excellent = assign(
        submit(
            people[3],
            "关于深化产教融合、共建产业学院的提案",
            "建议与区内龙头企业共建产业学院，实行双导师制。",
            "development",
            kind="proposal",
        )
    )
    excellent = proposal_services.answer_proposal(
        excellent, by=liaison, outcome=Outcome.ADOPTED, text="已纳入学校“双高”建设方案，下学期启动。"
    )
    proposal_services.close_proposal(excellent, by=ufd, note="提出人当面表示满意。")
    proposal_services.set_flags(excellent, by=ufd, excellent=True, published=True)
    proposal_services.decline_proposal(
        submit(people[4], "关于调整城市公交线路的建议", "建议增开公交线路至学校南门。", "other"),
        by=ufd,
        reason="不属于学校职权范围，已建议通过政协渠道反映。",
    )
    target = (
        targets_for_org(org)
        .filter(item__number__in=[4, 6, 7])
        .filter(Q(text__contains="建言") | Q(text__contains="建议") | Q(text__contains="提案"))
        .first()
    )
    if target is not None:
        proposal_services.link_target(waiting, by=ufd, target=target, basis="received")

    proposal_services.save_template(
        org,
        by=ufd,
        data={
            "title": "已纳入工作计划",
            "outcome": Outcome.ADOPTED,
            "text": "感谢您的宝贵建议。经研究，已将该建议纳入本部门年度工作计划，预计于　年　月前完成。",
        },
    )
    proposal_services.save_template(
        org,
        by=ufd,
        data={
            "title": "留作参考",
            "outcome": Outcome.REFERENCE,
            "text": "感谢您的宝贵建议。受条件所限，目前暂不具备实施条件，已留作参考，今后统筹考虑。",
        },
    )
    filing = proposal_services.create_outside_filing(
        org,
        by=member,
        person=me,
        data={
            "kind": FilingKind.PROPOSAL,
            "body": "市政协",
            "level": FilingLevel.CITY,
            "date": timezone.localdate() - timedelta(days=40),
            "title": "关于推进职业教育产教融合的提案",
            "case_number": "第0123号",
            "status": FilingStatus.ANSWERED,
        },
    )
    proposal_services.verify_outside_filing(filing, by=ufd, verified=True)
    proposal_services.create_outside_filing(
        org,
        by=member,
        person=me,
        data={
            "kind": FilingKind.OPINION,
            "body": "民盟市委",
            "level": FilingLevel.CITY,
            "date": timezone.localdate() - timedelta(days=10),
            "title": "关于加强青年教师队伍建设的社情民意信息",
            "status": FilingStatus.ENDORSED,
            "note": "获市领导批示。",
        },
    )
