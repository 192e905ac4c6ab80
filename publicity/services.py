"""Publicity services: every change of a story goes through here, audited.

Workflow: draft → in review (submit) → published (approve: a UFD user other than the author, or a
leader; every featured person must have publicity consent) → unpublished; a returned or
unpublished story is edited back into a draft. Publishing counts the story towards the targets
of the plan item it reports on (`plans.services.record_achievement`); unpublishing withdraws it.

Consent: people owns a hook (`people.services.on_consent_withdrawn`) that this app registers
`consent_withdrawn` into (publicity/apps.py), so people never imports publicity. Withdrawing a
person's last consent unpublishes their published stories, returns stories in review to draft
and notifies UFD staff, in the same transaction as the withdrawal. The public pages also hide any
story naming a person without consent (`public_stories`), so nothing slips through if consent
data is changed outside the service.
"""

import re

import nh3
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.concurrency import StaleEdit, bump_version, update_if_unchanged  # noqa: F401  (views catch services.StaleEdit)
from core.exceptions import NotAllowed
from notifications.models import Kind
from notifications.services import notify
from orgs.models import Role
from people.models import Person
from people.queries import people_with_consent
from plans import services as plan_services
from publicity.access import can_review
from publicity.models import Story, StoryPhoto

# The rich text a story may hold: no images (photos are uploaded separately), no styles, no
# scripts; links only to http(s) and mail addresses, opened with rel="noopener noreferrer".
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "h3", "h4", "ul", "ol", "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

BLOCK_TAG = re.compile(r"<\s*(p|h3|h4|ul|ol|blockquote)\b", re.IGNORECASE)

STATUS_LABELS = {value: str(label) for value, label in Story.Status.choices}


def sanitise(text: str) -> str:
    """Rich text cleaned to the allowed tags. Text without block tags (<p>, <h3>, lists…) is
    split into paragraphs at blank lines, with single line breaks kept."""
    text = (text or "").strip().replace("\r\n", "\n")
    if not BLOCK_TAG.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _ufd_staff(organisation):
    return get_user_model().objects.filter(
        membership__organisation=organisation, membership__role=Role.UFD_STAFF, is_active=True
    )


def _reviewers(organisation, *, exclude=None):
    users = get_user_model().objects.filter(
        membership__organisation=organisation,
        membership__role__in=[Role.UFD_STAFF, Role.LEADER],
        is_active=True,
    )
    return users.exclude(pk=exclude.pk) if exclude is not None else users


def _set_status(story: Story, status: str, *, by, request=None, note: str = "", **fields) -> Story:
    before = story.status
    values = {"status": status, **fields}
    bump_version(Story, story.pk, **values)
    for name, value in values.items():
        setattr(story, name, value)
    story.version += 1
    changes = {"status": [STATUS_LABELS[before], STATUS_LABELS[status]]}
    if note:
        changes["note"] = ["", note]
    audit.log("update", story, by=by, request=request, changes=changes)
    return story


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


# --- Writing --------------------------------------------------------------------------------


@transaction.atomic
def create_story(organisation, *, by, data: dict, request=None) -> Story:
    """A draft. `data`: title, kind, body (sanitised here), people, item. Audits."""
    story = Story.objects.create(
        organisation=organisation,
        author=by,
        title=data["title"],
        kind=data["kind"],
        body=sanitise(data["body"]),
        item=data.get("item"),
    )
    story.people.set([p for p in data.get("people", []) if p.organisation_id == organisation.id])
    changes = {"title": ["", story.title], "people": ["", "、".join(p.name for p in story.people.all())]}
    audit.log("create", story, by=by, request=request, changes=changes)
    return story


@transaction.atomic
def update_story(story: Story, *, by, data: dict, version: int, request=None) -> Story:
    """Edits a draft or an unpublished story (which becomes a draft again). Raises StaleEdit if
    someone saved since `version`. Audits."""
    story = _lock(story)
    if not story.editable:
        raise NotAllowed(_("待审核或已发布的报道不能修改；请先退回或撤下。"))
    before = audit.snapshot(story, ["title", "kind", "item"])
    body = sanitise(data["body"])
    update_if_unchanged(
        Story,
        story.pk,
        version,
        title=data["title"],
        kind=data["kind"],
        body=body,
        item=data.get("item"),
        status=Story.Status.DRAFT,
    )
    story.refresh_from_db()
    story.people.set([p for p in data.get("people", []) if p.organisation_id == story.organisation_id])
    changes = audit.diff(before, audit.snapshot(story, ["title", "kind", "item"]))
    audit.log("update", story, by=by, request=request, changes=changes)
    return story


@transaction.atomic
def add_photo(story: Story, *, by, upload, caption: str = "", request=None) -> StoryPhoto:
    """`upload` was checked as an image by the form (core.files). Audits."""
    photo = StoryPhoto.objects.create(story=story, image=upload, caption=caption, uploaded_by=by)
    audit.log("update", story, by=by, request=request, changes={"photos": ["", f"上传 {upload.name}"]})
    return photo


@transaction.atomic
def delete_photo(photo: StoryPhoto, *, by, request=None) -> None:
    story = photo.story
    image = photo.image
    photo.delete()
    audit.log("update", story, by=by, request=request, changes={"photos": [str(photo), ""]})
    transaction.on_commit(lambda: image.delete(save=False))


@transaction.atomic
def delete_story(story: Story, *, by, request=None) -> None:
    """Only a draft that was never published may be deleted. Audits."""
    story = _lock(story)
    if story.status != Story.Status.DRAFT or story.published_at:
        raise NotAllowed(_("只能删除从未发布过的草稿。"))
    files = [p.image for p in story.photos.all()]
    audit.log("delete", story, by=by, request=request)
    story.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


