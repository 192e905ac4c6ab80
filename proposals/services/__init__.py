"""Suggestion services, one module per concern; every write of the proposals app goes through one
of them. THE state machine is `rules.TRANSITIONS`: (status, action) → the statuses the action may
lead to and the roles that may take it (`rules.roles_of`).

- `rules`             the table, the roles a user holds towards a suggestion, the checks
- `drafts`            drafts, attachments, co-signers, submitting and withdrawing
- `workflow`          review, assignment, answers and their review, rating, closing (`step`)
- `notes`             internal notes, the 优秀建言/public flags, urging
- `targets`           links to plan targets, re-synced after every step
- `answer_templates`  the departments' answer templates
- `reminders`         the daily reminder of overdue suggestions
- `filings`           outside filings (履职记录)
- `notices`           who is told of each step

Reads (figures, the overdue list, the outside filings' statistics, what other apps and home pages
show) are in `proposals.queries`. Below are the names the views, forms, tasks and the demo use."""

from core.concurrency import StaleEdit
from core.exceptions import NotAllowed
from proposals.services.answer_templates import delete_template, save_template
from proposals.services.drafts import (
    MAX_ATTACHMENTS,
    confirm_cosign,
    delete_draft,
    save_draft,
    submit_on_behalf,
    submit_proposal,
    update_draft,
    withdraw_proposal,
)
from proposals.services.filings import create_outside_filing, update_outside_filing, verify_outside_filing
from proposals.services.notes import add_note, set_flags, urge_proposal
from proposals.services.reminders import remind_overdue
from proposals.services.rules import (
    ACTIONS,
    AUTHOR,
    DUE_DAYS,
    LEAD,
    REHANDLE_DAYS,
    STAFF,
    SUBMITTER,
    SUPPORT,
    TRANSITIONS,
    allowed_actions,
    liaison_department_ids,
    roles_of,
)
from proposals.services.targets import link_target, unlink_target
from proposals.services.workflow import (
    accept_proposal,
    answer_proposal,
    assign_proposal,
    close_proposal,
    decline_proposal,
    merge_proposal,
    object_to_assignment,
    rate_proposal,
    release_answer,
    return_answer,
)

__all__ = [
    "ACTIONS",
    "AUTHOR",
    "DUE_DAYS",
    "LEAD",
    "MAX_ATTACHMENTS",
    "REHANDLE_DAYS",
    "STAFF",
    "SUBMITTER",
    "SUPPORT",
    "TRANSITIONS",
    "NotAllowed",
    "StaleEdit",
    "accept_proposal",
    "add_note",
    "allowed_actions",
    "answer_proposal",
    "assign_proposal",
    "close_proposal",
    "confirm_cosign",
    "create_outside_filing",
    "decline_proposal",
    "delete_draft",
    "delete_template",
    "liaison_department_ids",
    "link_target",
    "merge_proposal",
    "object_to_assignment",
    "rate_proposal",
    "release_answer",
    "remind_overdue",
    "return_answer",
    "roles_of",
    "save_draft",
    "save_template",
    "set_flags",
    "submit_on_behalf",
    "submit_proposal",
    "unlink_target",
    "update_draft",
    "update_outside_filing",
    "urge_proposal",
    "verify_outside_filing",
    "withdraw_proposal",
]
