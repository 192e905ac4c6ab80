import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core.models import AuditEvent, BackgroundJob
from notifications.models import Notification
from orgs.models import Department, DepartmentAlias
from plans.models import Item, Plan, PlanImport, Section


def form_data(context) -> dict:
    """POST data that confirms the review page as the parser filled it in."""
    data = {}

    def add(form):
        for name, _field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list):
                data[key] = [str(v) for v in value]
            elif isinstance(value, date):
                data[key] = value.isoformat()
            else:
                data[key] = str(value)

    add(context["head"])
    for f in context["unresolved_forms"]:
        add(f)
    for row in context["rows"]:
        add(row["form"])
    return data


def upload_and_review(client, **post):
    response = client.post(reverse("plans:import"), post)
    assert response.status_code == 302, response.content.decode()[:500]
    job = BackgroundJob.objects.get()
    return job, client.get(reverse("plans:import-review", args=[PlanImport.objects.get().pk]))


@pytest.mark.django_db(transaction=True)
def test_seed_imports_through_review_with_departments(client, ufd_staff, seed_departments, seed_text, org):
    client.force_login(ufd_staff)
    job, review = upload_and_review(client, text=seed_text)
    assert job.status == BackgroundJob.Status.DONE
    assert job.result["url"] == reverse("plans:import-review", args=[PlanImport.objects.get().pk])
    assert review.context["unresolved_forms"] == []
    assert (review.context["section_count"], review.context["item_count"]) == (4, 16)
    assert Plan.objects.count() == 0  # nothing is saved before confirming

    response = client.post(review.request["PATH_INFO"], form_data(review.context))
    plan = Plan.objects.get()
    assert response.url == reverse("plans:detail", args=[plan.pk])
    assert (plan.title, plan.year, plan.status) == ("职业技术学院2023年统战工作要点", 2023, Plan.Status.DRAFT)
    assert Section.objects.filter(plan=plan).count() == 4
    items = {i.number: i for i in Item.objects.filter(plan=plan)}
    assert len(items) == 16
    assert items[10].lead_department.name == "人事劳资处"
    assert items[13].lead_department.name == "学生工作处"
    assert sorted(d.name for d in items[13].support_departments.all()) == ["各二级学院部", "团委", "教务处"]
    assert items[1].lead_department.name == "党委统战部"  # resolved through the alias 统战部 where written so
    assert [(t.text, t.count) for t in items[13].targets.all()] == [
        ("召开1次少数民族学生座谈会", 1),
        ("举办1次少数民族学生活动", 1),
    ]
    assert {i.due_date for i in items.values()} == {date(2023, 12, 31)}
    assert AuditEvent.objects.filter(action="create", object_type="plans.plan").count() == 1


@pytest.mark.django_db(transaction=True)
def test_reviewer_edits_are_saved(client, ufd_staff, seed_departments, seed_text):
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=seed_text)
    data = form_data(review.context)
    row = next(r for r in review.context["rows"] if r["depth"] and r["node"]["number"] == 10)
    data[row["form"].add_prefix("lead")] = str(seed_departments["党委组织部"].pk)
    data[row["form"].add_prefix("due_date")] = "2023-06-30"
    data[row["form"].add_prefix("title")] = "关心留学回国人员（修改）"
    data["head-year"] = "2024"
    client.post(review.request["PATH_INFO"], data)
    item = Item.objects.get(number=10)
    assert (item.title, item.lead_department.name, item.due_date, item.plan.year) == (
        "关心留学回国人员（修改）",
        "党委组织部",
        date(2023, 6, 30),
        2024,
    )


@pytest.mark.django_db(transaction=True)
def test_unknown_department_names_are_resolved_on_review(client, ufd_staff, ufd_department, org):
    text = (
        "示例学院2025年统战工作要点\n一、加强思想引领\n1.开展学习。组织学习。（牵头部门：统战办；配合部门：网络中心）\n"
        "2.召开座谈会。召开2次座谈会。（责任部门：党委统战部）\n"
    )
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=text)
    names = [f.name for f in review.context["unresolved_forms"]]
    assert names == ["统战办", "网络中心"]
    data = form_data(review.context)
    data["u0-action"], data["u0-department"] = "alias", str(ufd_department.pk)
    data["u1-action"], data["u1-new_name"] = "create", "网络信息中心"
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 302
    first = Item.objects.get(number=1)
    assert first.lead_department == ufd_department
    assert [d.name for d in first.support_departments.all()] == ["网络信息中心"]
    assert DepartmentAlias.objects.filter(department=ufd_department, name="统战办").exists()
    assert Item.objects.get(number=2).targets.get().count == 2


