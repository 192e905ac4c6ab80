from pathlib import Path

import pytest

from orgs.models import Role
from orgs.tests.factories import DepartmentFactory
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory

SEED = Path(__file__).resolve().parents[2] / "dashboard" / "demo_data" / "seed_plan_2023.txt"


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_departments(org, ufd_department, student_department):
    """The departments the seed plan names, with the demo's aliases."""
    from orgs.models import DepartmentAlias

    DepartmentAlias.objects.create(department=ufd_department, name="统战部")
    made = {"党委统战部": ufd_department, "学生工作处": student_department}
    for name in ["党委宣传部", "党委组织部", "人事劳资处", "教务处", "团委", "各二级学院部"]:
        made[name] = DepartmentFactory(organisation=org, name=name)
    return made


@pytest.fixture
def plan(org):
    return PlanFactory(organisation=org)


@pytest.fixture
def item(plan, ufd_department, student_department):
    """An item led by 学生工作处 (the `liaison` persona's department) and supported by 统战部."""
    section = SectionFactory(plan=plan)
    item = ItemFactory(section=section, plan=plan, lead_department=student_department)
    item.support_departments.add(ufd_department)
    return item


@pytest.fixture
def ufd_liaison(org, ufd_department):
    from conftest import make_user

    return make_user(org, Role.LIAISON, "ufd-liaison", [ufd_department])


@pytest.fixture
def hr_liaison(org, seed_departments):
    from conftest import make_user

    return make_user(org, Role.LIAISON, "hr-liaison", [seed_departments["人事劳资处"]])
