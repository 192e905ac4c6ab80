"""Outside filings (履职记录): a member records a proposal filed with an outside body (人大, 政协,
民主党派…); UFD staff verify it against its proof. The yearly statistics are in `proposals.queries`."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core import audit
from core.concurrency import update_if_unchanged
from notifications.services import notify
from orgs.models import Membership, Role
from proposals.models import OutsideFiling, OutsideFilingFile

FILING_FIELDS = ["kind", "body", "level", "date", "title", "case_number", "status", "note"]


def _add_filing_files(filing: OutsideFiling, files) -> None:
    for upload, kind in files:
        OutsideFilingFile.objects.create(
            filing=filing, file=upload, original_name=upload.name[:200], kind=kind.label, size=upload.size
        )


@transaction.atomic
def create_outside_filing(organisation, *, by, person, data: dict, files=(), request=None) -> OutsideFiling:
    """A member records a filing with an outside body; staff verify it later. Audits; tells staff."""
    filing = OutsideFiling.objects.create(
        organisation=organisation, person=person, created_by=by, **{f: data[f] for f in FILING_FIELDS if f in data}
    )
    _add_filing_files(filing, files)
    audit.log(
        "create",
        filing,
        by=by,
        organisation=organisation,
        request=request,
        changes=audit.diff({}, audit.snapshot(filing, FILING_FIELDS)),
    )
    memberships = Membership.objects.filter(organisation=organisation, role=Role.UFD_STAFF).select_related("user")
    notify(
        [m.user for m in memberships],
        organisation=organisation,
        title=gettext("%(name)s登记了履职记录：%(title)s") % {"name": person.name, "title": filing.title[:40]},
        url=reverse("proposals:outside-detail", args=[filing.pk]),
    )
    return filing


@transaction.atomic
def update_outside_filing(
    filing: OutsideFiling, *, by, data: dict, version: int, files=(), request=None
) -> OutsideFiling:
    """Saves the member's edit if nobody saved since `version` (else StaleEdit). An edit of a
    verified filing clears the verification: staff verify the new facts again. Audits."""
    before = audit.snapshot(filing, FILING_FIELDS)
    update_if_unchanged(
        OutsideFiling,
        filing.pk,
        version,
        updated_at=timezone.now(),
        verified_at=None,
        verified_by=None,
        **{f: data[f] for f in FILING_FIELDS if f in data},
    )
    filing = OutsideFiling.objects.get(pk=filing.pk)
    _add_filing_files(filing, files)
    audit.log(
        "update", filing, by=by, request=request, changes=audit.diff(before, audit.snapshot(filing, FILING_FIELDS))
    )
    return filing


@transaction.atomic
def verify_outside_filing(filing: OutsideFiling, *, by, verified: bool, note: str = "", request=None) -> OutsideFiling:
    """UFD staff confirm the filing against its proof (or take the confirmation back, with a
    note the member sees in a notification). Audits."""
    filing = OutsideFiling.objects.select_for_update().get(pk=filing.pk)
    before = "已核实" if filing.verified_at else "待核实"
    filing.verified_at = timezone.now() if verified else None
    filing.verified_by = by if verified else None
    filing.save(update_fields=["verified_at", "verified_by", "updated_at"])
    after = "已核实" if verified else "待核实"
    audit.log(
        "update",
        filing,
        by=by,
        request=request,
        changes={"verified": [before, after]} | ({"note": ["", note]} if note else {}),
    )
    notify(
        [filing.person.user],
        organisation=filing.organisation,
        title=(gettext("履职记录“%(title)s”已核实") if verified else gettext("履职记录“%(title)s”需补充材料"))
        % {"title": filing.title[:40]},
        body=note,
        url=reverse("proposals:outside-edit", args=[filing.pk]),
    )
    return filing