# --- Review and publication ----------------------------------------------------------------


def people_without_consent(story: Story) -> list[Person]:
    consenting = people_with_consent(story.organisation).values("pk")
    return list(story.people.exclude(pk__in=consenting).order_by("name"))


def _no_consent_message(people) -> str:
    return _("以下人物未登记宣传同意或已撤回同意，不能发布：%(names)s") % {"names": "、".join(p.name for p in people)}


@transaction.atomic
def submit_story(story: Story, *, by, request=None) -> Story:
    """Draft → in review. Notifies the other UFD staff and the leaders."""
    story = _lock(story)
    if story.status != Story.Status.DRAFT:
        raise NotAllowed(_("只有草稿可以提交审核。"))
    story = _set_status(story, Story.Status.REVIEW, by=by, request=request, submitted_at=timezone.now(), review_note="")
    notify(
        list(_reviewers(story.organisation, exclude=by)),
        organisation=story.organisation,
        title=_("宣传报道待审核：%(title)s") % {"title": story.title},
        url=reverse("publicity:detail", args=[story.pk]),
        kind=Kind.PUBLICITY,
    )
    return story


@transaction.atomic
def approve_story(story: Story, *, by, role: str, note: str = "", request=None) -> Story:
    """In review → published. Refused for the author, and while any featured person lacks
    consent. Counts the story towards its plan item's targets. Notifies the author."""
    story = _lock(story)
    if story.status != Story.Status.REVIEW:
        raise NotAllowed(_("只有待审核的报道可以发布。"))
    if not can_review(story, by, role):
        raise NotAllowed(_("报道须由作者以外的统战部工作人员或校领导审核。"))
    missing = people_without_consent(story)
    if missing:
        raise NotAllowed(_no_consent_message(missing))
    story = _set_status(
        story,
        Story.Status.PUBLISHED,
        by=by,
        request=request,
        note=note,
        reviewed_by=by,
        review_note=note,
        published_at=timezone.now(),
        unpublished_at=None,
        unpublish_reason="",
    )
    if story.item_id:
        for target in story.item.targets.all():
            plan_services.record_achievement(target, source=story, by=by, label=f"宣传报道：{story.title}")
    notify(
        [story.author],
        organisation=story.organisation,
        title=_("报道已发布：%(title)s") % {"title": story.title},
        url=reverse("publicity:detail", args=[story.pk]),
        kind=Kind.PUBLICITY,
    )
    return story


@transaction.atomic
def return_story(story: Story, *, by, role: str, note: str, request=None) -> Story:
    """In review → draft with the reviewer's note. Notifies the author."""
    story = _lock(story)
    if story.status != Story.Status.REVIEW:
        raise NotAllowed(_("只有待审核的报道可以退回。"))
    if not can_review(story, by, role):
        raise NotAllowed(_("报道须由作者以外的统战部工作人员或校领导审核。"))
    story = _set_status(story, Story.Status.DRAFT, by=by, request=request, note=note, reviewed_by=by, review_note=note)
    notify(
        [story.author],
        organisation=story.organisation,
        title=_("报道被退回修改：%(title)s") % {"title": story.title},
        body=note,
        url=reverse("publicity:detail", args=[story.pk]),
        kind=Kind.PUBLICITY,
    )
    return story


def _unpublish(story: Story, *, by, reason: str, request=None) -> Story:
    story = _set_status(
        story,
        Story.Status.UNPUBLISHED,
        by=by,
        request=request,
        note=reason,
        unpublished_at=timezone.now(),
        unpublish_reason=reason,
    )
    plan_services.withdraw_all_achievements(story, by=by)
    return story


@transaction.atomic
def unpublish_story(story: Story, *, by, reason: str, request=None) -> Story:
    """Published → unpublished: gone from the public page; its plan count is withdrawn."""
    story = _lock(story)
    if story.status != Story.Status.PUBLISHED:
        raise NotAllowed(_("只有已发布的报道可以撤下。"))
    return _unpublish(story, by=by, reason=reason, request=request)


def consent_withdrawn(person: Person, *, by=None, request=None) -> list[Story]:
    """The people hook: `person` no longer consents. Unpublishes their published stories and
    returns those in review to draft (audited each), then notifies the organisation's UFD staff.
    Runs inside the withdrawal's transaction. Returns the stories changed."""
    reason = _("%(name)s 撤回宣传同意") % {"name": person.name}
    changed = []
    for story in (
        Story.objects.select_for_update()
        .filter(people=person, status__in=[Story.Status.PUBLISHED, Story.Status.REVIEW])
        .order_by("id")
    ):
        if story.status == Story.Status.PUBLISHED:
            changed.append(_unpublish(story, by=by, reason=reason, request=request))
        else:
            changed.append(
                _set_status(story, Story.Status.DRAFT, by=by, request=request, note=reason, review_note=reason)
            )
    if changed:
        titles = "\n".join(f"·《{s.title}》（{STATUS_LABELS[s.status]}）" for s in changed)
        notify(
            list(_ufd_staff(person.organisation)),
            organisation=person.organisation,
            title=_("%(name)s 已撤回宣传同意，%(count)s 篇报道已撤下或退回")
            % {"name": person.name, "count": len(changed)},
            body=titles,
            url=reverse("publicity:list"),
            email=True,
            kind=Kind.PUBLICITY,
        )
    return changed


# --- Reads ---------------------------------------------------------------------------------


def public_stories(organisation) -> QuerySet:
    """Published stories of `organisation` whose featured people all consent now."""
    without_consent = Person.objects.for_org(organisation).exclude(
        pk__in=people_with_consent(organisation).values("pk")
    )
    return Story.objects.for_org(organisation).published().exclude(people__in=without_consent)
