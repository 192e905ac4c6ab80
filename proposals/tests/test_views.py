import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from core.models import AuditEvent
from proposals.models import (
    AnswerTemplate,
    CoSigner,
    Outcome,
    OutsideFiling,
    Proposal,
    Rating,
    Status,
)
from proposals.tests.factories import PDF, make_filing, make_proposal

FORM = {
    "kind": "suggestion",
    "category": "teaching",
    "title": "关于增设创新创业课程的建议",
    "content": "建议各二级学院开设创新创业选修课。",
}


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


def act(proposal, action):
    return url("act", proposal.pk, action)


# --- Member -------------------------------------------------------------------------------------


def test_member_submits_and_double_submit_makes_one(client, member, submitter):
    client.force_login(member)
    token = str(uuid.uuid4())
    data = FORM | {"client_token": token, "intent": "submit"}
    first = client.post(url("new"), data)
    second = client.post(url("new"), data)
    proposal = Proposal.objects.get(submitter=submitter)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == url("my-detail", proposal.pk)
    assert proposal.status == Status.SUBMITTED
    assert proposal.title == FORM["title"]


def test_member_saves_a_draft_with_a_file_and_cosigner(client, member, submitter, cosigner_user):
    client.force_login(member)
    upload = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    response = client.post(url("new"), FORM | {"intent": "draft", "cosigner_names": "李联名", "files": [upload]})
    proposal = Proposal.objects.get(submitter=submitter)
    assert response.status_code == 302
    assert proposal.status == Status.DRAFT
    assert [a.original_name for a in proposal.attachments.all()] == ["方案.pdf"]
    assert [c.person.name for c in proposal.cosigners.all()] == ["李联名"]
    download = client.get(url("attachment", proposal.attachments.get().pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_member_form_refuses_unknown_cosigners_and_fake_files(client, member, submitter):
    client.force_login(member)
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url("new"), FORM | {"intent": "submit", "cosigner_names": "查无此人", "files": [fake]})
    assert response.status_code == 200
    assert "名册中没有“查无此人”" in response.content.decode()
    assert "不是允许的类型" in response.content.decode()
    assert not Proposal.objects.exists()


def test_member_edits_draft_and_stale_edit_is_refused(client, member, submitter):
    draft = make_proposal(submitter.organisation, submitter, Status.DRAFT)
    client.force_login(member)
    stale = client.post(url("edit", draft.pk), FORM | {"version": draft.version - 1 + 5})
    assert stale.status_code == 409
    assert FORM["title"] in stale.content.decode()
    ok = client.post(url("edit", draft.pk), FORM | {"version": draft.version, "intent": "submit"})
    draft.refresh_from_db()
    assert ok.status_code == 302
    assert (draft.title, draft.status) == (FORM["title"], Status.SUBMITTED)
    assert client.get(url("edit", draft.pk)).status_code == 404  # no longer a draft


def test_member_sees_only_own_cosigned_or_published(client, org, member, submitter, other_member, cosigner_user):
    other = other_member.person
    hidden = make_proposal(org, other, Status.ANSWERED)
    published = make_proposal(org, other, Status.CLOSED, is_published=True)
    unpublished_flag_only = make_proposal(org, other, Status.SUBMITTED, is_published=True)
    cosigned = make_proposal(org, other, Status.SUBMITTED)
    CoSigner.objects.create(proposal=cosigned, person=submitter)
    cosigned_draft = make_proposal(org, other, Status.DRAFT)
    CoSigner.objects.create(proposal=cosigned_draft, person=submitter)
    client.force_login(member)
    assert client.get(url("my-detail", hidden.pk)).status_code == 404
    assert client.get(url("my-detail", unpublished_flag_only.pk)).status_code == 404
    assert client.get(url("my-detail", cosigned_draft.pk)).status_code == 404
    assert client.get(url("my-detail", published.pk)).status_code == 200
    page = client.get(url("my-detail", cosigned.pk))
    assert page.status_code == 200
    assert "确认联名" in page.content.decode()
    assert client.post(act(hidden, "rate"), {"rate-rating": Rating.SATISFIED}).status_code == 404
    assert [p.pk for p in client.get(url("mine")).context["page"]] == [cosigned.pk]
    assert [p.pk for p in client.get(url("published")).context["page"]] == [published.pk]


def test_member_does_not_see_internal_steps_or_unreleased_answers(
    client, org, member, submitter, ufd_staff, student_department
):
    proposal = make_proposal(org, submitter, Status.ANSWER_REVIEW, lead=student_department)
    from proposals import services

    services.add_note(proposal, by=ufd_staff, text="内部：此事需校领导协调")
    services.urge_proposal(make_proposal(org, submitter, Status.ASSIGNED, lead=student_department), by=ufd_staff)
    client.force_login(member)
    page = client.get(url("my-detail", proposal.pk)).content.decode()
    assert "拟采纳" not in page  # the pending answer's text
    assert "内部：此事需校领导协调" not in page


def test_member_rates_unsatisfied_needs_a_comment(client, org, member, submitter, student_department):
    proposal = make_proposal(org, submitter, Status.ANSWERED, lead=student_department)
    client.force_login(member)
    refused = client.post(act(proposal, "rate"), {"rate-rating": Rating.UNSATISFIED})
    assert refused.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == Status.ANSWERED
    client.post(act(proposal, "rate"), {"rate-rating": Rating.UNSATISFIED, "rate-comment": "未解决"})
    proposal.refresh_from_db()
    assert proposal.status == Status.REHANDLING


def test_cosigner_confirms_through_the_page(client, org, submitter, cosigner_user):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    row = CoSigner.objects.create(proposal=proposal, person=cosigner_user.person)
    client.force_login(cosigner_user)
    response = client.post(act(proposal, "cosign"), {"cosign-agree": "1"})
    row.refresh_from_db()
    assert response.status_code == 302
    assert row.confirmed_at is not None


# --- Staff ---------------------------------------------------------------------------------------


def test_staff_accepts_and_assigns(client, org, ufd_staff, submitter, student_department):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(ufd_staff)
    assert client.get(url("detail", proposal.pk)).status_code == 200
    client.post(act(proposal, "accept"), {"accept-note": ""})
    due = timezone.localdate() + timedelta(days=20)
    response = client.post(
        act(proposal, "assign"), {"assign-lead": student_department.pk, "assign-due_date": due.isoformat()}
    )
    proposal.refresh_from_db()
    assert response.status_code == 302
    assert (proposal.status, proposal.lead_department, proposal.due_date) == (Status.ASSIGNED, student_department, due)
    assert proposal.case_number.endswith("-001")
    assert proposal.review_required is False  # unchecked box


def test_staff_decline_needs_a_reason(client, org, ufd_staff, submitter):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(ufd_staff)
    response = client.post(act(proposal, "decline"), {"decline-reason": ""})
    proposal.refresh_from_db()
    assert response.status_code == 400
    assert proposal.status == Status.SUBMITTED


def test_act_wrong_method_unknown_action_and_wrong_state(client, org, ufd_staff, submitter):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(ufd_staff)
    assert client.get(act(proposal, "accept")).status_code == 405
    assert client.post(act(proposal, "explode")).status_code == 404
    response = client.post(act(proposal, "close"), follow=True)
    assert "不能执行此操作" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_staff_cannot_open_a_members_draft(client, org, ufd_staff, submitter):
    draft = make_proposal(org, submitter, Status.DRAFT)
    client.force_login(ufd_staff)
    assert client.get(url("detail", draft.pk)).status_code == 404


def test_leader_reads_but_cannot_act(client, org, leader, submitter):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(leader)
    page = client.get(url("detail", proposal.pk))
    assert page.status_code == 200
    assert page.context["forms"] == {}
    assert client.post(act(proposal, "accept")).status_code == 403


def test_other_org_staff_gets_404(client, org, other_personas, submitter):
    from orgs.models import Role

    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(other_personas[Role.UFD_STAFF])
    assert client.get(url("detail", proposal.pk)).status_code == 404
    assert client.post(act(proposal, "accept")).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_exports_are_audited(client, org, ufd_staff, submitter, student_department, cosigner_user):
    proposal = make_proposal(org, submitter, Status.CLOSED, lead=student_department, title="关于=HYPERLINK的建议")
    CoSigner.objects.create(proposal=proposal, person=cosigner_user.person, confirmed_at=timezone.now())
    client.force_login(ufd_staff)
    sheet = load_workbook(io.BytesIO(client.get(url("export-xlsx")).content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:4] == ["案号", "类型", "类别", "标题"]
    assert rows[1][3] == "关于=HYPERLINK的建议"
    document = Document(io.BytesIO(client.get(url("export-docx", proposal.pk)).content))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["案号"] == proposal.case_number
    assert cells["联名人"] == "李联名"
    assert cells["主办部门"] == "学生工作处"
    assert "办理结果：采纳" in cells[next(k for k in cells if k.startswith("重新办理答复"))]
    assert AuditEvent.objects.filter(action="export", user=ufd_staff).count() == 2


def test_staff_submits_on_behalf_once(client, org, ufd_staff, submitter):
    client.force_login(ufd_staff)
    data = FORM | {"submitter": submitter.pk, "source": "座谈会", "client_token": str(uuid.uuid4())}
    client.post(url("staff-new"), data)
    client.post(url("staff-new"), data)
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.submitted_by, proposal.source) == (Status.SUBMITTED, ufd_staff, "座谈会")


def test_answer_templates(client, org, ufd_staff, liaison, submitter, student_department):
    client.force_login(ufd_staff)
    client.post(url("template-new"), {"title": "纳入计划", "outcome": Outcome.ADOPTED, "text": "已纳入下年度计划。"})
    template = AnswerTemplate.objects.get()
    client.post(url("template-edit", template.pk), {"title": "纳入计划", "outcome": "", "text": "已纳入计划。"})
    template.refresh_from_db()
    assert template.text == "已纳入计划。"
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    client.force_login(liaison)
    partial = client.get(url("handle", proposal.pk), {"template": template.pk}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "已纳入计划。" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    client.force_login(ufd_staff)
    client.post(url("template-delete", template.pk))
    assert not AnswerTemplate.objects.exists()


# --- Liaisons ---------------------------------------------------------------------------------------


def test_liaison_answers_only_what_is_assigned(
    client, org, liaison, submitter, student_department, support_department, support_liaison
):
    mine = make_proposal(
        org, submitter, Status.ASSIGNED, lead=student_department, support=[support_department], review_required=False
    )
    elsewhere = make_proposal(org, submitter, Status.ASSIGNED, lead=support_department)
    client.force_login(liaison)
    assert client.get(url("handle", elsewhere.pk)).status_code == 404
    answer = {"answer-outcome": Outcome.ADOPTED, "answer-text": "已采纳。"}
    assert client.post(act(elsewhere, "answer"), answer).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.ASSIGNED
    assert [p.pk for p in client.get(url("assigned")).context["page"]] == [mine.pk]

    client.force_login(support_liaison)  # support department: may see, may add input, may not answer
    assert client.get(url("handle", mine.pk)).status_code == 200
    client.post(act(mine, "answer"), answer)
    mine.refresh_from_db()
    assert mine.status == Status.ASSIGNED
    client.post(act(mine, "note"), {"note-text": "协办意见：可调整排班"})
    assert mine.notes.get().is_input

    client.force_login(liaison)
    client.post(act(mine, "answer"), answer)
    mine.refresh_from_db()
    assert (mine.status, mine.outcome) == (Status.ANSWERED, Outcome.ADOPTED)


def test_liaison_objection_sends_it_back(client, org, liaison, submitter, student_department):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    client.force_login(liaison)
    response = client.post(act(proposal, "object"), {"object-reason": "应由后勤处主办"})
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    assert response.url == url("assigned")  # no longer theirs to see


# --- Outside filings -------------------------------------------------------------------------------


def test_member_records_and_staff_verifies_an_outside_filing(client, org, member, submitter, ufd_staff):
    client.force_login(member)
    proof = SimpleUploadedFile("回执.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url("outside-new"),
        {
            "kind": "opinion",
            "body": "民盟市委",
            "level": "city",
            "date": timezone.localdate().isoformat(),
            "title": "关于职业院校教师队伍建设的社情民意",
            "status": "endorsed",
            "files": [proof],
        },
    )
    filing = OutsideFiling.objects.get()
    assert response.status_code == 302
    assert (filing.person, filing.files.count(), filing.is_verified) == (submitter, 1, False)
    client.force_login(ufd_staff)
    client.post(url("outside-verify", filing.pk), {"verified": "1"})
    filing.refresh_from_db()
    assert filing.verified_by == ufd_staff
    sheet = load_workbook(io.BytesIO(client.get(url("outside-export")).content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:6] == ["姓名", "所在部门", "提案", "议案", "建议", "社情民意信息"]
    assert rows[1][0] == "张建言" and rows[1][5] == 1
    assert rows[-1][0] == "全院合计"
    assert AuditEvent.objects.filter(action="export", object_type="proposals.outsidefiling").count() == 1


def test_member_cannot_open_another_members_filing(client, org, member, other_member):
    filing = make_filing(other_member.person)
    client.force_login(member)
    assert client.get(url("outside-edit", filing.pk)).status_code == 404


# --- Bounded queries with 10 and 5,000 suggestions --------------------------------------------------


def bulk(org, submitter, n, lead):
    now = timezone.now()
    statuses = [Status.SUBMITTED, Status.ASSIGNED, Status.ANSWERED, Status.CLOSED]
    rows = []
    for i in range(n):
        status = statuses[i % 4]
        rows.append(
            Proposal(
                organisation=org,
                submitter=submitter,
                title=f"建言{i}",
                content="内容",
                status=status,
                category=["teaching", "safety", "other"][i % 3],
                submitted_at=now - timedelta(days=i % 30),
                accepted_at=now if status != Status.SUBMITTED else None,
                case_number=f"2000-{i:04d}" if status != Status.SUBMITTED else "",
                lead_department=lead if status != Status.SUBMITTED else None,
                due_date=timezone.localdate() + timedelta(days=(i % 10) - 5) if status != Status.SUBMITTED else None,
                outcome=Outcome.ADOPTED if status in (Status.ANSWERED, Status.CLOSED) else "",
                rating=Rating.SATISFIED if status == Status.CLOSED else "",
                answered_on_time=True if status in (Status.ANSWERED, Status.CLOSED) else None,
                is_excellent=i % 50 == 0,
                is_published=i % 7 == 0,
            )
        )
    Proposal.objects.bulk_create(rows, batch_size=1000)


# Measured: the same count with 10 and with 5,000 suggestions (session, user, membership and
# navigation account for about 8 of them).
PAGES = [
    ("ufd", "inbox", 12),
    ("ufd", "figures", 15),  # + the 优秀建言's cached ids, then their rows by id
    ("ufd", "supervision", 12),
    ("liaison", "assigned", 13),
    ("member", "mine", 12),
    ("member", "published", 10),
]


@pytest.mark.parametrize("n", [10, 5000])
@pytest.mark.parametrize(("username", "page", "bound"), PAGES)
def test_pages_are_bounded(
    client, django_assert_max_num_queries, org, personas, submitter, student_department, n, username, page, bound
):
    bulk(org, submitter, n, student_department)
    user = next(u for u in personas.values() if u.username == username)
    client.force_login(user)
    with django_assert_max_num_queries(bound):
        response = client.get(url(page))
    assert response.status_code == 200


def test_figures_page_numbers_with_5000(client, org, ufd_staff, submitter, student_department):
    bulk(org, submitter, 5000, student_department)
    client.force_login(ufd_staff)
    total = client.get(url("figures")).context["figures"]["total"]
    assert (total.submitted, total.answered, total.adopted, total.rated) == (5000, 2500, 2500, 1250)
    assert (total.adoption_rate, total.satisfaction_rate) == ("100.0%", "100.0%")
