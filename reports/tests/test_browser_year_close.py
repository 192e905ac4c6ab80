"""Browser flow of the year's close on the demo data: UFD staff issue the responsibility letters;
学生工作处 self-assesses (on a phone) with its progress reports attached automatically; UFD staff
score it and publish; the department appeals and UFD answers; the summary .docx is generated and
its text checked with python-docx."""

import io

import pytest
from django.urls import reverse
from docx import Document

from conftest import shot, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "Tongxin@2026"


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    submit(page, "button[type=submit]")


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_letters_self_assessment_scoring_appeal_and_summary(live_server, page, phone, settings, tmp_path):
    from assessment import services
    from assessment.models import DepartmentAssessment, ResponsibilityLetter, Scheme
    from dashboard.demo import load_demo
    from events.models import Event

    settings.MEDIA_ROOT = tmp_path
    load_demo()
    base = live_server.url
    scheme = Scheme.objects.get(organisation__slug="demo")
    year = scheme.year
    ResponsibilityLetter.objects.all().delete()  # the demo issued them already; issue them again by hand

    # UFD staff generate and issue the letters.
    log_in(page, base, "ufd")
    page.click(".sidenav >> text=年度考核")
    page.click(f"text={year}年统战工作要点")
    submit(page, "button:has-text('生成各部门责任书')")
    assert "份目标责任书草稿" in page.locator(".messages").inner_text()
    submit(page, "button:has-text('下达全部草稿')")
    assert "已下达" in page.locator(".messages").inner_text()
    assert page.locator("#main table").inner_text().count("已下达") == ResponsibilityLetter.objects.count()
    shot(page, "year-letters")

    # 学生工作处 self-assesses on a phone: its progress reports are already attached.
    log_in(phone, base, "liaison")
    phone.click(".sidenav >> text=年度考核")
    phone.click("#main a:has-text('学生工作处')")
    evidence = phone.locator("#evidence").inner_text()
    assert "已召开少数民族学生座谈会" in evidence  # the demo's progress report on item 13
    assert "少数民族学生活动已举办" in evidence  # and its closing report
    for box in phone.locator("textarea[name^=text_]").all():
        box.fill("按时牵头完成少数民族学生工作，进展和办结报告齐全。")
    no_horizontal_scroll(phone)
    submit(phone, "button:has-text('保存自评')")
    submit(phone, "button:has-text('提交统战部')")
    assert "自评已提交统战部。" in phone.locator(".messages").inner_text()
    shot(phone, "year-self-assessment-375")

    # Arrange: the other departments are scored (not part of this walk).
    assessment = DepartmentAssessment.objects.get(scheme=scheme, department__name="学生工作处")
    indicators = list(scheme.indicators.all())
    for other in DepartmentAssessment.objects.filter(scheme=scheme).exclude(status="scored").exclude(pk=assessment.pk):
        services.save_scores(other, by=None, scores={i.pk: ("60", "") for i in indicators})

    # UFD staff score 学生工作处: computed indicators are pre-filled, the hand-scored one is typed.
    page.goto(f"{base}{reverse('assessment:department', args=[assessment.pk])}")
    manual = scheme.indicators.get(metric="manual")
    on_time = scheme.indicators.get(metric="items_on_time")
    # 学生工作处 leads item 13 (accepted in the demo): the number is pre-filled and explained by that item.
    row = page.locator("tr", has=page.locator(f"input[name=points_{on_time.pk}]"))
    row.locator("summary").click()
    explanation = row.locator("details").inner_text()
    assert "任务13" in explanation and "销号" in explanation
    points = page.input_value(f"input[name=points_{on_time.pk}]")
    assert f"得 {points} 分" in explanation
    page.fill(f"input[name=points_{manual.pk}]", "85")
    page.fill("textarea[name=comment]", "工作扎实。")
    submit(page, "button:has-text('保存评分')")
    assert "评分已保存。" in page.locator(".messages").inner_text()
    page.click("text=" + scheme.title)
    submit(page, "button:has-text('发布考核结果')")
    assert "考核结果已发布" in page.locator(".messages").inner_text()
    shot(page, "year-scheme-published")

    # The department sees its result and appeals once.
    phone.goto(f"{base}{reverse('assessment:self', args=[assessment.pk])}")
    assessment.refresh_from_db()
    assert f"{assessment.total}" in phone.locator("#result").inner_text()
    phone.fill("textarea[name=reason]", "本部门组织的活动未全部计入，请复核。")
    submit(phone, "button:has-text('提出申诉')")
    assert "申诉已提交" in phone.locator(".messages").inner_text()
    assert phone.locator("button:has-text('提出申诉')").count() == 0  # once only
    no_horizontal_scroll(phone)

    # UFD staff answer the appeal; the department reads the answer.
    page.goto(f"{base}{reverse('assessment:department', args=[assessment.pk])}")
    page.select_option("select[name=decision]", "upheld")
    page.fill("textarea[name=response]", "经复核，活动均已计入，维持原结果。")
    submit(page, "button:has-text('答复申诉')")
    assert "申诉已答复。" in page.locator(".messages").inner_text()
    phone.reload()
    assert "维持原结果：经复核，活动均已计入，维持原结果。" in phone.locator("#appeal").inner_text().replace("\n", "")
    shot(phone, "year-appeal-answered-375")

    # The year-end summary: generated, edited on the page, exported and read back.
    page.click(".sidenav >> text=年度工作总结")
    page.goto(f"{base}{reverse('reports:summary')}?year={year}")
    submit(page, "button:has-text('一键生成总结草稿')")
    text = page.input_value("textarea[name=text]")
    page.fill("textarea[name=text]", text + "\n特别感谢各部门的支持。")
    symposium = Event.objects.get(organisation__slug="demo", type="symposium")
    highlight = page.locator(".highlights label", has_text=symposium.title).first
    highlight.locator("input").check()
    submit(page, "button:has-text('保存草稿')")
    assert "总结草稿已保存。" in page.locator(".messages").inner_text()
    shot(page, "year-summary")
    with page.expect_download() as download:
        page.click("text=导出 Word 草稿")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    words = "\n".join(p.text for p in document.paragraphs)
    rows = "\n".join(" | ".join(c.text for c in r.cells) for t in document.tables for r in t.rows)
    assert words.startswith(f"示例职业技术学院{year}年统战工作总结")
    assert "特别感谢各部门的支持。" in words
    start = symposium.starts_at
    if start.year == year:
        # the demo symposium of 5 月 8 日 with 13 attending (dashboard/demo.py)
        assert f"{symposium.title}（{start.year}年{start.month}月{start.day}日，党委统战部组织，出席13人）" in words
    assert "学生工作处" in rows and "排名 | 部门 | 总分 | 等次" in rows
    assert "统战工作经费预算63000.00元，已支出" in words  # the demo budget: 12000 + 20000 + 10000 + 6000 + 15000
    assert len(document.inline_shapes) == 3
    # the five ones and study push of the year (fiveones.queries, study.queries), in the text and as tables
    assert "“五个一”活动和学习推送情况" in words and "完成“五个一”全部五项" in words
    assert "项目 | 完成人数 | 完成率" in rows and "读一本好书 | " in rows

    # UFD staff correct an expense; the edit carries the version it started from.
    from budget.models import Expense

    expense = Expense.objects.filter(line__organisation__slug="demo").order_by("id").first()
    page.goto(f"{base}{reverse('budget:line-detail', args=[expense.line_id])}")
    page.click(f"#expenses a[href='{reverse('budget:expense-edit', args=[expense.pk])}']")
    assert page.input_value("input[name=version]") == "1"
    page.fill("input[name=amount]", "88.80")
    submit(page, "button:has-text('保存')")
    assert "支出已保存。" in page.locator(".messages").inner_text()
    assert "88.80" in page.locator("#expenses").inner_text()
    shot(page, "budget-expense-edited")
