"""Five ones writes: a member reports an entry, UFD staff verify or reject it, completions are
kept in step with the plan targets they count towards, and the Q4 reminder.

Every write is a function here: keyword-only arguments, a transaction, one audit record,
notifications after commit (through `notifications.services.notify`)."""

import logging
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import NotAllowed
from fiveones.models import SELF_REPORTED, Completion, Entry, TargetLink
from fiveones.queries import ledgers, members
from notifications.services import notify
from orgs.models import Membership, Organisation, Role
from plans.services import record_achievement, targets_for_org, withdraw_achievement

log = logging.getLogger(__name__)


def _staff_users(organisation):
    return [
        m.user for m in Membership.objects.filter(organisation=organisation, role=Role.UFD_STAFF).select_related("user")
    ]


@transaction.atomic
def report_entry(person, *, by, year: int, slot: str, data: dict, proof, proof_kind: str, request=None) -> Entry:
    """A member reports a book, a talk, a visit or a research report with its proof (already
    checked by the form through `core.files`). Waits for UFD verification. Audits; tells UFD staff."""
    if slot not in SELF_REPORTED:
        raise NotAllowed(_("该项目不能自行填报。"))
    entry = Entry(
        organisation=person.organisation,
        person=person,
        year=year,
        slot=slot,
        title=data["title"],
        author=data.get("author", ""),
        on=data["on"],
        reflection=data.get("reflection", ""),
        proof_name=proof.name[:200],
        proof_kind=proof_kind,
        created_by=by,
    )
    entry.proof.save(proof.name, proof, save=False)
    entry.save()
    changes = {"slot": ["", entry.get_slot_display()], "title": ["", entry.title]}
    audit.log("create", entry, by=by, request=request, changes=changes)
    notify(
        _staff_users(person.organisation),
        organisation=person.organisation,
        title=_("五个一待核实：%(name)s %(slot)s") % {"name": person.name, "slot": entry.get_slot_display()},
        body=entry.title,
        url=reverse("fiveones:queue"),
    )
    return entry


def _decide(entry: Entry, *, by, status: str, reason: str, request) -> Entry:
    entry = (
        Entry.objects.select_for_update(of=("self",)).select_related("person__user", "organisation").get(pk=entry.pk)
    )
    if entry.status != Entry.Status.PENDING:
        raise NotAllowed(_("该记录已处理。"))
    entry.status = status
    entry.reason = reason
    entry.verified_by = by
    entry.verified_at = timezone.now()
    entry.save(update_fields=["status", "reason", "verified_by", "verified_at"])
    changes = {"status": [str(Entry.Status.PENDING.label), str(entry.get_status_display())]}
    if reason:
        changes["reason"] = ["", reason]
    audit.log("update", entry, by=by, request=request, changes=changes)
    if entry.person.user_id:
        title = (
            _("您的五个一“%(slot)s”已核实") if status == Entry.Status.VERIFIED else _("您的五个一“%(slot)s”未通过核实")
        ) % {"slot": entry.get_slot_display()}
        notify(
            [entry.person.user],
            organisation=entry.organisation,
            title=title,
            body=reason,
            url=reverse("fiveones:card") + f"?year={entry.year}",
            email=True,
        )
    sync_completions(entry.organisation, entry.year, by=by, people=[entry.person])
    return entry


@transaction.atomic
def verify_entry(entry: Entry, *, by, request=None) -> Entry:
    """Pending → verified: the entry fills its slot. Audits; tells the member; re-syncs completion."""
    return _decide(entry, by=by, status=Entry.Status.VERIFIED, reason="", request=request)


@transaction.atomic
def reject_entry(entry: Entry, *, by, reason: str, request=None) -> Entry:
    """Pending → rejected with a reason the member sees. Audits; tells the member."""
    if not reason.strip():
        raise NotAllowed(_("请填写未通过的原因。"))
    return _decide(entry, by=by, status=Entry.Status.REJECTED, reason=reason.strip(), request=request)


@transaction.atomic
def delete_entry(entry: Entry, *, by, request=None) -> None:
    """A member withdraws a pending or rejected entry of their own. Audits."""
    if entry.status == Entry.Status.VERIFIED:
        raise NotAllowed(_("已核实的记录不能删除。"))
    audit.log("delete", entry, by=by, request=request)
    entry.proof.delete(save=False)
    entry.delete()


