"""The year-end summary: the draft written from the ledger, edited on the page, exported to Word
(checked with python-docx), the command, the charts, and the charts on the home pages."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from assessment import services as assessment_services
from assessment.models import DepartmentAssessment, Indicator
from assessment.tests.conftest import YEAR, ledger  # noqa: F401 - the hand-built ledger fixture
from budget.models import BudgetLine
from core.models import AuditEvent
from reports import charts, services
from reports.models import SummaryDraft

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> tuple[str, int]:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts), len(document.inline_shapes)


@pytest.fixture
def results(org, ufd_staff, student_department):
    scheme = assessment_services.create_scheme(org, by=ufd_staff, year=YEAR, copy_last_year=False)
    scheme.indicators.all().delete()
    indicator = Indicator.objects.create(scheme=scheme, name="实绩", metric="manual", weight=Decimal("100"))
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    assessment_services.save_scores(assessment, by=ufd_staff, scores={indicator.pk: ("91.5", "")})
    assessment_services.publish_results(scheme, by=ufd_staff)
    line = BudgetLine.objects.create(
        organisation=org, year=YEAR, category="activities", name="活动", amount=Decimal("800")
    )
    line.expenses.create(date=f"{YEAR}-04-10", amount=Decimal("200.40"), payee="x", description="y", receipt="r.png")
    return scheme


def test_generated_draft_says_what_was_done(ledger, org, ufd_staff):  # noqa: F811
    draft = services.generate_draft(org, by=ufd_staff, year=YEAR)
    text = draft.text
    assert text.splitlines()[0] == f"示例职业技术学院{YEAR}年统战工作总结"
    # 4 items; A and B accepted; none overdue (C and E are due on 12-31 of this year)
    assert "全年工作要点共4项任务，已完成2项" in text
    # three held events of 学生工作处 (10, 11, 12 attending) and the one held by 党委统战部 (0 recorded)
    assert "举办各类统战活动4场，参加33人次" in text
    assert "收到建言献策4件" in text and "答复2件" in text and "采纳2件" in text
    assert "一、加强党外代表人士队伍建设" in text
    assert f"任务A（牵头：学生工作处）：已完成（{YEAR}年3月20日销号）。目标“召开2次座谈会”完成2/2（已完成）。" in text
    assert "目标“开展3次调研”完成1/3（未完成）" in text


def test_edit_on_the_page_then_export_the_word_draft(client, ledger, results, org, ufd_staff):  # noqa: F811
    client.force_login(ufd_staff)
    url = f"{reverse('reports:summary')}?year={YEAR}"
    client.post(reverse("reports:summary-generate"), {"year": YEAR})
    draft = SummaryDraft.objects.get()
    page = client.get(url).content.decode()
    assert "举办活动0" in page  # a highlight to choose
    edited = draft.text.replace("下一步，", "下一步，统战部将重点做好换届工作。")
    response = client.post(
        url,
        {
            "year": YEAR,
            "text": edited,
            "highlights": ["举办活动0（" + f"{YEAR}年4月10日，出席10人）"],
            "version": draft.version,
        },
    )
    assert response.status_code == 302
    response = client.get(f"{reverse('reports:summary-docx')}?year={YEAR}")
    text, pictures = docx_text(b"".join(response.streaming_content))
    assert "统战部将重点做好换届工作。" in text
    assert f"1. 举办活动0（{YEAR}年4月10日，出席10人）" in text
    assert "排名 | 部门 | 总分 | 等次" in text and "1 | 学生工作处 | 91.50 | 优秀" in text
    assert "全年统战工作经费预算800.00元，已支出200.40元，执行率25.1%。" in text
    assert pictures == 3  # plan progress by section, events by month, proposal funnel
    assert AuditEvent.objects.filter(action="export", object_type="reports.summarydraft", user=ufd_staff).exists()


def test_stale_edit_is_refused_and_kept(client, ledger, org, ufd_staff):  # noqa: F811
    draft = services.generate_draft(org, by=ufd_staff, year=YEAR)
    opened_at = draft.version  # I open the page; someone else saves before I do
    services.save_draft(draft, by=ufd_staff, text="别人的修改", highlights=[], version=opened_at)
    client.force_login(ufd_staff)
    response = client.post(
        f"{reverse('reports:summary')}?year={YEAR}", {"year": YEAR, "text": "我的修改", "version": opened_at}
    )
    assert response.status_code == 409
    assert "我的修改" in response.content.decode()
    assert SummaryDraft.objects.get().text == "别人的修改"


def test_leader_reads_but_cannot_edit(client, ledger, org, ufd_staff, leader):  # noqa: F811
    services.generate_draft(org, by=ufd_staff, year=YEAR)
    client.force_login(leader)
    page = client.get(f"{reverse('reports:summary')}?year={YEAR}").content.decode()
    assert "保存草稿" not in page and "任务A" in page
    assert client.post(reverse("reports:summary"), {"text": "x"}).status_code == 403


def test_year_summary_command(ledger, org, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "summary.docx"
    call_command("year_summary", "--org", org.slug, "--year", str(YEAR), "-o", str(out))
    text, pictures = docx_text(out.read_bytes())
    assert f"示例职业技术学院{YEAR}年统战工作总结" in text
    assert "活动0（" in text and "出席10人" in text
    assert "本年度考核结果尚未发布。" in text
    assert pictures == 3
    assert "统战工作总结草稿" in capsys.readouterr().out


def test_charts_draw_svg_and_png():
    chart = charts.Chart(
        title="图<1>", kind="hbar", labels=["一、<加强>", "二"], values=[50, 100], unit="%", maximum=100
    )
    svg = chart.svg()
    assert svg.startswith("<svg") and "&lt;加强&gt;" in svg and "<加强>" not in svg
    assert 'width="150.0"' in svg and 'width="300.0"' in svg  # 50 % and 100 % of the 300-pixel bar
    png = chart.png()
    assert png.startswith(b"\x89PNG")
    months = charts.events_chart([(m, m % 3, m % 2) for m in range(1, 13)])
    # planned in the 8 months not divisible by 3, held in the 6 odd months, two legend keys
    assert months.svg().count("<rect") == 8 + 6 + 2


def test_png_without_a_cjk_font_still_draws(monkeypatch):
    monkeypatch.setattr(charts, "cjk_font_path", lambda: None)
    assert charts.funnel_chart([("收到", 4), ("采纳", 2)]).png().startswith(b"\x89PNG")


def test_a_cjk_font_is_found_here():
    assert charts.cjk_font_path() is not None


@pytest.mark.parametrize("role", ["ufd_staff", "leader"])
def test_home_pages_show_the_year_charts(client, ledger, request, role):  # noqa: F811
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="year-charts"' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert "工作要点各部分平均进度" in page and "各月活动场次" in page and "建言献策办理情况" in page


@pytest.mark.parametrize("events", [1, 30])
def test_home_charts_queries_are_bounded(org, events, django_assert_max_num_queries):
    from events.tests.factories import EventFactory
    from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory

    plan = PlanFactory(organisation=org, year=YEAR)
    for i in range(events):
        ItemFactory(plan=plan, section=SectionFactory(plan=plan), progress=50)
        EventFactory(organisation=org, starts_at=timezone.make_aware(datetime(YEAR, 1 + i % 12, 3, 10)))
    # 4 + the suggestions' and the events' versions (the funnel and the months are cached under them)
    with django_assert_max_num_queries(6):
        context = charts.home_charts(org, YEAR)
    progress, months, funnel = context["charts"]
    assert len(progress.labels) == events and set(progress.values) == {50}
    assert sum(months.values) == events
    assert funnel.values == [0, 0, 0, 0]
