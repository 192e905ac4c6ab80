"""A suggestion before and at submission: drafts (idempotent per form), attachments, co-signers,
submitting (also on a member's behalf), withdrawing, and co-signers confirming."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core import audit
from core.concurrency import update_if_unchanged
from core.exceptions import NotAllowed
from core.figures_cache import bump
from notifications.services import notify
from proposals.models import Attachment, CoSigner, Proposal, ProposalEvent, Status
from proposals.services.notices import notify_staff
from proposals.services.rules import AUTHOR, check_transition, lock, roles_of
from proposals.services.workflow import step

DRAFT_FIELDS = ["kind", "category", "title", "content", "source"]


MAX_ATTACHMENTS = 5


def _add_files(proposal: Proposal, files, *, by) -> None:
    if proposal.attachments.filter(answer__isnull=True).count() + len(files) > MAX_ATTACHMENTS:
        raise NotAllowed(gettext("每条建言最多 %(count)s 个附件。") % {"count": MAX_ATTACHMENTS})
    for upload, kind in files:
        Attachment.objects.create(
            proposal=proposal,
            file=upload,
            original_name=upload.name[:200],
            kind=kind.label,
            size=upload.size,
            uploaded_by=by,
        )


def _set_cosigners(proposal: Proposal, people) -> None:
    people = [p for p in dict.fromkeys(people) if p.pk != proposal.submitter_id]
    proposal.cosigners.exclude(person__in=people).delete()
    existing = set(proposal.cosigners.values_list("person_id", flat=True))
    CoSigner.objects.bulk_create([CoSigner(proposal=proposal, person=p) for p in people if p.pk not in existing])
    bump(proposal.organisation_id)  # bulk_create sends no signal


def _fill(proposal: Proposal, data: dict) -> None:
    for field in DRAFT_FIELDS:
        if field in data:
            setattr(proposal, field, data[field])


@transaction.atomic
def save_draft(
    organisation, *, by, submitter, data: dict, client_token, files=(), cosigners=(), request=None
) -> tuple[Proposal, bool]:
    """Creates a draft from the new-suggestion form. Idempotent per form: when the same form
    (`client_token`) was posted before, the row it made is returned (and, while still a draft,
    updated) instead of a second one. Returns (proposal, created). Audits."""
    existing = Proposal.objects.select_for_update().filter(submitter=submitter, client_token=client_token).first()
    if existing is None:
        try:
            with transaction.atomic():
                proposal = Proposal(
                    organisation=organisation, submitter=submitter, submitted_by=by, client_token=client_token
                )
                _fill(proposal, data)
                proposal.save()
        except IntegrityError:  # the same form posted twice at the same moment
            existing = Proposal.objects.get(submitter=submitter, client_token=client_token)
    if existing is not None:
        if existing.status == Status.DRAFT:
            _fill(existing, data)
            existing.save()
            _set_cosigners(existing, cosigners)
        return existing, False
    _set_cosigners(proposal, cosigners)
    _add_files(proposal, files, by=by)
    audit.log(
        "create",
        proposal,
        by=by,
        organisation=organisation,
        request=request,
        changes=audit.diff({}, audit.snapshot(proposal, ["kind", "category", "title", "submitter"])),
    )
    return proposal, True


@transaction.atomic
def update_draft(
    proposal: Proposal, *, by, data: dict, version: int, files=(), cosigners=(), remove=(), request=None
) -> Proposal:
    """Saves an edit of a draft if nobody saved since `version` was read (else StaleEdit);
    only the author may, and only while it is a draft. Audits the changed fields."""
    proposal = lock(proposal)
    if proposal.status != Status.DRAFT or AUTHOR not in roles_of(proposal, by):
        raise NotAllowed(gettext("只能修改自己的草稿。"))
    before = audit.snapshot(proposal, DRAFT_FIELDS)
    values = {field: data[field] for field in DRAFT_FIELDS if field in data}
    update_if_unchanged(Proposal, proposal.pk, version, updated_at=timezone.now(), **values)
    proposal.refresh_from_db()
    _set_cosigners(proposal, cosigners)
    for attachment in proposal.attachments.filter(pk__in=[a.pk for a in remove]):
        attachment.file.delete(save=False)
        attachment.delete()
    _add_files(proposal, files, by=by)
    audit.log(
        "update", proposal, by=by, request=request, changes=audit.diff(before, audit.snapshot(proposal, DRAFT_FIELDS))
    )
    return proposal


@transaction.atomic
def delete_draft(proposal: Proposal, *, by, request=None) -> None:
    """The author deletes a draft (submitted ones are withdrawn instead). Audits."""
    proposal = lock(proposal)
    if proposal.status != Status.DRAFT or AUTHOR not in roles_of(proposal, by):
        raise NotAllowed(gettext("只能删除自己的草稿。"))
    audit.log("delete", proposal, by=by, request=request)
    for attachment in proposal.attachments.all():
        attachment.file.delete(save=False)
    proposal.delete()


@transaction.atomic
def submit_proposal(proposal: Proposal, *, by, request=None) -> Proposal:
    """DRAFT → SUBMITTED. Asks the co-signers to confirm; tells UFD staff; notifies the submitter."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "submit", by)
    proposal.submitted_at = timezone.now()
    on_behalf = proposal.submitted_by_id and proposal.submitted_by_id != proposal.submitter.user_id
    note = ""
    if on_behalf:
        note = (
            gettext("由统战部代为录入（%(source)s）") % {"source": proposal.source}
            if proposal.source
            else gettext("由统战部代为录入")
        )
    proposal = step(
        proposal,
        "submit",
        transition,
        by=by,
        to=Status.SUBMITTED,
        fields=("submitted_at",),
        note=note,
        member_text=gettext("已提交，统战部将尽快审核。"),
        request=request,
    )
    pending = proposal.cosigners.filter(confirmed_at__isnull=True, declined_at__isnull=True).select_related("person")
    notify(
        [c.person.user for c in pending],
        organisation=proposal.organisation,
        title=gettext("%(name)s邀请您联名：%(title)s")
        % {"name": proposal.submitter.name, "title": proposal.title[:40]},
        body=gettext("请查看内容并确认是否联名。"),
        url=reverse("proposals:my-detail", args=[proposal.pk]),
        email=True,
    )
    notify_staff(proposal, gettext("新%(kind)s待审核") % {"kind": proposal.get_kind_display()})
    return proposal


