"""What the audit admin sees of the people in the registry: pseudonyms.

Rows about a registry subject (a person, their records, registrations, external sign-ups) show
"统战对象 #12" instead of the record's text, and their changes only as the names of the fields
that changed; a member acting in their own account shows as "统战成员 #<account id>". An approved
look-up (`AuditLookup`, asked by the audit admin, approved by a security admin) shows the real
text of one subject's rows for a limited time. The stored rows are never changed: this only
rewrites the in-memory objects a page shows."""

from django.utils import timezone

from accounts.models import AuditLookup
from orgs.models import Role

# object_type -> label of the pseudonym
SUBJECT_TYPES = {
    "people.person": "统战对象",
    "people.contactrecord": "联系记录",
    "people.partymembership": "党派信息",
    "people.publicpost": "政治安排",
    "people.award": "获奖",
    "people.studyabroad": "留学经历",
    "people.consent": "宣传授权",
    "people.profilechangerequest": "信息修改申请",
    "people.personchange": "变更记录",
    "events.registration": "活动报名",
    "events.externalregistration": "校外报名",
    "events.invitation": "活动邀请",
}
HIDDEN = "（已隐去）"


def approved_subjects(organisation, user) -> set[tuple[str, str]]:
    now = timezone.now()
    return set(
        AuditLookup.objects.filter(
            organisation=organisation,
            requested_by=user,
            status=AuditLookup.Status.APPROVED,
            expires_at__gt=now,
        ).values_list("object_type", "object_id")
    )


def pseudonymise(events, *, organisation, user) -> None:
    """Rewrites, in memory, the events the audit admin is about to see."""
    events = list(events)
    # One query for the approved look-ups, only when the page shows a subject at all.
    approved = approved_subjects(organisation, user) if any(e.object_type in SUBJECT_TYPES for e in events) else set()
    for event in events:
        label = SUBJECT_TYPES.get(event.object_type)
        if label and (event.object_type, event.object_id) not in approved:
            event.object_repr = f"{label} #{event.object_id}"
            event.changes = dict.fromkeys(event.changes or {}, HIDDEN)
            event.pseudonymous = True
        membership = getattr(event.user, "membership", None) if event.user_id else None
        if membership is not None and membership.role == Role.MEMBER:
            event.username = f"统战成员 #{event.user_id}"
