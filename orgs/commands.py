"""What management commands share about organisations."""

from django.core.management.base import CommandError

from orgs.models import Organisation


def organisation_option(slug: str | None) -> Organisation | None:
    """The organisation a command's `--org` names; None when the option is not given. A slug that
    names no organisation is a CommandError."""
    if not slug:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"没有 slug 为 {slug} 的组织。")
    return organisation
