"""The publicity module's rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from django.core.files.base import ContentFile

from orgs.models import Role

STAFF = {Role.UFD_STAFF}
READERS = {Role.UFD_STAFF, Role.LEADER}

PUBLICITY_MATRIX = {
    "publicity:list": (READERS, "get"),
    "publicity:create": (STAFF, "get"),
    "publicity:detail": (READERS, "get"),
    "publicity:edit": (STAFF, "get"),
    "publicity:delete": (STAFF, "post"),
    "publicity:submit": (STAFF, "post"),
    # A second UFD user (not the author) or a leader reviews.
    "publicity:approve": (READERS, "post"),
    "publicity:return": (READERS, "post"),
    "publicity:unpublish": (STAFF, "post"),
    "publicity:photo-add": (STAFF, "post"),
    "publicity:photo": (READERS, "get"),
    "publicity:photo-delete": (STAFF, "post"),
    # Published stories, no login (any organisation's visitor may read them).
    "publicity:public-list": ("public", "get"),
    "publicity:public-detail": ("public", "get"),
    "publicity:public-photo": ("public", "get"),
}

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def publicity_url_kwargs(org, personas):
    """A draft story (staff pages) and a published one (public pages) of `org`, each with a
    photo; nobody is featured, so no consent is needed."""
    from django.utils import timezone

    from publicity.models import Story, StoryPhoto

    author = personas[Role.UFD_STAFF]
    draft = Story.objects.create(organisation=org, title="草稿", body="<p>正文</p>", author=author)
    draft_photo = StoryPhoto.objects.create(story=draft, image=ContentFile(PNG, name="photo.png"))
    published = Story.objects.create(
        organisation=org,
        title="报道",
        body="<p>正文</p>",
        status=Story.Status.PUBLISHED,
        author=author,
        published_at=timezone.now(),
    )
    photo = StoryPhoto.objects.create(story=published, image=ContentFile(PNG, name="photo.png"))
    pk = {"pk": draft.pk}
    public = {"pk": published.pk, "slug": org.slug}
    by_pk = {name: pk for name in PUBLICITY_MATRIX if name not in {"publicity:list", "publicity:create"}}
    return by_pk | {
        "publicity:photo": pk | {"photo": draft_photo.pk},
        "publicity:photo-delete": pk | {"photo": draft_photo.pk},
        "publicity:public-list": {"slug": org.slug},
        "publicity:public-detail": public,
        "publicity:public-photo": public | {"photo": photo.pk},
    }
