"""A second plan for a year asks first, and lists that mix plans say which plan each item is of
(issue 10, defect 6); the import job page goes on to the review by itself and unconfirmed imports
wait on the plans page (defect 11)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, BackgroundJob
from plans.models import Plan, PlanImport
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory
from plans.tests.test_import import form_data, upload_and_review

SEED_TITLE = "职业技术学院2023年统战工作要点"


@pytest.mark.django_db(transaction=True)
def test_importing_a_year_that_has_a_published_plan_asks_first(client, ufd_staff, org, seed_departments, seed_text):
    published = PlanFactory(organisation=org, year=2023, title=SEED_TITLE)
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=seed_text)
    assert review.context["head"].fields["existing"].choices == [("keep", "两份都保留（新导入的另存为草稿）")]
    assert "已发布的工作要点“职业技术学院2023年统战工作要点”" in review.content.decode()

    unanswered = client.post(review.request["PATH_INFO"], form_data(review.context))
    assert unanswered.status_code == 200
    assert "2023 年已有已发布的工作要点（不能替换），请确认两份都保留。" in unanswered.content.decode()
    assert list(Plan.objects.all()) == [published]

    same_title = client.post(review.request["PATH_INFO"], form_data(review.context) | {"head-existing": "keep"})
    assert same_title.status_code == 200
    assert "请修改标题以便区分" in same_title.content.decode()
    assert Plan.objects.count() == 1

    data = form_data(review.context) | {"head-existing": "keep", "head-title": "2023年统战工作要点（修订稿）"}
    assert client.post(review.request["PATH_INFO"], data).status_code == 302
    assert sorted(Plan.objects.values_list("title", "status")) == [
        ("2023年统战工作要点（修订稿）", "draft"),
        (SEED_TITLE, "published"),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_draft_of_the_year_can_be_replaced(client, ufd_staff, org, seed_departments, seed_text):
    draft = PlanFactory(organisation=org, year=2023, title="旧草稿", status=Plan.Status.DRAFT)
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=seed_text)
    assert [value for value, _ in review.context["head"].fields["existing"].choices] == ["replace", "keep"]
    unanswered = client.post(review.request["PATH_INFO"], form_data(review.context))
    assert "2023 年已有工作要点，请选择替换草稿还是两份都保留。" in unanswered.content.decode()
    client.post(review.request["PATH_INFO"], form_data(review.context) | {"head-existing": "replace"})
    assert list(Plan.objects.values_list("title", flat=True)) == [SEED_TITLE]
    assert not Plan.objects.filter(pk=draft.pk).exists()


@pytest.fixture
def two_plans(org, student_department):
    """Two published plans of this year, each with an overdue item of the same title led by
    学生工作处 and a counted target."""
    year = timezone.localdate().year
    plans = [
        PlanFactory(organisation=org, year=year, title=f"{year}年统战工作要点"),
        PlanFactory(organisation=org, year=year, title="统战工作要点（修订稿）"),
    ]
    for plan in plans:
        item = ItemFactory(
            plan=plan,
            section=SectionFactory(plan=plan),
            title="召开党外代表人士座谈会",
            lead_department=student_department,
            due_date=timezone.localdate() - timedelta(days=3),
        )
        TargetFactory(item=item, text="召开1次座谈会")
    return plans


@pytest.mark.django_db
def test_supervision_names_the_plan_of_each_item(client, ufd_staff, two_plans):
    year = timezone.localdate().year
    client.force_login(ufd_staff)
    response = client.get(reverse("plans:supervision"))
    overdue = next(b for b in response.context["boards"] if b["key"] == "overdue")
    assert sorted(i.plan_label for i in overdue["items"]) == sorted(
        [f"{year}年统战工作要点", f"{year}年 统战工作要点（修订稿）"]
    )
    body = response.content.decode()
    assert f"{year}年 统战工作要点（修订稿）" in body
    assert f"{year}年统战工作要点 ·" in body


@pytest.mark.django_db
def test_my_department_names_the_plan_of_each_item(client, liaison, two_plans):
    year = timezone.localdate().year
    client.force_login(liaison)
    body = client.get(reverse("plans:my-department")).content.decode()
    assert f'<small class="help plan-label">{year}年 统战工作要点（修订稿）</small>' in body
    assert f'<small class="help plan-label">{year}年统战工作要点</small>' in body


@pytest.mark.django_db
def test_event_and_proposal_target_pickers_name_the_plan(org, two_plans):
    from events.forms import EventForm
    from proposals.forms import TargetLinkForm

    year = timezone.localdate().year
    expected = {
        f"{year}年统战工作要点 · 1.召开党外代表人士座谈会 —— 召开1次座谈会（0/1）",
        f"{year}年 统战工作要点（修订稿） · 1.召开党外代表人士座谈会 —— 召开1次座谈会（0/1）",
    }
    event_labels = {label for _, label in EventForm(organisation=org).fields["targets"].choices}
    assert event_labels == expected
    proposal_labels = {label for value, label in TargetLinkForm(organisation=org).fields["target"].choices if value}
    assert proposal_labels == expected


@pytest.mark.django_db
def test_a_draft_is_marked_in_pickers(org):
    plan = PlanFactory(organisation=org, year=2026, title="2026年统战工作要点", status=Plan.Status.DRAFT)
    assert plan.label == "2026年统战工作要点（草稿）"


# --- Defect 11: the job page goes on; unconfirmed imports wait on the plans page ----------------


@pytest.mark.django_db(transaction=True)
def test_import_job_page_goes_on_to_the_review(client, ufd_staff, seed_departments, seed_text):
    client.force_login(ufd_staff)
    response = client.post(reverse("plans:import"), {"text": seed_text})
    job = BackgroundJob.objects.get()
    assert response.url == reverse("core:job-status", args=[job.pk])
    record = PlanImport.objects.get()
    review = reverse("plans:import-review", args=[record.pk])
    assert (job.status, job.progress, job.total) == ("done", 1, 1)
    polled = client.get(response.url, headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == review
    opened = client.get(response.url)
    assert (opened.status_code, opened.url) == (302, review)


@pytest.mark.django_db
def test_unconfirmed_imports_are_listed_with_resume_and_discard(client, ufd_staff, liaison, org, ufd_department):
    waiting = PlanImport.objects.create(
        organisation=org, created_by=ufd_staff, source_name="2026年工作要点.docx", year=2026, parsed={"sections": []}
    )
    failed = PlanImport.objects.create(
        organisation=org, created_by=ufd_staff, source_name="坏文件.pdf", error="无文字层"
    )
    confirmed_plan = PlanFactory(organisation=org)
    PlanImport.objects.create(organisation=org, source_name="已确认.docx", parsed={}, plan=confirmed_plan)
    client.force_login(ufd_staff)
    response = client.get(reverse("plans:list"))
    assert [r.source_name for r in response.context["pending"]] == ["坏文件.pdf", "2026年工作要点.docx"]
    body = response.content.decode()
    assert "未确认的导入（2）" in body
    assert reverse("plans:import-review", args=[waiting.pk]) in body
    assert "继续核对" in body and "解析失败" in body
    assert reverse("plans:import-discard", args=[failed.pk]) in body
    assert "已确认.docx" not in body

    discarded = client.post(reverse("plans:import-discard", args=[waiting.pk]))
    assert discarded.url == reverse("plans:list")
    assert not PlanImport.objects.filter(pk=waiting.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="plans.planimport").count() == 1

    client.force_login(liaison)
    assert "未确认的导入" not in client.get(reverse("plans:list")).content.decode()
    assert client.post(reverse("plans:import-discard", args=[failed.pk])).status_code == 403


@pytest.mark.django_db
def test_a_confirmed_import_cannot_be_discarded(client, ufd_staff, org):
    record = PlanImport.objects.create(organisation=org, parsed={}, plan=PlanFactory(organisation=org))
    client.force_login(ufd_staff)
    assert client.post(reverse("plans:import-discard", args=[record.pk])).status_code == 404
    assert PlanImport.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_plan_list_queries_are_bounded(client, ufd_staff, org, django_assert_max_num_queries):
    PlanFactory(organisation=org)
    PlanImport.objects.create(organisation=org, created_by=ufd_staff, source_name="a.docx", parsed={"sections": []})
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(30) as one:
        response = client.get(reverse("plans:list"))
    assert len(response.context["pending"]) == 1
    for i in range(20):
        PlanFactory(organisation=org, year=2000 + i)
        PlanImport.objects.create(organisation=org, created_by=ufd_staff, source_name=f"{i}.docx", error="坏")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("plans:list"))
    assert response.status_code == 200
    assert len(response.context["pending"]) == 21
    assert response.content.decode().count("解析失败") == 20


@pytest.mark.django_db
def test_my_department_queries_are_bounded_with_plan_labels(
    client, liaison, org, student_department, django_assert_max_num_queries
):
    def add_plan(title):
        plan = PlanFactory(organisation=org, title=title)
        item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=student_department)
        TargetFactory(item=item)

    add_plan("要点一")
    client.force_login(liaison)
    with django_assert_max_num_queries(30) as one:
        response = client.get(reverse("plans:my-department"))
    assert len(response.context["lead"]) == 1
    for i in range(15):
        add_plan(f"要点{i + 2}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("plans:my-department"))
    assert len(response.context["lead"]) == 16
    assert response.content.decode().count('class="help plan-label"') == 16