# --- Plan targets -----------------------------------------------------------------------------


@transaction.atomic
def sync_completions(organisation, year: int, *, by=None, people=None) -> tuple[int, int]:
    """Keeps `Completion` rows equal to the members who have all five in `year` and each linked
    target's achievements equal to them (record_achievement / withdraw_achievement). `people`
    limits it to some members. Returns (added, removed)."""
    all_ledgers = ledgers(organisation, year, people=people)
    complete = {ledger.person.pk for ledger in all_ledgers if ledger.complete}
    existing = Completion.objects.filter(organisation=organisation, year=year)
    if people is not None:
        existing = existing.filter(person__in=[p.pk for p in people])
    existing = {c.person_id: c for c in existing.select_related("person")}
    targets = [
        link.target
        for link in TargetLink.objects.filter(organisation=organisation, year=year).select_related("target__item")
    ]
    added = removed = 0
    for ledger in all_ledgers:
        pk = ledger.person.pk
        if pk in complete and pk not in existing:
            completion = Completion.objects.create(organisation=organisation, person=ledger.person, year=year)
            for target in targets:
                record_achievement(target, source=completion, by=by, label=str(completion))
            added += 1
    for pk, completion in existing.items():
        if pk not in complete:
            for target in targets:
                withdraw_achievement(target, source=completion, by=by)
            completion.delete()
            removed += 1
    return added, removed


@transaction.atomic
def link_target(organisation, *, by, year: int, target, request=None) -> TargetLink:
    """Counts every member completing all five in `year` towards `target` (of this organisation's
    plans). Records the existing completions at once. Audits."""
    if not targets_for_org(organisation).filter(pk=target.pk).exists():
        raise NotAllowed(_("只能选择本单位工作要点中的目标。"))
    link, _created = TargetLink.objects.get_or_create(
        organisation=organisation, year=year, target=target, defaults={"created_by": by}
    )
    audit.log("create", link, by=by, request=request, changes={"target": ["", str(target)]})
    sync_completions(organisation, year, by=by)
    for completion in Completion.objects.filter(organisation=organisation, year=year).select_related("person"):
        record_achievement(target, source=completion, by=by, label=str(completion))
    return link


@transaction.atomic
def unlink_target(link: TargetLink, *, by, request=None) -> None:
    """Stops counting; withdraws the achievements recorded through this link. Audits."""
    for completion in Completion.objects.filter(organisation=link.organisation, year=link.year):
        withdraw_achievement(link.target, source=completion, by=by)
    audit.log("delete", link, by=by, request=request)
    link.delete()


def sync_all(*, today: date | None = None) -> int:
    """Every organisation's current year (the daily job). Returns the changes made."""
    year = (today or timezone.localdate()).year
    changes = 0
    for organisation in Organisation.objects.all():
        added, removed = sync_completions(organisation, year)
        changes += added + removed
    return changes


# --- Reminder ---------------------------------------------------------------------------------


def remind_incomplete(*, organisation=None, year: int | None = None) -> int:
    """Tells every member below five what is still missing this year (in-app; e-mail and the
    other channels as the member's notification preferences say). Returns the number told."""
    year = year or timezone.localdate().year
    organisations = [organisation] if organisation else list(Organisation.objects.all())
    told = 0
    for org in organisations:
        people = list(members(org).select_related("user", "department").order_by("name", "id"))
        for ledger in ledgers(org, year, people=people):
            if ledger.complete or not ledger.person.user_id:
                continue
            told += notify(
                [ledger.person.user],
                organisation=org,
                title=_("%(year)s年五个一还差 %(n)s 项") % {"year": year, "n": len(ledger.missing)},
                body=_("尚未完成：%(missing)s。请在年底前完成并在手机上填报。")
                % {"missing": "、".join(ledger.missing)},
                url=reverse("fiveones:card"),
                email=True,
            )
    return told


def record_export(organisation, *, by, year: int, rows: int, request=None) -> None:
    """Every export is audited: who, when, which year, how many rows."""
    changes = {"export": "五个一台账", "filter": f"{year}年", "rows": rows}
    username = "" if by else "命令行"
    audit.log("export", Entry, by=by, request=request, changes=changes, organisation=organisation, username=username)
