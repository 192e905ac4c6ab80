import pytest
from django.urls import reverse

from conftest import shot, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "Tongxin@2026")
    submit(page, "button[type=submit]")


def test_shots(live_server, page, phone, settings, tmp_path):
    from assessment.models import DepartmentAssessment, ResponsibilityLetter, Scheme
    from budget.models import BudgetLine
    from dashboard.demo import load_demo
    from events.models import Event

    settings.MEDIA_ROOT = tmp_path
    load_demo()
    base = live_server.url
    scheme = Scheme.objects.get()
    ev = Event.objects.get(type="symposium")
    line = BudgetLine.objects.get(category="activities")
    a = DepartmentAssessment.objects.get(department__name="党委宣传部")
    plan_id = ResponsibilityLetter.objects.first().plan_id
    for p, suffix in ((page, "1280"), (phone, "375")):
        login(p, base, "ufd")
        for name, url in [
            ("home-staff", "/"),
            ("budget", reverse("budget:index") + f"?year={scheme.year}"),
            ("budget-line", reverse("budget:line-detail", args=[line.pk])),
            ("event-cost", reverse("events:detail", args=[ev.pk])),
            ("scheme-list", reverse("assessment:scheme-list")),
            ("dept-score", reverse("assessment:department", args=[a.pk])),
            ("letters", reverse("assessment:letters", args=[plan_id])),
            ("summary", reverse("reports:summary") + f"?year={scheme.year}"),
        ]:
            p.goto(base + url)
            shot(p, f"tmp-{name}-{suffix}")
        login(p, base, "leader")
        p.goto(base + "/")
        shot(p, f"tmp-home-leader-{suffix}")
        p.goto(base + reverse("assessment:department", args=[a.pk]))
        shot(p, f"tmp-leader-dept-{suffix}")
        login(p, base, "liaison")
        p.goto(base + reverse("assessment:mine"))
        shot(p, f"tmp-liaison-mine-{suffix}")
