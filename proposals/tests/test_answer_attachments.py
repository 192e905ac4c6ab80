"""The lead department's answer can carry attachments, checked by content like evidence
(`core.files`); staff see them at once, the member only once the answer is released."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import services
from proposals.models import Attachment, Outcome, Status
from proposals.tests.factories import PDF, make_proposal

pytestmark = pytest.mark.django_db


def _answer(client, proposal, *files):
    return client.post(
        reverse("proposals:act", args=[proposal.pk, "answer"]),
        {"answer-outcome": Outcome.ADOPTED, "answer-text": "已纳入明年预算。", "answer-files": list(files)},
    )


def test_answer_with_attachment_is_seen_by_staff_then_by_the_member_after_release(
    client, org, member, submitter, liaison, ufd_staff, student_department
):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    client.force_login(liaison)

    response = _answer(client, proposal, SimpleUploadedFile("办理情况说明.pdf", PDF))

    assert response.status_code == 302
    (attachment,) = Attachment.objects.filter(proposal=proposal)
    assert (attachment.answer.text, attachment.original_name, attachment.kind) == (
        "已纳入明年预算。",
        "办理情况说明.pdf",
        "PDF",
    )
    download = reverse("proposals:attachment", args=[attachment.pk])

    client.force_login(ufd_staff)
    staff_page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert download in staff_page and "办理情况说明.pdf" in staff_page
    assert client.get(download).status_code == 200

    client.force_login(member)
    member_page = client.get(reverse("proposals:my-detail", args=[proposal.pk])).content.decode()
    assert "办理情况说明.pdf" not in member_page
    assert client.get(download).status_code == 404

    services.release_answer(proposal, by=ufd_staff)

    member_page = client.get(reverse("proposals:my-detail", args=[proposal.pk])).content.decode()
    assert download in member_page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_answer_attachment_is_checked_by_content(client, org, submitter, liaison, student_department):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    client.force_login(liaison)

    response = _answer(client, proposal, SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a pdf"))

    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == Status.ASSIGNED
    assert not Attachment.objects.filter(proposal=proposal).exists()


def test_answer_files_are_not_listed_as_the_submitters_files(
    client, org, submitter, liaison, ufd_staff, student_department
):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    client.force_login(liaison)
    _answer(client, proposal, SimpleUploadedFile("答复附件.pdf", PDF))
    client.force_login(ufd_staff)

    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()

    answers = page.split("<h2>答复</h2>", 1)[1]
    before_answers = page.split("<h2>答复</h2>", 1)[0]
    assert "答复附件.pdf" in answers
    assert "答复附件.pdf" not in before_answers