@transaction.atomic
def submit_on_behalf(
    organisation, *, by, submitter, data: dict, client_token, files=(), cosigners=(), request=None
) -> tuple[Proposal, bool]:
    """UFD staff enter a member's suggestion (e.g. from a symposium's feedback) and submit it at
    once. Idempotent per form like `save_draft`. Returns (proposal, created)."""
    proposal, created = save_draft(
        organisation,
        by=by,
        submitter=submitter,
        data=data,
        client_token=client_token,
        files=files,
        cosigners=cosigners,
        request=request,
    )
    if proposal.status == Status.DRAFT:
        proposal = submit_proposal(proposal, by=by, request=request)
    return proposal, created


@transaction.atomic
def withdraw_proposal(proposal: Proposal, *, by, reason: str = "", request=None) -> Proposal:
    """SUBMITTED → WITHDRAWN (only before it is accepted). Notifies the submitter."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "withdraw", by)
    return step(proposal, "withdraw", transition, by=by, to=Status.WITHDRAWN, note=reason, request=request)


@transaction.atomic
def confirm_cosign(proposal: Proposal, *, by, agree: bool, request=None) -> CoSigner:
    """A co-signer confirms (or declines) signing. Logged on the timeline; tells the submitter."""
    proposal = lock(proposal)
    cosigner = proposal.cosigners.filter(person__user=by).select_related("person").first()
    if cosigner is None or proposal.status == Status.DRAFT:
        raise NotAllowed(gettext("您不是该建言的联名人。"))
    if cosigner.confirmed_at or cosigner.declined_at:
        raise NotAllowed(gettext("您已答复过联名邀请。"))
    if proposal.status in (Status.WITHDRAWN, Status.DECLINED, Status.MERGED, Status.CLOSED):
        raise NotAllowed(gettext("该建言已结束，无需再确认联名。"))
    now = timezone.now()
    if agree:
        cosigner.confirmed_at = now
    else:
        cosigner.declined_at = now
    cosigner.save(update_fields=["confirmed_at", "declined_at"])
    label = gettext_noop("确认联名") if agree else gettext_noop("谢绝联名")
    ProposalEvent.objects.create(proposal=proposal, action="cosign", label=label, user=by, note=cosigner.person.name)
    audit.log("update", proposal, by=by, request=request, changes={"cosigner": ["", f"{cosigner.person.name} {label}"]})
    notify(
        [proposal.submitter.user],
        organisation=proposal.organisation,
        title=f"{cosigner.person.name}{label}：{proposal.title[:40]}",
        url=reverse("proposals:my-detail", args=[proposal.pk]),
    )
    return cosigner
