"""Answer templates (答复模板) the lead departments start their answers from."""

from django.db import transaction

from core import audit
from proposals.models import AnswerTemplate


@transaction.atomic
def save_template(organisation, *, by, data: dict, template: AnswerTemplate | None = None, request=None):
    """Creates or updates an answer template. Audits."""
    before = audit.snapshot(template, ["title", "outcome", "text"]) if template else {}
    template = template or AnswerTemplate(organisation=organisation)
    for field in ("title", "outcome", "text"):
        setattr(template, field, data[field])
    template.save()
    audit.log(
        "update" if before else "create",
        template,
        by=by,
        organisation=organisation,
        request=request,
        changes=audit.diff(before, audit.snapshot(template, ["title", "outcome", "text"])),
    )
    return template


@transaction.atomic
def delete_template(template: AnswerTemplate, *, by, request=None) -> None:
    audit.log("delete", template, by=by, request=request)
    template.delete()
