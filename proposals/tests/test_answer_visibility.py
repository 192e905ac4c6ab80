"""Nothing of an answer reaches the member before UFD staff release it: not its outcome, not its
text, not the fact that it waits for review (status, timeline, notifications)."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from proposals import services
from proposals.models import Outcome, Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def _member_pages(client, member, proposal) -> str:
    client.force_login(member)
    detail = client.get(reverse("proposals:my-detail", args=[proposal.pk])).content.decode()
    mine = client.get(reverse("proposals:mine")).content.decode()
    return detail + mine


def test_answer_waiting_for_review_is_invisible_to_the_member(
    client, org, member, submitter, liaison, ufd_staff, student_department
):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    notices_before = Notification.objects.filter(user=member).count()

    services.answer_proposal(proposal, by=liaison, outcome=Outcome.NOT_ADOPTED, text="经研究，暂不具备条件。")

    proposal.refresh_from_db()
    assert proposal.status == Status.ANSWER_REVIEW
    pages = _member_pages(client, member, proposal)
    for leak in ("不予采纳", "待统战部审核", "答复待审核", "暂不具备条件", "办理结果"):
        assert leak not in pages
    assert "办理中" in pages
    assert Notification.objects.filter(user=member).count() == notices_before

    services.release_answer(proposal, by=ufd_staff)

    pages = _member_pages(client, member, proposal)
    assert "不予采纳" in pages
    assert "经研究，暂不具备条件。" in pages
    assert "已答复" in pages
    assert Notification.objects.filter(user=member).count() == notices_before + 1


def test_returned_answer_stays_invisible(client, org, member, submitter, liaison, ufd_staff, student_department):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    notices_before = Notification.objects.filter(user=member).count()
    services.answer_proposal(proposal, by=liaison, outcome=Outcome.ADOPTED, text="拟全部采纳。")

    services.return_answer(proposal, by=ufd_staff, reason="请补充落实时间")

    pages = _member_pages(client, member, proposal)
    for leak in ("采纳", "请补充落实时间", "退回答复", "答复待审核"):
        assert leak not in pages
    assert Notification.objects.filter(user=member).count() == notices_before


def test_staff_still_see_the_pending_answer(client, org, submitter, liaison, ufd_staff, student_department):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    services.answer_proposal(proposal, by=liaison, outcome=Outcome.NOT_ADOPTED, text="暂不具备条件。")
    client.force_login(ufd_staff)

    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()

    assert "答复待审核" in page
    assert "不予采纳" in page


def test_status_badge_on_any_member_page_hides_the_review(org, member, submitter, liaison, student_department):
    """The shared badge (proposals/_status.html) shows 办理中 whenever a member is looking, even where a
    page forgets `member=True` (the member's home page lists suggestions with it too)."""
    from django.template.loader import render_to_string

    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    services.answer_proposal(proposal, by=liaison, outcome=Outcome.NOT_ADOPTED, text="暂不具备条件。")
    proposal.refresh_from_db()

    as_member = render_to_string("proposals/_status.html", {"p": proposal, "current_role": "member"})
    as_staff = render_to_string("proposals/_status.html", {"p": proposal, "current_role": "ufd_staff"})

    assert "办理中" in as_member and "答复待审核" not in as_member
    assert "答复待审核" in as_staff
