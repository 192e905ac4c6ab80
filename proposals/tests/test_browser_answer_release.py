"""An answer under UFD review, as people see it: the liaison answers with a file at a desk, the member
on a phone sees nothing of it until staff release it, then sees the outcome, the text and the file."""

import pytest

from conftest import log_in, shot, submit
from proposals.models import Status
from proposals.tests.factories import PDF, make_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answer_reaches_the_member_only_when_released(
    live_server, page, phone, ufd_staff, liaison, member, student_department, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    proposal = make_proposal(
        student_department.organisation,
        member.person,
        Status.ASSIGNED,
        lead=student_department,
        title="关于增设晚间自习教室的建议",
    )
    assert proposal.review_required
    document = tmp_path / "办理情况说明.pdf"
    document.write_bytes(PDF)
    base = live_server.url

    log_in(page, base, "liaison")
    page.goto(f"{base}/proposals/assigned/{proposal.pk}/")
    page.check("input[name=answer-outcome][value=not_adopted]")
    page.fill("textarea[name=answer-text]", "经研究，暂不具备开放条件。")
    page.set_input_files("input[name=answer-files]", str(document))
    submit(page, "text=提交答复")
    assert "办理情况说明.pdf" in page.locator("main").inner_text()

    log_in(phone, base, "member")
    phone.goto(f"{base}/proposals/mine/{proposal.pk}/")
    body = phone.locator("main").inner_text()
    for leak in ("不予采纳", "待统战部审核", "答复待审核", "暂不具备开放条件", "办理情况说明"):
        assert leak not in body, leak
    assert "办理中" in body
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "answer-under-review-member-375")

    page.context.clear_cookies()
    log_in(page, base, "ufd")
    page.goto(f"{base}/proposals/{proposal.pk}/")
    assert "不予采纳" in page.locator("main").inner_text()
    submit(page, "form[action$='/do/release/'] button")

    phone.reload()
    body = phone.locator("main").inner_text()
    assert "不予采纳" in body and "经研究，暂不具备开放条件。" in body
    with phone.expect_download() as download:
        phone.click("text=办理情况说明.pdf")
    assert download.value.suggested_filename == "办理情况说明.pdf"
    shot(phone, "answer-released-member-375")
