from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from orgs.access import role_required
from orgs.models import Role
from people import services
from people.forms import PersonFilterForm, PersonForm
from people.models import Person


def _get_person_for_user(request, pk: int) -> Person:
    queryset = Person.objects.for_org(request.organisation).select_related("department")
    return get_object_or_404(queryset.prefetch_related("category_links"), pk=pk)


@role_required(Role.UFD_STAFF)
def person_list(request):
    form = PersonFilterForm(request.GET or None, organisation=request.organisation)
    people = (
        Person.objects.for_org(request.organisation).select_related("department").prefetch_related("category_links")
    )
    page = Paginator(form.filter(people), 50).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {"form": form, "page": page})


@role_required(Role.UFD_STAFF)
def person_detail(request, pk: int):
    person = _get_person_for_user(request, pk)
    services.record_view(person, by=request.user, request=request)
    return render(request, "people/person_detail.html", {"person": person})


@role_required(Role.UFD_STAFF)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(request.organisation, by=request.user, data=form.cleaned_data, request=request)
        messages.success(request, f"已添加 {person.name}。")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "title": "添加统战对象"})


@role_required(Role.UFD_STAFF)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = _get_person_for_user(request, pk)
    form = PersonForm(request.POST or None, organisation=request.organisation, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                person,
                by=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"] or 0,
                request=request,
            )
        except services.StaleEdit:
            messages.error(
                request, "保存失败：此记录已被他人修改。请刷新页面查看最新内容后再修改，您填写的内容仍保留在下方。"
            )
            return render(
                request,
                "people/person_form.html",
                {"form": form, "title": f"编辑 {person.name}", "person": person},
                status=409,
            )
        messages.success(request, "已保存。")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "title": f"编辑 {person.name}", "person": person})


@role_required(Role.UFD_STAFF)
@require_POST
def person_delete(request, pk: int):
    person = _get_person_for_user(request, pk)
    services.delete_person(person, by=request.user, request=request)
    messages.success(request, f"已删除 {person.name}。")
    return redirect("people:list")


@role_required(Role.MEMBER)
def my_profile(request):
    person = (
        Person.objects.for_org(request.organisation)
        .filter(user=request.user)
        .prefetch_related("category_links")
        .first()
    )
    if person is not None:
        services.record_view(person, by=request.user, request=request)
    return render(request, "people/my_profile.html", {"person": person})
