import mimetypes

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.concurrency import STALE_MESSAGE
from orgs.access import role_required
from orgs.models import Organisation, Role
from people.models import Person
from people.queries import people_with_consent
from publicity import access, services
from publicity.forms import PhotoForm, ReturnForm, ReviewForm, StoryFilterForm, StoryForm, UnpublishForm
from publicity.models import Story, StoryPhoto

STAFF = Role.UFD_STAFF
READERS = (Role.UFD_STAFF, Role.LEADER)


def _refused(request, story: Story, error: Exception):
    messages.error(request, str(error))
    return redirect("publicity:detail", pk=story.pk)


# --- Staff ---------------------------------------------------------------------------------


@role_required(*READERS)
def story_list(request):
    form = StoryFilterForm(request.GET or None)
    stories = form.filter(
        Story.objects.for_org(request.organisation)
        .select_related("author")
        .annotate(photo_count=Count("photos"))
        .order_by("-published_at", "-created_at", "-id")
    ).prefetch_related(Prefetch("people", queryset=Person.objects.only("id", "name")))
    page = Paginator(stories, 30).get_page(request.GET.get("page"))
    waiting = Story.objects.for_org(request.organisation).filter(status=Story.Status.REVIEW).count()
    return render(request, "publicity/story_list.html", {"page": page, "form": form, "waiting": waiting})


@role_required(STAFF)
def story_create(request):
    form = StoryForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        story = services.create_story(request.organisation, by=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("报道草稿已保存，可以上传图片后提交审核。"))
        return redirect("publicity:detail", pk=story.pk)
    return render(request, "publicity/story_form.html", {"form": form})


@role_required(STAFF)
def story_edit(request, pk: int):
    story = access.get_story_for_user(request, pk)
    if not story.editable:
        messages.error(request, _("待审核或已发布的报道不能修改；请先退回或撤下。"))
        return redirect("publicity:detail", pk=story.pk)
    form = StoryForm(request.POST or None, organisation=request.organisation, instance=story)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_story(
                story,
                by=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"] or 0,
                request=request,
            )
        except services.StaleEdit:
            form.add_error(None, STALE_MESSAGE.format(what=_("报道")))
            status = 409
        except services.NotAllowed as e:
            return _refused(request, story, e)
        else:
            messages.success(request, _("报道已保存。"))
            return redirect("publicity:detail", pk=story.pk)
    return render(request, "publicity/story_form.html", {"form": form, "story": story}, status=status)


@role_required(*READERS)
def story_detail(request, pk: int):
    story = access.get_story_for_user(request, pk)
    role = request.membership.role
    consenting = set(people_with_consent(request.organisation).filter(stories=story).values_list("pk", flat=True))
    people = [(p, p.pk in consenting) for p in story.people.order_by("name")]
    context = {
        "story": story,
        "people": people,
        "photos": list(story.photos.all()),
        "photo_form": PhotoForm(),
        "review_form": ReviewForm(),
        "return_form": ReturnForm(),
        "unpublish_form": UnpublishForm(),
        "can_review": story.status == Story.Status.REVIEW and access.can_review(story, request.user, role),
        "is_staff": role == STAFF,
        "missing_consent": [p for p, ok in people if not ok],
        "targets": list(story.item.targets.all()) if story.item_id else [],
    }
    return render(request, "publicity/story_detail.html", context)


@role_required(STAFF)
@require_POST
def story_submit(request, pk: int):
    story = access.get_story_for_user(request, pk)
    try:
        services.submit_story(story, by=request.user, request=request)
    except services.NotAllowed as e:
        return _refused(request, story, e)
    messages.success(request, _("已提交审核，等待其他统战部工作人员或校领导审核。"))
    return redirect("publicity:detail", pk=story.pk)


@role_required(*READERS)
@require_POST
def story_approve(request, pk: int):
    return _review(request, pk, ReviewForm, services.approve_story, _("审核意见过长。"), _("报道已发布。"))


@role_required(*READERS)
@require_POST
def story_return(request, pk: int):
    return _review(request, pk, ReturnForm, services.return_story, _("请填写退回原因。"), _("已退回作者修改。"))


def _review(request, pk: int, form_class, review, invalid: str, success: str):
    """A reviewer's approval or return of a story: the note from `form_class`, then `review`."""
    story = access.get_story_for_user(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _refused(request, story, ValueError(invalid))
    try:
        review(story, by=request.user, role=request.membership.role, note=form.cleaned_data["note"], request=request)
    except services.NotAllowed as e:
        return _refused(request, story, e)
    messages.success(request, success)
    return redirect("publicity:detail", pk=story.pk)


@role_required(STAFF)
@require_POST
def story_unpublish(request, pk: int):
    story = access.get_story_for_user(request, pk)
    form = UnpublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, story, ValueError(_("请填写撤下原因。")))
    try:
        services.unpublish_story(story, by=request.user, reason=form.cleaned_data["reason"], request=request)
    except services.NotAllowed as e:
        return _refused(request, story, e)
    messages.success(request, _("报道已撤下，公开页面不再显示。"))
    return redirect("publicity:detail", pk=story.pk)


@role_required(STAFF)
@require_POST
def story_delete(request, pk: int):
    story = access.get_story_for_user(request, pk)
    try:
        services.delete_story(story, by=request.user, request=request)
    except services.NotAllowed as e:
        return _refused(request, story, e)
    messages.success(request, _("草稿已删除。"))
    return redirect("publicity:list")


@role_required(STAFF)
@require_POST
def photo_add(request, pk: int):
    story = access.get_story_for_user(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_photo(
            story,
            by=request.user,
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            request=request,
        )
        messages.success(request, _("图片已上传。"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("publicity:detail", pk=story.pk)


def _photo_response(photo: StoryPhoto):
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    return FileResponse(photo.image.open("rb"), content_type=content_type)


@role_required(*READERS)
@require_GET
def photo_file(request, pk: int, photo: int):
    story = access.get_story_for_user(request, pk)
    return _photo_response(access.get_photo(story, photo))


@role_required(STAFF)
@require_POST
def photo_delete(request, pk: int, photo: int):
    story = access.get_story_for_user(request, pk)
    services.delete_photo(access.get_photo(story, photo), by=request.user, request=request)
    messages.success(request, _("图片已删除。"))
    return redirect("publicity:detail", pk=story.pk)


# --- Public (no login): published stories only -------------------------------------------------


def _public_story(slug: str, pk: int) -> Story:
    organisation = get_object_or_404(Organisation, slug=slug)
    return get_object_or_404(services.public_stories(organisation).select_related("organisation"), pk=pk)


@require_GET
def public_list(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    stories = services.public_stories(organisation).only("id", "title", "kind", "published_at", "body")
    kind = request.GET.get("kind", "")
    if kind in Story.Kind.values:
        stories = stories.filter(kind=kind)
    page = Paginator(stories, 20).get_page(request.GET.get("page"))
    context = {"organisation": organisation, "page": page, "kinds": Story.Kind.choices, "kind": kind}
    return render(request, "publicity/public_list.html", context)


@require_GET
def public_detail(request, slug: str, pk: int):
    story = _public_story(slug, pk)
    context = {
        "organisation": story.organisation,
        "story": story,
        "people": [p.name for p in story.people.order_by("name").only("name")],
        "photos": list(story.photos.all()),
    }
    return render(request, "publicity/public_detail.html", context)


@require_GET
def public_photo(request, slug: str, pk: int, photo: int):
    story = _public_story(slug, pk)
    return _photo_response(access.get_photo(story, photo))
