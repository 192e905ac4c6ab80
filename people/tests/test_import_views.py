"""Import through the pages (upload -> preview -> confirm -> job) and the commands."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import AuditEvent, BackgroundJob
from people.models import Category, Party, PartyMembership, Person, PersonChange, PublicPost, StudyAbroad
from people.tests.factories import PersonFactory
from people.tests.xlsx import upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def line(**values):
    from people.imports import HEADERS

    return [values.get(h, "") for h in HEADERS]


GOOD = [
    line(
        姓名="张三",
        性别="男",
        出生年月="1980.05",
        工号="T1",
        所在部门="统战部",
        统战对象类别="党外知识分子",
        民主党派="九三学社",
        入党派时间="2010/6",
        党派职务="支社委员",
        人大政协职务="市政协委员（第十四届）",
        留学国家="",
        手机="13912345678",
    ),
    line(
        姓名="李四", 工号="T2", **{"留学国家(地区)": "英国", "留学院校": "剑桥大学", "留学起止时间": "2008.09-2012.07"}
    ),
]


def test_template_has_the_exact_header_row(client, ufd_staff):
    import io

    from openpyxl import load_workbook

    from people.imports import HEADERS

    client.force_login(ufd_staff)
    response = client.get(reverse("people:import-template"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == HEADERS
    assert sheet.max_row == 1


def test_one_bad_row_shows_its_error_and_saves_nothing(client, ufd_staff, ufd_department):
    client.force_login(ufd_staff)
    rows = [*GOOD, line(姓名="王五", 工号="T3", 所在部门="火星学院")]
    response = client.post(reverse("people:import"), {"file": upload(rows)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "发现 1 处问题，未保存任何数据" in body
    assert "第4行" in body and "未知部门“火星学院”" in body
    assert "确认导入" not in body
    assert Person.objects.count() == 0


def test_preview_then_confirm_imports_all_in_a_job(
    client, ufd_staff, org, ufd_department, django_capture_on_commit_callbacks
):
    existing = PersonFactory(organisation=org, name="李四旧", staff_number="T2", job_title="讲师")
    client.force_login(ufd_staff)
    preview = client.post(reverse("people:import"), {"file": upload(GOOD)})
    assert preview.context["checked"].new_count == 1
    assert preview.context["checked"].updated_count == 1
    assert Person.objects.count() == 1  # nothing saved by the preview
    token = preview.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import-confirm"), {"token": token, "source": "名单.xlsx"})
    job = BackgroundJob.objects.get()
    assert response.url == reverse("core:job-status", args=[job.pk])
    assert (job.status, job.result["created"], job.result["updated"]) == ("done", 1, 1)
    zhang = Person.objects.get(staff_number="T1")
    assert (zhang.birth_month, zhang.department, zhang.name_initials) == (date(1980, 5, 1), ufd_department, "zs")
    assert sorted(zhang.categories) == sorted([Category.NON_PARTY_INTELLECTUAL, Category.DEMOCRATIC_PARTY])
    party = PartyMembership.objects.get(person=zhang)
    assert (party.party, party.join_month, party.post) == (Party.JIUSAN, date(2010, 6, 1), "支社委员")
    post = PublicPost.objects.get(person=zhang)
    assert (post.kind, post.level, post.term) == (PublicPost.Kind.CPPCC, PublicPost.Level.CITY, "第十四届")
    existing.refresh_from_db()
    assert (existing.name, existing.job_title, existing.version) == ("李四", "讲师", 2)  # blank cell kept the title
    study = StudyAbroad.objects.get(person=existing)
    assert (study.institution, study.start_month, study.end_month) == ("剑桥大学", date(2008, 9, 1), date(2012, 7, 1))
    assert PersonChange.objects.get(person=existing).changes["name"] == ["李四旧", "李四"]
    event = AuditEvent.objects.get(action="import")
    assert event.changes == {"file": "名单.xlsx", "rows": 2, "created": 1, "updated": 1}
    # The kept file is gone and the token cannot be replayed.
    again = client.post(reverse("people:import-confirm"), {"token": token})
    assert again.url == reverse("people:import")


def test_confirm_checks_again_and_saves_nothing_if_the_registry_changed(
    client, ufd_staff, org, ufd_department, django_capture_on_commit_callbacks
):
    client.force_login(ufd_staff)
    preview = client.post(reverse("people:import"), {"file": upload(GOOD)})
    type(ufd_department).objects.filter(pk=ufd_department.pk).update(short_name="")  # 统战部 no longer resolves
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import-confirm"), {"token": preview.context["token"]})
    job = BackgroundJob.objects.get()
    assert job.status == "failed"
    assert "未知部门“统战部”" in job.message
    assert Person.objects.count() == 0


def test_a_token_from_another_session_is_refused(client, ufd_staff, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from people import imports

    token = imports.keep_upload(SimpleUploadedFile("x.xlsx", workbook_bytes(GOOD)))
    client.force_login(ufd_staff)
    response = client.post(reverse("people:import-confirm"), {"token": token})
    assert response.url == reverse("people:import")
    assert BackgroundJob.objects.count() == 0


def test_a_religion_column_is_refused(client, ufd_staff):
    from people.imports import HEADERS

    client.force_login(ufd_staff)
    response = client.post(
        reverse("people:import"), {"file": upload([[*line(姓名="甲"), "佛教"]], [*HEADERS, "宗教信仰"])}
    )
    assert "不收集宗教信仰、民族和身份证件号码" in response.content.decode()
    assert Person.objects.count() == 0


def test_a_file_that_is_not_excel_is_refused(client, ufd_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(ufd_staff)
    response = client.post(reverse("people:import"), {"file": SimpleUploadedFile("a.xlsx", b"name,phone\n")})
    assert "不是允许的类型" in response.content.decode()


# --- Commands ---------------------------------------------------------------------------------


def test_command_imports_and_dry_run_saves_nothing(tmp_path, org, ufd_department, capsys):
    path = tmp_path / "people.xlsx"
    path.write_bytes(workbook_bytes(GOOD))
    call_command("import_people", str(path), "--org", org.slug, "--dry-run")
    assert "检查通过（未保存）：共 2 行，新增 2 人，更新 0 人。" in capsys.readouterr().out
    assert Person.objects.count() == 0
    call_command("import_people", str(path), "--org", org.slug)
    assert "导入完成：新增 2 人，更新 0 人。" in capsys.readouterr().out
    assert Person.objects.count() == 2


def test_command_exits_2_with_row_numbered_errors(tmp_path, org, ufd_department, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes([*GOOD, line(姓名="王五", 出生年月="1980-13")]))
    with pytest.raises(CommandError) as error:
        call_command("import_people", str(path), "--org", org.slug)
    assert error.value.returncode == 2
    assert "第4行【出生年月】无法识别的年月“1980-13”" in capsys.readouterr().err
    assert Person.objects.count() == 0


def test_command_exit_code_from_the_shell(tmp_path, org, ufd_department):
    """The real process exits 2 (CommandError.returncode), not 1."""
    from django.core.management import ManagementUtility

    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes([line(姓名="")]))
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_people", str(path), "--org", org.slug]).execute()
    assert exit_.value.code == 2


def test_command_unknown_org(tmp_path):
    with pytest.raises(CommandError, match="没有代码为“nope”的组织"):
        call_command("import_people", str(tmp_path / "x.xlsx"), "--org", "nope")


def test_export_command_by_category_masks_and_audits(tmp_path, org, capsys):
    from openpyxl import load_workbook

    scholar = PersonFactory(organisation=org, name="海归", phone="13911112222")
    scholar.category_links.create(category=Category.RETURNED_SCHOLAR)
    PersonFactory(organisation=org, name="其他")
    out = tmp_path / "out.xlsx"
    call_command("export_people", "--org", org.slug, "--category", "留学回国人员", "-o", str(out))
    assert "已导出 1 人" in capsys.readouterr().out
    values = [[c.value for c in row] for row in load_workbook(out).active.iter_rows()]
    assert values[1][0].startswith("导出人：命令行　导出时间：")
    assert values[3][1] == "海归"
    assert "139****2222" in values[3]
    assert "13911112222" not in str(values)
    event = AuditEvent.objects.get(action="export")
    assert (event.username, event.changes["rows"], event.changes["filter"]) == (
        "命令行",
        1,
        "统战对象类别：留学回国人员",
    )