@pytest.mark.django_db(transaction=True)
def test_unresolved_without_a_choice_is_refused_and_saves_nothing(client, ufd_staff, org):
    text = "2025年工作要点\n一、总体\n1.任务一。内容。（牵头部门：不存在处）\n"
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=text)
    data = form_data(review.context)
    data["u0-action"], data["u0-department"] = "alias", ""
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 200
    assert "请为“不存在处”选择对应的部门" in response.content.decode()
    assert Plan.objects.count() == 0
    assert not Department.objects.filter(organisation=org, name="不存在处").exists()


@pytest.mark.django_db(transaction=True)
def test_a_file_that_fails_to_parse_shows_the_message_and_keeps_nothing(client, ufd_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old_doc = SimpleUploadedFile("旧文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    client.force_login(ufd_staff)
    response = client.post(reverse("plans:import"), {"file": old_doc})
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    page = client.get(response.url).content.decode()
    assert ".docx" in job.message
    assert job.message in page
    assert Plan.objects.count() == 0
    assert list((tmp_path / "plan-imports").iterdir()) == []


@pytest.mark.django_db
def test_import_form_requires_a_file_or_text(client, ufd_staff):
    client.force_login(ufd_staff)
    response = client.post(reverse("plans:import"), {"text": "  "})
    assert response.status_code == 200
    assert "请上传文件或粘贴工作要点全文" in response.content.decode()
    assert BackgroundJob.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_second_import_of_a_year_can_replace_the_draft(client, ufd_staff, seed_departments, seed_text):
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=seed_text)
    client.post(review.request["PATH_INFO"], form_data(review.context))
    first = Plan.objects.get()
    PlanImport.objects.all().delete()
    BackgroundJob.objects.all().delete()
    _, review = upload_and_review(client, text=seed_text)
    assert "existing" in review.context["head"].fields
    data = form_data(review.context) | {"head-existing": "replace"}
    client.post(review.request["PATH_INFO"], data)
    assert list(Plan.objects.values_list("year", flat=True)) == [2023]
    assert not Plan.objects.filter(pk=first.pk).exists()


@pytest.mark.django_db
def test_publish_notifies_liaisons_of_their_items(client, ufd_staff, org, seed_departments, seed_text, hr_liaison):
    from plans.imports import import_without_review

    plan = import_without_review(org, data=seed_text.encode(), filename="seed.txt", by=ufd_staff)
    client.force_login(ufd_staff)
    client.post(reverse("plans:publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.is_published
    note = Notification.objects.get(user=hr_liaison)
    assert note.body == "贵部门牵头 1 项、配合 0 项任务，请及时报送进展。"


@pytest.mark.django_db
def test_import_plan_command(org, seed_departments, seed_text, tmp_path, capsys):
    path = tmp_path / "plan.txt"
    path.write_text(seed_text, encoding="utf-8")
    call_command("import_plan", str(path), "--org", org.slug, "--publish")
    out = capsys.readouterr().out
    plan = Plan.objects.get()
    assert out.startswith(f"plan {plan.pk}: 职业技术学院2023年统战工作要点")
    assert "sections=4 items=16 targets=3" in out
    assert plan.is_published


@pytest.mark.django_db
def test_import_plan_command_refuses_unknown_departments(org, seed_text, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(seed_text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_plan", str(path), "--org", org.slug)
    assert error.value.returncode == 2
    assert "党委统战部" in str(error.value)
    assert Plan.objects.count() == 0
    call_command("import_plan", str(path), "--org", org.slug, "--create-departments")
    assert Department.objects.filter(organisation=org).count() == 8


@pytest.mark.django_db
def test_export_breakdown_command_and_view(client, org, seed_departments, seed_text, ufd_staff, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    from plans.imports import import_without_review

    plan = import_without_review(org, data=seed_text.encode(), filename="seed.txt", publish=True)
    out = tmp_path / "table.xlsx"
    call_command("export_breakdown", "--org", org.slug, "--year", "2023", "--format", "xlsx", "-o", str(out))
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2] == ["序号", "工作任务", "具体内容", "牵头部门", "配合部门", "完成时限", "进展情况", "状态"]
    item_rows = [r for r in rows[3:] if isinstance(r[0], int)]
    assert len(item_rows) == 16
    assert item_rows[12][3:6] == ["学生工作处", "教务处、团委、各二级学院部", "2023年12月31日"]
    assert sheet.page_setup.orientation == "landscape"

    client.force_login(ufd_staff)
    response = client.get(reverse("plans:export", args=[plan.pk]) + "?format=docx")
    table = Document(io.BytesIO(response.content)).tables[0]
    assert [c.text for c in table.rows[0].cells][:4] == ["序号", "工作任务", "具体内容", "牵头部门"]
    assert len(table.rows) == 1 + 4 + 16
    assert AuditEvent.objects.filter(action="export", object_type="plans.plan").count() == 2
