import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.tests.english import CJK, chinese_outside

pytestmark = pytest.mark.django_db

exec(open("/tmp/i18n-new/helper.py").read())


def test_explore(capsys):
    call_command("load_demo")
    from django.contrib.auth import get_user_model
    from fiveones.models import Entry
    from study.models import StudyMaterial
    from publicity.models import Story
    from assessment.models import Scheme, DepartmentAssessment, ResponsibilityLetter
    from budget.models import BudgetLine
    from plans.models import Plan
    from orgs.models import Organisation
    User = get_user_model()
    data = demo_user_data()
    org = Organisation.objects.get(slug="demo")
    mat = StudyMaterial.objects.filter(organisation=org).first()
    story = Story.objects.filter(organisation=org, status="published").first()
    scheme = Scheme.objects.filter(organisation=org).first()
    da = DepartmentAssessment.objects.filter(scheme=scheme).first()
    plan = Plan.objects.filter(organisation=org).first()
    line = BudgetLine.objects.filter(organisation=org).first()
    pages = {
        "member": ["fiveones:card", ("fiveones:report", ["book"]), "study:m-list", ("study:m-detail", [mat.pk]), "study:m-points", "assessment:mine"],
        "ufd": ["fiveones:overview", "fiveones:ledger", "fiveones:queue", "study:list", "study:create", ("study:detail", [mat.pk]), ("study:edit", [mat.pk]), "study:members",
                "publicity:list", "publicity:create", ("publicity:detail", [story.pk]), ("publicity:edit", [story.pk]),
                "assessment:scheme-list", ("assessment:scheme-detail", [scheme.pk]), ("assessment:scheme-edit", [scheme.pk]), ("assessment:department", [da.pk]), ("assessment:letters", [plan.pk]),
                "budget:index", "budget:line-create", ("budget:line-detail", [line.pk]), ("budget:expense-create", [line.pk]), "reports:summary"],
        "liaison": ["assessment:mine"],
        "anon": [("publicity:public-list", ["demo"]), ("publicity:public-detail", ["demo", story.pk])],
    }
    out = []
    for who, urls in pages.items():
        c = Client()
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if who != "anon":
            c.force_login(User.objects.get(username=who))
        for u in urls:
            name, args = (u, []) if isinstance(u, str) else u
            r = c.get(reverse(name, args=args))
            left = chinese_outside(r, user_data=data) if r.status_code == 200 else []
            out.append(f"{who} {name} {r.status_code} {left}")
    open("/tmp/i18n-new/scratch/out.txt", "w").write("\n".join(out))
