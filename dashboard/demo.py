"""Demo data for `make run`: a college, its departments, one user per role and ~30 members.

Loaded once: a second run finds the organisation and changes nothing."""

import random
from datetime import date
from pathlib import Path

from django.db import transaction

from accounts.models import User
from orgs import services as org_services
from orgs.models import Department, Organisation, Role
from people import services as people_services
from people.models import Category, Person

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
TITLES = ["教授", "副教授", "讲师", "高级工程师", "实验师", "副处长", "教研室主任"]


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
    for username, name, role, liaison_of in ACCOUNTS:
        user = User(username=username, name=name)
        user.set_password(PASSWORD)
        user.save()
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
            "job_title": TITLES[i % len(TITLES)],
            "phone": f"139{rng.randrange(10**8):08d}",
            "email": f"demo{i + 1}@example.edu.cn",
            "categories": [c.value for c in category_sets[i % len(category_sets)]],
        }
        person = people_services.create_person(org, by=None, data=data)
        if i == 0:
            person.user = users["member"]
            person.save(update_fields=["user"])
    load_demo_plan(org, users)
    return org, True


SEED_PLAN = Path(__file__).parent / "demo_data" / "seed_plan_2023.txt"


def load_demo_plan(org: Organisation, users: dict) -> None:
    """The seed plan (职业技术学院2023年统战工作要点), published, with progress on a few items."""
    from plans import services as plan_services
    from plans.imports import import_without_review

    plan = import_without_review(
        org, data=SEED_PLAN.read_bytes(), filename=SEED_PLAN.name, by=users["ufd"], publish=True
    )
    items = {item.number: item for item in plan.items.all()}
    liaison = users["liaison"]  # 学生工作处 leads item 13
    plan_services.post_report(
        items[13], by=liaison, text="已召开少数民族学生座谈会，收集意见建议12条，正在逐条落实。"
    )
    plan_services.post_report(
        items[13], by=liaison, text="少数民族学生活动已举办，全年任务完成。", closing=True
    )
    plan_services.accept_closing(items[13], by=users["ufd"], note="材料齐全，同意销号。")
    plan_services.urge(items[10], by=users["ufd"], note="请人事劳资处报送留学回国人员明细清单更新情况。")

