from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.concurrency import STALE_MESSAGE, StaleEdit
from core.exports import write_xlsx
from core.http import file_download
from orgs.access import role_required
from orgs.models import Role
from study import access, services
from study.forms import BeatForm, ImageForm, MaterialForm, QuestionForm, QuizForm, ReflectionForm, YearForm
from study.models import POINTS, PointEntry, Question, ReadSession
from study.queries import materials_with_figures, member_completion, my_materials, yearly_points

STAFF = Role.UFD_STAFF
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str):
    return file_download(content, filename, XLSX)


# --- UFD staff ----------------------------------------------------------------------------------


@role_required(STAFF)
@require_GET
def material_list(request):
    """Materials with reach, read and passed."""
    form = YearForm(request.GET)
    materials = materials_with_figures(request.organisation, year=form.selected_year).order_by("-publish_at", "-id")
    return render(
        request, "study/material_list.html", {"materials": materials[:300], "year": form.selected_year, "form": form}
    )


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def material_create(request):
    form = MaterialForm(request.POST or None, request.FILES or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        material = services.create_material(
            request.organisation,
            by=request.user,
            data=form.cleaned_data,
            file=form.cleaned_data.get("file"),
            request=request,
        )
        messages.success(request, _("已保存为草稿。可上传图片、添加测验题，然后发布。"))
        return redirect("study:detail", material.pk)
    return render(request, "study/material_form.html", {"form": form, "material": None})


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def material_edit(request, pk: int):
    material = access.get_material_for_staff(request, pk)
    form = MaterialForm(
        request.POST or None, request.FILES or None, organisation=request.organisation, instance=material
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_material(
                material,
                by=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data.get("version") or 0,
                file=form.cleaned_data.get("file"),
                request=request,
            )
        except StaleEdit:
            form.add_error(None, STALE_MESSAGE.format(what=_("学习材料")))
            return render(request, "study/material_form.html", {"form": form, "material": material}, status=409)
        messages.success(request, _("已保存。"))
        return redirect("study:detail", material.pk)
    return render(request, "study/material_form.html", {"form": form, "material": material})


@role_required(STAFF)
@require_GET
def material_detail(request, pk: int):
    """The material as members see it, its quiz, images, and who has read it."""
    material = access.get_material_for_staff(request, pk)
    assignments = material.assignments.select_related("person__department").order_by("read_at", "person__name")
    context = {
        "material": material,
        "questions": material.questions.prefetch_related("choices"),
        "images": material.images.all(),
        "assignments": assignments[:500],
        "figures": materials_with_figures(request.organisation).get(pk=material.pk),
        "image_form": ImageForm(),
        "question_form": QuestionForm(),
    }
    return render(request, "study/material_detail.html", context)


@role_required(STAFF)
@require_POST
def material_publish(request, pk: int):
    material = access.get_material_for_staff(request, pk)
    try:
        count = services.publish_material(material, by=request.user, request=request)
        messages.success(request, _("已发布，推送给 %(n)s 人。") % {"n": count})
    except services.NotAllowed as error:
        messages.error(request, str(error))
    return redirect("study:detail", material.pk)


@role_required(STAFF)
@require_POST
def material_delete(request, pk: int):
    material = access.get_material_for_staff(request, pk)
    services.delete_material(material, by=request.user, request=request)
    messages.success(request, _("已删除。"))
    return redirect("study:list")


@role_required(STAFF)
@require_POST
def image_add(request, pk: int):
    material = access.get_material_for_staff(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        image = services.add_image(material, by=request.user, upload=form.cleaned_data["image"], request=request)
        src = reverse("study:image", args=[image.pk])
        messages.success(request, _('图片已上传。在正文中这样引用：<img src="%(src)s">') % {"src": src})
    else:
        for error in form.errors.get("image", []):
            messages.error(request, error)
    return redirect("study:detail", material.pk)


@role_required(STAFF)
@require_POST
def question_add(request, pk: int):
    material = access.get_material_for_staff(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.add_question(
            material,
            by=request.user,
            text=form.cleaned_data["text"],
            multiple=form.cleaned_data["multiple"],
            choices=form.cleaned_data["choice_list"],
            request=request,
        )
        messages.success(request, _("已添加测验题。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("study:detail", args=[material.pk]) + "#quiz")


@role_required(STAFF)
@require_POST
def question_delete(request, pk: int, question: int):
    material = access.get_material_for_staff(request, pk)
    item = get_object_or_404(Question.objects.filter(material=material), pk=question)
    services.delete_question(item, by=request.user, request=request)
    messages.success(request, _("已删除测验题。"))
    return redirect(reverse("study:detail", args=[material.pk]) + "#quiz")


@role_required(STAFF)
@require_POST
def material_remind(request, pk: int):
    material = access.get_material_for_staff(request, pk)
    count = services.remind_unread(material=material) if material.due_at else 0
    messages.success(request, _("已提醒 %(n)s 人（期限前 48 小时内或已逾期且未读的成员，每人一次）。") % {"n": count})
    return redirect("study:detail", material.pk)


@role_required(STAFF, Role.LEADER)
@require_GET
def members(request):
    """Per member completion and the points ranking for a year (UFD only; members see their own)."""
    form = YearForm(request.GET)
    rows = member_completion(request.organisation, form.selected_year)
    return render(request, "study/members.html", {"rows": rows, "year": form.selected_year, "form": form})


@role_required(STAFF)
@require_GET
def export(request):
    """Per member completion and points (.xlsx). Audited."""
    form = YearForm(request.GET)
    rows = member_completion(request.organisation, form.selected_year)

    def lines():
        yield ["名次", "姓名", "部门", "推送", "已读", "完成", "阅读率", "学习积分"]
        for rank, row in enumerate(rows, start=1):
            person = row.person
            department = person.department.name if person.department_id else ""
            yield [rank, person.name, department, row.assigned, row.read, row.complete, f"{row.rate}%", row.points]

    content = write_xlsx(
        lines(),
        title=f"{form.selected_year}年线上学习完成情况",
        watermark=f"{request.user} 导出于 {timezone.localtime():%Y-%m-%d %H:%M}",
        widths=[6, 10, 18, 8, 8, 8, 8, 10],
        landscape=False,
    )
    services.record_export(
        request.organisation,
        by=request.user,
        what="学习完成情况",
        rows=len(rows),
        filter=f"{form.selected_year}年",
        request=request,
    )
    return _download(content, f"学习完成情况-{form.selected_year}.xlsx")


# --- Files and images (staff, and members with the material assigned) --------------------------


@role_required(STAFF, Role.MEMBER)
@require_GET
def material_file(request, pk: int):
    if request.membership.role == Role.MEMBER:
        material = access.get_assignment_for_member(request, pk).material
    else:
        material = access.get_material_for_staff(request, pk)
    if not material.file:
        raise Http404
    return file_download(material.file.open("rb"), material.file_name or "file")


@role_required(STAFF, Role.LEADER, Role.MEMBER)
@require_GET
def image(request, pk: int):
    item = access.get_image_for_user(request, pk)
    return file_download(item.image.open("rb"), item.image.name.rsplit("/", 1)[-1], inline=True)


# --- Members ------------------------------------------------------------------------------------


@role_required(Role.MEMBER)
@require_GET
def member_list(request):
    person = access.my_person(request)
    assignments = list(my_materials(person)) if person else []
    year = timezone.localdate().year
    context = {
        "person": person,
        "assignments": assignments,
        "points": yearly_points(person, year) if person else 0,
        "year": year,
    }
    return render(request, "study/member_list.html", context)


@role_required(Role.MEMBER)
@require_GET
def member_detail(request, pk: int):
    """The reading page: records the opening server-side; the page's JS sends heartbeats."""
    assignment = access.get_assignment_for_member(request, pk)
    session = services.open_material(assignment)
    material = assignment.material
    questions = list(material.questions.prefetch_related("choices"))
    context = {
        "assignment": assignment,
        "material": material,
        "session": session,
        "quiz_form": QuizForm(questions=questions) if questions else None,
        "reflection_form": ReflectionForm(initial={"text": assignment.reflection}),
        "min_seconds": settings.STUDY_MIN_READ_SECONDS,
        "points": POINTS,
        "earned": list(assignment.points.all()),
    }
    return render(request, "study/member_detail.html", context)


@role_required(Role.MEMBER)
@require_POST
def member_beat(request, pk: int):
    """Heartbeat / end reached (JSON). The server judges the time since the page was opened."""
    assignment = access.get_assignment_for_member(request, pk)
    form = BeatForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "bad request"}, status=400)
    session = get_object_or_404(ReadSession, assignment=assignment, token=form.cleaned_data["token"])
    return JsonResponse(services.record_reading(session, finished=form.cleaned_data["finished"]))


@role_required(Role.MEMBER)
@require_POST
def member_quiz(request, pk: int):
    assignment = access.get_assignment_for_member(request, pk)
    questions = list(assignment.material.questions.prefetch_related("choices"))
    form = QuizForm(request.POST, questions=questions)
    if not form.is_valid():
        messages.error(request, _("请回答全部题目。"))
    else:
        try:
            score, passed = services.submit_quiz(assignment, answers=form.answers())
            if passed:
                messages.success(request, _("测验得分 %(score)s，已通过！") % {"score": score})
            else:
                messages.error(request, _("测验得分 %(score)s，未达到及格分，请再试一次。") % {"score": score})
        except services.NotAllowed as error:
            messages.error(request, str(error))
    return redirect(reverse("study:m-detail", args=[pk]) + "#quiz")


@role_required(Role.MEMBER)
@require_POST
def member_reflection(request, pk: int):
    assignment = access.get_assignment_for_member(request, pk)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("text", []):
            messages.error(request, error)
    else:
        try:
            services.submit_reflection(assignment, text=form.cleaned_data["text"])
            messages.success(request, _("学习心得已保存。"))
        except services.NotAllowed as error:
            messages.error(request, str(error))
    return redirect(reverse("study:m-detail", args=[pk]) + "#reflection")


@role_required(Role.MEMBER)
@require_GET
def member_points(request):
    """The member's own points this year (no ranking of others)."""
    person = access.my_person(request)
    year = timezone.localdate().year
    entries = (
        PointEntry.objects.filter(person=person, day__year=year).select_related("assignment__material")
        if person
        else PointEntry.objects.none()
    )
    context = {
        "person": person,
        "entries": entries[:300],
        "total": yearly_points(person, year) if person else 0,
        "year": year,
    }
    return render(request, "study/member_points.html", context)
