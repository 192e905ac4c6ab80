"""Study push writes: materials, their quiz and images, publishing (the audience frozen into
assignments), reading with server-checked receipts, quiz, reflection, points, reminders.

Every write is a function here: keyword-only arguments, a transaction, one audit record,
notifications after commit (through `notifications.services.notify`)."""

import logging
from datetime import timedelta

import nh3
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import audit
from core.concurrency import update_if_unchanged
from core.exceptions import NotAllowed
from notifications.services import notify
from people.models import Person
from people.queries import group_members
from plans.services import record_achievement, withdraw_achievement
from study.models import (
    DAILY_CAPS,
    POINTS,
    Assignment,
    Choice,
    PointEntry,
    Question,
    ReadSession,
    StudyImage,
    StudyMaterial,
)

log = logging.getLogger(__name__)

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote", "ul", "ol", "li",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td", "hr", "span", "sub", "sup",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"}}


def _keep_local_images(tag: str, attribute: str, value: str) -> str | None:
    """Images load only from Tongxin's own uploads: any other `src` is dropped."""
    if tag == "img" and attribute == "src":
        prefix = reverse("study:image", args=[0]).removesuffix("0/")  # the uploads' folder, e.g. /study/images/
        return value if value.startswith(prefix) and "//" not in value else None
    return value


