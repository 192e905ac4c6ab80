"""Demo data of the assessment module (called from dashboard/demo.py): the year's scheme, the
responsibility letters issued (two signed), self-assessments of three departments, submitted and
scored, one bonus line. 学生工作处 (the demo liaison's department) is left to self-assess."""

from decimal import Decimal

from django.core.files.base import ContentFile

from core import files
from core.files import minimal_pdf

PDF = minimal_pdf()

STATEMENTS = {
    "党委宣传部": "全年在校园网、公众号刊发统战工作稿件，牵头完成党外代表人士先进事迹宣传。",
    "党委组织部": "配合做好党外干部培养选拔，按时报送进展，组织党外干部参加培训。",
    "人事劳资处": "更新留学回国人员明细清单，按时报送进展，配合开展党外知识分子联谊活动。",
}


def load_demo_assessment(org, users) -> None:
    from assessment import services
    from assessment.models import DepartmentAssessment, ResponsibilityLetter
    from plans.models import Plan

    plan = Plan.objects.for_org(org).filter(status=Plan.Status.PUBLISHED).order_by("-year").first()
    if plan is None:
        return
    ufd = users["ufd"]
    scheme = services.create_scheme(org, by=ufd, year=plan.year, copy_last_year=False)
    scheme.excellent_cap = 30
    scheme.save(update_fields=["excellent_cap"])
    services.generate_letters(plan, by=ufd)
    letters = list(ResponsibilityLetter.objects.filter(plan=plan).select_related("department"))
    services.issue_letters(letters, by=ufd)
    for letter in [x for x in letters if x.department.name in STATEMENTS][:2]:
        letter.refresh_from_db()
        services.sign_letter(letter, by=ufd, upload=ContentFile(PDF, name="签订扫描件.pdf"), kind=files.PDF)
    services.open_assessments(scheme, by=ufd)
    indicators = list(scheme.indicators.all())
    for assessment in DepartmentAssessment.objects.filter(scheme=scheme, department__name__in=STATEMENTS):
        text = STATEMENTS[assessment.department.name]
        services.save_self_assessment(
            assessment, by=ufd, summary=text, statements={i.pk: (text, None) for i in indicators}
        )
        services.submit_self_assessment(assessment, by=ufd)
        computed = services.computed_values(assessment)
        manual = {"党委宣传部": "18", "党委组织部": "15", "人事劳资处": "16.5"}[assessment.department.name]
        scores = {
            i.pk: (computed[i.pk]["points"] if i.is_computed else manual, "" if i.is_computed else "按工作实绩评定")
            for i in indicators
        }
        services.save_scores(assessment, by=ufd, scores=scores, comment="工作扎实，材料齐全。")
        if assessment.department.name == "党委宣传部":
            services.add_adjustment(
                assessment, by=ufd, kind="bonus", points=Decimal("2"), reason="统战宣传稿件获省级平台转载"
            )
