"""The whole handling loop as people do it: the member on a phone, staff and the liaison at desks."""

import pytest

from conftest import log_in, shot, submit
from proposals.models import Proposal, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于延长图书馆周末开放时间的建议"


def no_sideways_scroll(phone):
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def member_sees(phone, *texts):
    phone.reload()
    body = phone.locator("main").inner_text()
    for text in texts:
        assert text in body, text
    no_sideways_scroll(phone)


def test_member_submits_staff_assign_liaison_answers_twice(
    live_server, page, phone, ufd_staff, liaison, member, student_department
):
    base = live_server.url
    # The member writes the suggestion on a phone.
    log_in(phone, base, "member")
    phone.click(".tabbar >> text=建言")
    phone.click("text=提建言")
    no_sideways_scroll(phone)
    phone.select_option("select[name=category]", label="后勤保障")
    phone.fill("input[name=title]", TITLE)
    phone.fill("textarea[name=content]", "期末复习期间，建议周六、周日图书馆开放到晚上十点。")
    shot(phone, "proposal-new-375")
    submit(phone, "button[value=submit]")
    assert phone.locator(".m-card h2").first.inner_text() == TITLE
    member_sees(phone, "待审核", "提交")
    proposal = Proposal.objects.get(title=TITLE)

    # UFD staff accept it (立案) and assign it (交办) to 学生工作处, without answer review.
    log_in(page, base, "ufd")
    page.click(".sidenav >> text=建言献策")
    page.click(f"text={TITLE}")
    submit(page, "form[action$='/do/accept/'] button")
    proposal.refresh_from_db()
    assert page.locator("h1 small").inner_text().startswith(proposal.case_number)
    page.select_option("select[name=assign-lead]", label="学生工作处")
    page.uncheck("input[name=assign-review_required]")
    submit(page, "form[action$='/do/assign/'] button")
    assert "办理中" in page.locator(".page-head").inner_text()
    shot(page, "proposal-staff-assigned")
    member_sees(phone, "办理中", "立案", proposal.case_number, "交办", "学生工作处")

    # The liaison answers.
    page.context.clear_cookies()
    log_in(page, base, "liaison")
    page.click(".sidenav >> text=交办件")
    page.click(f"text={TITLE}")
    page.check("input[name=answer-outcome][value=reference]")
    page.fill("textarea[name=answer-text]", "经研究，留作参考，下学期视情况调整。")
    submit(page, "form[action$='/do/answer/'] button")
    assert "已答复" in page.locator(".page-head").inner_text()

    # The member is not satisfied: it goes back once.
    member_sees(phone, "已答复", "留作参考", "下学期视情况调整")
    phone.check("input[name=rate-rating][value=unsatisfied]")
    phone.fill("textarea[name=rate-comment]", "没有给出明确时间。")
    shot(phone, "proposal-rate-375")
    submit(phone, "form[action$='/do/rate/'] button")
    member_sees(phone, "重新办理", "评价：不满意")

    # The liaison answers again; the second answer is final and closes it.
    page.reload()
    assert "重新办理" in page.locator("main").inner_text()
    page.check("input[name=answer-outcome][value=partly]")
    page.fill("textarea[name=answer-text]", "自下月起，周六开放到晚上十点。")
    submit(page, "form[action$='/do/answer/'] button")
    assert "已办结" in page.locator(".page-head").inner_text()

    member_sees(phone, "已办结", "重新办理后的最终答复", "自下月起，周六开放到晚上十点。")
    steps = phone.locator(".timeline li strong").all_inner_texts()
    assert steps == ["提交", "立案", "交办", "答复", "评价答复", "再次答复"]
    shot(phone, "proposal-closed-375")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.round, proposal.outcome) == (Status.CLOSED, 2, "partly")