def clean_html(html: str) -> str:
    """The article's rich text, sanitised (nh3): a small set of tags, no script or style, links
    with rel=noopener, images only from uploaded study images (remote `src` stripped)."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_local_images,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- Materials ------------------------------------------------------------------------------

FIELDS = ["title", "kind", "summary", "body", "link", "publish_at", "due_at", "required", "reflection", "pass_mark"]


def _apply(material: StudyMaterial, data: dict) -> None:
    for name in FIELDS:
        if name in data:
            setattr(material, name, data[name])
    material.body = clean_html(material.body) if material.kind == StudyMaterial.Kind.ARTICLE else ""
    if material.kind != StudyMaterial.Kind.LINK:
        material.link = ""
    material.audience_categories = list(data.get("audience_categories") or [])


def _set_relations(material: StudyMaterial, data: dict) -> None:
    material.audience_groups.set(data.get("audience_groups") or [])
    material.audience_people.set(data.get("audience_people") or [])
    material.targets.set(data.get("targets") or [])


def _attach_file(material: StudyMaterial, file) -> None:
    """A file material keeps the uploaded file (checked by the form) and its name; unsaved."""
    if file is not None and material.kind == StudyMaterial.Kind.FILE:
        material.file.save(file.name, file, save=False)
        material.file_name = file.name[:200]


@transaction.atomic
def create_material(organisation, *, by, data: dict, file=None, request=None) -> StudyMaterial:
    """A new draft material (rich text sanitised; file already checked by the form). Audits."""
    material = StudyMaterial(organisation=organisation, created_by=by)
    _apply(material, data)
    _attach_file(material, file)
    material.save()
    _set_relations(material, data)
    audit.log("create", material, by=by, request=request)
    return material


@transaction.atomic
def update_material(material: StudyMaterial, *, by, data: dict, version: int, file=None, request=None):
    """Saves an edit unless someone saved since `version` (core.concurrency.StaleEdit). A
    published material gains the people newly in its audience. Audits."""
    update_if_unchanged(StudyMaterial, material.pk, version)  # locks the row until commit
    material = StudyMaterial.objects.get(pk=material.pk)
    before = audit.snapshot(material, ["title", "publish_at", "due_at", "required"])
    _apply(material, data)
    _attach_file(material, file)
    material.save()
    _set_relations(material, data)
    changes = audit.changed(material, before, ["title", "publish_at", "due_at", "required"])
    audit.log("update", material, by=by, request=request, changes=changes)
    if material.is_published:
        _freeze_audience(material)
        _sync_targets(material, by=by)
    return material


@transaction.atomic
def delete_material(material: StudyMaterial, *, by, request=None) -> None:
    """Deletes the material, its assignments and points; withdraws it from plan targets. Audits."""
    for target in material.targets.all():
        withdraw_achievement(target, source=material, by=by)
    audit.log("delete", material, by=by, request=request)
    material.delete()


def audience(material: StudyMaterial) -> QuerySet:
    """The people the material is pushed to: named people, whole categories, group members
    (read through `people.queries.group_members`)."""
    condition = Q(pk__in=material.audience_people.values("pk"))
    if material.audience_categories:
        condition |= Q(category_links__category__in=material.audience_categories)
    for group in material.audience_groups.all():
        condition |= Q(pk__in=group_members(group).values("pk"))
    return Person.objects.for_org(material.organisation).filter(condition).distinct()


def _freeze_audience(material: StudyMaterial) -> list[Person]:
    people = list(audience(material).exclude(study_assignments__material=material).select_related("user"))
    Assignment.objects.bulk_create([Assignment(material=material, person=p) for p in people], ignore_conflicts=True)
    if material.announced_at and people:
        _announce(material, people)
    return people


def _sync_targets(material: StudyMaterial, *, by) -> None:
    for target in material.targets.all():
        record_achievement(target, source=material, by=by, label=f"学习推送：{material.title}")


def _announce(material: StudyMaterial, people) -> int:
    due = ""
    if material.due_at:
        due = _("请于 %(due)s 前完成。") % {"due": date_format(timezone.localtime(material.due_at), _("m月d日 H:i"))}
    return notify(
        [p.user for p in people if p.user_id],
        organisation=material.organisation,
        title=_("学习推送：%(title)s") % {"title": material.title},
        body=(material.summary + "\n" + due).strip(),
        url=reverse("study:m-detail", args=[material.pk]),
        email=True,
    )


@transaction.atomic
def publish_material(material: StudyMaterial, *, by, request=None, now=None) -> int:
    """Draft → published: the audience becomes assignments; linked plan targets count the
    material (record_achievement); members are told now, or at `publish_at` by the periodic job.
    Returns the number of assignments. Audits."""
    now = now or timezone.now()
    material = StudyMaterial.objects.select_for_update().get(pk=material.pk)
    if material.is_published:
        raise NotAllowed(_("该材料已发布。"))
    if material.kind == StudyMaterial.Kind.FILE and not material.file:
        raise NotAllowed(_("请先上传文件。"))
    material.status = StudyMaterial.Status.PUBLISHED
    material.published_at = now
    material.save(update_fields=["status", "published_at", "updated_at"])
    _freeze_audience(material)
    audit.log("update", material, by=by, request=request, changes={"status": ["草稿", "已发布"]})
    _sync_targets(material, by=by)
    if material.publish_at <= now:
        announce_material(material, now=now)
    return material.assignments.count()


def announce_material(material: StudyMaterial, *, now=None) -> int:
    """Tells the audience (once) that the material is there to read."""
    updated = StudyMaterial.objects.filter(pk=material.pk, announced_at__isnull=True).update(
        announced_at=now or timezone.now()
    )
    if not updated:
        return 0
    people = Person.objects.filter(study_assignments__material=material).select_related("user")
    return _announce(material, list(people))


def announce_due(*, now=None) -> int:
    """The periodic job: announce materials whose `publish_at` has come."""
    now = now or timezone.now()
    due = StudyMaterial.objects.visible(now).filter(announced_at__isnull=True)
    return sum(announce_material(m, now=now) for m in due)


@transaction.atomic
def add_image(material: StudyMaterial, *, by, upload, request=None) -> StudyImage:
    """An image for the article (checked by the form); refer to it as /study/images/<id>/. Audits."""
    image = StudyImage(organisation=material.organisation, material=material, uploaded_by=by)
    image.image.save(upload.name, upload, save=False)
    image.save()
    audit.log("create", image, by=by, request=request)
    return image


@transaction.atomic
def add_question(material: StudyMaterial, *, by, text: str, multiple: bool, choices, request=None) -> Question:
    """A quiz question with its choices [(text, correct)]. Audits."""
    question = Question.objects.create(
        material=material, text=text, multiple=multiple, order=material.questions.count() + 1
    )
    Choice.objects.bulk_create(
        [Choice(question=question, text=t, correct=c, order=i) for i, (t, c) in enumerate(choices, start=1)]
    )
    audit.log("create", question, by=by, request=request, changes={"material": ["", material.title]})
    return question


@transaction.atomic
def delete_question(question: Question, *, by, request=None) -> None:
    audit.log("delete", question, by=by, request=request)
    question.delete()


# --- Reading ----------------------------------------------------------------------------------


@transaction.atomic
def open_material(assignment: Assignment, *, now=None) -> ReadSession:
    """A member opened the page: the server records when (the receipt is judged from this)."""
    now = now or timezone.now()
    if assignment.opened_at is None:
        Assignment.objects.filter(pk=assignment.pk, opened_at__isnull=True).update(opened_at=now)
        assignment.opened_at = now
    return ReadSession.objects.create(assignment=assignment, opened_at=now)


def read_requirement_met(session: ReadSession, *, finished: bool, now) -> bool:
    """Enough time since the page was opened (server time): the minimum reading time, or the end
    reached and at least the shorter finishing time."""
    elapsed = (now - session.opened_at).total_seconds()
    if elapsed >= settings.STUDY_MIN_READ_SECONDS:
        return True
    return finished and elapsed >= min(settings.STUDY_MIN_FINISH_SECONDS, settings.STUDY_MIN_READ_SECONDS)


@transaction.atomic
def record_reading(session: ReadSession, *, finished: bool = False, now=None) -> dict:
    """A heartbeat (or "end reached") from the reading page. Counts the read receipt once the
    server-side elapsed time allows it; awards the read points. Returns {"read", "wait"}."""
    now = now or timezone.now()
    session = (
        ReadSession.objects.select_for_update(of=("self", "assignment"))
        .select_related("assignment__material__organisation", "assignment__person__user")
        .get(pk=session.pk)
    )
    session.last_beat_at = now
    session.reached_end = session.reached_end or finished
    session.save(update_fields=["last_beat_at", "reached_end"])
    assignment = session.assignment
    if assignment.read_at is None and read_requirement_met(session, finished=finished, now=now):
        assignment.read_at = now
        assignment.save(update_fields=["read_at"])
        _award(assignment, PointEntry.Kind.READ, now=now)
        audit.log("update", assignment, by=assignment.person.user, changes={"read": ["", "已读"]})
    wait = max(0, settings.STUDY_MIN_READ_SECONDS - int((now - session.opened_at).total_seconds()))
    return {"read": assignment.read_at is not None, "wait": 0 if assignment.read_at else wait}


def score_quiz(material: StudyMaterial, answers: dict[int, set[int]]) -> int:
    """Per cent of questions answered exactly right (all the right choices, no wrong one)."""
    questions = list(material.questions.prefetch_related("choices"))
    if not questions:
        return 100
    right = 0
    for question in questions:
        correct = {c.pk for c in question.choices.all() if c.correct}
        right += answers.get(question.pk, set()) == correct
    return round(right * 100 / len(questions))


@transaction.atomic
def submit_quiz(assignment: Assignment, *, answers: dict[int, set[int]], now=None) -> tuple[int, bool]:
    """Scores the answers; at or above the pass mark the quiz is passed (points once).
    Needs the read receipt first. Returns (score, passed)."""
    now = now or timezone.now()
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("material", "person__user")
        .get(pk=assignment.pk)
    )
    if assignment.read_at is None:
        raise NotAllowed(_("请先完成阅读，再参加测验。"))
    score = score_quiz(assignment.material, answers)
    passed = score >= assignment.material.pass_mark
    assignment.quiz_attempts += 1
    assignment.quiz_score = max(score, assignment.quiz_score or 0)
    fields = ["quiz_attempts", "quiz_score"]
    if passed and assignment.quiz_passed_at is None:
        assignment.quiz_passed_at = now
        fields.append("quiz_passed_at")
        _award(assignment, PointEntry.Kind.QUIZ, now=now)
    assignment.save(update_fields=fields)
    changes = {"quiz": ["", f"{score} 分（{'通过' if passed else '未通过'}）"]}
    audit.log("update", assignment, by=assignment.person.user, changes=changes)
    return score, passed


@transaction.atomic
def submit_reflection(assignment: Assignment, *, text: str, now=None) -> Assignment:
    """Saves the 学习心得 (points the first time). Audits."""
    now = now or timezone.now()
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("material", "person__user")
        .get(pk=assignment.pk)
    )
    if assignment.material.reflection == StudyMaterial.Reflection.NONE:
        raise NotAllowed(_("该材料不需要学习心得。"))
    first = assignment.reflection_at is None
    assignment.reflection = text
    assignment.reflection_at = now
    assignment.save(update_fields=["reflection", "reflection_at"])
    if first:
        _award(assignment, PointEntry.Kind.REFLECTION, now=now)
    audit.log("update", assignment, by=assignment.person.user, changes={"reflection": ["", f"{len(text)} 字"]})
    return assignment


def _award(assignment: Assignment, kind: str, *, now) -> PointEntry | None:
    """Points for `kind` once per assignment, within the day's cap for that kind."""
    day = timezone.localtime(now).date()
    person = assignment.person
    earned = PointEntry.objects.filter(person=person, kind=kind, day=day).aggregate(total=Sum("points"))["total"] or 0
    points = max(0, min(POINTS[kind], DAILY_CAPS[kind] - earned))
    entry, _created = PointEntry.objects.get_or_create(
        assignment=assignment,
        kind=kind,
        defaults={"organisation_id": person.organisation_id, "person": person, "points": points, "day": day},
    )
    return entry


