"""Staff pages (create, quiz, figures, export) and the member's reading page with its heartbeat."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent
from study.models import Assignment, Question, ReadSession, StudyImage, StudyMaterial
from study.tests.factories import PDF, PNG, add_quiz, make_material

pytestmark = pytest.mark.django_db


def test_staff_create_an_article_sanitised(client, ufd_staff, member):
    client.force_login(ufd_staff)
    start = timezone.localtime() - timedelta(minutes=5)

    response = client.post(
        reverse("study:create"),
        {
            "title": "学习新时代统战理论",
            "kind": "article",
            "body": '<p>正文</p><img src="http://example.com/x.png"><script>bad()</script>',
            "publish_at": start.strftime("%Y-%m-%dT%H:%M"),
            "reflection": "optional",
            "pass_mark": 60,
            "required": "on",
            "audience_people": [member.person.pk],
        },
    )

    material = StudyMaterial.objects.get()
    assert response.status_code == 302
    assert (material.title, material.status, material.body) == ("学习新时代统战理论", "draft", "<p>正文</p><img>")


def test_staff_create_needs_an_audience_and_a_real_file(client, ufd_staff):
    client.force_login(ufd_staff)
    fake = SimpleUploadedFile("条例.pdf", b"not a pdf", content_type="application/pdf")

    response = client.post(
        reverse("study:create"),
        {
            "title": "文件",
            "kind": "file",
            "file": fake,
            "publish_at": "2026-01-01T09:00",
            "reflection": "none",
            "pass_mark": 60,
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == ["请选择推送对象：类别、分组或人员至少一项。"]
    assert "内容不是允许的类型" in form.errors["file"][0]
    assert StudyMaterial.objects.count() == 0


def test_staff_add_question_image_and_publish(client, org, ufd_staff, member):
    material = make_material(org, published=False)
    material.audience_people.add(member.person)
    client.force_login(ufd_staff)

    client.post(
        reverse("study:question-add", args=[material.pk]),
        {"text": "统一战线是什么？", "choices": "一般方法\n重要法宝\n临时措施", "correct": "2"},
    )
    client.post(
        reverse("study:question-add", args=[material.pk]),
        {"text": "单选题两个答案", "choices": "甲\n乙", "correct": "1,2"},
    )
    client.post(
        reverse("study:image-add", args=[material.pk]), {"image": SimpleUploadedFile("a.png", PNG, "image/png")}
    )
    client.post(reverse("study:publish", args=[material.pk]))

    question = Question.objects.get()
    assert [(c.text, c.correct) for c in question.choices.all()] == [
        ("一般方法", False),
        ("重要法宝", True),
        ("临时措施", False),
    ]
    image = StudyImage.objects.get()
    assert client.get(reverse("study:image", args=[image.pk])).status_code == 200
    material.refresh_from_db()
    assert material.status == "published"
    assert list(material.assignments.values_list("person", flat=True)) == [member.person.pk]


def test_member_reads_and_the_heartbeat_is_judged_by_the_server(client, org, member, settings):
    settings.STUDY_MIN_READ_SECONDS = 30
    material = make_material(org, people=[member.person])
    client.force_login(member)

    page = client.get(reverse("study:m-detail", args=[material.pk]))
    assert page.status_code == 200
    assert "统一战线是党克敌制胜" in page.content.decode()
    session = ReadSession.objects.get()
    beat = reverse("study:m-beat", args=[material.pk])

    # Claiming the end at once does not count: the page was opened just now.
    assert client.post(beat, {"token": session.token, "finished": "1"}).json()["read"] is False
    ReadSession.objects.filter(pk=session.pk).update(opened_at=timezone.now() - timedelta(seconds=31))
    assert client.post(beat, {"token": session.token}).json() == {"read": True, "wait": 0}
    assert Assignment.objects.get().read_at is not None
    assert client.post(beat, {"token": "wrong"}).status_code == 404


def test_member_quiz_and_reflection(client, org, member):
    material = make_material(org, people=[member.person], reflection="required")
    single, multiple = add_quiz(material)
    Assignment.objects.update(read_at=timezone.now())
    client.force_login(member)
    answers = {
        f"q{single.pk}": single.choices.get(correct=True).pk,
        f"q{multiple.pk}": list(multiple.choices.filter(correct=True).values_list("pk", flat=True)),
    }

    client.post(reverse("study:m-quiz", args=[material.pk]), answers)
    client.post(reverse("study:m-reflection", args=[material.pk]), {"text": "通过学习，我更加理解了统一战线。"})

    assignment = Assignment.objects.get()
    assert (assignment.quiz_score, assignment.reflection) == (100, "通过学习，我更加理解了统一战线。")
    points = client.get(reverse("study:m-points"))
    assert points.context["total"] == 6  # quiz 3 + reflection 3 (the read was set by hand, no points)


def test_member_sees_only_materials_pushed_to_them_and_visible(client, org, member, make_member):
    mine = make_material(org, people=[member.person], title="推给我的")
    make_material(org, people=[make_member()], title="推给别人的")
    make_material(org, people=[member.person], title="尚未到推送时间", publish_at=timezone.now() + timedelta(days=1))
    other = StudyMaterial.objects.get(title="推给别人的")
    client.force_login(member)

    response = client.get(reverse("study:m-list"))

    assert [a.material.title for a in response.context["assignments"]] == ["推给我的"]
    assert client.get(reverse("study:m-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("study:m-detail", args=[mine.pk])).status_code == 200


def test_member_downloads_a_file_material(client, org, member):
    material = make_material(org, kind="file", people=[member.person])
    client.force_login(member)

    response = client.get(reverse("study:file", args=[material.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_export_is_audited(client, org, ufd_staff, member):
    make_material(org, people=[member.person])
    client.force_login(ufd_staff)

    response = client.get(reverse("study:export"))

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("名次", "姓名", "部门", "推送", "已读", "完成", "阅读率", "学习积分")
    assert rows[1] == (1, "张建言", None, 1, 0, 0, "0%", 0)  # no department: an empty cell
    assert AuditEvent.objects.get(action="export").changes["export"] == "学习完成情况"


@pytest.mark.parametrize("url", ["study:list", "study:members"])
def test_staff_lists_are_bounded_with_one_and_many_rows(
    client, org, ufd_staff, make_member, django_assert_max_num_queries, url
):
    client.force_login(ufd_staff)
    make_material(org, people=[make_member("甲")], title="材料甲")
    with django_assert_max_num_queries(20) as one:
        response = client.get(reverse(url))
    assert response.status_code == 200
    assert ("材料甲" if url == "study:list" else "甲") in response.content.decode()

    people = [make_member(f"乙{n}") for n in range(20)]
    for n in range(15):
        make_material(org, people=people, title=f"材料乙{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse(url))
    assert response.status_code == 200
    assert ("材料乙14" if url == "study:list" else "乙19") in response.content.decode()


def test_member_list_is_bounded(client, org, member, django_assert_max_num_queries):
    client.force_login(member)
    make_material(org, people=[member.person], title="一")
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("study:m-list"))
    for n in range(15):
        add_quiz(make_material(org, people=[member.person], title=f"多{n}"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("study:m-list"))
    assert len(response.context["assignments"]) == 16


def test_material_detail_is_bounded_with_one_and_many_readers(
    client, org, ufd_staff, make_member, django_assert_max_num_queries
):
    client.force_login(ufd_staff)
    material = make_material(org, people=[make_member("甲")])
    add_quiz(material)
    with django_assert_max_num_queries(25) as one:
        response = client.get(reverse("study:detail", args=[material.pk]))
    assert "甲" in response.content.decode()
    Assignment.objects.bulk_create([Assignment(material=material, person=make_member(f"乙{n}")) for n in range(20)])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("study:detail", args=[material.pk]))
    assert response.status_code == 200
    assert "乙19" in response.content.decode()
    assert response.context["figures"].reach == 21


def _form_data(material, **fields):
    return {
        "title": material.title,
        "kind": "article",
        "body": material.body,
        "publish_at": timezone.localtime(material.publish_at).strftime("%Y-%m-%dT%H:%M"),
        "reflection": "optional",
        "pass_mark": 60,
        "version": material.version,
    } | fields


def test_edit_after_publish_pushes_to_people_added_and_refuses_a_stale_edit(client, org, ufd_staff, make_member):
    first, second = make_member("先"), make_member("后")
    material = make_material(org, people=[first])
    material.audience_people.add(first)
    client.force_login(ufd_staff)

    response = client.post(
        reverse("study:edit", args=[material.pk]), _form_data(material, audience_people=[first.pk, second.pk])
    )
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("person__name", flat=True)) == {"先", "后"}

    stale = client.post(
        reverse("study:edit", args=[material.pk]),
        _form_data(material, title="旧版本的修改", audience_people=[first.pk]),  # still the old version
    )
    assert stale.status_code == 409
    material.refresh_from_db()
    assert material.title == "学习贯彻统一战线工作条例"