# --- Reminders and exports ----------------------------------------------------------------------

REMIND_BEFORE = timedelta(hours=48)


def remind_unread(*, now=None, organisation=None, material=None) -> int:
    """Reminds (once) everyone who has not read a material that is due within 48 hours or overdue.
    Returns the number of reminders."""
    now = now or timezone.now()
    pending = Assignment.objects.filter(
        material__status=StudyMaterial.Status.PUBLISHED,
        material__publish_at__lte=now,
        material__due_at__isnull=False,
        material__due_at__lte=now + REMIND_BEFORE,
        read_at__isnull=True,
        reminded_at__isnull=True,
        person__user__isnull=False,
    ).select_related("material__organisation", "person__user")
    if organisation is not None:
        pending = pending.filter(material__organisation=organisation)
    if material is not None:
        pending = pending.filter(material=material)
    count = 0
    for assignment in pending:
        material = assignment.material
        due = timezone.localtime(material.due_at)
        with transaction.atomic():
            if not Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            count += notify(
                [assignment.person.user],
                organisation=material.organisation,
                title=_("学习提醒：%(title)s") % {"title": material.title},
                body=_("请于 %(due)s 前完成学习。") % {"due": date_format(due, _("m月d日 H:i"))},
                url=reverse("study:m-detail", args=[material.pk]),
                email=True,
            )
    return count


def record_export(organisation, *, by, what: str, rows: int, filter: str = "", request=None) -> None:
    changes = {"export": what, "filter": filter, "rows": rows}
    audit.log("export", StudyMaterial, by=by, request=request, changes=changes, organisation=organisation)
